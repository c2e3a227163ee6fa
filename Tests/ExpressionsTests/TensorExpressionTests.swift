// TensorExpressionTests.swift — tensor expressions: `@`, reductions, shape inference, --shape.
//
// Values are checked against plain Double loops written here; gradients against hand
// derivations (in the comments) and central finite differences.

import Engine
import Foundation
import Tensors
import Testing
@testable import Expressions

@Suite struct TensorExpressionTests {
    @Test func atBindsLikeTimesAndTheNewFunctionsParse() throws {
        let parsed = try ParsedExpression(parsing: "sum(relu(x @ W + b)) * 2 @ y", tensorSyntax: true)
        #expect(parsed.description == "((sum(relu(((x @ W) + b))) * 2) @ y)")
        #expect(parsed.variableNames == ["x", "W", "b", "y"])
        for name in ["sqrt", "abs", "sin", "cos", "softplus", "gelu", "sum", "mean"] {
            #expect(throws: Never.self) { try ParsedExpression(parsing: "\(name)(x)", tensorSyntax: true) }
        }
    }

    @Test func scalarExpressionsAreUnchanged() throws {
        // Without tensorSyntax, @ is still an unknown character and sum an unknown function.
        #expect(throws: ExpressionError(.unexpectedCharacter("@"), in: "x @ y", at: 2)) {
            try ParsedExpression(parsing: "x @ y")
        }
        #expect(ExpressionError(.unexpectedCharacter("@"), in: "x @ y", at: 2).reason
            == "'@' multiplies tensors: give the variables shapes with --shape, as in --shape x=2x3,W=3x4")
        #expect(throws: ExpressionError(.unknownFunction("sum", suggestion: nil), in: "sum(x)", at: 0)) {
            try ParsedExpression(parsing: "sum(x)")
        }
        // A tensor-only name is an ordinary variable in a scalar expression.
        let graph = try ParsedExpression(parsing: "sum * 2").evaluate(Assignments(parsing: "sum=3"))
        #expect(graph.output.data == 6)
        // A tensor expression evaluated on scalars is refused, not trapped on.
        let tensorOnly = try ParsedExpression(parsing: "x * mean(x)", tensorSyntax: true)
        #expect(throws: ExpressionError(.tensorOnly("mean"), in: "x * mean(x)", at: 4)) {
            try tensorOnly.evaluate(["x": 1])
        }
    }

    @Test func mlpValueAndGradientsMatchPlainLoops() throws {
        let parsed = try ParsedExpression(parsing: "sum(relu(x @ W + b))", tensorSyntax: true)
        let graph = try parsed.evaluateTensors(shapes: TensorShapes(parsing: "x=2x3, W=3x4, b=4"), seed: 7)
        #expect(graph.variables.map(\.label) == ["x", "W", "b"])
        #expect(graph.variables.map(\.shape) == [[2, 3], [3, 4], [4]])
        let x = graph.variables[0].scalars, w = graph.variables[1].scalars, b = graph.variables[2].scalars

        // h[i][j] = Σₖ x[i][k]·W[k][j] + b[j];  loss = Σ relu(h);
        // ∂loss/∂b[j] = Σᵢ [h[i][j] > 0];  ∂loss/∂W[k][j] = Σᵢ x[i][k]·[h[i][j] > 0].
        var loss = 0.0
        var db = [Double](repeating: 0, count: 4), dw = [Double](repeating: 0, count: 12)
        for i in 0..<2 {
            for j in 0..<4 {
                var h = b[j]
                for k in 0..<3 { h += x[i * 3 + k] * w[k * 4 + j] }
                if h > 0 {
                    loss += h
                    db[j] += 1
                    for k in 0..<3 { dw[k * 4 + j] += x[i * 3 + k] }
                }
            }
        }
        #expect(Swift.abs(graph.output.item() - loss) < 1e-12)
        graph.output.backward()
        #expect(graph.variables[2].grad!.scalars == db)
        for (got, want) in zip(graph.variables[1].grad!.scalars, dw) { #expect(Swift.abs(got - want) < 1e-12) }
    }

    @Test func theSeedFixesTheValues() throws {
        let parsed = try ParsedExpression(parsing: "mean(x * y)", tensorSyntax: true)
        let shapes = try TensorShapes(parsing: "x=5,y=5")
        let a = try parsed.evaluateTensors(shapes: shapes, seed: 3)
        let b = try parsed.evaluateTensors(shapes: shapes, seed: 3)
        let c = try parsed.evaluateTensors(shapes: shapes, seed: 4)
        #expect(a.variables[0].scalars == b.variables[0].scalars)
        #expect(a.variables[1].scalars == b.variables[1].scalars)
        #expect(a.variables[0].scalars != c.variables[0].scalars)
        // x's values are the first five draws of SplitMix64(seed: 3), y's the next five.
        var rng = SplitMix64(seed: 3)
        let draws = (0..<10).map { _ in rng.nextGaussian() }
        #expect(a.variables[0].scalars == Array(draws[0..<5]))
        #expect(a.variables[1].scalars == Array(draws[5..<10]))
    }

    @Test func givenValuesFillTheShapeOrMakeAScalar() throws {
        // mean(x @ v) * c with x = 2×3 of 1s, v = [2, 2, 2] and c = 10:
        // x @ v = [6, 6], mean 6, times 10 = 60;  ∂/∂c = 6;  ∂/∂v[k] = 10·Σᵢ x[i][k]/2 = 10.
        let parsed = try ParsedExpression(parsing: "mean(x @ v) * c", tensorSyntax: true)
        let graph = try parsed.evaluateTensors(
            shapes: TensorShapes(parsing: "x=2x3,v=3"), values: Assignments(parsing: "x=1,v=2,c=10,unused=1"))
        #expect(graph.output.item() == 60)
        #expect(graph.variable(named: "c")!.shape == [])
        #expect(graph.unusedNames == ["unused"])
        graph.output.backward()
        #expect(graph.variable(named: "c")!.grad!.item() == 6)
        #expect(graph.variable(named: "v")!.grad!.scalars == [10, 10, 10])
    }

    @Test func unaryFunctionsMatchFiniteDifferences() throws {
        let parsed = try ParsedExpression(
            parsing: "sum(sqrt(abs(x) + 1) + sin(x) * cos(x) + softplus(x) - gelu(x) / 3 + exp(x)^2 + tanh(x) + sigmoid(x) + pow(x, 2) + log(x^2 + 1))",
            tensorSyntax: true)
        let graph = try parsed.evaluateTensors(shapes: TensorShapes(parsing: "x=2x2"), seed: 11)
        let x = graph.variables[0]
        graph.output.backward()
        let analytic = x.grad!.scalars
        let h = 1e-6
        for index in 0..<4 {
            // The forward at other elements: the same tree over a new leaf.
            func forward(_ elements: [Double]) -> Double {
                let leaf = try! Tensor<Double>(shape: [2, 2], elements: elements)
                leaf.label = "x"
                return withoutGradients { parsed.root.makeTensorGraph(leaves: ["x": leaf]).item() }
            }
            var plus = x.scalars, minus = x.scalars
            plus[index] += h
            minus[index] -= h
            let numeric = (forward(plus) - forward(minus)) / (2 * h)
            #expect(Swift.abs(numeric - analytic[index]) < 1e-5 * Swift.max(1, Swift.abs(numeric)))
        }
    }

    @Test func shapeErrorsPointAtTheOperator() throws {
        func error(_ text: String, _ shapes: String) throws -> ExpressionError? {
            let parsed = try ParsedExpression(parsing: text, tensorSyntax: true)
            do {
                _ = try parsed.evaluateTensors(shapes: TensorShapes(parsing: shapes))
                return nil
            } catch {
                return error
            }
        }
        #expect(try error("x @ W", "x=2x3,W=4x5")?.kind == .matmulShapeMismatch([2, 3], [4, 5]))
        #expect(try error("x @ W", "x=2x3,W=4x5")?.position == 2)
        #expect(try error("1 + x * y", "x=2x3,y=2")?.kind == .shapesDoNotBroadcast(.multiply, [2, 3], [2]))
        #expect(try error("1 + x * y", "x=2x3,y=2")?.position == 6)
        #expect(try error("sum(x) @ y", "x=3,y=3")?.kind == .matmulShapeMismatch([], [3]))
        #expect(try error("x @ y", "x=1000x1,y=1x10000")?.kind == .tensorTooLarge(shape: [1000, 10000], limit: 1 << 22))
        #expect(try error("x + z", "x=2")?.kind == .unknownTensorVariable("z"))
        // Shapes that do fit, including NumPy's vector and batch rules.
        #expect(try error("x @ v + v @ x @ v", "x=3x3,v=3") == nil)
        #expect(try error("sum(a @ b)", "a=5x2x3,b=3x4") == nil)
        #expect(try error("sum(a @ b)", "a=5x2x3,b=2x3x4")?.kind == .matmulShapeMismatch([5, 2, 3], [2, 3, 4]))
    }

    @Test func shapeListsParseAndReportErrors() throws {
        let shapes = try TensorShapes(parsing: " x = 2x3 , W=3×4,b=4 ")
        #expect(shapes.entries.map(\.name) == ["x", "W", "b"])
        #expect(shapes.entries.map(\.shape) == [[2, 3], [3, 4], [4]])
        #expect(shapes.entries.map(\.position) == [1, 11, 17])
        let cases: [(String, ExpressionError.Kind, Int)] = [
            ("x=2x", .badShape(name: "x", text: "2x"), 4),
            ("x=2x-3", .badShape(name: "x", text: "2x-3"), 4),
            ("x=1.5", .badShape(name: "x", text: "1.5"), 2),
            ("x=200000", .badShape(name: "x", text: "200000"), 2),
            ("x=", .missingValue(name: "x"), 2),
            ("x=2,,y=3", .emptyAssignment, 4),
            ("x", .missingEquals("x"), 0),
            ("sum=2", .reservedName("sum"), 0),
            ("x=2,x=3", .duplicateName("x"), 4),
        ]
        for (text, kind, position) in cases {
            #expect(throws: ExpressionError(kind, in: text, at: position)) { try TensorShapes(parsing: text) }
        }
        let message = ExpressionError(.badShape(name: "x", text: "2xa"), in: "x=2xa", at: 4).description
        #expect(message == "x=2xa\n    ^\nthe shape of x, '2xa', is not a shape: write extents from 1 to 100000 separated by x, as in x=2x3")
    }

    /// Seeded random tensor expressions over random shapes: evaluation returns a graph (whose
    /// backward runs) or throws an ExpressionError, and never reaches a tensor op's trap.
    @Test func randomTensorExpressionsNeverTrap() throws {
        let shapes: [[Int]] = [[], [1], [2], [3], [2, 3], [3, 2], [3, 3], [2, 2, 3], [1, 3, 2]]
        let shapeCharacters = Array("xyw1=0123456789x×,. -")
        var rng = SplitMix64(seed: 77)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        /// A random well-formed expression: leaves, + - * / @, ^2, and calls.
        func expression(depth: Int) -> String {
            if depth == 0 || rng.next() % 4 == 0 { return pick(["x", "y", "w1", "2", "0.5"]) }
            switch rng.next() % 3 {
            case 0: return "(\(expression(depth: depth - 1)) \(pick(["+", "-", "*", "/", "@", "@"])) \(expression(depth: depth - 1)))"
            case 1: return "\(pick(["sum", "mean", "sqrt", "relu", "gelu", "log", "abs"]))(\(expression(depth: depth - 1)))"
            default: return "\(expression(depth: depth - 1))^2"
            }
        }
        var evaluated = 0, refused = 0
        for _ in 0..<3000 {
            let shapeText = String((0..<Int(rng.next() % 12)).map { _ in pick(shapeCharacters) })
            do { _ = try TensorShapes(parsing: shapeText) } catch {
                #expect(error.source == shapeText && error.position <= shapeText.count)
            }
            let text = expression(depth: 4)
            let parsed = try ParsedExpression(parsing: text, tensorSyntax: true)
            let given = TensorShapes(["x": pick(shapes), "y": pick(shapes), "w1": pick(shapes)])
            do {
                let graph = try parsed.evaluateTensors(shapes: given, seed: rng.next())
                evaluated += 1
                if graph.output.requiresGrad {
                    graph.output.backward(gradient: Tensor.ones(graph.output.shape))
                    #expect(graph.variables.allSatisfy { $0.grad?.shape == $0.shape })
                }
            } catch {
                refused += 1
                #expect(error.source == text && error.position < text.count)
            }
        }
        #expect(evaluated > 300)
        #expect(refused > 300)
    }
}
