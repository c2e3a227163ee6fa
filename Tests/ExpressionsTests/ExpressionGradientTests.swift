// ExpressionGradientTests.swift — the gradients of evaluated expressions against central
// finite differences of the same expression.

import Engine
import Testing
import _TestSupport
@testable import Expressions

@Suite struct ExpressionGradientTests {
    @Test(arguments: [
        ("tanh(x*w + b)", ["x": 2, "w": -3, "b": 6.88]),
        ("x*x*x - 2*x*y + y/x", ["x": 1.3, "y": -0.4]),
        ("sigmoid(a) * log(b) + exp(-a^2)", ["a": 0.7, "b": 2.2]),
        ("relu(x - y) * pow(y, 2.5) - relu(y - x)", ["x": 1.9, "y": 0.6]),
        ("(a + b) / (a - b) ^ 2 - -a", ["a": 3.1, "b": 0.4]),
        ("exp(tanh(x) * sigmoid(x*x)) / (1 + x^-3)", ["x": 0.8]),
        ("u*v + v*w + w*u - u*v*w", ["u": 0.3, "v": -1.2, "w": 2.5]),
    ])
    func gradientsMatchFiniteDifferences(text: String, point: [String: Double]) throws {
        let expression = try ParsedExpression(parsing: text)
        let graph = try expression.evaluate(point)
        graph.output.backward()
        let h = 1e-6
        for name in expression.variableNames {
            var plus = point, minus = point
            plus[name]! += h
            minus[name]! -= h
            let numeric = (try expression.evaluate(plus).output.data - expression.evaluate(minus).output.data) / (2 * h)
            let analytic = try #require(graph.variable(named: name)?.grad)
            #expect(isClose(analytic, numeric, tolerance: 1e-6), "\(text): ∂/∂\(name) = \(analytic), numeric \(numeric)")
        }
    }
}
