// Value.swift — one node of a scalar computation graph.
//
// A `Value` holds a number (`data`), the gradient that backward sends to it (`grad`), and,
// if an operation made it, that operation and its one or two inputs. Every primitive is
// unary or binary, so a node stores its inputs and their local derivatives in two fixed
// slots instead of an array: that keeps a million-node graph small and fast.
//
// Read next: Value+Primitives.swift (the operations, forward and derivative side by side),
// then Value+Backward.swift (the chain rule over the whole graph).

import Synchronization

/// A scalar that remembers how it was computed, so that gradients can flow back through it.
///
/// ```swift
/// let x: Value = 2, w: Value = -3, b: Value = 6.88
/// let y = (x * w + b).tanh()
/// y.backward()
/// print(x.grad!)   // dy/dx = w * (1 - y²)
/// ```
public final class Value {
    /// ∂root/∂self, written by `backward()`. `nil` means backward has not reached this node
    /// yet, which is not the same as a gradient of 0.
    public var grad: Double? {
        get { hasGrad ? gradValue : nil }
        set {
            gradValue = newValue ?? 0
            hasGrad = newValue != nil
        }
    }

    /// An optional name, shown when the graph is drawn.
    public var label: String? {
        get { hasLabel ? Value.labels.withLock { $0[id] } : nil }
        set {
            Value.labels.withLock { $0[id] = newValue }
            hasLabel = newValue != nil
        }
    }

    // MARK: - Stored fields
    //
    // Swift lays these out in the order they are written. W1 makes 65,000 nodes per training
    // step, so their size and order matter:
    // - 88 bytes in all, which malloc serves from 96-byte blocks. (A `Double?` grad would take
    //   16 bytes and a `String?` label 16 more: 128-byte blocks.) So `grad` is a number plus
    //   the flag `hasGrad`, and labels, which few nodes have, live in a side table (`labels`).
    // - What the graph walks read comes first, right after the reference count in the
    //   object's header: the inputs, `id` and `visitMark`. The topological sort and the
    //   teardown then touch one cache line of a node, not two.

    // The inputs and the local derivatives ∂self/∂input, filled in by the primitive that
    // created this node at the moment it computed `data`. The inputs are `var` only so that
    // `deinit` can take a long chain apart without recursion. The teardown hands them to a
    // function as `inout`, and without `@exclusivity(unchecked)` every access to them, in
    // `init` too, then costs a runtime exclusivity check (on W1: 16 M checks, a sixth of
    // its instructions). Nothing else ever writes them.
    @exclusivity(unchecked) var lhs: Value?
    @exclusivity(unchecked) var rhs: Value?

    /// A stable identifier: a counter in creation order, never a memory address, so the same
    /// program numbers its nodes the same way on every run.
    public let id: Int

    /// The operation that produced this node, or `nil` for a leaf (an input or parameter).
    public let op: Op?

    /// Whether `gradValue` holds a gradient (see `grad`).
    @exclusivity(unchecked) var hasGrad = false
    /// Whether `labels` holds a label for this node (see `label`).
    var hasLabel = false

    /// Marks nodes as visited during one graph walk (see `topologicalOrder()`), which is
    /// much cheaper than a `Set` of a million object identifiers.
    @exclusivity(unchecked) var visitMark: UInt32 = 0

    @exclusivity(unchecked) var gradValue: Double = 0
    let dLhs: Double
    let dRhs: Double

    /// The number this node holds. Optimizers change it in place for parameters.
    @exclusivity(unchecked) public var data: Double


    /// A leaf: a number with no history.
    public init(_ data: Double, label: String? = nil) {
        self.id = Value.makeID()
        self.data = data
        self.op = nil
        self.dLhs = 0
        self.dRhs = 0
        if let label { self.label = label }
    }

    /// A node made by a primitive: its value, the op, its inputs, and ∂self/∂input for each.
    init(_ data: Double, op: Op, _ lhs: Value, _ dLhs: Double, _ rhs: Value? = nil, _ dRhs: Double = 0) {
        self.id = Value.makeID()
        self.data = data
        self.op = op
        self.lhs = lhs
        self.dLhs = dLhs
        self.rhs = rhs
        self.dRhs = dRhs
    }

    /// The nodes this one was computed from, in argument order (empty for a leaf).
    public var inputs: [Value] {
        switch (lhs, rhs) {
        case let (l?, r?): return [l, r]
        case let (l?, nil): return [l]
        default: return []
        }
    }

    /// ∂self/∂input for each of `inputs`, in the same order.
    public var localDerivatives: [Double] {
        switch (lhs, rhs) {
        case (_?, _?): return [dLhs, dRhs]
        case (_?, nil): return [dLhs]
        default: return []
        }
    }

    /// True for inputs and parameters: nodes that no operation produced.
    public var isLeaf: Bool { op == nil }

    // MARK: - Identity

    private static let counter = Atomic<Int>(0)

    private static func makeID() -> Int {
        counter.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// The labels of the nodes that have one, by `id`. A node removes its entry in `deinit`.
    private static let labels = Mutex<[Int: String]>([:])

    /// Whether the side table holds a label for the node numbered `id` (for tests: a freed
    /// node must leave no entry behind).
    static func hasLabelEntry(forID id: Int) -> Bool {
        labels.withLock { $0[id] != nil }
    }

    // MARK: - Tear-down without recursion

    /// Releasing the root of a long chain would otherwise release its input, which releases
    /// its input, and so on: one stack frame per node, and a million-node chain overflows
    /// the stack. Instead, the first node to go frees every input that only it still holds,
    /// in a loop (Value+Teardown.swift).
    deinit {
        if hasLabel { Value.labels.withLock { _ = $0.removeValue(forKey: id) } }
        guard lhs != nil else { return }  // a leaf, or a node already taken apart
        Value.tearDown(inputsOf: self)
    }
}

extension Value: CustomStringConvertible {
    public var description: String {
        let gradText = grad.map { "\($0)" } ?? "—"
        return "Value(\(label.map { "\($0) = " } ?? "")\(data), grad: \(gradText))"
    }
}

/// The primitive operations. Each has one forward and one local derivative, written side by
/// side in Value+Primitives.swift; every other operation is composed from these.
public enum Op: Hashable, Sendable {
    case add
    case mul
    /// `x^exponent` with a constant exponent.
    case pow(Double)
    case exp
    case log
    case tanh
    case sigmoid
    case relu

    /// A short symbol for drawings and step-by-step printouts.
    public var symbol: String {
        switch self {
        case .add: "+"
        case .mul: "×"
        case .pow(let exponent): "^\(Op.format(exponent))"
        case .exp: "exp"
        case .log: "log"
        case .tanh: "tanh"
        case .sigmoid: "σ"
        case .relu: "relu"
        }
    }

    /// The op's name in plain ASCII, as used in expressions and test names.
    public var name: String {
        switch self {
        case .add: "add"
        case .mul: "mul"
        case .pow: "pow"
        case .exp: "exp"
        case .log: "log"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .relu: "relu"
        }
    }

    private static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
