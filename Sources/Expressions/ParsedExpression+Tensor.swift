// ParsedExpression+Tensor.swift — a syntax tree to a `Tensor` graph, for
// `lumen draw "sum(relu(x @ W + b))" --shape x=2x3,W=3x4,b=4 --seed 1`.
//
// Evaluation runs in two passes. The first infers every node's shape from the variables'
// shapes and throws a typed error, with a caret under the operator, for anything the
// tensor engine would trap on (shapes that do not broadcast, a matrix product whose inner
// extents differ, a result too large to hold). Only then does the second pass build the
// graph with the tensor engine's ops, which can no longer trap. Numbers are scalar constants
// (shape [], no gradient); each variable is one leaf labelled with its name, in `Double`.
//
// Read next: TensorShapes.swift (the --shape list), then Sources/Viz/GraphDrawing+Tensor.swift.

import Basics
import Engine
import Tensors

/// The tensor graph of an expression, ready for `backward()` or drawing.
public struct EvaluatedTensorExpression {
    /// The root of the graph: the expression's value.
    public let output: Tensor<Double>
    /// One leaf per variable, labelled with its name, in order of first appearance. Each
    /// requires a gradient.
    public let variables: [Tensor<Double>]
    /// Names that were given a shape or a value but do not appear in the expression.
    public let unusedNames: [String]

    /// The leaf of the variable `name`, if the expression uses it.
    public func variable(named name: String) -> Tensor<Double>? {
        variables.first { $0.label == name }
    }

    /// One line per unused name, for the CLI to print as a warning.
    public var warnings: [String] {
        unusedNames.map { "\($0) is given a shape or a value, but the expression does not use it" }
    }
}

extension ParsedExpression {
    /// The most elements any tensor of an expression may have (2²² doubles = 32 MiB).
    public static let maximumTensorElements = 1 << 22

    /// The most work a whole tensor expression may take: 2³⁰ (about 1.07 billion) arithmetic
    /// operations, counted before anything runs. An elementwise op or a reduction counts one
    /// per element of its input or result (whichever is larger), `@` counts its multiply-adds
    /// (the result's elements × the inner extent). Backward costs about twice the forward pass
    /// and is not counted separately. Each tensor is small by `maximumTensorElements`; this
    /// bounds a chain of many, such as forty 2048 × 2048 products (3.4 · 10¹¹ multiply-adds).
    public static let maximumWork = 1 << 30

    /// The expression's tensor graph. Each variable gets its values from:
    /// - `shapes` and `values` both: that shape, every element equal to the value;
    /// - `shapes` only: that shape, elements drawn from N(0, 1) with `SplitMix64(seed: seed)`,
    ///   variable after variable in order of first appearance (so a seed always gives the
    ///   same numbers for the same expression and shapes);
    /// - `values` only: a scalar (shape []) holding the value, which broadcasts.
    ///
    /// Throws `.unknownTensorVariable` for a variable with neither, and
    /// `.shapesDoNotBroadcast`, `.matmulShapeMismatch` or `.tensorTooLarge` at the operator
    /// whose shapes do not fit (checked before any tensor op runs, since those trap), and
    /// `.tooMuchWork` when the whole graph would take more than `workLimit` operations (see
    /// `maximumWork`).
    public func evaluateTensors(shapes: TensorShapes, values: Assignments = Assignments([:]),
                                seed: UInt64 = 0, workLimit: Int = maximumWork) throws(ExpressionError) -> EvaluatedTensorExpression {
        var shapeOf: [String: [Int]] = [:]
        for (name, position) in root.variableOccurrences() {
            if let shape = shapes[name] {
                guard let count = Self.elementCount(shape), count <= Self.maximumTensorElements else {
                    throw ExpressionError(.tensorTooLarge(shape: shape, limit: Self.maximumTensorElements),
                                          in: source, at: position)
                }
                shapeOf[name] = shape
            } else if values[name] != nil {
                shapeOf[name] = []
            } else {
                throw ExpressionError(.unknownTensorVariable(name), in: source, at: position)
            }
        }
        var work = 0
        _ = try root.inferShape(shapeOf, source: source, work: &work)
        guard work <= workLimit else {
            throw ExpressionError(.tooMuchWork(estimate: work, limit: workLimit), in: source, at: root.position)
        }

        var rng = SplitMix64(seed: seed)
        var leaves: [String: Tensor<Double>] = [:]
        var variables: [Tensor<Double>] = []
        for (name, _) in root.variableOccurrences() {
            let shape = shapeOf[name] ?? []
            let leaf: Tensor<Double>
            if let value = values[name] {
                leaf = Tensor(repeating: value, shape: shape)
            } else {
                leaf = Tensor.randomNormal(shape, using: &rng)
            }
            leaf.requiresGrad = true
            leaf.label = name
            leaves[name] = leaf
            variables.append(leaf)
        }
        let output = root.makeTensorGraph(leaves: leaves)
        let given = shapes.entries.map(\.name) + values.names.filter { shapes[$0] == nil }
        return EvaluatedTensorExpression(output: output, variables: variables,
                                         unusedNames: given.filter { leaves[$0] == nil })
    }

