// ParsedExpressionTests.swift — precedence and associativity against plain Double math,
// the shape of the tree, and the graph an expression becomes.

import Engine
import Foundation
import Testing
import _TestSupport
@testable import Expressions

@Suite struct ParsedExpressionTests {
    static let (x, y, z) = (1.7, -0.6, 2.3)

    /// Each expression next to the same formula in Swift, which has the usual precedence.
    static let cases: [(String, @Sendable (Double, Double, Double) -> Double)] = [
        ("x + y * z", { x, y, z in x + y * z }),
        ("x * y + z", { x, y, z in x * y + z }),
        ("x - y - z", { x, y, z in (x - y) - z }),
        ("x - y + z", { x, y, z in (x - y) + z }),
        ("x / y / z", { x, y, z in (x / y) / z }),
        ("x / y * z", { x, y, z in (x / y) * z }),
        ("x ^ 2 ^ 3", { x, _, _ in pow(x, pow(2, 3)) }),
        ("-x^2", { x, _, _ in -(x * x) }),
        ("-x^2 + y", { x, y, _ in -(x * x) + y }),
        ("-2^2 * z", { _, _, z in -4 * z }),
        ("(-2)^2 * z", { _, _, z in 4 * z }),
        ("2^-1*x", { x, _, _ in 0.5 * x }),
        ("x^-2", { x, _, _ in 1 / (x * x) }),
        ("x^2^-1", { x, _, _ in x.squareRoot() }),
        ("x * -y", { x, y, _ in x * -y }),
        ("x - -y", { x, y, _ in x + y }),
        ("--x", { x, _, _ in x }),
        ("(x + y) * z", { x, y, z in (x + y) * z }),
        ("x * (y + z)", { x, y, z in x * (y + z) }),
        ("2 * x ^ 2", { x, _, _ in 2 * x * x }),
        ("x ^ 2 * 3", { x, _, _ in x * x * 3 }),
        ("x / y ^ 2", { x, y, _ in x / (y * y) }),
        ("x^(1/2) + z^(2*1.5)", { x, _, z in x.squareRoot() + pow(z, 3) }),
        ("1e-3 * x + .5 - 2.5E1", { x, _, _ in 1e-3 * x + 0.5 - 25 }),
        ("tanh(x) * exp(y) - log(z) / sigmoid(x)",
         { x, y, z in tanh(x) * exp(y) - log(z) / (1 / (1 + exp(-x))) }),
        ("relu(y) + relu(x) * 2", { x, y, _ in max(0, y) + max(0, x) * 2 }),
        ("pow(z, 3) - z^3 + pow(x, -0.5)", { x, _, z in pow(z, 3) - pow(z, 3) + 1 / x.squareRoot() }),
        ("x ^ exp(0)", { x, _, _ in x }),
        ("tanh(x*w + b)", { x, _, _ in tanh(x * -3 + 6.88) }),
    ]

    @Test func precedenceAndAssociativityMatchSwift() throws {
        let values = ["x": Self.x, "y": Self.y, "z": Self.z, "w": -3, "b": 6.88]
        for (text, formula) in Self.cases {
            let expression = try ParsedExpression(parsing: text)
            let graph = try expression.evaluate(values.filter { expression.variableNames.contains($0.key) })
            let expected = formula(Self.x, Self.y, Self.z)
            #expect(isClose(graph.output.data, expected, tolerance: 1e-14), "\(text): \(graph.output.data) vs \(expected)")
        }
    }

    @Test(arguments: [
        ("-x^2 + y", "((-(x ^ 2)) + y)"),
        ("2^3^2", "(2 ^ (3 ^ 2))"),
        ("a-b-c", "((a - b) - c)"),
        ("a/b*c", "((a / b) * c)"),
        ("tanh(x*w + b)", "tanh(((x * w) + b))"),
        ("pow(x, 2) * -3", "(pow(x, 2) * (-3))"),
        ("  (( x ))  ", "x"),
        ("x^-2^2", "(x ^ (-(2 ^ 2)))"),
    ])
    func treeShape(text: String, expected: String) throws {
        #expect(try ParsedExpression(parsing: text).description == expected)
    }

    @Test func variablesAreListedInOrderOfFirstUse() throws {
        #expect(try ParsedExpression(parsing: "x*w + x - b/w").variableNames == ["x", "w", "b"])
        #expect(try ParsedExpression(parsing: "2 + 3").variableNames == [])
        #expect(try ParsedExpression(parsing: "α*β_1 + _γ").variableNames == ["α", "β_1", "_γ"])
    }

