// GradientCheckTests.swift — the finite-difference checker itself (GradientCheck.swift).
//
// gradientCheck is the oracle for most other tests, so it is tested here against things
// worked out by hand: it passes a correct backward, it catches a graph that was cut (a
// gradient that does not flow), its error measure is absolute for small gradients and
// relative for large ones, NaN never passes, and its numeric derivative is the central
// difference formula.
//
// Read next: ValueTests.swift.

import Engine
import Foundation
import Testing
import _TestSupport

@Suite("Gradient check")
struct GradientCheckTests {
    @Test("passes a correct backward, and its numeric gradient is close to the hand-derived one")
    func passesCorrectGradient() {
        // ∂ tanh(xy)/∂x = y(1 − tanh²(xy)), ∂/∂y = x(1 − tanh²(xy)).
        let check = gradientCheck(at: [0.5, -1.5]) { x in tanh(x[0] * x[1]) }
        let t = Foundation.tanh(-0.75)
        #expect(check.passes())
        #expect(isClose(check.analytic[0], -1.5 * (1 - t * t), tolerance: 1e-14))
        #expect(isClose(check.numeric[0], -1.5 * (1 - t * t), tolerance: 1e-8))
        #expect(isClose(check.numeric[1], 0.5 * (1 - t * t), tolerance: 1e-8))
        #expect(check.maxError < 1e-8)
    }

    /// x₀ · (a new leaf holding x₁'s number): the forward value is right, but the graph is
    /// cut, so no gradient reaches x₁. The numeric derivative in x₁ is x₀.
    private func cutGraph(_ x: [Value]) -> Value {
        x[0] * Value(x[1].data)
    }

    @Test("catches a cut graph, names the input, absolute error for a small gradient")
    func catchesCutGraphSmall() {
        let check = gradientCheck(at: [0.25, 3]) { cutGraph($0) }
        #expect(!check.passes())
        #expect(check.worstInput == 1)
        #expect(check.analytic[1] == 0)
        // error = |0 − 0.25| / max(1, 0, 0.25) = 0.25: absolute, since the gradient is small.
        #expect(isClose(check.errors[1], 0.25, tolerance: 1e-8))
        #expect(isClose(check.maxError, 0.25, tolerance: 1e-8))
        #expect(check.errors[0] < 1e-8, "x₀'s gradient (3) is still right")
    }

    @Test("relative error for a large gradient")
    func relativeErrorForLargeGradient() {
        let check = gradientCheck(at: [8, 3]) { cutGraph($0) }
        // error = |0 − 8| / max(1, 0, 8) = 1: the whole gradient is missing.
        #expect(isClose(check.errors[1], 1, tolerance: 1e-8))
        #expect(check.worstInput == 1)
    }

    @Test("NaN never passes")
    func nanNeverPasses() {
        let check = gradientCheck(at: [-1]) { x in log(x[0]) }
        #expect(check.numeric[0].isNaN)
        #expect(!check.passes(tolerance: .infinity))
    }

    @Test("no inputs: nothing to check, so it passes")
    func noInputs() {
        let check = gradientCheck(at: []) { _ in Value(3) }
        #expect(check.analytic.isEmpty && check.numeric.isEmpty)
        #expect(check.maxError == 0)
        #expect(check.worstInput == nil)
        #expect(check.passes())
    }

    @Test("the numeric derivative is the central difference: for eˣ it is eˣ·sinh(h)/h")
    func centralDifferenceFormula() {
        // (e^(x+h) − e^(x−h)) / 2h = eˣ · sinh(h)/h = eˣ (1 + h²/6 + …): a large step shows it.
        let h = 0.1
        let check = gradientCheck(at: [0.5], step: h) { x in exp(x[0]) }
        #expect(isClose(check.numeric[0], Foundation.exp(0.5) * Foundation.sinh(h) / h, tolerance: 1e-12))
        #expect(isClose(check.analytic[0], Foundation.exp(0.5), tolerance: 1e-15))
        // The truncation error h²/6 ≈ 1.7e-3 (relative) is caught at a tight tolerance.
        #expect(!check.passes(tolerance: 1e-3))
        #expect(check.passes(tolerance: 1e-2))
    }

    @Test("f is evaluated 2n + 1 times")
    func evaluationCount() {
        var calls = 0
        _ = gradientCheck(at: [1, 2, 3]) { x in
            calls += 1
            return x[0] * x[1] + x[2]
        }
        #expect(calls == 7)
    }
}
