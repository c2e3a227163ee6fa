// Value+Backward.swift — reverse-mode differentiation: the chain rule over a whole graph.
//
// Backward visits every node after all the nodes that use it (reverse topological order),
// and each node sends `local derivative × its own gradient` to each of its inputs. That one
// sentence is `sendGradientToInputs()`. `backward()` runs it for every node at once;
// `BackwardPass` runs it one node per `next()` call, so a lesson can show each step. Both
// go through the same function, so what a learner steps through is what training runs.
//
// Read next: GradientCheck.swift, which checks this against finite differences.

extension Value {
    /// Computes ∂self/∂node for every node that `self` depends on, storing it in `grad`.
    ///
    /// Leaves (inputs and parameters) *accumulate*: a second `backward()` adds to their
    /// gradients, as in PyTorch, so call `zeroGrad()` between training steps. Interior nodes
    /// are reset at the start of each pass.
    public func backward() {
        if Value.usesFastPath { return fastBackward() }   // the same steps, faster: Value+FastPath.swift
        var pass = BackwardPass(from: self)
        while pass.next() != nil {}
    }

    /// The chain rule at one node: each input receives `∂self/∂input × ∂root/∂self`.
    ///
    /// `+=`, not `=`: an input used twice (as in `x * x`, or by two different nodes)
    /// collects a contribution along every path. Writing `=` here is the classic bug.
    func sendGradientToInputs() {
        let upstream = grad ?? 0
        if let lhs { lhs.grad = (lhs.grad ?? 0) + dLhs * upstream }
        if let rhs { rhs.grad = (rhs.grad ?? 0) + dRhs * upstream }
    }

    /// Forgets this node's gradient, so that it reads as "not reached" (`nil`).
    public func zeroGrad() {
        grad = nil
    }

    /// Every node `self` depends on, each after all of its inputs, ending with `self`.
    ///
    /// The textbook version is recursive:
    /// `visit(node) { if node is new { for input in node.inputs { visit(input) }; append(node) } }`.
    /// Recursion uses one stack frame per level and overflows on a million-node chain, so
    /// this one keeps its own stack: `(node, false)` means "visit the node", `(node, true)`
    /// "its inputs are done: append it".
    public func topologicalOrder() -> [Value] {
        var order: [Value] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(node: Value, inputsDone: Bool)] = [(self, false)]
        while let (node, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(node)
            } else if visited.insert(ObjectIdentifier(node)).inserted {
                stack.append((node, true))
                // Pushed right first, so the left input is visited (and listed) first.
                if let rhs = node.rhs { stack.append((rhs, false)) }
                if let lhs = node.lhs { stack.append((lhs, false)) }
            }
        }
        return order
    }
}

extension Sequence where Element == Value {
    /// Forgets the gradient of every value, for example a model's parameters.
    public func zeroGrad() {
        for value in self { value.zeroGrad() }
    }
}

/// One step of backward: a node passing its gradient on to its inputs.
public struct BackwardStep {
    /// The node whose gradient is being sent on.
    public let node: Value
    /// ∂root/∂node, the gradient that arrived at this node from above.
    public let upstream: Double

    /// What each input received: `local` is ∂node/∂input, `contribution = local × upstream`.
    public var contributions: [(input: Value, local: Double, contribution: Double)] {
        zip(node.inputs, node.localDerivatives).map { input, local in
            (input, local, local * upstream)
        }
    }
}

/// Backward, one node at a time.
///
/// ```swift
/// var pass = BackwardPass(from: loss)
/// while let step = pass.next() {
///     print(step.node.label ?? "·", step.upstream, step.contributions.map(\.contribution))
/// }
/// ```
/// Creating the pass seeds `root.grad = 1` and resets the gradients of interior nodes, so a
/// graph drawn between steps shows which nodes backward has reached.
public struct BackwardPass: IteratorProtocol, Sequence {
    /// The root of the graph.
    public let root: Value
    /// All nodes, each after its inputs; backward walks it from the end.
    public let order: [Value]
    /// How many nodes have sent their gradient on so far.
    public private(set) var stepsTaken = 0

    public init(from root: Value) {
        self.root = root
        order = root.topologicalOrder()
        for node in order where !node.isLeaf { node.grad = nil }
        // ∂root/∂root = 1.
        root.grad = (root.grad ?? 0) + 1
    }

    /// The nodes still waiting to send their gradient on, next one first.
    public var remaining: [Value] {
        order[..<(order.count - stepsTaken)].reversed()
    }

    /// Sends the next node's gradient on to its inputs, and describes what was sent.
    public mutating func next() -> BackwardStep? {
        guard stepsTaken < order.count else { return nil }
        stepsTaken += 1
        let node = order[order.count - stepsTaken]
        node.sendGradientToInputs()
        return BackwardStep(node: node, upstream: node.grad ?? 0)
    }
}