    /// The product of the extents, or nil when it overflows an `Int`.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            count = product
        }
        return count
    }
}

extension ExpressionNode {
    /// `@` or a tensor-only function in this tree, the first in reading order, with its position.
    func firstTensorOnly() -> (what: String, position: Int)? {
        switch kind {
        case .binary(.matmul, _, _): return ("'@'", position)
        case .call(let function, _) where function.isTensorOnly: return (function.rawValue, position)
        default: break
        }
        for child in kind.children {
            if let found = child.firstTensorOnly() { return found }
        }
        return nil
    }

    /// The shape this node will have, given each variable's shape, or the error the tensor
    /// engine would otherwise trap with. The rules are the ones Tensors applies, from Basics
    /// (ShapeRules.swift): NumPy broadcasting for + - * /, NumPy's `matmul` for @; the
    /// reductions give a scalar.
    ///
    /// Adds the node's own work to `work` (see `ParsedExpression.maximumWork`), saturating at
    /// Int.max so that no sum can overflow.
    func inferShape(_ shapes: [String: [Int]], source: String, work: inout Int) throws(ExpressionError) -> [Int] {
        let result: [Int]
        var inputCount = 0, innerExtent = 1
        switch kind {
        case .number:
            result = []
        case .variable(let name):
            result = shapes[name] ?? []
        case .negate(let operand):
            result = try operand.inferShape(shapes, source: source, work: &work)
        case .power(let base, _):
            result = try base.inferShape(shapes, source: source, work: &work)
        case .binary(let op, let lhs, let rhs):
            let a = try lhs.inferShape(shapes, source: source, work: &work)
            let b = try rhs.inferShape(shapes, source: source, work: &work)
            if op == .matmul {
                guard let shape = matmulShape(a, b) else {
                    throw ExpressionError(.matmulShapeMismatch(a, b), in: source, at: position)
                }
                result = shape
                innerExtent = a.last ?? 1
            } else {
                guard let shape = broadcastShapes(a, b) else {
                    throw ExpressionError(.shapesDoNotBroadcast(op, a, b), in: source, at: position)
                }
                result = shape
            }
        case .call(let function, let arguments):
            let x = try arguments[0].inferShape(shapes, source: source, work: &work)
            result = function == .sum || function == .mean ? [] : x
            inputCount = ParsedExpression.elementCount(x) ?? 0
        }
        guard let count = ParsedExpression.elementCount(result), count <= ParsedExpression.maximumTensorElements else {
            throw ExpressionError(.tensorTooLarge(shape: result, limit: ParsedExpression.maximumTensorElements),
                                  in: source, at: position)
        }
        // Only ops cost work (leaves and constants are given). Both factors are at most
        // maximumTensorElements (2²²) and maximumExtent (10⁵), so the product fits.
        if kind.isOperation {
            let (total, overflow) = work.addingReportingOverflow(max(count * innerExtent, inputCount))
            work = overflow ? .max : total
        }
        return result
    }

    /// The `Tensor` graph of this node. `inferShape` has accepted the tree, so no op traps.
    func makeTensorGraph(leaves: [String: Tensor<Double>]) -> Tensor<Double> {
        switch kind {
        case .number(let x, _):
            return Tensor(x)
        case .variable(let name):
            guard let leaf = leaves[name] else {
                fatalError("ExpressionNode.makeTensorGraph: no leaf for the variable '\(name)'")
            }
            return leaf
        case .negate(let operand):
            if case .number(let x, _) = operand.kind { return Tensor(-x) }
            return -operand.makeTensorGraph(leaves: leaves)
        case .binary(let op, let lhs, let rhs):
            let a = lhs.makeTensorGraph(leaves: leaves), b = rhs.makeTensorGraph(leaves: leaves)
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return a / b
            case .matmul: return a.matmul(b)
            }
        case .power(let base, let exponent):
            return base.makeTensorGraph(leaves: leaves).pow(exponent.requiredConstant)
        case .call(let function, let arguments):
            let x = arguments[0].makeTensorGraph(leaves: leaves)
            switch function {
            case .exp: return x.exp()
            case .log: return x.log()
            case .tanh: return x.tanh()
            case .sigmoid: return x.sigmoid()
            case .relu: return x.relu()
            case .pow: return x.pow(arguments[1].requiredConstant)
            case .sqrt: return x.sqrt()
            case .abs: return x.abs()
            case .sin: return x.sin()
            case .cos: return x.cos()
            case .softplus: return x.softplus()
            case .gelu: return x.gelu()
            case .sum: return x.sum()
            case .mean: return x.mean()
            }
        }
    }
}

extension ExpressionNode.Kind {
    /// Whether the node computes something: everything but a number or a variable.
    var isOperation: Bool {
        switch self {
        case .number, .variable: false
        default: true
        }
    }
}
