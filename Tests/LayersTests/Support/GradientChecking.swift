// GradientChecking.swift — the oracle for every layer's backward: central differences in Double.
//
// The checked scalar is L = Σ f() ⊙ R for a fixed random R, so the whole Jacobian is tested,
// not one row of it. Backward gives ∂L/∂t for each tensor t (inputs and parameters); the
// numeric estimate is (L(t + h·eᵢ) − L(t − h·eᵢ)) / 2h, one stored element at a time.

import Engine
@testable import Tensors

/// Random Double leaves (requiring gradients), uniform in [lower, upper).
func randomLeaf(_ shape: [Int], _ lower: Double = -1, _ upper: Double = 1, seed: UInt64) -> Tensor<Double> {
    var rng = SplitMix64(seed: seed)
    return Tensor<Double>.randomUniform(shape, lower, upper, using: &rng).requiringGrad()
}

/// The largest |analytic − numeric| / max(1, |analytic|, |numeric|) over every element of
/// every tensor in `wrt` (which must be contiguous leaves that `f` reads). `f` is evaluated
/// without gradients for the numeric side, so it must not change state between calls
/// (use eval mode, or a layer whose training forward is deterministic).
func maxGradientError(wrt tensors: [Tensor<Double>], step: Double = 1e-6,
                      _ f: () -> Tensor<Double>) -> Double {
    let out = f()
    var rng = SplitMix64(seed: 777)
    let weights = Tensor<Double>.randomUniform(out.shape, -1, 1, using: &rng)
    for t in tensors { t.zeroGrad() }
    (out * weights).sum().backward()
    func loss() -> Double { withoutGradients { (f() * weights).sum().item() } }
    var worst = 0.0
    for t in tensors {
        precondition(t.isContiguous && t.offset == 0, "maxGradientError perturbs contiguous leaves only")
        let analytic = t.grad?.scalars ?? [Double](repeating: 0, count: t.count)
        for p in 0..<t.count {
            let saved = t.storage.pointer[p]
            t.storage.pointer[p] = saved + step
            let plus = loss()
            t.storage.pointer[p] = saved - step
            let minus = loss()
            t.storage.pointer[p] = saved
            let numeric = (plus - minus) / (2 * step)
            let error = abs(analytic[p] - numeric) / max(1, abs(analytic[p]), abs(numeric))
            worst = max(worst, error.isNaN ? .infinity : error)
        }
    }
    return worst
}
