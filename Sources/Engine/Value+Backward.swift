// Value+Backward.swift — reverse-mode differentiation: the chain rule over a whole graph.
//
// Backward visits every node after all the nodes that use it (reverse topological order),
// and each node sends `local derivative × its own gradient` to each of its inputs. That one
// sentence is `sendGradientToInputs()`. `backward()` runs it for every node at once;
// `BackwardPass` runs it one node per `next()` call, so a lesson can show each step. Both
// go through the same function, so what a learner steps through is what training runs.
//
// Read next: GradientCheck.swift, which checks this against finite differences.

import Synchronization

extension Value {
    /// Computes ∂self/∂node for every node that `self` depends on, storing it in `grad`.
    ///
    /// Leaves (inputs and parameters) *accumulate*: a second `backward()` adds to their
    /// gradients, as in PyTorch, so call `zeroGrad()` between training steps. Interior nodes
    /// are reset at the start of each pass.
    public func backward() {
        var pass = BackwardPass(from: self)
        while pass.next() != nil {}
    }

    /// The chain rule at one node: each input receives `∂self/∂input × ∂root/∂self`.
    ///
    /// `+=`, not `=`: an input used twice (as in `x * x`, or by two different nodes)
    /// collects a contribution along every path. Writing `=` here is the classic bug.
    @inline(__always)
    func sendGradientToInputs() -> BackwardStep {
        let upstream = grad ?? 0
        if let lhs { lhs.grad = (lhs.grad ?? 0) + dLhs * upstream }
        if let rhs { rhs.grad = (rhs.grad ?? 0) + dRhs * upstream }
        return BackwardStep(node: self, upstream: upstream)
    }

    /// Forgets this node's gradient, so that it reads as "not reached" (`nil`).
    public func zeroGrad() {
        grad = nil
    }

    /// Every node `self` depends on, each after all of its inputs, ending with `self`.
    ///
    /// This is an iterative depth-first search with an explicit stack. The textbook version
    /// is recursive (`visit(node) { for input in node.inputs { visit(input) }; append(node) }`),
    /// but recursion uses one stack frame per level and overflows on a million-node chain.
    public func topologicalOrder() -> [Value] {
        let mark = Value.newVisitMark()
        var order: [Value] = []
        // (node, true) means "all inputs are done: append the node". The stack holds
        // unretained references: every node on it is kept alive by `self`, which we hold.
        var stack: [(node: Unmanaged<Value>, inputsDone: Bool)] = [(.passUnretained(self), false)]
        while let (entry, inputsDone) = stack.popLast() {
            let node = entry.takeUnretainedValue()
            if inputsDone {
                order.append(node)
                continue
            }
            if node.visitMark == mark { continue }
            node.visitMark = mark
            stack.append((entry, true))
            // Pushed right first, so the left input is visited (and listed) first.
            if let rhs = node.rhs, rhs.visitMark != mark { stack.append((.passUnretained(rhs), false)) }
            if let lhs = node.lhs, lhs.visitMark != mark { stack.append((.passUnretained(lhs), false)) }
        }
        return order
    }

    private static let visitCounter = Atomic<UInt32>(0)

    private static func newVisitMark() -> UInt32 {
        // 0 is the "never visited" mark of a new node, so skip it if the counter wraps.
        let mark = visitCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return mark == 0 ? newVisitMark() : mark
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
    /// All nodes, each after its inputs; backward walks it from the end.
    public let order: [Value]
    /// How many nodes have sent their gradient on so far.
    public private(set) var stepsTaken = 0

    public init(from root: Value) {
        order = root.topologicalOrder()
        for node in order where !node.isLeaf { node.grad = nil }
        // ∂root/∂root = 1.
        root.grad = (root.grad ?? 0) + 1
    }

    /// The nodes still waiting to send their gradient on, next one first.
    public var remaining: [Value] {
        Array(order[..<(order.count - stepsTaken)].reversed())
    }

    public mutating func next() -> BackwardStep? {
        guard stepsTaken < order.count else { return nil }
        stepsTaken += 1
        return order[order.count - stepsTaken].sendGradientToInputs()
    }
}
