// ResumeTests.swift — `--resume`: two epochs, a checkpoint, and two more give the very same
// weights, optimizer state and losses as four epochs at once; checkpoints that cannot be
// resumed give typed errors and change nothing.

import Checkpoints
import Foundation
import Layers
import Tensors
import Testing
@testable import Training

@Suite struct ResumeTests {
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func settings(_ epochs: Int, _ optimizer: OptimizerKind) -> TrainingSettings {
        TrainingSettings(epochs: epochs, batchSize: 32, learningRate: optimizer == .adam ? 0.01 : 0.05,
                         optimizer: optimizer, seed: 11)
    }

    /// The figures that do not depend on the clock.
    static func figures(_ history: [EpochRecord]) -> [[Double]] {
        history.map { [Double($0.epoch), $0.trainLoss, $0.trainAccuracy, $0.testLoss, $0.testAccuracy] }
    }

    @Test(arguments: [OptimizerKind.adam, .momentum])
    func twoEpochsAndTwoMoreEqualFourAtOnce(optimizer: OptimizerKind) throws {
        let path = try Self.folder() + "/model.safetensors"
        let first = try Trainer(recipe: .moons, settings: Self.settings(2, optimizer))
        try first.train(progress: nil, checkpointPath: path)

        let resumed = try Trainer(resumingFrom: path, recipe: .moons, overrides: .init(epochs: 4))
        #expect(resumed.completedEpochs == 2)
        #expect(resumed.settings == Self.settings(4, optimizer))
        try resumed.train(progress: nil, checkpointPath: path)

        let straight = try Trainer(recipe: .moons, settings: Self.settings(4, optimizer))
        try straight.train(progress: nil)

        #expect(Self.figures(resumed.history) == Self.figures(straight.history))
        for ((name, a), (_, b)) in zip(resumed.model.namedState, straight.model.namedState) {
            #expect(a.scalars == b.scalars, "\(name)")
        }
        let stateA = resumed.optimizer.state, stateB = straight.optimizer.state
        #expect(Set(stateA.keys) == Set(stateB.keys) && !stateA.isEmpty)
        for (key, tensor) in stateA { #expect(tensor.scalars == stateB[key]!.scalars, "\(key)") }
        // The weights did move over the last two epochs, so the comparison means something.
        #expect(first.model.parameters[0].scalars != straight.model.parameters[0].scalars)
        // The resumed run kept the checkpoint up to date.
        #expect(try Trainer(resumingFrom: path, recipe: .moons, overrides: .init(epochs: 5)).completedEpochs == 4)
    }

    @Test func theCheckpointHoldsTheModelTheOptimizerAndTheRun() throws {
        let path = try Self.folder() + "/model.safetensors"
        let trainer = try Trainer(recipe: .moons, settings: Self.settings(1, .adam))
        try trainer.train(progress: nil, checkpointPath: path)
        let file = try Safetensors.read(from: path)
        let modelNames = trainer.model.namedState.map(\.name)
        #expect(modelNames == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
        for name in modelNames { #expect(file[name] != nil, "\(name)") }
        // Adam keeps exp_avg, exp_avg_sq and step for each of the six parameters.
        #expect(file.names.filter { $0.hasPrefix(Checkpoint.optimizerPrefix) }.count == 18)
        #expect(file.metadata["lumen.recipe"] == "moons")
        #expect(file.metadata["lumen.completed_epochs"] == "1")
        #expect(file.metadata["lumen.format"] == "lumen-train 1")
        #expect(file.metadata["lumen.settings"]?.contains("\"optimizer\":\"adam\"") == true)
    }

    @Test func checkpointsThatCannotBeResumedAreRefused() throws {
        let folder = try Self.folder()
        let path = folder + "/model.safetensors"
        try Trainer(recipe: .moons, settings: Self.settings(2, .adam)).train(progress: nil, checkpointPath: path)

        func refusal(_ body: () throws -> Trainer) -> String {
            do {
                _ = try body()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal { try Trainer(resumingFrom: path, recipe: .moons) }
            == "\(path) has already trained 2 epochs, and --epochs is 2: pass --epochs with more than 2 to train further")
        #expect(refusal { try Trainer(resumingFrom: path, recipe: .spirals, overrides: .init(epochs: 3)) }
            .hasPrefix("cannot resume from \(path): it was trained by the recipe 'moons', not 'spirals'"))
        #expect(refusal { try Trainer(resumingFrom: path, recipe: .moons, overrides: .init(epochs: 3, optimizer: .sgd)) }
            .hasPrefix("cannot resume from \(path): it was trained with --optimizer adam"))
        #expect(refusal { try Trainer(resumingFrom: folder + "/missing.safetensors", recipe: .moons) }
            .contains("missing.safetensors"))

        // A model saved without lumen train's metadata.
        let plain = folder + "/plain.safetensors"
        try Checkpoint.save(Recipe.moons.makeModel(seed: 0), to: plain)
        #expect(refusal { try Trainer(resumingFrom: plain, recipe: .moons, overrides: .init(epochs: 3)) }
            .hasPrefix("cannot resume from \(plain): it was not written by lumen train"))

        // Metadata that says moons, on another model's weights: the load fails whole.
        let digits = folder + "/digits.safetensors"
        var metadata = try Trainer(recipe: .moons, settings: Self.settings(1, .adam)).metadata
        metadata["lumen.completed_epochs"] = "0"
        metadata["lumen.history"] = "[]"
        try Checkpoint.save(Recipe.digitsMLP.makeModel(seed: 0), to: digits, metadata: metadata)
        #expect(refusal { try Trainer(resumingFrom: digits, recipe: .moons, overrides: .init(epochs: 3)) }
            .contains("0.weight"))

        // Corrupt metadata.
        metadata["lumen.settings"] = "{not json"
        let corrupt = folder + "/corrupt.safetensors"
        try Checkpoint.save(Recipe.moons.makeModel(seed: 0), to: corrupt, metadata: metadata)
        #expect(refusal { try Trainer(resumingFrom: corrupt, recipe: .moons, overrides: .init(epochs: 3)) }
            .contains("lumen.settings"))
    }
}
