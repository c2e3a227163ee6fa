// Support.swift — the problem the optimizer tests minimize, computed twice: through Lumen's
// autograd (to produce real gradients) and in plain Double arithmetic (for the oracles).

import Tensors
import Optimizers

/// loss(θ) = Σᵢ cᵢ (θᵢ − aᵢ)², whose gradient is ∂loss/∂θᵢ = 2cᵢ(θᵢ − aᵢ). The curvatures cᵢ
/// differ, so that the adaptive optimizers (which rescale each coordinate) and the plain ones
/// follow visibly different paths.
struct Quadratic {
    let targets: [Double] = [1.0, -2.0, 0.5, 3.0]
    let curvatures: [Double] = [0.5, 2.0, 1.0, 0.1]
    /// Where every test starts.
    let start: [Double] = [0.3, -0.7, 1.2, -0.1]

    /// A fresh 2 × 2 parameter at `start`.
    func parameter() -> Tensor<Double> {
        try! Tensor<Double>(shape: [2, 2], elements: start, requiresGrad: true)
    }

    /// Fills `theta.grad` by building the loss with tensor ops and running backward.
    func backward(_ theta: Tensor<Double>) {
        let a = try! Tensor<Double>(shape: [2, 2], elements: targets)
        let c = try! Tensor<Double>(shape: [2, 2], elements: curvatures)
        (c * (theta - a).pow(2)).sum().backward()
    }

    /// The same gradient, by hand.
    func gradient(_ theta: [Double]) -> [Double] {
        theta.indices.map { 2 * curvatures[$0] * (theta[$0] - targets[$0]) }
    }
}

/// Runs `steps` steps of `optimizer` on `problem` (zeroGrad, backward, step) and returns θ
/// after each step.
func trajectory<O: Optimizer>(_ optimizer: O, _ problem: Quadratic, steps: Int) -> [[Double]]
where O.Scalar == Double {
    let theta = optimizer.parameters[0]
    var path: [[Double]] = []
    for _ in 0..<steps {
        optimizer.zeroGrad()
        problem.backward(theta)
        optimizer.step()
        path.append(theta.scalars)
    }
    return path
}

/// |a − b| ≤ tolerance · max(1, |a|, |b|) for every pair.
func allClose(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        Swift.abs(x - y) <= tolerance * Swift.max(1, Swift.abs(x), Swift.abs(y))
    }
}
