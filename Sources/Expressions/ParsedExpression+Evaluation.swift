// ParsedExpression+Evaluation.swift — a syntax tree to a `Value` graph.
//
// Each variable becomes one labelled leaf (label = its name), made before anything else in
// order of first appearance, so a variable used twice is one node whose gradient collects
// both uses. Each number becomes an unlabelled constant leaf; a minus sign written directly
// before a number makes a negative constant ("-3"), any other minus is the engine's
// composite -a = a·(-1). Subtraction and division are the engine's composites too, so the
// graph shows the primitives: a - b draws as a × node (by -1) and a + node.
//
// Read next: Assignments.swift (the values) and ExpressionError.swift (the messages).

import Engine

/// The graph of an expression, ready for `backward()` or drawing.
public struct EvaluatedExpression {
    /// The root of the graph: the expression's value.
    public let output: Value
    /// One leaf per variable, labelled with its name, in order of first appearance.
    public let variables: [Value]
    /// Names that were given a value but do not appear in the expression, in the order given.
    public let unusedNames: [String]

    /// The leaf of the variable `name`, if the expression uses it.
    public func variable(named name: String) -> Value? {
        variables.first { $0.label == name }
    }

    /// One line per unused name, for the CLI to print as a warning (not an error: the graph
    /// is complete, but a typo such as `--set W=3` for `w` usually shows up here).
    public var warnings: [String] {
        unusedNames.map { "\($0) is given a value, but the expression does not use it" }
    }
}

extension ParsedExpression {
    /// The expression's graph with the variables set from `assignments` (for example the
    /// parsed `--set x=2,w=-3,b=6.88`).
    ///
    /// Throws `.unknownVariable` at the first use of the first variable without a value.
    /// Extra names are not an error; they are listed in `unusedNames` and `warnings`.
    public func evaluate(_ assignments: Assignments) throws(ExpressionError) -> EvaluatedExpression {
        var values: [String: Double] = [:]
        for entry in assignments.entries {
            values[entry.name] = entry.value
        }
        return try evaluate(values, givenOrder: assignments.entries.map(\.name))
    }

    /// The expression's graph with the variables set from a dictionary. Unused names are
    /// listed in alphabetical order.
    public func evaluate(_ values: [String: Double]) throws(ExpressionError) -> EvaluatedExpression {
        try evaluate(values, givenOrder: values.keys.sorted())
    }

    private func evaluate(_ values: [String: Double], givenOrder: [String]) throws(ExpressionError) -> EvaluatedExpression {
        if let (what, position) = root.firstTensorOnly() {
            throw ExpressionError(.tensorOnly(what), in: source, at: position)
        }
        var leaves: [String: Value] = [:]
        var variables: [Value] = []
        for (name, position) in root.variableOccurrences() {
            guard let value = values[name] else {
                throw ExpressionError(.unknownVariable(name), in: source, at: position)
            }
            let leaf = Value(value, label: name)
            leaves[name] = leaf
            variables.append(leaf)
        }
        let output = root.makeGraph(leaves: leaves)
        let unused = givenOrder.filter { leaves[$0] == nil }
        return EvaluatedExpression(output: output, variables: variables, unusedNames: unused)
    }
}

extension ExpressionNode {
    /// The `Value` graph of this node. `leaves` holds every variable the node uses, and
    /// exponents are constant: the parser guarantees both.
    func makeGraph(leaves: [String: Value]) -> Value {
        switch kind {
        case .number(let x, _):
            return Value(x)
        case .variable(let name):
            guard let leaf = leaves[name] else {
                fatalError("ExpressionNode.makeGraph: no leaf for the variable '\(name)'")
            }
            return leaf
        case .negate(let operand):
            if case .number(let x, _) = operand.kind { return Value(-x) }
            return -operand.makeGraph(leaves: leaves)
        case .binary(let op, let lhs, let rhs):
            let a = lhs.makeGraph(leaves: leaves), b = rhs.makeGraph(leaves: leaves)
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return a / b
            case .matmul: fatalError("ExpressionNode.makeGraph: '@' in a scalar expression")
            }
        case .power(let base, let exponent):
            return base.makeGraph(leaves: leaves).pow(exponent.requiredConstant)
        case .call(let function, let arguments):
            let x = arguments[0].makeGraph(leaves: leaves)
            switch function {
            case .exp: return x.exp()
            case .log: return x.log()
            case .tanh: return x.tanh()
            case .sigmoid: return x.sigmoid()
            case .relu: return x.relu()
            case .pow: return x.pow(arguments[1].requiredConstant)
            case .sqrt, .abs, .sin, .cos, .softplus, .gelu, .sum, .mean:
                fatalError("ExpressionNode.makeGraph: \(function.rawValue) in a scalar expression")
            }
        }
    }

    /// The value of an exponent the parser has already checked is constant.
    var requiredConstant: Double {
        guard let value = constantValue() else {
            fatalError("ExpressionNode.makeGraph: the exponent \(self) is not constant")
        }
        return value
    }
}
