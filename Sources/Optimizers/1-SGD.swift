// 1-SGD.swift — stochastic gradient descent with momentum, dampening, Nesterov momentum and
// weight decay: the first and simplest of the four optimizers (SGD, Adam, AdamW, RMSprop).
//
// Read next: 2-Adam.swift.

import Tensors

/// Stochastic gradient descent, following the update rule of `torch.optim.SGD`. For each
/// parameter θ with gradient g, at its t-th step, with learning rate γ, momentum μ,
/// dampening τ and weight decay λ:
///
/// ```
/// g ← g + λθ                              (only if λ ≠ 0)
/// if μ ≠ 0:
///     b ← g                 at t = 1      (the momentum buffer starts at the first gradient)
///     b ← μb + (1 − τ)g     at t > 1
///     g ← g + μb            with Nesterov momentum
///     g ← b                 without
/// θ ← θ − γg
/// ```
/// With μ = 0 this is plain gradient descent, θ ← θ − γ∇θ.
public final class SGD<Scalar: TensorScalar>: Optimizer {
    public let parameters: [Tensor<Scalar>]
    /// γ
    public var learningRate: Double
    /// μ: how much of the previous update direction carries over.
    public let momentum: Double
    /// τ: how much of the new gradient is held back from the momentum buffer.
    public let dampening: Double
    /// Whether to step along g + μb (looking ahead along the momentum) instead of b.
    public let nesterov: Bool
    /// λ: L2 weight decay, added to the gradient as λθ.
    public let weightDecay: Double

    /// The momentum buffer b of each parameter; `nil` until its first step with momentum.
    struct State: ParameterState {
        var buffer: Tensor<Scalar>
        static var names: [String] { ["momentum_buffer"] }
        var named: [String: Tensor<Scalar>] { ["momentum_buffer": buffer] }
        init(buffer: Tensor<Scalar>) { self.buffer = buffer }
        init(named: [String: Tensor<Scalar>]) { buffer = named["momentum_buffer"]! }
    }
    private var states: [State?]

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative (or NaN) learning rate,
    ///   momentum, dampening or weight decay; `.nesterovNeedsMomentum` for Nesterov without
    ///   momentum or with dampening.
    public init(_ parameters: [Tensor<Scalar>], learningRate: Double, momentum: Double = 0,
                dampening: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) throws(OptimizerError) {
        try require("learning rate", learningRate, "≥ 0") { $0 >= 0 }
        try require("momentum", momentum, "≥ 0") { $0 >= 0 }
        try require("dampening", dampening, "≥ 0") { $0 >= 0 }
        try require("weight decay", weightDecay, "≥ 0") { $0 >= 0 }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw .nesterovNeedsMomentum(momentum: momentum, dampening: dampening)
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        states = Array(repeating: nil, count: parameters.count)
    }

    /// The update, in place, in one pass over each parameter: `Tensor.update` with
    /// `ParameterUpdate.sgd` runs the rule above element by element, overwriting θ and b
    /// (Backend.update; the same kernel steps Adam, AdamW and RMSprop). The buffer is made
    /// once, at a parameter's first step with momentum, and never shares storage with `grad`.
    public func step() {
        for (index, theta) in parameters.enumerated() {
            guard let g = theta.grad else { continue }
            var firstStep = false
            if momentum != 0 && states[index] == nil {
                states[index] = State(buffer: .zeros(theta.shape))
                firstStep = true
            }
            theta.update(.sgd(learningRate: learningRate, momentum: momentum, dampening: dampening,
                              nesterov: nesterov, weightDecay: weightDecay, firstStep: firstStep),
                         gradient: g, state: (states[index]?.buffer, nil, nil))
        }
    }

    /// `"state.<i>.momentum_buffer"` for each parameter that has taken a step with momentum.
    public var state: [String: Tensor<Scalar>] { flattenState(states) }

    public func loadState(_ state: [String: Tensor<Scalar>]) throws(OptimizerError) {
        states = try unflattenState(state, for: parameters, as: State.self)
    }
}
