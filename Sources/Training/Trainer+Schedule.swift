// Trainer+Schedule.swift — the learning-rate schedules and gradient clipping of Sources/Optimizers
// as `lumen train` options: `--schedule constant|step|cosine`, `--warmup N` and `--clip-norm X`.
// A step is one batch. Over a run of S = epochs × batches-per-epoch steps with warm-up W:
//
//     constant   γₜ = γ
//     step       γₜ = γ · 0.1^⌊(t − W) / ⌈(S − W) / 3⌉⌋      (two drops, at a third and two thirds)
//     cosine     γₜ = γ · (1 + cos(π (t − W) / (S − W))) / 2  (down to 0 at the last step)
//
// and, for t < W, the linear warm-up from 0.1 γ to the schedule's first rate (LinearWarmup).
// Clipping rescales all gradients together when their global norm exceeds X, between backward
// and the optimizer's step (clipGradientNorm, as torch.nn.utils.clip_grad_norm_). Without
// these options the learning rate stays as it was set and nothing is clipped.
//
// Read next: Trainer+Checkpoint.swift.

import Optimizers

/// The schedules `--schedule` offers.
public enum ScheduleKind: String, CaseIterable, Sendable, Codable {
    case constant
    case step
    case cosine

    /// The names, as a user types them.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The kind named `name` (any case).
    ///
    /// - Throws: `TrainingError.invalidOption` listing the names.
    public init(named name: String) throws(TrainingError) {
        guard let kind = ScheduleKind(rawValue: name.lowercased()) else {
            throw .invalidOption(option: "--schedule", value: name, allowed: "one of \(ScheduleKind.names.joined(separator: ", "))")
        }
        self = kind
    }
}

extension TrainingSettings {
    /// True when the learning rate changes during the run (a schedule or a warm-up was asked for).
    var isScheduled: Bool { (schedule ?? .constant) != .constant || (warmupSteps ?? 0) > 0 }

    /// The schedule over a run of `totalSteps` batches, as the table at the top of this file.
    ///
    /// - Throws: `TrainingError.invalidOption` when the warm-up is not shorter than the run.
    func learningRateSchedule(totalSteps: Int) throws(TrainingError) -> any LearningRateSchedule {
        let warmup = warmupSteps ?? 0
        guard warmup < totalSteps else {
            throw .invalidOption(option: "--warmup", value: String(warmup),
                                 allowed: "fewer than the run's \(totalSteps) steps (batches)")
        }
        let remaining = totalSteps - warmup
        do throws(OptimizerError) {
            let main: any LearningRateSchedule
            switch schedule ?? .constant {
            case .constant: main = try ConstantLearningRate(learningRate)
            case .step: main = try StepDecay(initial: learningRate, stepSize: (remaining + 2) / 3, factor: 0.1)
            case .cosine: main = try CosineAnnealing(initial: learningRate, minimum: 0, period: remaining)
            }
            return warmup > 0 ? try LinearWarmup(steps: warmup, then: main) : main
        } catch {
            throw .optimizer(error)
        }
    }

    /// Throws unless the warm-up is ≥ 0 and the clipping norm finite and > 0.
    func validateScheduleAndClipping() throws(TrainingError) {
        if let warmupSteps, warmupSteps < 0 {
            throw .invalidOption(option: "--warmup", value: String(warmupSteps), allowed: "at least 0 (steps, one per batch)")
        }
        if let clipNorm, !(clipNorm.isFinite && clipNorm > 0) {
            throw .invalidOption(option: "--clip-norm", value: "\(clipNorm)", allowed: "a number greater than 0, such as 1")
        }
    }
}

extension Trainer {
    /// Sets the optimizer's learning rate for global step `step` (counting batches from the
    /// run's first), when the settings ask for a schedule.
    func applySchedule(step: Int, batchesPerEpoch: Int) throws(TrainingError) {
        guard settings.isScheduled else { return }
        let schedule = try settings.learningRateSchedule(totalSteps: settings.epochs * batchesPerEpoch)
        optimizer.apply(schedule, at: step)
    }

    /// Clips the gradients to `settings.clipNorm`, when given.
    func clipGradientsIfAsked() {
        guard let clipNorm = settings.clipNorm else { return }
        clipGradientNorm(model.parameters, maxNorm: clipNorm)
    }
}
