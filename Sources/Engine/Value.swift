// Value.swift — one node of a scalar computation graph.
//
// A `Value` holds a number (`data`), the gradient that backward sends to it (`grad`), and,
// if an operation made it, that operation and its one or two inputs, each with the local
// derivative ∂self/∂input that the operation computed alongside `data`. Every primitive is
// unary or binary, so a node has two input slots rather than an array.
//
// Read next: Value+Primitives.swift (the operations, forward and derivative side by side),
// then Value+Composites.swift and Value+Backward.swift (the chain rule over the whole graph).

@_exported import Basics
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
    /// The first and second input, with ∂self/∂input for each. `var` only so that `deinit`
    /// can let go of them (see there).
    var lhs: Value?, rhs: Value?
    let dLhs: Double, dRhs: Double
    /// A stable identifier: a counter in creation order, never a memory address, so the same
    /// program numbers its nodes the same way on every run.
    public let id: Int
    /// The operation that produced this node, or `nil` for a leaf (an input or parameter).
    public let op: Op?
    private var hasGrad = false, hasLabel = false
    /// Made from a number written into a formula; see `isConstant`.
    private var isNumber = false
    /// The number of the last walk of the fast path that visited this node (Value+FastPath.swift).
    var visitMark: UInt32 = 0
    private var gradValue = 0.0
    private var storedData: Double

    /// The number this node holds. Optimizers change it in place for parameters.
    public var data: Double {
        get { storedData }
        set { storedData = newValue }
    }

    /// ∂root/∂self, written by `backward()`. `nil` means backward has not reached this node
    /// yet, which is not the same as a gradient of 0.
    public var grad: Double? {
        get { hasGrad ? gradValue : nil }
        set { (gradValue, hasGrad) = (newValue ?? 0, newValue != nil) }
    }

    /// An optional name, shown when the graph is drawn.
    public var label: String? {
        get { hasLabel ? Value.labels.withLock { $0[id] } : nil }
        set {
            Value.labels.withLock { $0[id] = newValue }
            hasLabel = newValue != nil
        }
    }

    // (Few nodes have a label, so labels live in a table by `id` instead of in every node;
    // `grad` is a number and a flag rather than a `Double?`; `data` is stored under another
    // name. All three keep a node small and its accesses unchecked at run time: W1 makes
    // 65,000 nodes a step. Docs/performance.md, "The Engine's fast path", has the figures.)
    private static let labels = Mutex<[Int: String]>([:])

    /// Whether the label table holds an entry for the node numbered `id` (for tests: a freed
    /// node must leave none behind).
    static func labelTableHasEntry(forID id: Int) -> Bool {
        labels.withLock { $0[id] != nil }
    }

    /// A leaf: a number with no history.
    public init(_ data: Double, label: String? = nil) {
        (storedData, op, id) = (data, nil, Value.nextID())
        (dLhs, dRhs) = (0, 0)
        if let label { self.label = label }
    }

    /// A leaf for a number written into a formula: a literal where a `Value` is expected (the
    /// 2 in `x * 2`, which Swift turns into a `Value` through `init(integerLiteral:)`), or a
    /// `Double` beside an operator (`x * k`). Drawings show it as a constant (`isConstant`).
    public convenience init(constant data: Double) {
        self.init(data)
        isNumber = true
    }

    /// Whether a drawing shows this node as a constant (grey, titled by its number, with no
    /// gradient row), so that a number in a formula is not taken for a weight: a leaf made by
    /// `init(constant:)` that has no label. Naming it makes it a variable again. Backward
    /// treats it as any leaf; only the picture differs.
    public var isConstant: Bool { isNumber && !hasLabel }

    /// A node made by a primitive: its value, the op, its inputs, and ∂self/∂input for each.
    init(_ data: Double, op: Op, _ lhs: Value, _ dLhs: Double, _ rhs: Value? = nil, _ dRhs: Double = 0) {
        (storedData, self.op, id) = (data, op, Value.nextID())
        (self.lhs, self.dLhs, self.rhs, self.dRhs) = (lhs, dLhs, rhs, dRhs)
    }

    /// The nodes this one was computed from, in argument order (empty for a leaf).
    public var inputs: [Value] { [lhs, rhs].compactMap { $0 } }

    /// ∂self/∂input for each of `inputs`, in the same order.
    public var localDerivatives: [Double] { Array([dLhs, dRhs].prefix(inputs.count)) }

    /// True for inputs and parameters: nodes that no operation produced.
    public var isLeaf: Bool { op == nil }

    private static let counter = Atomic<Int>(0)

    private static func nextID() -> Int {
        counter.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Frees a dead graph in a loop. Left to Swift, freeing the root of a long chain releases
    /// its input, which releases its input, and so on: one stack frame per node, and a
    /// million-node chain overflows the stack. Instead the first node to go takes every input
    /// that only it still holds onto a list, and frees them one by one.
    deinit {
        if hasLabel { Value.labels.withLock { $0[id] = nil } }
        guard lhs != nil else { return }   // a leaf, or a node already taken apart
        if Value.usesFastPath { return Value.tearDownNewestFirst(inputsOf: self) }   // Value+FastPath.swift
        var pending = [lhs, rhs].compactMap { $0 }
        (lhs, rhs) = (nil, nil)
        while var node = pending.popLast() {
            // If the list holds the last reference, take the node's inputs before it goes.
            if isKnownUniquelyReferenced(&node) {
                if let input = node.lhs { pending.append(input) }
                if let input = node.rhs { pending.append(input) }
                (node.lhs, node.rhs) = (nil, nil)
            }
        }
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
