// 4-RMSprop.swift — RMSprop: each coordinate's step divided by a running root-mean-square of
// its gradient, optionally centered (by the running mean) and with momentum. The last and
// most configurable of the four optimizers.
//
// Read next: LearningRateSchedule.swift.

import Tensors

/// RMSprop, following the update rule of `torch.optim.RMSprop`. For each parameter θ with
/// gradient g, with learning rate γ, smoothing constant α, ε, weight decay λ and momentum μ:
///
/// ```
/// g ← g + λθ                        (only if λ ≠ 0)
/// v ← αv + (1 − α)g²                (v₀ = 0: the running mean square)
/// ṽ = v
/// if centered:
///     ḡ ← αḡ + (1 − α)g             (ḡ₀ = 0: the running mean)
///     ṽ = v − ḡ²                    (an estimate of the variance instead of the mean square)
/// if μ > 0:
///     b ← μb + g / (√ṽ + ε)         (b₀ = 0)
///     θ ← θ − γb
/// else:
///     θ ← θ − γ g / (√ṽ + ε)
/// ```
/// Unlike Adam there is no bias correction, so the first steps are larger than later ones
/// (v starts small). ε is added after the square root, as PyTorch does.
public final class RMSprop<Scalar: TensorScalar>: Optimizer {
    public let parameters: [Tensor<Scalar>]
    /// γ
    public var learningRate: Double
    /// α, the decay rate of the running averages.
    public let alpha: Double
    /// ε, added to √ṽ.
    public let epsilon: Double
    /// λ, L2 weight decay added to the gradient.
    public let weightDecay: Double
    /// μ
    public let momentum: Double
    /// Whether to divide by the running standard deviation rather than the root mean square.
    public let centered: Bool

    /// One parameter's running averages; `gradientAverage` only when centered, `buffer` only with momentum.
    struct State: ParameterState {
        var step: Int
        var squareAverage: Tensor<Scalar>
        var gradientAverage: Tensor<Scalar>?
        var buffer: Tensor<Scalar>?

        init(step: Int, squareAverage: Tensor<Scalar>, gradientAverage: Tensor<Scalar>?, buffer: Tensor<Scalar>?) {
            self.step = step
            self.squareAverage = squareAverage
            self.gradientAverage = gradientAverage
            self.buffer = buffer
        }

        // The names PyTorch uses. The last two depend on the settings, so they are optional
        // here, and `RMSprop.loadState` checks that the settings' ones are there.
        static var names: [String] { ["step", "square_avg"] }
        static var optionalNames: [String] { ["grad_avg", "momentum_buffer"] }
        var named: [String: Tensor<Scalar>] {
            var result = ["step": Tensor(Scalar(step)), "square_avg": squareAverage]
            result["grad_avg"] = gradientAverage
            result["momentum_buffer"] = buffer
            return result
        }
        init(named: [String: Tensor<Scalar>]) {
            step = Int(named["step"]!.item())
            squareAverage = named["square_avg"]!
            gradientAverage = named["grad_avg"]
            buffer = named["momentum_buffer"]
        }
    }
    private var states: [State?]

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative learning rate, α, ε,
    ///   weight decay or momentum.
    public init(_ parameters: [Tensor<Scalar>], learningRate: Double = 0.01, alpha: Double = 0.99,
                epsilon: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0,
                centered: Bool = false) throws(OptimizerError) {
        try require("learning rate", learningRate, "≥ 0") { $0 >= 0 }
        try require("alpha", alpha, "≥ 0") { $0 >= 0 }
        try require("epsilon", epsilon, "≥ 0") { $0 >= 0 }
        try require("weight decay", weightDecay, "≥ 0") { $0 >= 0 }
        try require("momentum", momentum, "≥ 0") { $0 >= 0 }
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        states = Array(repeating: nil, count: parameters.count)
    }

    /// The update, in place, in one pass over each parameter (`Tensor.update` with
    /// `ParameterUpdate.rmsprop`). v, ḡ and b start at 0, made at a parameter's first step.
    public func step() {
        for (index, theta) in parameters.enumerated() {
            guard let g = theta.grad else { continue }
            var state = states[index] ?? State(step: 0, squareAverage: .zeros(theta.shape),
                                               gradientAverage: centered ? .zeros(theta.shape) : nil,
                                               buffer: momentum > 0 ? .zeros(theta.shape) : nil)
            state.step += 1
            theta.update(.rmsprop(learningRate: learningRate, alpha: alpha, epsilon: epsilon, weightDecay: weightDecay,
                                  momentum: momentum, centered: centered),
                         gradient: g, state: (state.squareAverage, state.gradientAverage, state.buffer))
            states[index] = state
        }
    }

    /// `"state.<i>.step"` and `".square_avg"` (v), plus `".grad_avg"` (ḡ) when centered and
    /// `".momentum_buffer"` (b) with momentum, for each parameter that has taken a step.
    public var state: [String: Tensor<Scalar>] { flattenState(states) }

    /// As `Optimizer.loadState`; also requires `grad_avg` exactly when centered and
    /// `momentum_buffer` exactly when momentum > 0.
    public func loadState(_ state: [String: Tensor<Scalar>]) throws(OptimizerError) {
        let loaded = try unflattenState(state, for: parameters, as: State.self)
        for (index, s) in loaded.enumerated() {
            guard let s else { continue }
            for (name, present, wanted) in [("grad_avg", s.gradientAverage != nil, centered),
                                            ("momentum_buffer", s.buffer != nil, momentum > 0)] {
                if wanted && !present { throw .incompleteState(parameter: index, missing: "state.\(index).\(name)") }
                if !wanted && present { throw .unknownStateKey("state.\(index).\(name)") }
            }
        }
        states = loaded
    }
}
