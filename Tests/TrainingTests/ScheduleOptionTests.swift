// ScheduleOptionTests.swift — `--schedule`, `--warmup` and `--clip-norm` in the Trainer: the
// rates by step worked out by hand from the formulas in Trainer+Schedule.swift, the optimizer's
// rate after an epoch, clipping that keeps the weights still, the checks of bad values, the
// settings of older checkpoints, and a scheduled run resumed exactly.

import Foundation
import Optimizers
import Tensors
import Testing
@testable import Training

@Suite struct ScheduleOptionTests {
    static func settings(_ schedule: ScheduleKind?, warmup: Int? = nil, clip: Double? = nil, epochs: Int = 1,
                         optimizer: OptimizerKind = .adam, lr: Double = 0.01) -> TrainingSettings {
        var settings = TrainingSettings(epochs: epochs, batchSize: 32, learningRate: lr, optimizer: optimizer, seed: 3)
        settings.schedule = schedule
        settings.warmupSteps = warmup
        settings.clipNorm = clip
        return settings
    }

    @Test func ratesByStepAreTheFormulas() throws {
        func rates(_ kind: ScheduleKind, warmup: Int? = nil) throws -> [Double] {
            let schedule = try Self.settings(kind, warmup: warmup, lr: 0.1).learningRateSchedule(totalSteps: 10)
            return (0..<10).map { schedule.learningRate(at: $0) }
        }
        func close(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 } }
        #expect(close(try rates(.constant), Array(repeating: 0.1, count: 10)))
        // 10 steps: a drop every ⌈10 / 3⌉ = 4 steps.
        #expect(close(try rates(.step), [0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.001, 0.001]))
        let cosine = try rates(.cosine)
        #expect(close([cosine[0], cosine[5]], [0.1, 0.05]))   // (1 + cos(π/2)) / 2 = 1/2 halfway
        #expect(abs(cosine[9] - 0.1 * (1 + cos(0.9 * Double.pi)) / 2) < 1e-12)
        // Warm-up of 2 from 0.1 γ: γ·0.1, γ·(0.1 + 0.9·½), then the schedule from its step 0.
        let warm = try rates(.cosine, warmup: 2)
        #expect(close(Array(warm.prefix(3)), [0.01, 0.055, 0.1]))
        #expect(abs(warm[6] - 0.1 * (1 + cos(Double.pi * 4 / 8)) / 2) < 1e-12)
    }

    @Test func theOptimizerFollowsTheScheduleByBatch() throws {
        let trainer = try Trainer(recipe: .moons, settings: Self.settings(.cosine))
        try trainer.trainEpoch(progress: nil)
        // 300 points in batches of 32: 10 batches; the last step is t = 9 of 10.
        #expect(abs(trainer.optimizer.learningRate - 0.01 * (1 + cos(0.9 * Double.pi)) / 2) < 1e-12)
        let plain = try Trainer(recipe: .moons, settings: Self.settings(nil))
        try plain.trainEpoch(progress: nil)
        #expect(plain.optimizer.learningRate == 0.01)
    }

    @Test func aTinyClipNormKeepsTheWeightsAlmostStill() throws {
        // SGD with γ = 0.1 and gradients clipped to norm 10⁻⁸: 10 steps move no weight by more than 10⁻⁸.
        let clipped = try Trainer(recipe: .moons, settings: Self.settings(nil, clip: 1e-8, optimizer: .sgd, lr: 0.1))
        let before = clipped.model.parameters.flatMap(\.scalars)
        try clipped.trainEpoch(progress: nil)
        let moved = zip(before, clipped.model.parameters.flatMap(\.scalars)).map { abs(Double($0) - Double($1)) }.max()!
        // (Plus one rounding of a Float weight below 1: a spacing of at most 6·10⁻⁸.)
        #expect(moved <= 1e-8 + 6e-8, "largest change \(moved)")
        let free = try Trainer(recipe: .moons, settings: Self.settings(nil, optimizer: .sgd, lr: 0.1))
        try free.trainEpoch(progress: nil)
        let freeMoved = zip(before, free.model.parameters.flatMap(\.scalars)).map { abs(Double($0) - Double($1)) }.max()!
        #expect(freeMoved > 1e-3)
    }

    /// Expects `body` to throw a `TrainingError` whose message is exactly `message`.
    func expectError(_ message: String, _ body: () throws -> Void) {
        #expect {
            try body()
        } throws: { error in
            error is TrainingError && "\(error)" == message
        }
    }

    @Test func badValuesAreTypedErrors() throws {
        expectError("--warmup -1 is not allowed: --warmup must be at least 0 (steps, one per batch)") {
            try Self.settings(nil, warmup: -1).validate()
        }
        expectError("--clip-norm 0.0 is not allowed: --clip-norm must be a number greater than 0, such as 1") {
            try Self.settings(nil, clip: 0).validate()
        }
        expectError("--schedule linear is not allowed: --schedule must be one of constant, step, cosine") {
            _ = try ScheduleKind(named: "linear")
        }
        // A warm-up as long as the run is caught when the run's length is known.
        let trainer = try Trainer(recipe: .moons, settings: Self.settings(.constant, warmup: 10))
        expectError("--warmup 10 is not allowed: --warmup must be fewer than the run's 10 steps (batches)") {
            try trainer.trainEpoch(progress: nil)
        }
    }

    @Test func settingsWithoutTheNewKeysStillDecode() throws {
        let json = #"{"batchSize":32,"epochs":4,"learningRate":0.01,"optimizer":"adam","seed":2}"#
        let settings = try JSONDecoder().decode(TrainingSettings.self, from: Data(json.utf8))
        #expect(settings == TrainingSettings(epochs: 4, batchSize: 32, learningRate: 0.01, optimizer: .adam, seed: 2))
        #expect(settings.schedule == nil && settings.warmupSteps == nil && settings.clipNorm == nil)
    }

    @Test func aScheduledRunResumesExactly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-schedule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.safetensors").path
        let settings = Self.settings(.cosine, warmup: 3, clip: 0.5, epochs: 3)
        let whole = try Trainer(recipe: .moons, settings: settings)
        try whole.train(progress: nil)
        let part = try Trainer(recipe: .moons, settings: settings)
        try part.trainEpoch(progress: nil)
        try part.saveCheckpoint(to: path)
        let resumed = try Trainer(resumingFrom: path, recipe: .moons)
        #expect(resumed.settings == settings)
        try resumed.train(progress: nil)
        #expect(resumed.model.parameters.map(\.scalars) == whole.model.parameters.map(\.scalars))
        #expect(resumed.history.map(\.trainLoss) == whole.history.map(\.trainLoss))
    }
}
