// DivergenceTests.swift — a run that blows up stops with the divergence message, on every
// recipe and optimizer: whether its loss becomes NaN or ∞, or only huge (moons and spirals at
// --lr 1e9 used to end with exit 0 and losses near 10²²); and anomaly detection names the op
// that made the first NaN or ±∞ and draws it.

import Datasets
import Foundation
import Tensors
import Testing
@testable import Training

@Suite struct DivergenceTests {
    @Test(arguments: [Recipe.moons, .spirals], OptimizerKind.allCases)
    func aHugeLearningRateStopsAsDiverged(recipe: Recipe, optimizer: OptimizerKind) throws {
        let settings = TrainingSettings(epochs: 3, batchSize: 32, learningRate: 1e9, optimizer: optimizer)
        let trainer = try Trainer(recipe: recipe, settings: settings)
        do {
            try trainer.train(progress: nil)
            Issue.record("\(recipe.name) with \(optimizer) at lr 1e9 finished: losses \(trainer.history.map(\.trainLoss))")
        } catch {
            guard case .diverged(_, _, let loss, let learningRate) = error else {
                Issue.record("expected divergence, got \(error)")
                return
            }
            #expect(!(loss <= Trainer.divergenceBound))   // NaN, ∞, or above the bound
            #expect(learningRate == 1e9)
            #expect(error.description.contains("training diverged at learning rate 1000000000.0; try a smaller --lr"))
        }
    }

    @Test func theBoundIsFarAboveAnyLearningRun() throws {
        // A sound run's losses sit far below the bound (they start near ln 2 = 0.69).
        let trainer = try Trainer(recipe: .moons, settings: TrainingSettings(epochs: 2, batchSize: 32, learningRate: 0.01,
                                                                            optimizer: .adam))
        try trainer.train(progress: nil)
        #expect(trainer.history.allSatisfy { $0.trainLoss < 1 && $0.testLoss < 1 })
        #expect(Trainer.divergenceBound == 1000)
        #expect(TrainingError.diverged(epoch: 1, batch: 2, loss: 1.5e22, learningRate: 1e9).description
                == "the loss became 1.5e+22, above 1000.0, in epoch 1, batch 2: training diverged at learning rate "
                + "1000000000.0; try a smaller --lr")
    }

    @Test func anomalyDetectionNamesTheOpAndDrawsIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-anomaly-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let trainer = try Trainer(recipe: .moons, settings: TrainingSettings(epochs: 1, batchSize: 32, learningRate: 0.01,
                                                                            optimizer: .sgd))
        // Weights so large that the first layer's product overflows to ±∞ (3e38 · x summed).
        let weight = trainer.model.parameters[0]
        weight.assign(Tensor(repeating: 3e38, shape: weight.shape))
        trainer.detectsAnomalies = true
        trainer.anomalyGraphPath = folder + "/anomaly-graph.dot"
        do {
            try trainer.train(progress: nil)
            Issue.record("the run finished")
        } catch {
            guard case .anomaly(1, 1, let anomaly, let graphPath) = error else {
                Issue.record("expected an anomaly in epoch 1, batch 1, got \(error)")
                return
            }
            #expect(anomaly.phase == .forward)
            #expect(anomaly.op?.hasPrefix("matmul") == true, "\(anomaly)")
            #expect(anomaly.infiniteCount > 0)
            #expect(graphPath == folder + "/anomaly-graph.dot")
            let dot = try String(contentsOfFile: folder + "/anomaly-graph.dot", encoding: .utf8)
            #expect(dot.contains("#f76707"))   // the highlight's orange outline
            #expect(error.description.hasPrefix("anomaly in epoch 1, batch 1: forward: op 'matmul"))
        }
    }
}
