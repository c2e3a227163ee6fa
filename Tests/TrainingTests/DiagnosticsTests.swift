// DiagnosticsTests.swift — `lumen train --diagnostics`: every histogram counts every element,
// the dead share and update-to-data ratios against hand computations, the confusion matrix
// against the test accuracy, and the page's sections.
//
// Read next: Sources/Training/Diagnostics.swift.

import Datasets
import Foundation
import Layers
import Optimizers
import Plots
import Tensors
import Testing
@testable import Training

@Suite struct DiagnosticsTests {
    /// Three epochs of moons (an MLP 2 → 16 → 16 → 2 with ReLU) with diagnostics on.
    static func trained() throws -> (Trainer, Diagnostics) {
        var settings = Recipe.moons.defaults
        settings.epochs = 3
        let trainer = try Trainer(recipe: .moons, settings: settings)
        let diagnostics = Diagnostics(model: trainer.model)
        trainer.diagnostics = diagnostics
        try trainer.train(progress: nil)
        return (trainer, diagnostics)
    }

    @Test func everyHistogramCountsEveryElementOfItsLayer() throws {
        let (trainer, diagnostics) = try Self.trained()
        #expect(diagnostics.epochs.map(\.epoch) == [1, 2, 3])
        let probe = min(Diagnostics.probeSize, trainer.data.train.count)   // 256 of the 300 training points
        // Linear 16, ReLU 16, Linear 16, ReLU 16, Linear 2: outputs of probe × width elements.
        let widths = [16, 16, 16, 16, 2]
        for epoch in diagnostics.epochs {
            #expect(epoch.layers.map(\.elementCount) == widths.map { $0 * probe })
            for layer in epoch.layers {
                #expect(layer.values.counts.reduce(0, +) + layer.values.nanCount == layer.elementCount, "\(layer.name)")
                #expect(layer.gradients.counts.reduce(0, +) + layer.gradients.nanCount == layer.elementCount, "\(layer.name)")
                #expect(layer.values.counts.count == Diagnostics.bins)
            }
            // Dead shares for the ReLU layers only; no saturation for a network without tanh.
            #expect(epoch.layers.map { $0.deadShare != nil } == [false, true, false, true, false])
            #expect(epoch.layers.allSatisfy { $0.saturatedShare == nil })
            // One ratio per parameter tensor, each a finite log₁₀ (no parameter stood still under Adam).
            #expect(epoch.updateRatios.count == trainer.model.parameters.count)
            #expect(epoch.updateRatios.allSatisfy { $0 != nil && $0!.isFinite && $0! < 0 })
        }
    }

    @Test func theDeadShareAndTheRatioFollowTheirDefinitions() {
        // 3 examples × 4 units: unit 0 never fires, unit 2 fires once, units 1 and 3 never (≤ 0).
        let values: [Double] = [0, 1, 0, -1,
                                -2, 2, 0.5, 0,
                                0, 3, 0, -3]
        #expect(Diagnostics.deadShare(values, examples: 3) == 0.5)
        // std([1, 2, 3, 4]) = √1.25.
        #expect(abs(Diagnostics.standardDeviation([1, 2, 3, 4]) - 1.25.squareRoot()) < 1e-15)
        let model = Sequential<Float>([Linear<Float>(weight: try! Tensor(shape: [1, 2], elements: [1, 3]), bias: nil)])
        let diagnostics = Diagnostics(model: model)
        model.parameters[0].grad = try! Tensor(shape: [1, 2], elements: [0.01, -0.01])
        diagnostics.beforeStep(model)
        try! SGD(model.parameters, learningRate: 1).step()
        diagnostics.afterStep(model)
        // W [1, 3] → [0.99, 3.01]: std(update) = 0.01, std(W) = 1, log₁₀ = −2.
        let data = try! InMemoryDataset<Float>(features: [0, 0], labels: [0], exampleShape: [2], classCount: 1)
        diagnostics.endEpoch(1, model: model, data: data)
        #expect(abs(diagnostics.epochs[0].updateRatios[0]! + 2) < 1e-5)
    }

    @Test func theConfusionMatrixAgreesWithTheTestAccuracyAndThePageHasEverySection() throws {
        let (trainer, diagnostics) = try Self.trained()
        let matrix = Diagnostics.confusionMatrix(trainer)
        let test = trainer.data.test
        let rowSums: [Int] = matrix.map { (row: [Int]) -> Int in row.reduce(0, +) }
        let classSizes: [Int] = (0..<test.classCount).map { (c: Int) -> Int in test.labels.filter { $0 == c }.count }
        #expect(rowSums == classSizes)
        let diagonal = matrix.indices.map { matrix[$0][$0] }.reduce(0, +)
        #expect(abs(Double(diagonal) / Double(test.count) - trainer.history.last!.testAccuracy) < 1e-12)
        let worst = Diagnostics.worstExamples(trainer, count: 5)
        #expect(worst.count == 5 && zip(worst, worst.dropFirst()).allSatisfy { $0.loss >= $1.loss })
        let page = diagnostics.html(for: trainer)
        for section in ["Layer outputs by epoch", "Gradients ∂loss/∂output by epoch", "Saturated and dead units",
                        "Update-to-data ratios", "Confusion matrix (test set)", "Worst-classified test examples"] {
            #expect(page.contains("<h2>\(section)</h2>"), "\(section)")
        }
        // Two histogram tables of 5 layers × 3 epochs: 30 bar charts, each with 30 bars.
        #expect(page.components(separatedBy: "<svg").count - 1 == 30)
        #expect(!page.contains("<script"))
    }
}
