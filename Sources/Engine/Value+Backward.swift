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
        while pass.advance() != nil {}
        pass.giveBackOrder()
    }

    /// The chain rule at one node: each input receives `∂self/∂input × ∂root/∂self`.
    ///
    /// `+=`, not `=`: an input used twice (as in `x * x`, or by two different nodes)
    /// collects a contribution along every path. Writing `=` here is the classic bug.
    @inline(__always)
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
    /// This is an iterative depth-first search with an explicit stack. The textbook version
    /// is recursive (`visit(node) { for input in node.inputs { visit(input) }; append(node) }`),
    /// but recursion uses one stack frame per level and overflows on a million-node chain.
    public func topologicalOrder() -> [Value] {
        let order = unretainedTopologicalOrder()
        defer { WalkBuffers.giveBack(order: order) }
        return order.map { $0.takeUnretainedValue() }
    }

    /// `topologicalOrder()` without reference counting, for speed: the references are valid
    /// only while `self` is alive, since `self` is what keeps the graph alive.
    ///
    /// With `clearingInteriorGradients`, each node that an op made gets `grad = nil` as it is
    /// visited: what `BackwardPass` needs, done here so that it costs no second pass over a
    /// graph that may be far larger than the CPU's caches.
    func unretainedTopologicalOrder(clearingInteriorGradients: Bool = false) -> [Unmanaged<Value>] {
        let mark = Value.newVisitMark()
        var (order, stack) = WalkBuffers.take()
        // (node, true) means "all inputs are done: append the node".
        stack.append((.passUnretained(self), false))
        while let (entry, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(entry)
                continue
            }
            entry._withUnsafeGuaranteedRef { node in
                guard node.visitMark != mark else { return }
                node.visitMark = mark
                if clearingInteriorGradients && !node.isLeaf { node.grad = nil }
                stack.append((entry, true))
                // Pushed right first, so the left input is visited (and listed) first.
                if let rhs = node.unretainedRhs, rhs._withUnsafeGuaranteedRef({ $0.visitMark != mark }) { stack.append((rhs, false)) }
                if let lhs = node.unretainedLhs, lhs._withUnsafeGuaranteedRef({ $0.visitMark != mark }) { stack.append((lhs, false)) }
            }
        }
        WalkBuffers.giveBack(stack: stack)
        return order
    }

    /// The inputs as unretained references: `self` keeps them alive.
    @inline(__always) var unretainedLhs: Unmanaged<Value>? { unsafeBitCast(lhs, to: Unmanaged<Value>?.self) }
    @inline(__always) var unretainedRhs: Unmanaged<Value>? { unsafeBitCast(rhs, to: Unmanaged<Value>?.self) }

    private static let visitCounter = Atomic<UInt32>(0)

    private static func newVisitMark() -> UInt32 {
        // 0 is the "never visited" mark of a new node, so skip it if the counter wraps.
        let mark = visitCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return mark == 0 ? newVisitMark() : mark
    }
}

/// The topological walk's two arrays (the order it returns and its stack), kept from one walk
/// to the next so that the next walk of a graph that size finds them allocated.
///
/// Why: W1 walks a 65,818-node graph every step. Built from empty, the order grows by doubling
/// to 1 MB, and each block above glibc's mmap threshold is fresh memory from the kernel: 384
/// page faults and 1.5 MB of copying per step, 8% of W1's time (perf, quiet machine), gone
/// once the arrays are reused.
///
/// A walk takes the spare arrays (or, if another thread's walk has them, starts from empty
/// ones), and `backward()` and `topologicalOrder()` give them back when done. Only arrays
/// of at most `largestKept` entries (2¹⁸: 2 MB of order, 4 MB of stack; W1 needs 65,818)
/// are kept, so that one huge graph (W2's million nodes) does not hold on to its memory for
/// the rest of the program.
enum WalkBuffers {
    typealias Order = [Unmanaged<Value>]
    typealias Stack = [(node: Unmanaged<Value>, inputsDone: Bool)]

    private static let spare = Mutex<(order: Order, stack: Stack)>(([], []))
    static let largestKept = 1 << 18

    /// The spare arrays, emptied, with their capacity.
    static func take() -> (order: Order, stack: Stack) {
        var buffers: (order: Order, stack: Stack) = ([], [])
        spare.withLock { swap(&$0, &buffers) }
        buffers.order.removeAll(keepingCapacity: true)
        buffers.stack.removeAll(keepingCapacity: true)
        return buffers
    }

    /// Keeps `order`'s storage for the next walk, if it is larger than the spare one. Call it
    /// once nothing reads `order` any more.
    static func giveBack(order: Order) {
        guard order.capacity <= largestKept else { return }
        spare.withLock { if $0.order.capacity < order.capacity { $0.order = order } }
    }

    /// The same for the walk's stack.
    static func giveBack(stack: Stack) {
        guard stack.capacity <= largestKept else { return }
        spare.withLock { if $0.stack.capacity < stack.capacity { $0.stack = stack } }
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
    /// The root, held so that every node in `nodes` stays alive.
    public let root: Value
    private let nodes: [Unmanaged<Value>]
    /// How many nodes have sent their gradient on so far.
    public private(set) var stepsTaken = 0

    public init(from root: Value) {
        self.root = root
        nodes = root.unretainedTopologicalOrder(clearingInteriorGradients: true)
        // ∂root/∂root = 1.
        root.grad = (root.grad ?? 0) + 1
    }

    /// All nodes, each after its inputs; backward walks it from the end.
    public var order: [Value] { nodes.map { $0.takeUnretainedValue() } }

    /// The nodes still waiting to send their gradient on, next one first.
    public var remaining: [Value] {
        nodes[..<(nodes.count - stepsTaken)].reversed().map { $0.takeUnretainedValue() }
    }

    /// Sends the next node's gradient on to its inputs, and describes what was sent.
    public mutating func next() -> BackwardStep? {
        guard let node = advance()?.takeUnretainedValue() else { return nil }
        return BackwardStep(node: node, upstream: node.grad ?? 0)
    }

    /// The step itself, shared by `next()` and `backward()`: the next node sends its gradient
    /// on to its inputs. Returns that node (unretained: `root` keeps it alive), or `nil` when
    /// every node has had its turn. `backward()` calls this directly, which spares it making
    /// a `BackwardStep` (and retaining its node) for every node of the graph.
    mutating func advance() -> Unmanaged<Value>? {
        guard stepsTaken < nodes.count else { return nil }
        stepsTaken += 1
        let node = nodes[nodes.count - stepsTaken]
        node._withUnsafeGuaranteedRef { $0.sendGradientToInputs() }
        return node
    }

    /// For `backward()`, at the end: the order's storage goes back to `WalkBuffers` for the
    /// next walk.
    fileprivate consuming func giveBackOrder() {
        WalkBuffers.giveBack(order: nodes)
    }
}
