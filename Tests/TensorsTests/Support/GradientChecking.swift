// GradientChecking.swift — the oracle for every tensor backward: central differences in Double.
//
// f maps leaf tensors to a tensor of any shape. To test the whole Jacobian rather than one
// row, the checked scalar is L = Σ f(x) ⊙ W for a fixed random W. Backward gives ∂L/∂xᵢ;
// the numeric estimate is (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h, perturbing one stored element
// of one leaf at a time.

import Engine
@testable import Tensors

struct TensorGradientCheck {
    /// max over all elements of |analytic − numeric| / max(1, |analytic|, |numeric|).
    var maxError: Double
    /// The primitives the checked graph used.
    var ops: Set<Primitive>
    /// Whether every leaf that reached the output got a gradient of its own shape.
    var shapesMatch: Bool
}

/// Fresh contiguous Double leaves with `requiresGrad`, uniform in [lower, upper).
func leaves(_ shapes: [[Int]], _ lower: Double = -2, _ upper: Double = 2, seed: UInt64) -> [Tensor<Double>] {
    var rng = SplitMix64(seed: seed)
    return shapes.map { Tensor<Double>.randomUniform($0, lower, upper, using: &rng).requiringGrad() }
}

/// Checks backward of `f` at `inputs` (contiguous leaves) against central differences.
func checkGradients(_ inputs: [Tensor<Double>], step: Double = 1e-6,
                    _ f: ([Tensor<Double>]) -> Tensor<Double>) -> TensorGradientCheck {
    let out = f(inputs)
    var rng = SplitMix64(seed: 12345)
    let weights = Tensor<Double>.randomUniform(out.shape, -1, 1, using: &rng)
    let ops = Set(out.topologicalOrder().compactMap(\.op))
    for x in inputs { x.zeroGrad() }
    let loss = (out * weights).sum()
    if loss.requiresGrad { loss.backward() }

    func lossValue() -> Double { withoutGradients { (f(inputs) * weights).sum().item() } }

    var worst = 0.0
    var shapesMatch = true
    for x in inputs {
        precondition(x.isContiguous && x.offset == 0, "checkGradients perturbs contiguous leaves only")
        if let grad = x.grad, grad.shape != x.shape { shapesMatch = false }
        let analytic = x.grad?.scalars ?? [Double](repeating: 0, count: x.count)
        for p in 0..<x.count {
            let saved = x.storage.pointer[p]
            x.storage.pointer[p] = saved + step
            let plus = lossValue()
            x.storage.pointer[p] = saved - step
            let minus = lossValue()
            x.storage.pointer[p] = saved
            let numeric = (plus - minus) / (2 * step)
            let error = Swift.abs(analytic[p] - numeric) / Swift.max(1, Swift.abs(analytic[p]), Swift.abs(numeric))
            worst = Swift.max(worst, error.isNaN ? .infinity : error)
        }
    }
    return TensorGradientCheck(maxError: worst, ops: ops, shapesMatch: shapesMatch)
}

/// Row-major multi-indices of `shape`, computed by plain division: an oracle independent of
/// the kernels' odometer.
func multiIndices(_ shape: [Int]) -> [[Int]] {
    let total = shape.reduce(1, *)
    return (0..<total).map { flat in
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}

/// The flat row-major position of `index` in `shape`.
func flatPosition(_ index: [Int], _ shape: [Int]) -> Int {
    zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
}

/// NumPy broadcasting, re-derived for the tests: the element of an input of `shape` that
/// output index `index` reads (right-aligned; extent-1 axes read index 0).
func broadcastSource(_ index: [Int], _ shape: [Int]) -> Int {
    let lead = index.count - shape.count
    let sourceIndex = shape.indices.map { shape[$0] == 1 ? 0 : index[lead + $0] }
    return flatPosition(sourceIndex, shape)
}
