// GradientClipping.swift — scaling all gradients down together when their combined length is
// too large, as torch.nn.utils.clip_grad_norm_ does. Called between backward and step.
//
// Read next: ../Tensors/NN/Tensor+MoreLosses.swift (the losses these optimizers minimize).

import Basics
import Tensors

/// Clips the gradients of `parameters` by their global norm, in place, and returns the norm
/// they had before clipping (to log, or to spot exploding gradients).
///
/// ```
/// ‖g‖ = √( Σ_parameters Σ_elements g² )         (all gradients as one long vector)
/// c = maxNorm / (‖g‖ + 10⁻⁶)
/// g ← c · g     for every gradient, if c < 1     (otherwise nothing changes)
/// ```
/// Scaling every gradient by the same c keeps the update's direction and only shortens it,
/// so one bad batch cannot throw the weights far. (The 10⁻⁶ keeps c finite at ‖g‖ = 0, as
/// in PyTorch.) Parameters without a gradient are skipped. The sum of squares is taken in
/// Double whatever the scalar type. A non-finite norm (an ∞ or NaN gradient) is returned as
/// it is, and the gradients it scales become 0 or NaN, as in PyTorch: check the returned
/// norm with `isFinite` to skip such a step.
///
/// ```swift
/// loss.backward()
/// let norm = clipGradientNorm(model.parameters, maxNorm: 1)
/// optimizer.step()
/// ```
@discardableResult
public func clipGradientNorm<Scalar: TensorScalar>(_ parameters: [Tensor<Scalar>], maxNorm: Double,
                                                   file: StaticString = #fileID, line: UInt = #line) -> Double {
    trapUnless(maxNorm >= 0, "clipGradientNorm: maxNorm is \(maxNorm), but it must be ≥ 0 (called from \(file):\(line))",
               file: file, line: line)
    let gradients = parameters.compactMap(\.grad)
    var sumOfSquares = 0.0
    for gradient in gradients {
        for element in gradient.scalars { sumOfSquares += Double(element) * Double(element) }
    }
    let norm = sumOfSquares.squareRoot()
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 || coefficient.isNaN {
        withoutGradients {
            for gradient in gradients { gradient.assign(gradient * Scalar(coefficient)) }
        }
    }
    return norm
}
