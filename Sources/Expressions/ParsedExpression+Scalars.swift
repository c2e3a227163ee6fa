// ParsedExpression+Scalars.swift — a tensor expression rebuilt out of scalar `Value`s: the
// bridge from lesson 5 (one number per node) to lesson 6 (one tensor per node).
//
// Every tensor becomes a grid of `Value`s; `+ - * /` pair elements up as broadcasting says,
// `@` is a sum of products per output element, `sum` and `mean` add every element. The
// leaves take their numbers from the tensor graph's leaves, so both graphs compute the same
// thing and backward gives the same gradients, element by element (ExpressionsTests checks).
// Only small expressions are worth drawing this way: the expansion stops at a node limit.
//
// Read next: Sources/Viz/GraphDrawing+Value.swift (how the scalar graph is drawn).

import Engine
import Tensors

/// Why a tensor expression was not rebuilt from scalars.
public enum ScalarExpansionError: Error, Equatable, CustomStringConvertible {
    /// It needs more than `limit` scalar nodes.
    case tooManyNodes(limit: Int)
    /// It uses a function scalar `Value`s do not have.
    case unsupported(String)

    public var description: String {
        switch self {
        case .tooManyNodes(let limit):
            "as scalars this expression needs more than \(limit) nodes, too many to draw one by one: use smaller shapes"
        case .unsupported(let what):
            "\(what) has no scalar form in Lumen's Value; --as-scalars supports + - * / @ ^, exp, log, tanh, sigmoid, relu, sqrt, pow, sum and mean"
        }
    }
}

/// A tensor made of scalar `Value`s: a shape and its elements in row-major order.
struct ScalarGrid {
    var shape: [Int]
    var elements: [Value]
}

extension EvaluatedTensorExpression {
    /// The most scalar nodes `asScalars` builds.
    public static let maximumScalarNodes = 300

    /// The same computation as `output`, built from scalar `Value`s whose leaves hold the
    /// numbers of `variables` (labelled `x[0,1]` for element [0, 1] of x). Returns the root
    /// (the sum of the output's elements, when it has more than one, as `lumen draw`
    /// differentiates) and the leaves of each variable, in row-major order.
    public func asScalars(of expression: ParsedExpression, limit: Int = maximumScalarNodes)
        throws(ScalarExpansionError) -> (root: Value, leaves: [String: [Value]])
    {
        var budget = Budget(limit: limit)
        var leaves: [String: ScalarGrid] = [:]
        var leafValues: [String: [Value]] = [:]
        for variable in variables {
            let name = variable.label ?? "?"
            let shape = variable.shape
            let values = variable.scalars.enumerated().map { index, x in
                Value(x, label: shape.isEmpty ? name : "\(name)[\(Self.indexText(index, shape))]")
            }
            try budget.spend(values.count)
            leaves[name] = ScalarGrid(shape: shape, elements: values)
            leafValues[name] = values
        }
        var root = try expression.root.scalarGraph(leaves: leaves, budget: &budget)
        if root.elements.count != 1 {
            try budget.spend(root.elements.count)
            root = ScalarGrid(shape: [], elements: [Self.total(root.elements)])
        }
        return (root.elements[0], leafValues)
    }

    /// "1,2" for element 5 of shape [2, 3].
    static func indexText(_ index: Int, _ shape: [Int]) -> String {
        var rest = index
        var parts: [Int] = []
        for extent in shape.reversed() {
            parts.append(rest % extent)
            rest /= extent
        }
        return parts.reversed().map(String.init).joined(separator: ",")
    }

    /// a₀ + a₁ + … left to right.
    static func total(_ values: [Value]) -> Value {
        values.dropFirst().reduce(values[0]) { $0 + $1 }
    }
}

/// Counts the nodes made so far and stops at the limit.
struct Budget {
    let limit: Int
    var used = 0
    mutating func spend(_ count: Int) throws(ScalarExpansionError) {
        used += count
        if used > limit { throw .tooManyNodes(limit: limit) }
    }
}

