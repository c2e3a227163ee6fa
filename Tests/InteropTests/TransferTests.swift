// TransferTests.swift — starting from weights trained elsewhere and freezing layers (`lumen
// train --init-from FILE [--strict false] --freeze PREFIX…`). The PyTorch-style files are
// written by Python (Fixtures/pytorch_state_dict.py), which also lists their values: the
// loaded weights must be exactly those. Frozen parameters get no gradient and are
// bit-identical after an epoch of training, while the others move.
//
// Read next: CommandTests.swift.

import Checkpoints
import Foundation
import Layers
import Tensors
import Testing
import Training
import _TestSupport
@testable import Interop

@Suite struct TransferTests {
    /// The digits-cnn model initialized from a PyTorch state_dict (no metadata, one tensor in
    /// F16): every tensor holds exactly Python's values.
    @Test(.enabled(if: Python.interop != nil, Comment(rawValue: Python.interopMissing)))
    func aPyTorchStateDictInitializesTheModelExactly() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let values = try #require(Python.interop).runJSON([fixtures + "/pytorch_state_dict.py", folder])
        let trainer = try Trainer(recipe: .digitsCNN, settings: Recipe.digitsCNN.defaults)
        let report = try trainer.initialize(from: folder + "/exact.safetensors", strict: true)
        #expect(report.isExact && report.loaded.count == 8)
        for (name, tensor) in trainer.model.namedState {
            let expected = try #require(values[name] as? [String]).map { Float(try #require(Double($0))) }
            #expect(tensor.scalars == expected, "\(name)")
        }
    }

    /// A file for another head (5 classes, no 9.bias, a tensor of another model): strict
    /// mode lists all three kinds of difference in one message and loads nothing; --strict
    /// false loads the body and leaves the head as the seed made it.
    @Test(.enabled(if: Python.interop != nil, Comment(rawValue: Python.interopMissing)))
    func aFileForAnotherHeadIsListedThenLoadedWhereItMatches() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let values = try #require(Python.interop).runJSON([fixtures + "/pytorch_state_dict.py", folder])
        let trainer = try Trainer(recipe: .digitsCNN, settings: Recipe.digitsCNN.defaults)
        let before = trainer.model.namedState.map { ($0.name, $0.tensor.scalars) }
        let path = folder + "/partial.safetensors"
        do {
            _ = try trainer.initialize(from: path, strict: true)
            Issue.record("a file that does not fit was loaded")
        } catch {
            let text = error.description
            #expect(text.contains("the model has tensors the file lacks: 9.bias"), "\(text)")
            #expect(text.contains("the file has tensors the model lacks: classifier.weight"), "\(text)")
            #expect(text.contains("tensors of other shapes: 9.weight: [5, 64] for [10, 64]"), "\(text)")
            #expect(!text.contains("num_batches_tracked") && text.contains("--strict false"), "\(text)")
        }
        #expect(trainer.model.namedState.map(\.tensor.scalars) == before.map(\.1))

        let report = try trainer.initialize(from: path, strict: false)
        #expect(report.loaded == ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias"])
        #expect(report.missing == ["9.bias"] && report.unexpected == ["classifier.weight"])
        #expect(report.misShaped == ["9.weight: [5, 64] for [10, 64]"])
        for ((name, tensor), (_, old)) in zip(trainer.model.namedState, before) {
            if name.hasPrefix("9.") {
                #expect(tensor.scalars == old, "\(name) should keep its fresh weights")
            } else {
                let expected = try #require(values[name] as? [String]).map { Float(try #require(Double($0))) }
                #expect(tensor.scalars == expected, "\(name)")
            }
        }
    }

    /// One epoch of moons with layer 0 frozen: its tensors get no gradient, hold no optimizer
    /// state and end bit-identical; every other parameter moves.
    @Test(arguments: ["sgd", "momentum", "adamw"])
    func frozenParametersGetNoGradientAndDoNotChange(optimizer: String) throws {
        var settings = Recipe.moons.defaults
        settings.epochs = 1
        settings.optimizer = try OptimizerKind(named: optimizer)
        let trainer = try Trainer(recipe: .moons, settings: settings)
        let (names, count) = try trainer.freeze(["0"])
        #expect(names == ["0.weight", "0.bias"])
        #expect(count == trainer.model.namedParameters.prefix(2).reduce(0) { $0 + $1.tensor.count })
        #expect(trainer.frozenParameters == ["0.weight", "0.bias"])
        let before = trainer.model.namedParameters.map { ($0.name, $0.tensor.scalars.map(\.bitPattern)) }
        try trainer.train(progress: nil)
        for ((name, tensor), (_, old)) in zip(trainer.model.namedParameters, before) {
            if name.hasPrefix("0.") {
                #expect(tensor.grad == nil, "\(name) got a gradient")
                #expect(tensor.scalars.map(\.bitPattern) == old, "\(name) changed")
            } else {
                #expect(tensor.scalars.map(\.bitPattern) != old, "\(name) did not train")
            }
        }
        #expect(!trainer.optimizer.namedState.contains { $0.name.hasPrefix("state.0.") || $0.name.hasPrefix("state.1.") })
    }

    @Test func aPrefixThatNamesNoParameterIsRefusedListingTheLayers() throws {
        let trainer = try Trainer(recipe: .moons, settings: Recipe.moons.defaults)
        #expect {
            try trainer.freeze(["1"])  // ReLU: no parameters
        } throws: { error in
            "\(error)".contains("--freeze") && "\(error)".contains("(0, 2, 4)")
        }
        #expect(trainer.frozenParameters.isEmpty)
    }

    /// The command: --init-from a Lumen checkpoint and --freeze, reported before training;
    /// the options that make no sense together are refused.
    @Test func theTrainCommandInitializesAndFreezes() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let source = try saveCheckpoint(Recipe.moons.makeModel(seed: 5), recipeName: "moons", inputShape: [2],
                                        classNames: ["0", "1"], in: folder, name: "source.safetensors")
        let run = try Lumen(["train", "moons", "--epochs", "1", "--init-from", source, "--freeze", "0", "2", "-o", folder + "/out"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("initialized from \(source): 6 of 6 tensors"), "\(run.stdout)")
        #expect(run.stdout.contains("frozen: 320 of 354 parameters (0.weight, 0.bias, 2.weight, 2.bias)"), "\(run.stdout)")
        // The model summary counts them as not trainable: 2·16 + 16 and 16·16 + 16 of the MLP 2 → 16 → 16 → 2.
        #expect(run.stdout.contains("Non-trainable params: 320"), "\(run.stdout)")
        let trained = try Safetensors.read(from: folder + "/out/model.safetensors")
        let original = try Safetensors.read(from: source)
        #expect(try trained.tensor("2.weight", as: Float.self).scalars == (try original.tensor("2.weight", as: Float.self).scalars))
        #expect(try trained.tensor("4.weight", as: Float.self).scalars != (try original.tensor("4.weight", as: Float.self).scalars))

        let strictAlone = try Lumen(["train", "moons", "--strict", "false", "-o", folder + "/x"])
        #expect(strictAlone.status != 0 && strictAlone.stderr.contains("--init-from"), "\(strictAlone.stderr)")
        let withResume = try Lumen(["train", "moons", "--epochs", "2", "--resume", folder + "/out/model.safetensors",
                                    "--init-from", source])
        #expect(withResume.status != 0 && withResume.stderr.contains("--init-from"), "\(withResume.stderr)")
    }
}
