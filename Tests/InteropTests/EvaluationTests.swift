// EvaluationTests.swift — loss, accuracy and confusion matrix, checked against a hand-computed
// example and against the test loss and accuracy that the trainer itself recorded in the
// checkpoint's history.
//
// Read next: ReaderTests.swift.

import Checkpoints
import Datasets
import Foundation
import Layers
import Tensors
import Testing
import Training
@testable import Interop

@Suite struct EvaluationTests {
    /// Linear(2 → 3) with W = [[1, 0], [0, 1], [1, 1]], b = 0 on three points: logits are
    /// (x, y, x + y), so the hand-computed values below follow.
    @Test func aHandWorkedExample() throws {
        let linear = Linear<Float>(weight: try Tensor(shape: [3, 2], elements: [1, 0, 0, 1, 1, 1]), bias: nil)
        let model = Sequential<Float>(linear)
        let spec = try ModelSpec(describing: model, inputShape: [2], classNames: ["x", "y", "sum"])
        // Points (2, 0) label 0, (0, 1) label 2, (1, 1) label 2.
        let data = try InMemoryDataset<Float>(features: [2, 0, 0, 1, 1, 1], labels: [0, 2, 2], exampleShape: [2], classCount: 3)
        let evaluation = try Evaluation(model: model, spec: spec, data: data, dataName: "hand")
        // logits (2, 0, 2): the first largest is class 0 → correct; (0, 1, 1): class 1 → wrong;
        // (1, 1, 2): class 2 → correct.
        #expect(evaluation.confusion == [[1, 0, 0], [0, 0, 0], [0, 1, 1]])
        #expect(evaluation.accuracy == 2.0 / 3)
        func ce(_ z: [Double], _ label: Int) -> Double { -log(exp(z[label]) / z.map(exp).reduce(0, +)) }
        let expected = (ce([2, 0, 2], 0) + ce([0, 1, 1], 2) + ce([1, 1, 2], 2)) / 3
        #expect(abs(evaluation.loss - expected) < 1e-12)
    }

    /// `lumen train` records each epoch's test loss and accuracy (Trainer.evaluate, in Float
    /// batches); evaluating the saved model afresh gives the same numbers.
    @Test func theSavedModelScoresWhatTrainingRecorded() throws {
        let trainer = TrainedDigits.trainer
        let saved = try SavedModel.load(TrainedDigits.checkpoint)
        let test = trainer.data.test
        let evaluation = try Evaluation(model: saved.model, spec: saved.spec, data: test, dataName: "digits test", batchSize: 64)
        let recorded = try #require(trainer.history.last)
        #expect(evaluation.count == 297)
        #expect(abs(evaluation.accuracy - recorded.testAccuracy) < 1e-12)
        #expect(abs(evaluation.loss - recorded.testLoss) < 1e-5 * max(1, recorded.testLoss))
        // Each row of the confusion matrix counts one class's test examples.
        #expect(evaluation.confusion.map { $0.reduce(0, +) } == test.classCounts())
        let diagonal = evaluation.confusion.indices.reduce(0) { $0 + evaluation.confusion[$1][$1] }
        #expect(Double(diagonal) / 297 == evaluation.accuracy)
    }

    @Test func dataWithMoreClassesThanOutputsIsRefused() throws {
        let model = Sequential<Float>(Linear<Float>(weight: .ones([2, 2]), bias: nil))
        let spec = try ModelSpec(describing: model, inputShape: [2], classNames: ["a", "b"])
        let data = try InMemoryDataset<Float>(features: [0, 0], labels: [2], exampleShape: [2], classCount: 3)
        #expect(throws: InteropError.self) { try Evaluation(model: model, spec: spec, data: data, dataName: "three") }
        let wide = try InMemoryDataset<Float>(features: [0, 0, 0], labels: [1], exampleShape: [3], classCount: 2)
        #expect(throws: InteropError.self) { try Evaluation(model: model, spec: spec, data: wide, dataName: "wide") }
    }
}