extension ExpressionNode {
    /// This node as a grid of `Value`s. Shapes were checked when the tensor graph was built.
    func scalarGraph(leaves: [String: ScalarGrid], budget: inout Budget) throws(ScalarExpansionError) -> ScalarGrid {
        switch kind {
        case .number(let x, _):
            try budget.spend(1)
            return ScalarGrid(shape: [], elements: [Value(x)])
        case .variable(let name):
            return leaves[name]!
        case .negate(let operand):
            let x = try operand.scalarGraph(leaves: leaves, budget: &budget)
            try budget.spend(x.elements.count)
            return ScalarGrid(shape: x.shape, elements: x.elements.map { -$0 })
        case .binary(let op, let lhs, let rhs):
            let a = try lhs.scalarGraph(leaves: leaves, budget: &budget)
            let b = try rhs.scalarGraph(leaves: leaves, budget: &budget)
            if op == .matmul { return try Self.matmul(a, b, budget: &budget) }
            return try Self.broadcast(a, b, budget: &budget) { x, y in
                switch op {
                case .add: x + y
                case .subtract: x - y
                case .multiply: x * y
                case .divide: x / y
                case .matmul: fatalError("handled above")
                }
            }
        case .power(let base, let exponent):
            let x = try base.scalarGraph(leaves: leaves, budget: &budget)
            let n = exponent.requiredConstant
            try budget.spend(x.elements.count)
            return ScalarGrid(shape: x.shape, elements: x.elements.map { $0.pow(n) })
        case .call(let function, let arguments):
            let x = try arguments[0].scalarGraph(leaves: leaves, budget: &budget)
            let map: (Value) -> Value
            switch function {
            case .exp: map = { $0.exp() }
            case .log: map = { $0.log() }
            case .tanh: map = { $0.tanh() }
            case .sigmoid: map = { $0.sigmoid() }
            case .relu: map = { $0.relu() }
            case .sqrt: map = { $0.pow(0.5) }
            case .pow:
                let n = arguments[1].requiredConstant
                map = { $0.pow(n) }
            case .sum, .mean:
                try budget.spend(x.elements.count + (function == .mean ? 2 : 0))
                let total = EvaluatedTensorExpression.total(x.elements)
                return ScalarGrid(shape: [], elements: [function == .sum ? total : total * Value(1 / Double(x.elements.count))])
            case .abs, .sin, .cos, .softplus, .gelu:
                throw .unsupported(function.rawValue)
            }
            try budget.spend(x.elements.count)
            return ScalarGrid(shape: x.shape, elements: x.elements.map(map))
        }
    }

    /// An elementwise op under NumPy broadcasting: shapes aligned at the right, an extent of 1
    /// (or a missing axis) repeated to match the other.
    static func broadcast(_ a: ScalarGrid, _ b: ScalarGrid, budget: inout Budget,
                          _ op: (Value, Value) -> Value) throws(ScalarExpansionError) -> ScalarGrid {
        let rank = max(a.shape.count, b.shape.count)
        let sa = Array(repeating: 1, count: rank - a.shape.count) + a.shape
        let sb = Array(repeating: 1, count: rank - b.shape.count) + b.shape
        let shape = zip(sa, sb).map { max($0, $1) }
        let count = shape.reduce(1, *)
        try budget.spend(count)
        var elements: [Value] = []
        elements.reserveCapacity(count)
        for index in 0..<count {
            // The output index, axis by axis, then each input's flat index (0 on a broadcast axis).
            var rest = index, ia = 0, ib = 0, strideA = 1, strideB = 1
            for axis in (0..<rank).reversed() {
                let i = rest % shape[axis]
                rest /= shape[axis]
                if sa[axis] != 1 { ia += i * strideA }
                if sb[axis] != 1 { ib += i * strideB }
                strideA *= sa[axis]
                strideB *= sb[axis]
            }
            elements.append(op(a.elements[ia], b.elements[ib]))
        }
        return ScalarGrid(shape: shape, elements: elements)
    }

    /// a @ b for vectors and matrices: out[i][j] = Σₖ a[i][k]·b[k][j] (a vector is a row on the
    /// left and a column on the right, and that axis is dropped from the result, as in NumPy).
    static func matmul(_ a: ScalarGrid, _ b: ScalarGrid, budget: inout Budget) throws(ScalarExpansionError) -> ScalarGrid {
        guard a.shape.count <= 2, b.shape.count <= 2, !a.shape.isEmpty, !b.shape.isEmpty else {
            throw .unsupported("@ on tensors of rank 3 or more")
        }
        let (m, k) = a.shape.count == 2 ? (a.shape[0], a.shape[1]) : (1, a.shape[0])
        let n = b.shape.count == 2 ? b.shape[1] : 1
        try budget.spend(m * n * (2 * k - 1))
        var elements: [Value] = []
        for i in 0..<m {
            for j in 0..<n {
                let products = (0..<k).map { p in a.elements[i * k + p] * b.elements[p * n + j] }
                elements.append(EvaluatedTensorExpression.total(products))
            }
        }
        var shape: [Int] = []
        if a.shape.count == 2 { shape.append(m) }
        if b.shape.count == 2 { shape.append(n) }
        return ScalarGrid(shape: shape, elements: elements)
    }
}
