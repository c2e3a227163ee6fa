// DamagedCheckpointTests.swift — `--resume` from checkpoints damaged in the ways the issue
// found: a step count of 10 turned into 10³⁰ (it used to trap converting to Int), weights that
// are NaN or ∞ (they used to resume silently at chance accuracy), and optimizer state left out
// (it used to be accepted, so the resume was no longer exact). Each gets a typed error naming
// what is wrong; `--reset-optimizer` is the way on for the last.

import Checkpoints
import Foundation
import Layers
import Tensors
import Testing
@testable import Training

@Suite struct DamagedCheckpointTests {
    /// A one-epoch moons checkpoint trained with `optimizer`, and its path.
    static func checkpoint(_ optimizer: OptimizerKind) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-damaged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let path = url.path + "/model.safetensors"
        let settings = TrainingSettings(epochs: 1, batchSize: 32, learningRate: 0.01, optimizer: optimizer, seed: 3)
        try Trainer(recipe: .moons, settings: settings).train(progress: nil, checkpointPath: path)
        return path
    }

    /// Rewrites the checkpoint at `path` with `edit` applied to its tensors (metadata kept).
    static func rewrite(_ path: String, _ edit: (inout [(name: String, tensor: Tensor<Float>)]) -> Void) throws {
        let file = try Safetensors.read(from: path)
        var tensors = try file.tensors(as: Float.self)
        edit(&tensors)
        try Safetensors.write(tensors, metadata: file.metadata, to: path)
    }

    static func resumeError(_ path: String, _ overrides: Trainer.Overrides = .init(epochs: 2)) -> TrainingError? {
        do {
            _ = try Trainer(resumingFrom: path, recipe: .moons, overrides: overrides)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [(OptimizerKind.adam, Float(1e30)), (.adamw, 1.8e20), (.rmsprop, 9.223372e18)])
    func aHugeStepCountIsRefusedNotATrap(optimizer: OptimizerKind, step: Float) throws {
        let path = try Self.checkpoint(optimizer)
        try Self.rewrite(path) { tensors in
            let index = tensors.firstIndex { $0.name == "__optimizer__.state.0.step" }!
            #expect(tensors[index].tensor.item() == 10)   // 300 examples in batches of 32
            tensors[index].tensor = Tensor(step)
        }
        // (An infinite step count is refused earlier, with the other non-finite tensors.)
        guard case .optimizer(.invalidStep(let key, let value))? = Self.resumeError(path) else {
            Issue.record("expected an invalid step count, got \(String(describing: Self.resumeError(path)))")
            return
        }
        #expect(key == "state.0.step" && value == Double(step))
    }

    @Test(arguments: [Float.nan, .infinity])
    func nonFiniteWeightsAreRefusedNamingTheTensor(bad: Float) throws {
        let path = try Self.checkpoint(.adam)
        try Self.rewrite(path) { tensors in
            let index = tensors.firstIndex { $0.name == "2.weight" }!
            var values = tensors[index].tensor.scalars
            values[5] = bad
            tensors[index].tensor = try! Tensor(shape: tensors[index].tensor.shape, elements: values)
        }
        let error = Self.resumeError(path)
        guard case .checkpoint(.nonFiniteValues(path, "2.weight", let nanCount, let infiniteCount))? = error else {
            Issue.record("expected non-finite values in 2.weight, got \(String(describing: error))")
            return
        }
        #expect(nanCount + infiniteCount == 1)
        #expect(error!.description.hasPrefix("\(path): tensor '2.weight' holds 1 "))
    }

    @Test(arguments: [OptimizerKind.adam, .momentum, .rmsprop])
    func missingOptimizerStateIsRefusedNamingItUnlessReset(optimizer: OptimizerKind) throws {
        let path = try Self.checkpoint(optimizer)
        // All of it gone, as a checkpoint saved without the optimizer would be.
        try Self.rewrite(path) { $0.removeAll { $0.name.hasPrefix(Checkpoint.optimizerPrefix) } }
        let error = Self.resumeError(path)
        guard case .missingOptimizerState(path, let names)? = error else {
            Issue.record("expected missing optimizer state, got \(String(describing: error))")
            return
        }
        let expected = (0..<6).flatMap { index in optimizer.stateNames.map { "__optimizer__.state.\(index).\($0)" } }
        #expect(names == expected)
        #expect(error!.description.contains("--reset-optimizer"))

        // --reset-optimizer: the weights load, the optimizer starts afresh, and training goes on.
        let trainer = try Trainer(resumingFrom: path, recipe: .moons, overrides: .init(epochs: 2, resetOptimizer: true))
        #expect(trainer.optimizer.state.isEmpty)
        try trainer.train(progress: nil)
        #expect(trainer.completedEpochs == 2)
    }

    @Test func oneMissingBufferIsNamed() throws {
        let path = try Self.checkpoint(.momentum)
        try Self.rewrite(path) { $0.removeAll { $0.name == "__optimizer__.state.3.momentum_buffer" } }
        guard case .missingOptimizerState(_, let names)? = Self.resumeError(path) else {
            Issue.record("expected missing optimizer state")
            return
        }
        #expect(names == ["__optimizer__.state.3.momentum_buffer"])
    }

    @Test func resetOptimizerAllowsAnotherOptimizer() throws {
        let path = try Self.checkpoint(.adam)
        let trainer = try Trainer(resumingFrom: path, recipe: .moons,
                                  overrides: .init(epochs: 2, optimizer: .sgd, resetOptimizer: true))
        #expect(trainer.settings.optimizer == .sgd)
        // Plain SGD keeps no state, so a checkpoint of it needs none.
        try trainer.train(progress: nil, checkpointPath: path)
        #expect(try Trainer(resumingFrom: path, recipe: .moons, overrides: .init(epochs: 3)).completedEpochs == 2)
    }
}