    @Test func aVariableUsedTwiceIsOneLeafAndCollectsBothGradients() throws {
        let graph = try ParsedExpression(parsing: "x*x").evaluate(["x": 3])
        let nodes = graph.output.topologicalOrder()
        #expect(nodes.count == 2)
        #expect(graph.variables.count == 1)
        graph.output.backward()
        #expect(graph.variable(named: "x")?.grad == 6)
    }

    @Test func variablesAreLabelledLeavesMadeBeforeEverythingElse() throws {
        let graph = try ParsedExpression(parsing: "2*b + w*x").evaluate(["x": 1, "w": 2, "b": 3])
        #expect(graph.variables.map(\.label) == ["b", "w", "x"])
        #expect(graph.variables.map(\.data) == [3, 2, 1])
        #expect(graph.variables.allSatisfy { $0.isLeaf })
        let ids = graph.variables.map(\.id)
        #expect(ids == ids.sorted())
        let others = graph.output.topologicalOrder().filter { $0.label == nil }
        #expect(others.allSatisfy { $0.id > ids.max()! })
    }

    @Test func numbersAreUnlabelledConstantLeaves() throws {
        let graph = try ParsedExpression(parsing: "2.5*x").evaluate(["x": 4])
        let constants = graph.output.topologicalOrder().filter { $0.isLeaf && $0.label == nil }
        #expect(constants.map(\.data) == [2.5])
        #expect(graph.output.data == 10)
    }

    @Test func aMinusBeforeANumberIsANegativeConstant() throws {
        let folded = try ParsedExpression(parsing: "-3*x").evaluate(["x": 2]).output
        #expect(folded.data == -6)
        #expect(folded.topologicalOrder().count == 3)   // -3, x, ×
        let negated = try ParsedExpression(parsing: "-x").evaluate(["x": 2]).output
        #expect(negated.data == -2)
        #expect(negated.op == .mul)                     // x · (-1), the engine's composite
        #expect(negated.topologicalOrder().count == 3)
    }

    @Test func subtractionAndDivisionAreTheEnginesComposites() throws {
        let difference = try ParsedExpression(parsing: "a - b").evaluate(["a": 5, "b": 2]).output
        #expect(difference.op == .add)
        #expect(difference.inputs[1].op == .mul)
        #expect(difference.data == 3)
        let quotient = try ParsedExpression(parsing: "a / b").evaluate(["a": 5, "b": 2]).output
        #expect(quotient.op == .mul)
        #expect(quotient.inputs[1].op == .pow(-1))
        #expect(quotient.data == 2.5)
    }

    @Test func exponentsAreFoldedIntoThePowerNode() throws {
        let out = try ParsedExpression(parsing: "x^(1+1) + pow(x, 6/2)").evaluate(["x": 2]).output
        let powers = out.topologicalOrder().compactMap { node -> Double? in
            if case .pow(let n) = node.op { return n }
            return nil
        }
        #expect(powers == [2, 3])
        #expect(out.data == 12)
    }

    @Test func microgradsNeuronExample() throws {
        let graph = try ParsedExpression(parsing: "tanh(x*w + b)")
            .evaluate(try Assignments(parsing: "x=2,w=-3,b=6.88"))
        let o = tanh(2.0 * -3.0 + 6.88)
        #expect(isClose(graph.output.data, o, tolerance: 1e-15))
        graph.output.backward()
        // do/dx = w(1 − o²), do/dw = x(1 − o²), do/db = 1 − o².
        #expect(isClose(graph.variable(named: "x")?.grad ?? .nan, -3 * (1 - o * o), tolerance: 1e-14))
        #expect(isClose(graph.variable(named: "w")?.grad ?? .nan, 2 * (1 - o * o), tolerance: 1e-14))
        #expect(isClose(graph.variable(named: "b")?.grad ?? .nan, 1 - o * o, tolerance: 1e-14))
        #expect(graph.unusedNames.isEmpty)
    }

    @Test func valuesThatAreNotUsedAreWarningsNotErrors() throws {
        let expression = try ParsedExpression(parsing: "x*w")
        let graph = try expression.evaluate(try Assignments(parsing: "x=2,w=-3,b=6.88,W=1"))
        #expect(graph.output.data == -6)
        #expect(graph.unusedNames == ["b", "W"])
        #expect(graph.warnings == [
            "b is given a value, but the expression does not use it",
            "W is given a value, but the expression does not use it",
        ])
        #expect(try expression.evaluate(["x": 1, "w": 1, "q": 2, "a": 3]).unusedNames == ["a", "q"])
    }
}
