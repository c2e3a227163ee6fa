// 3-AdamW.swift — AdamW: Adam with the weight decay taken out of the gradient and applied to
// the parameter directly ("decoupled"). The third of the four optimizers; it reuses Adam's
// update (2-Adam.swift).
//
// Read next: 4-RMSprop.swift.

import Tensors

/// AdamW, following the update rule of `torch.optim.AdamW`. For each parameter θ with
/// gradient g, at its t-th step, with learning rate γ, betas β₁ and β₂, ε and weight decay λ:
///
/// ```
/// θ ← θ − γλθ                   (decoupled decay: shrink θ, whatever the gradient)
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// θ ← θ − γ m̂ / (√v̂ + ε)
/// ```
/// In Adam the decay λθ is added to g, so it is averaged into m and then divided by √v̂:
/// a parameter with large gradients is hardly decayed at all. Here every parameter shrinks
/// by the same factor (1 − γλ) per step, which is what weight decay is meant to do.
public final class AdamW<Scalar: TensorScalar>: Optimizer {
    public let parameters: [Tensor<Scalar>]
    /// γ
    public var learningRate: Double
    /// β₁, the decay rate of the first-moment average.
    public let beta1: Double
    /// β₂, the decay rate of the second-moment average.
    public let beta2: Double
    /// ε, added to √v̂.
    public let epsilon: Double
    /// λ, the decoupled weight decay (PyTorch's default for AdamW is 0.01, not 0).
    public let weightDecay: Double

    private var states: [AdamState<Scalar>?]

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative learning rate, ε or
    ///   weight decay, or a beta outside [0, 1).
    public init(_ parameters: [Tensor<Scalar>], learningRate: Double = 0.001, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01) throws(OptimizerError) {
        try checkAdamHyperparameters(learningRate: learningRate, beta1: beta1, beta2: beta2,
                                     epsilon: epsilon, weightDecay: weightDecay)
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        states = Array(repeating: nil, count: parameters.count)
    }

    /// Adam's update (`adamStep`), with the decay decoupled: θ shrinks by (1 − γλ) first.
    public func step() {
        adamStep(parameters, &states, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                 weightDecay: 0, decoupledWeightDecay: weightDecay)
    }

    /// `"state.<i>.step"`, `".exp_avg"` (m) and `".exp_avg_sq"` (v), as for Adam.
    public var state: [String: Tensor<Scalar>] { flattenState(states) }

    public func loadState(_ state: [String: Tensor<Scalar>]) throws(OptimizerError) {
        states = try unflattenState(state, for: parameters, as: AdamState<Scalar>.self)
    }
}
