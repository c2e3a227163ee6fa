// GradientClippingTests.swift — clipping by global norm: the norm returned, the gradients
// scaled in place by maxNorm / (‖g‖ + 10⁻⁶), and nothing touched under the threshold.

import Testing
import Tensors
@testable import Optimizers

@Suite struct GradientClippingTests {
    /// Gradients (3, 0) and (0, 4) make one vector of length √(9 + 16) = 5.
    func parameters() -> (Tensor<Double>, Tensor<Double>, Tensor<Double>) {
        let a = Tensor<Double>([1, 2], requiresGrad: true)
        let b = try! Tensor<Double>(shape: [1, 2], elements: [3, 4], requiresGrad: true)
        let idle = Tensor<Double>([7], requiresGrad: true)
        a.grad = Tensor<Double>([3, 0])
        b.grad = try! Tensor<Double>(shape: [1, 2], elements: [0, 4])
        return (a, b, idle)
    }

    @Test func scalesEveryGradientByTheSameFactor() {
        let (a, b, idle) = parameters()
        let heldGradient = a.grad!                        // a reference taken before clipping
        let norm = clipGradientNorm([a, idle, b], maxNorm: 1)
        #expect(norm == 5)
        let c = 1 / (5 + 1e-6)
        #expect(allClose(a.grad!.scalars, [3 * c, 0], tolerance: 1e-15))
        #expect(allClose(b.grad!.scalars, [0, 4 * c], tolerance: 1e-15))
        #expect(heldGradient === a.grad && heldGradient.scalars == a.grad!.scalars)   // in place
        #expect(idle.grad == nil && a.scalars == [1, 2])                                  // parameters untouched
        // The clipped gradients now have norm 5c ≈ 1.
        #expect(allClose([clipGradientNorm([a, b], maxNorm: 10)], [5 * c], tolerance: 1e-15))
    }

    @Test func leavesGradientsAloneUnderTheThreshold() {
        let (a, b, _) = parameters()
        let norm = clipGradientNorm([a, b], maxNorm: 5.5)
        #expect(norm == 5)
        #expect(a.grad!.scalars == [3, 0] && b.grad!.scalars == [0, 4])
    }

    /// As torch.nn.utils.clip_grad_norm_: a NaN anywhere makes the total norm NaN, and the
    /// NaN coefficient maxNorm / (NaN + 10⁻⁶) is applied, so every gradient becomes NaN
    /// (nothing hides the NaN from the caller, who checks the norm).
    @Test func nanGradientGivesNaNNormAndNaNGradients() {
        let (a, b, _) = parameters()
        b.grad = try! Tensor<Double>(shape: [1, 2], elements: [0, .nan])
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(norm.isNaN)
        #expect(a.grad!.scalars.allSatisfy(\.isNaN) && b.grad!.scalars.allSatisfy(\.isNaN))
    }

    @Test func noGradientsMeansNormZero() {
        let p = Tensor<Float>([1, 2], requiresGrad: true)
        #expect(clipGradientNorm([p], maxNorm: 1) == 0)
        #expect(p.grad == nil)
    }

    /// In Float the squares are still summed in Double: 10⁴ gradients of x have norm
    /// √(10⁴ · x²) = 100 x, here with x = Float(10⁻³). (A Float sum of 10⁴ terms would be off
    /// by far more than 10⁻¹².)
    @Test func floatGradientsAreSummedInDouble() {
        let p = Tensor<Float>.zeros([100, 100]).requiringGrad()
        p.grad = Tensor<Float>(repeating: 1e-3, shape: [100, 100])
        let norm = clipGradientNorm([p], maxNorm: 1)
        #expect(allClose([norm], [100 * Double(Float(1e-3))], tolerance: 1e-12))
    }
}
