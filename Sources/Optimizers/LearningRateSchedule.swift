// LearningRateSchedule.swift — learning rates that change during training: step decay,
// cosine annealing, and a linear warm-up that goes in front of any other schedule. A schedule
// is a pure function of the step number; the training loop sets the optimizer's
// `learningRate` from it before each step.
//
// Read next: GradientClipping.swift.

import Basics
import Foundation

/// The learning rate as a function of the step number.
///
/// ```swift
/// let schedule = try LinearWarmup(steps: 100, then: CosineAnnealing(initial: 0.1, minimum: 0.001, period: 900))
/// for t in 0..<1000 {
///     optimizer.apply(schedule, at: t)
///     … backward …
///     optimizer.step()
/// }
/// ```
/// What a step is (a batch or an epoch) is up to the caller; a schedule only counts.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for step `step`, counting from 0.
    func learningRate(at step: Int) -> Double
}

extension Optimizer {
    /// Sets `learningRate` to `schedule`'s rate for step `step`.
    public func apply(_ schedule: any LearningRateSchedule, at step: Int) {
        learningRate = schedule.learningRate(at: step)
    }
}

/// The same rate at every step: γₜ = γ.
public struct ConstantLearningRate: LearningRateSchedule {
    public let rate: Double

    public init(_ rate: Double) throws(OptimizerError) {
        try require("learning rate", rate, "≥ 0") { $0 >= 0 }
        self.rate = rate
    }

    public func learningRate(at step: Int) -> Double { rate }
}

/// Step decay, as `torch.optim.lr_scheduler.StepLR`: the rate is multiplied by `factor`
/// every `stepSize` steps.
///
/// ```
/// γₜ = γ₀ · factor^⌊t / stepSize⌋
/// ```
public struct StepDecay: LearningRateSchedule {
    /// γ₀
    public let initial: Double
    /// How many steps each rate lasts.
    public let stepSize: Int
    /// What the rate is multiplied by at each drop (PyTorch's `gamma`), e.g. 0.1.
    public let factor: Double

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative rate or factor, or a
    ///   step size below 1.
    public init(initial: Double, stepSize: Int, factor: Double = 0.1) throws(OptimizerError) {
        try require("learning rate", initial, "≥ 0") { $0 >= 0 }
        try require("step size", Double(stepSize), "≥ 1") { $0 >= 1 }
        try require("decay factor", factor, "≥ 0") { $0 >= 0 }
        self.initial = initial
        self.stepSize = stepSize
        self.factor = factor
    }

    public func learningRate(at step: Int) -> Double {
        trapUnless(step >= 0, "StepDecay: step \(step) is negative; steps count from 0")
        return initial * pow(factor, Double(step / stepSize))   // step / stepSize: whole division, ⌊t / stepSize⌋
    }
}

/// Cosine annealing from `initial` down to `minimum` over `period` steps, as the closed form
/// of `torch.optim.lr_scheduler.CosineAnnealingLR`, then held at the minimum:
///
/// ```
/// γₜ = γ_min + (γ₀ − γ_min) · (1 + cos(π t / T)) / 2     for t ≤ T
/// γₜ = γ_min                                              for t > T
/// ```
/// The rate falls slowly at first, fastest halfway, and slowly again near the end. (PyTorch's
/// formula, used past T, would climb back up again; here training past T stays at γ_min.)
public struct CosineAnnealing: LearningRateSchedule {
    /// γ₀
    public let initial: Double
    /// γ_min
    public let minimum: Double
    /// T, the number of steps from γ₀ to γ_min.
    public let period: Int

    /// - Throws: `OptimizerError.invalidHyperparameter` for a negative rate, a minimum above
    ///   the initial rate, or a period below 1.
    public init(initial: Double, minimum: Double = 0, period: Int) throws(OptimizerError) {
        try require("learning rate", initial, "≥ 0") { $0 >= 0 }
        try require("minimum learning rate", minimum, "between 0 and the initial rate \(initial)") {
            $0 >= 0 && $0 <= initial
        }
        try require("period", Double(period), "≥ 1") { $0 >= 1 }
        self.initial = initial
        self.minimum = minimum
        self.period = period
    }

    public func learningRate(at step: Int) -> Double {
        trapUnless(step >= 0, "CosineAnnealing: step \(step) is negative; steps count from 0")
        if step >= period { return minimum }
        let progress = Double(step) / Double(period)          // t / T, in [0, 1)
        return minimum + (initial - minimum) * (1 + cos(Double.pi * progress)) / 2
    }
}

/// A linear warm-up in front of another schedule: for the first `steps` steps the rate
/// climbs in a straight line from `startFactor` times the next schedule's first rate up to
/// that rate; then the next schedule runs, starting from its own step 0.
///
/// ```
/// γₜ = next(0) · (f + (1 − f) · t / W)      for t < W     (f = startFactor, W = steps)
/// γₜ = next(t − W)                          for t ≥ W
/// ```
/// Large early steps, taken while the weights are random and an adaptive optimizer's
/// statistics are still poor, can throw training off; warming up avoids them.
/// `LinearWarmup(steps: W, startFactor: f, then: ConstantLearningRate(γ))` is PyTorch's
/// `LinearLR(start_factor: f, total_iters: W)`.
public struct LinearWarmup: LearningRateSchedule {
    /// W, the length of the warm-up.
    public let steps: Int
    /// f, the fraction of the target rate that step 0 uses.
    public let startFactor: Double
    /// The schedule that follows the warm-up.
    public let next: any LearningRateSchedule

    /// - Throws: `OptimizerError.invalidHyperparameter` for fewer than 1 warm-up step or a
    ///   start factor outside [0, 1].
    public init(steps: Int, startFactor: Double = 0.1, then next: any LearningRateSchedule) throws(OptimizerError) {
        try require("warm-up length", Double(steps), "≥ 1") { $0 >= 1 }
        try require("warm-up start factor", startFactor, "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        self.steps = steps
        self.startFactor = startFactor
        self.next = next
    }

    public func learningRate(at step: Int) -> Double {
        trapUnless(step >= 0, "LinearWarmup: step \(step) is negative; steps count from 0")
        if step >= steps { return next.learningRate(at: step - steps) }
        let fraction = startFactor + (1 - startFactor) * Double(step) / Double(steps)
        return next.learningRate(at: 0) * fraction
    }
}
