// TrainingSettings.swift — the numbers a run is trained with (epochs, batch size, learning
// rate, optimizer, seed), each recipe's defaults, and checking the values a user typed.
//
// Read next: Recipe.swift, which gives each recipe its defaults.

import Optimizers
import Tensors

/// The optimizers `lumen train --optimizer` offers, all from the Optimizers target with
/// PyTorch's update rules.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
    /// Plain gradient descent: θ ← θ − γg.
    case sgd
    /// SGD with momentum 0.9 (PyTorch's form: b ← 0.9b + g, θ ← θ − γb).
    case momentum
    /// Adam with β = (0.9, 0.999), ε = 1e-8.
    case adam
    /// AdamW: Adam with decoupled weight decay 0.01 (PyTorch's default).
    case adamw
    /// RMSprop with α = 0.99, ε = 1e-8 (PyTorch's defaults).
    case rmsprop

    /// The names, as a user types them, in the order above.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The kind named `name` (any case).
    ///
    /// - Throws: `TrainingError.unknownOptimizer`, listing the names.
    public init(named name: String) throws(TrainingError) {
        guard let kind = OptimizerKind(rawValue: name.lowercased()) else {
            throw .unknownOptimizer(name, known: OptimizerKind.names)
        }
        self = kind
    }

    /// The state this kind keeps for each parameter once it has taken a step, under PyTorch's
    /// names: none for plain SGD, `momentum_buffer` for momentum, `step`, `exp_avg` and
    /// `exp_avg_sq` for Adam and AdamW, `step` and `square_avg` for RMSprop (without
    /// momentum or centering, as `lumen train` makes it).
    public var stateNames: [String] {
        switch self {
        case .sgd: []
        case .momentum: ["momentum_buffer"]
        case .adam, .adamw: ["step", "exp_avg", "exp_avg_sq"]
        case .rmsprop: ["step", "square_avg"]
        }
    }

    /// The state keys ("state.<i>.<name>") that a run of this kind over `parameterCount`
    /// parameters, after at least one step, has and `keys` lacks.
    public func missingState(_ keys: [String], parameterCount: Int) -> [String] {
        let present = Set(keys)
        return (0..<parameterCount).flatMap { index in
            stateNames.map { "state.\(index).\($0)" }.filter { !present.contains($0) }
        }
    }

    /// A new optimizer of this kind over `parameters` with learning rate `learningRate`.
    ///
    /// - Throws: `TrainingError.optimizer` when the optimizer rejects the learning rate.
    public func make<Scalar: TensorScalar>(_ parameters: [Tensor<Scalar>],
                                           learningRate: Double) throws(TrainingError) -> any Optimizer<Scalar> {
        do {
            switch self {
            case .sgd: return try SGD(parameters, learningRate: learningRate)
            case .momentum: return try SGD(parameters, learningRate: learningRate, momentum: 0.9)
            case .adam: return try Adam(parameters, learningRate: learningRate)
            case .adamw: return try AdamW(parameters, learningRate: learningRate)
            case .rmsprop: return try RMSprop(parameters, learningRate: learningRate)
            }
        } catch {
            throw .optimizer(error)
        }
    }
}

/// How a run trains. `Recipe.defaults` gives a recipe's values; `lumen train`'s options
/// replace any of them.
public struct TrainingSettings: Sendable, Equatable, Codable {
    /// The number of passes over the training set. With `--resume`, the total to reach,
    /// counting the epochs the checkpoint has already trained.
    public var epochs: Int
    /// Examples per batch (the last batch of an epoch may be smaller).
    public var batchSize: Int
    /// γ, the optimizer's learning rate (constant over the run).
    public var learningRate: Double
    public var optimizer: OptimizerKind
    /// Seeds the initial weights (`seed`) and the batch order (epoch e is shuffled with
    /// seed + 1000 + e). The data sets themselves are fixed per recipe.
    public var seed: UInt64

    // MARK: Schedule and clipping (Trainer+Schedule.swift); nil: not asked for
    // (Optional, so that the settings of older checkpoints still decode.)

    /// `--schedule`: how the learning rate changes over the run (nil: constant).
    public var schedule: ScheduleKind? = nil
    /// `--warmup`: batches of linear warm-up before the schedule (nil: none).
    public var warmupSteps: Int? = nil
    /// `--clip-norm`: the largest global gradient norm (nil: no clipping).
    public var clipNorm: Double? = nil

    public init(epochs: Int, batchSize: Int, learningRate: Double, optimizer: OptimizerKind, seed: UInt64 = 0) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.seed = seed
    }

    /// The seed of the loader's shuffle: apart from the weights' seed, so that changing one
    /// stream of random numbers does not shift the other.
    public var shuffleSeed: UInt64 { seed &+ 1000 }

    /// Throws unless every value can be trained with: at least one epoch and one example per
    /// batch, and a finite learning rate > 0.
    ///
    /// - Throws: `TrainingError.invalidOption` naming the option, its value and the range.
    public func validate() throws(TrainingError) {
        guard epochs >= 1 else { throw .invalidOption(option: "--epochs", value: String(epochs), allowed: "at least 1") }
        guard epochs <= 100_000 else {
            throw .invalidOption(option: "--epochs", value: String(epochs), allowed: "at most 100000")
        }
        guard batchSize >= 1 else {
            throw .invalidOption(option: "--batch-size", value: String(batchSize), allowed: "at least 1")
        }
        guard learningRate.isFinite && learningRate > 0 else {
            throw .invalidOption(option: "--lr", value: "\(learningRate)", allowed: "a number greater than 0, such as 0.01")
        }
        try validateScheduleAndClipping()
    }
}
