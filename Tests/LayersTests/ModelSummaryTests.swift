// ModelSummaryTests.swift — the summary's rows, output shapes and counts (derived by hand),
// its printed table, and that making it leaves the model's modes and state alone.

import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct ModelSummaryTests {
    /// W3's model: Linear(64,128) → ReLU → Linear(128,64) → ReLU → Linear(64,10).
    /// Counts by hand: 64·128 + 128 = 8320, 128·64 + 64 = 8256, 64·10 + 10 = 650; 17226 in all.
    @Test func mlpRowsAndCounts() {
        var rng = SplitMix64(seed: 0)
        let model = Sequential<Float>(Linear(in: 64, out: 128, using: &rng), ReLU(), Linear(in: 128, out: 64, using: &rng),
                                      ReLU(), Linear(in: 64, out: 10, using: &rng))
        let summary = model.summary(inputShape: [1, 64])
        #expect(summary.rows == [
            .init(name: "0", type: "Linear(64 → 128)", outputShape: [1, 128], parameterCount: 8320),
            .init(name: "1", type: "ReLU", outputShape: [1, 128], parameterCount: 0),
            .init(name: "2", type: "Linear(128 → 64)", outputShape: [1, 64], parameterCount: 8256),
            .init(name: "3", type: "ReLU", outputShape: [1, 64], parameterCount: 0),
            .init(name: "4", type: "Linear(64 → 10)", outputShape: [1, 10], parameterCount: 650),
        ])
        #expect(summary.totalCount == 17226)
        #expect(summary.trainableCount == 17226)
        #expect(summary.nonTrainableCount == 0)
    }

    @Test func printedTable() {
        var rng = SplitMix64(seed: 0)
        let model = Sequential<Float>(Linear(in: 4, out: 300, using: &rng), ReLU(), Linear(in: 300, out: 3, using: &rng))
        // 4·300 + 300 = 1500; 300·3 + 3 = 903; 2403 in all.
        // Columns are as wide as their widest cell: 5 ("Layer"), 15 ("Linear(4 → 300)"), 12
        // ("Output shape"), 7 ("Param #"), joined by three spaces: 5 + 15 + 12 + 7 + 9 = 48.
        let rule = { (c: Character) in String(repeating: c, count: 48) }
        let expected = [
            "Model: Sequential, input [2, 4]",
            rule("_"),
            "Layer   Type              Output shape   Param #",
            rule("="),
            "0       Linear(4 → 300)   [2, 300]         1,500",
            "1       ReLU              [2, 300]             0",
            "2       Linear(300 → 3)   [2, 3]             903",
            rule("="),
            "Total params: 2,403",
            "Trainable params: 2,403",
            "Non-trainable params: 0",
            rule("_"),
        ].joined(separator: "\n")
        #expect(model.summary(inputShape: [2, 4]).description == expected)
    }

    @Test func groupedDigitsPutsCommasEveryThreeDigits() {
        #expect(groupedDigits(0) == "0")
        #expect(groupedDigits(999) == "999")
        #expect(groupedDigits(1000) == "1,000")
        #expect(groupedDigits(1_234_567) == "1,234,567")
    }

    @Test func nestedSequentialGetsDottedNamesAndOtherLayersOneRow() {
        var rng = SplitMix64(seed: 0)
        let model = Sequential<Float>(Sequential(Linear(in: 3, out: 2, using: &rng), Tanh()), Linear(in: 2, out: 1, using: &rng))
        #expect(model.summary(inputShape: [5, 3]).rows.map(\.name) == ["0.0", "0.1", "1"])
        let single = Linear<Float>(in: 3, out: 2, seed: 0).summary(inputShape: [3])
        #expect(single.rows == [.init(name: "model", type: "Linear(3 → 2)", outputShape: [2], parameterCount: 8)])
    }

    @Test func frozenParametersCountAsNonTrainable() {
        let model = Sequential<Float>(Linear(in: 3, out: 2, seed: 0), Linear(in: 2, out: 1, seed: 1))
        (model.layers[0] as! Linear<Float>).weight.requiresGrad = false
        let summary = model.summary(inputShape: [1, 3])
        // Frozen: the 2·3 weight. Trainable: bias 2, then 2 + 1.
        #expect(summary.nonTrainableCount == 6)
        #expect(summary.trainableCount == 5)
    }

    /// A layer that passes its input on and remembers whether gradients were being recorded.
    final class GradModeProbe: Layer {
        var isTraining = true
        var ownParameters: [(name: String, tensor: Tensor<Float>)] { [] }
        var sawGradientsOn: Bool?
        var sawInputRequiringGrad: Bool?
        func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
            sawGradientsOn = GradMode.isEnabled
            sawInputRequiringGrad = input.requiresGrad
            return input
        }
    }

    @Test func summaryRestoresModesAndBuildsNoGraph() {
        let probe = GradModeProbe()
        let model = Sequential<Float>(Linear(in: 3, out: 2, seed: 0), Dropout(probability: 0.5, seed: 2), ReLU(), probe)
        model.layers[2].isTraining = false
        _ = model.summary(inputShape: [1, 3])
        #expect(model.isTraining && model.layers[0].isTraining && model.layers[1].isTraining && probe.isTraining)
        #expect(!model.layers[2].isTraining)
        // The forward pass ran without recording: gradients off, so the Linear's output, made
        // from a weight that requires grad, does not require one.
        #expect(probe.sawGradientsOn == false)
        #expect(probe.sawInputRequiringGrad == false)
        #expect(model.parameters.allSatisfy { $0.grad == nil })
    }

    @Test func wrongExampleShapeTrapsNamingTheLayer() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Sequential<Float>(Linear(in: 3, out: 2, seed: 0)).summary(inputShape: [1, 4])
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("Linear(3 → 2): expects input [..., 3], got [1, 4]"))
    }
}
