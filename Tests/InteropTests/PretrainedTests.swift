// PretrainedTests.swift — the shipped pre-trained digits-cnn (Pretrained/, made by
// `lumen train digits-cnn`, seed 0, the recipe's defaults): at most 1 MB, self-describing,
// and scoring on the test split exactly what its training recorded. The check that a fresh
// training gives the same weights bit for bit is slow (30 epochs), so it runs when asked:
//
//     LUMEN_CHECK_PRETRAINED=1 swift test --filter PretrainedTests
//
// Read next: TransferTests.swift.

import Checkpoints
import Foundation
import Testing
import Training
@testable import Interop

/// The committed pre-trained checkpoints.
enum Pretrained {
    static let digitsCNN: String = {
        var folder = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("Pretrained/digits-cnn.safetensors").path
    }()
}

@Suite struct PretrainedTests {
    @Test func theCheckpointIsSmallDescribesItselfAndScoresWhatItsTrainingRecorded() throws {
        let size = try #require(try FileManager.default.attributesOfItem(atPath: Pretrained.digitsCNN)[.size] as? Int)
        #expect(size <= 1 << 20)
        let saved = try SavedModel.load(Pretrained.digitsCNN)
        #expect(saved.notes.isEmpty && saved.recipe?.name == "digits-cnn")
        #expect(saved.metadata[Trainer.MetadataKey.settings] == #"{"batchSize":32,"epochs":30,"learningRate":0.05,"optimizer":"momentum","seed":0}"#)
        let history = try #require(saved.metadata[Trainer.MetadataKey.history]).data(using: .utf8)!
        let records = try #require(try JSONSerialization.jsonObject(with: history) as? [[String: Any]])
        let last = try #require(records.last)
        let evaluation = try Evaluation(model: saved.model, spec: saved.spec, data: try Recipe.digitsCNN.loadData().test,
                                        dataName: "test")
        #expect(records.count == 30)
        // The same examples right (295 of 297); the two fractions are computed in other orders.
        let recorded = try #require(last["testAccuracy"] as? Double)
        #expect(Int((evaluation.accuracy * 297).rounded()) == Int((recorded * 297).rounded()))
        #expect(abs(evaluation.accuracy - recorded) <= 1e-12)
        #expect(abs(evaluation.loss - (last["testLoss"] as? Double ?? .nan)) <= 1e-5)
        #expect(evaluation.accuracy >= 0.99)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["LUMEN_CHECK_PRETRAINED"] == "1"))
    func aFreshTrainingGivesTheSameWeightsBitForBit() throws {
        let trainer = try Trainer(recipe: .digitsCNN, settings: Recipe.digitsCNN.defaults)
        try trainer.train(progress: nil)
        let file = try Safetensors.read(from: Pretrained.digitsCNN)
        for (name, tensor) in trainer.model.namedState {
            #expect(tensor.scalars.map(\.bitPattern) == (try file.tensor(name, as: Float.self)).scalars.map(\.bitPattern), "\(name)")
        }
    }
}
