// ExpressionNode.swift — the syntax tree of a parsed expression.
//
// Each node remembers where in the source it came from (for error carets) and its height
// (1 for a leaf), which the parser keeps below a limit so that the recursive walks over
// the tree (evaluation, printing) cannot run out of stack.
//
// Read next: ExpressionParser.swift.

import Foundation

/// The four binary operators, spelled as in the source.
public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    /// The matrix product (tensor expressions only; see ParsedExpression+Tensor.swift).
    case matmul = "@"
}

/// The functions an expression can call.
public enum ExpressionFunction: String, Sendable, Hashable, CaseIterable {
    case exp, log, tanh, sigmoid, relu, pow
    /// Tensor expressions only (ParsedExpression+Tensor.swift): more of the tensor engine's
    /// unary functions, and the reductions over all elements.
    case sqrt, abs, sin, cos, softplus, gelu, sum, mean

    /// True for the functions that only tensor expressions may call.
    public var isTensorOnly: Bool {
        switch self {
        case .exp, .log, .tanh, .sigmoid, .relu, .pow: false
        case .sqrt, .abs, .sin, .cos, .softplus, .gelu, .sum, .mean: true
        }
    }

    /// How many arguments the function takes: 2 for `pow(x, c)`, 1 for the others.
    public var argumentCount: Int { self == .pow ? 2 : 1 }

    /// The function on plain numbers, for constant exponents (`x^exp(1)`). `pow` is handled
    /// by the caller.
    func apply(_ x: Double) -> Double {
        switch self {
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .tanh: Foundation.tanh(x)
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .relu: x > 0 ? x : 0
        case .pow: x
        case .sqrt: x.squareRoot()
        case .abs: Swift.abs(x)
        case .sin: Foundation.sin(x)
        case .cos: Foundation.cos(x)
        case .softplus: Foundation.log1p(Foundation.exp(x))
        case .gelu: 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        // The sum and the mean of one number are that number.
        case .sum, .mean: x
        }
    }
}

/// One node of the syntax tree.
public struct ExpressionNode: Sendable, Equatable, CustomStringConvertible {
    public indirect enum Kind: Sendable, Equatable {
        /// A number, with its text as written (`1e-3`).
        case number(Double, text: String)
        /// A variable: a leaf of the graph.
        case variable(String)
        /// Unary minus.
        case negate(ExpressionNode)
        case binary(BinaryOperator, ExpressionNode, ExpressionNode)
        /// `base ^ exponent`; the exponent contains no variable.
        case power(base: ExpressionNode, exponent: ExpressionNode)
        /// A function call; `pow`'s second argument contains no variable.
        case call(ExpressionFunction, [ExpressionNode])
    }

    public let kind: Kind
    /// The character offset of the token that made this node: the number, the name, the
    /// operator or the function name.
    public let position: Int
    /// 1 for a number or variable, otherwise 1 + the height of the tallest child.
    public let height: Int

    init(_ kind: Kind, at position: Int) {
        self.kind = kind
        self.position = position
        self.height = 1 + (kind.children.map(\.height).max() ?? 0)
    }

    /// The node written out with every operation in parentheses.
    public var description: String {
        switch kind {
        case .number(_, let text): text
        case .variable(let name): name
        case .negate(let operand): "(-\(operand))"
        case .binary(let op, let lhs, let rhs): "(\(lhs) \(op.rawValue) \(rhs))"
        case .power(let base, let exponent): "(\(base) ^ \(exponent))"
        case .call(let function, let arguments):
            "\(function.rawValue)(\(arguments.map(\.description).joined(separator: ", ")))"
        }
    }

    /// Every use of a variable, in reading order (left to right in the source).
    func variableOccurrences() -> [(name: String, position: Int)] {
        var seen = Set<String>()
        var result: [(name: String, position: Int)] = []
        collectVariables(into: &result, seen: &seen)
        return result
    }

    private func collectVariables(into result: inout [(name: String, position: Int)], seen: inout Set<String>) {
        if case .variable(let name) = kind {
            if seen.insert(name).inserted { result.append((name, position)) }
            return
        }
        for child in kind.children {
            child.collectVariables(into: &result, seen: &seen)
        }
    }

    /// The first variable in reading order, if any (with its position).
    func firstVariable() -> (name: String, position: Int)? {
        if case .variable(let name) = kind { return (name, position) }
        for child in kind.children {
            if let found = child.firstVariable() { return found }
        }
        return nil
    }

    /// The node's value when it contains no variable; `nil` otherwise. Arithmetic as in
    /// `Double` (so 1/0 is +∞ and log(-1) is NaN: no trap).
    func constantValue() -> Double? {
        switch kind {
        case .number(let x, _):
            return x
        case .variable:
            return nil
        case .negate(let operand):
            return operand.constantValue().map { -$0 }
        case .binary(let op, let lhs, let rhs):
            guard let a = lhs.constantValue(), let b = rhs.constantValue() else { return nil }
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return a / b
            // Only reached for a constant exponent such as x^(2 @ 3): numbers as 1×1 matrices.
            case .matmul: return a * b
            }
        case .power(let base, let exponent):
            guard let b = base.constantValue(), let e = exponent.constantValue() else { return nil }
            return Foundation.pow(b, e)
        case .call(let function, let arguments):
            let values = arguments.compactMap { $0.constantValue() }
            guard values.count == arguments.count else { return nil }
            return function == .pow ? Foundation.pow(values[0], values[1]) : function.apply(values[0])
        }
    }
}

extension ExpressionNode.Kind {
    /// The sub-expressions, in reading order.
    var children: [ExpressionNode] {
        switch self {
        case .number, .variable: []
        case .negate(let operand): [operand]
        case .binary(_, let lhs, let rhs): [lhs, rhs]
        case .power(let base, let exponent): [base, exponent]
        case .call(_, let arguments): arguments
        }
    }
}
