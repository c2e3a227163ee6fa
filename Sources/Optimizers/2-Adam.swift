// 2-Adam.swift — Adam: momentum on the gradient (the first moment) divided by a running
// root-mean-square of it (the second moment), both corrected for starting at zero. The second
// of the four optimizers; its update is shared with AdamW.
//
// Read next: 3-AdamW.swift.

import Foundation
import Tensors

/// Adam, following the update rule of `torch.optim.Adam`. For each parameter θ with gradient
/// g, at its t-th step, with learning rate γ, betas β₁ and β₂, ε and weight decay λ:
///
/// ```
/// g ← g + λθ                    (only if λ ≠ 0: L2 decay, added to the gradient)
/// m ← β₁m + (1 − β₁)g           (m₀ = 0: a running mean of the gradient)
/// v ← β₂v + (1 − β₂)g²          (v₀ = 0: a running mean of its square)
/// m̂ = m / (1 − β₁ᵗ)             (bias correction: m and v start at 0, so early on they
/// v̂ = v / (1 − β₂ᵗ)              are too small by exactly these factors)
/// θ ← θ − γ m̂ / (√v̂ + ε)
/// ```
/// The λθ term passes through the moment estimates and is divided by √v̂, so parameters
/// with large gradients are barely decayed; AdamW (3-AdamW.swift) decouples the decay.
public final class Adam<Scalar: TensorScalar>: Optimizer {
    public let parameters: [Tensor<Scalar>]
    /// γ
    public var learningRate: Double
    /// β₁, the decay rate of the first-moment average.
    public let beta1: Double
    /// β₂, the decay rate of the second-moment average.
    public let beta2: Double
    /// ε, added to √v̂ so that the division is safe where gradients are ~0.
    public let epsilon: Double
    /// λ, L2 weight decay added to the gradient.
    public let weightDecay: Double

    private var states: [AdamState<Scalar>?]

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative learning rate, ε or
    ///   weight decay, or a beta outside [0, 1).
    public init(_ parameters: [Tensor<Scalar>], learningRate: Double = 0.001, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0) throws(OptimizerError) {
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

    /// The update, in place, in one pass over each parameter (`adamStep`, shared with AdamW).
    public func step() {
        adamStep(parameters, &states, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                 weightDecay: weightDecay, decoupledWeightDecay: 0)
    }

    /// `"state.<i>.step"`, `".exp_avg"` (m) and `".exp_avg_sq"` (v) for each parameter that has taken a step.
    public var state: [String: Tensor<Scalar>] { flattenState(states) }

    public func loadState(_ state: [String: Tensor<Scalar>]) throws(OptimizerError) {
        states = try unflattenState(state, for: parameters, as: AdamState<Scalar>.self)
    }
}

/// The running state of Adam and AdamW for one parameter.
struct AdamState<Scalar: TensorScalar>: ParameterState {
    /// t, the number of steps this parameter has taken.
    var step: Int
    /// m, the running mean of the gradient.
    var firstMoment: Tensor<Scalar>
    /// v, the running mean of the squared gradient.
    var secondMoment: Tensor<Scalar>

    init(step: Int, firstMoment: Tensor<Scalar>, secondMoment: Tensor<Scalar>) {
        self.step = step
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    static var names: [String] { ["step", "exp_avg", "exp_avg_sq"] }
    var named: [String: Tensor<Scalar>] {
        ["step": Tensor(Scalar(step)), "exp_avg": firstMoment, "exp_avg_sq": secondMoment]
    }
    init(named: [String: Tensor<Scalar>]) {
        step = Int(named["step"]!.item())
        firstMoment = named["exp_avg"]!
        secondMoment = named["exp_avg_sq"]!
    }
}

/// The update that Adam and AdamW share, for every parameter with a gradient: the moment
/// estimates, bias correction and the step θ ← θ − γ m̂ / (√v̂ + ε), written in place in one
/// pass (`Tensor.update` with `ParameterUpdate.adam`). Adam passes its L2 decay as
/// `weightDecay` (added to g), AdamW its decoupled one as `decoupledWeightDecay` (θ shrinks first).
///
/// The bias corrections are folded into two scalars, as PyTorch's own code does, so that
/// m̂ and v̂ never exist as tensors: with c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ,
///
/// ```
/// γ m̂ / (√v̂ + ε)  =  (γ / c₁) · m / (√v / √c₂ + ε)
/// ```
/// m and v start at 0, made at a parameter's first step.
func adamStep<Scalar>(_ parameters: [Tensor<Scalar>], _ states: inout [AdamState<Scalar>?], learningRate: Double,
                      beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double, decoupledWeightDecay: Double) {
    for (index, theta) in parameters.enumerated() {
        guard let g = theta.grad else { continue }
        var state = states[index] ?? AdamState(step: 0, firstMoment: .zeros(theta.shape), secondMoment: .zeros(theta.shape))
        state.step += 1
        theta.update(.adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                           weightDecay: weightDecay, decoupledWeightDecay: decoupledWeightDecay, step: state.step),
                     gradient: g, state: (state.firstMoment, state.secondMoment, nil))
        states[index] = state
    }
}

/// The checks that Adam and AdamW share (as torch.optim.Adam makes them).
func checkAdamHyperparameters(learningRate: Double, beta1: Double, beta2: Double,
                              epsilon: Double, weightDecay: Double) throws(OptimizerError) {
    try require("learning rate", learningRate, "≥ 0") { $0 >= 0 }
    try require("beta1", beta1, "in [0, 1)") { $0 >= 0 && $0 < 1 }
    try require("beta2", beta2, "in [0, 1)") { $0 >= 0 && $0 < 1 }
    try require("epsilon", epsilon, "≥ 0") { $0 >= 0 }
    try require("weight decay", weightDecay, "≥ 0") { $0 >= 0 }
}
