// Diagnostics.swift — `lumen train --diagnostics`: the health of a network as it trains (lesson
// 13's gauges, for any recipe). After each epoch, a fixed probe batch (the first 256 training
// examples) is run through the model layer by layer, in eval mode, and backward from its
// cross-entropy; for every layer's output it keeps:
//
//   - a histogram of the output's values and one of its gradient ∂loss/∂output;
//   - for tanh and sigmoid layers the saturated share, |tanh| > 0.97 (sigmoid outside
//     0.03…0.97), where the slope is below 0.06; for ReLU and GELU layers the dead share, the
//     units (every position but the batch axis) that are ≤ 0 for every probe example.
//
// During the epoch, after every optimizer step, each parameter's update-to-data ratio
// log₁₀(std(W_after − W_before) / std(W_before)) is measured and averaged over the epoch's
// steps (around −3 is the usual rule of thumb). At the end, the classifier's confusion matrix
// on the test set and its worst-classified test examples are added. Diagnostics+HTML.swift
// draws all of it into one offline page.
//
// Read next: Diagnostics+HTML.swift.

import Datasets
import Foundation
import Layers
import Plots
import Tensors

public final class Diagnostics {
    /// What one layer's output looked like on the probe batch at the end of one epoch.
    public struct LayerRecord: Sendable {
        /// "3 ReLU": the layer's index in the model and its summary name.
        public let name: String
        public let elementCount: Int
        public let values: Histogram
        public let gradients: Histogram
        /// Tanh and sigmoid layers: the share of saturated outputs.
        public let saturatedShare: Double?
        /// ReLU and GELU layers: the share of units that never fire on the probe batch.
        public let deadShare: Double?
    }

    /// One epoch's records.
    public struct EpochRecord: Sendable {
        public let epoch: Int
        public let layers: [LayerRecord]
        /// Per parameter (as `parameterNames`): the mean over the epoch's steps of
        /// log₁₀(std(update) / std(W)); nil when W or its updates are all equal (a zero bias).
        public let updateRatios: [Double?]
    }

    /// How many bins each histogram has.
    public static let bins = 30
    /// How many training examples the probe batch holds (fewer if the set is smaller).
    public static let probeSize = 256

    public let parameterNames: [String]
    public private(set) var epochs: [EpochRecord] = []
    private var stepRatios: [[Double?]] = []
    private var before: [[Float]] = []

    public init(model: Sequential<Float>) {
        parameterNames = model.namedParameters.map(\.name)
    }

    // MARK: - During training (Trainer.trainEpoch calls these)

    /// Keeps the parameters' values before an optimizer step.
    func beforeStep(_ model: Sequential<Float>) {
        before = model.parameters.map(\.scalars)
    }

    /// Measures each parameter's update-to-data ratio of the step just taken.
    func afterStep(_ model: Sequential<Float>) {
        stepRatios.append(zip(model.parameters, before).map { parameter, old in
            let new = parameter.scalars
            let update = Self.standardDeviation(zip(new, old).map { Double($0) - Double($1) })
            let data = Self.standardDeviation(old.map(Double.init))
            guard update > 0, data > 0 else { return nil }
            return Foundation.log10(update / data)
        })
    }

    /// Probes the model at the end of epoch `epoch` and averages the epoch's update ratios.
    func endEpoch(_ epoch: Int, model: Sequential<Float>, data: InMemoryDataset<Float>) {
        let ratios = parameterNames.indices.map { index -> Double? in
            let values = stepRatios.compactMap { $0[index] }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        stepRatios = []
        epochs.append(EpochRecord(epoch: epoch, layers: Self.probe(model, data), updateRatios: ratios))
    }

    // MARK: - The probe

    /// The probe batch: the first `probeSize` examples of `data`.
    static func probeBatch(_ data: InMemoryDataset<Float>) -> (inputs: Tensor<Float>, labels: [Int]) {
        let count = min(probeSize, data.count)
        let inputs = try! Tensor<Float>(shape: [count] + data.exampleShape,
                                        elements: Array(data.features[0 ..< count * data.exampleSize]))
        return (inputs, Array(data.labels[0..<count]))
    }

    /// Every layer's output on the probe batch, and its gradient, as histograms and shares.
    static func probe(_ model: Sequential<Float>, _ data: InMemoryDataset<Float>) -> [LayerRecord] {
        guard data.count > 0 else { return [] }
        let (inputs, labels) = probeBatch(data)
        let wasTraining = model.isTraining
        model.eval()   // no dropout, and BatchNorm's running statistics stay as training left them
        defer {
            model.train(wasTraining)
            model.zeroGrad()
        }
        var x = inputs
        var outputs: [Tensor<Float>] = []
        for layer in model.layers {
            x = layer(x)
            outputs.append(x)
        }
        // A regression's gradients come from its own loss: the mean squared error against its targets.
        let loss: Tensor<Float>
        if let targets = data.targets(at: Array(0 ..< labels.count)) {
            loss = x.meanSquaredError(try! Tensor<Float>(shape: [labels.count, 1], elements: targets))
        } else {
            guard let crossEntropy = try? x.crossEntropy(labels: labels) else { return [] }
            loss = crossEntropy
        }
        loss.backward()
        return zip(model.layers, outputs).enumerated().map { index, pair in
            let (layer, output) = pair
            let values = output.scalars.map(Double.init)
            let gradients = output.grad.map { $0.scalars.map(Double.init) } ?? [Double](repeating: 0, count: values.count)
            let kind = layer.summaryName
            var saturated: Double?
            var dead: Double?
            if kind.hasPrefix("Tanh") {
                saturated = share(values) { abs($0) > 0.97 }
            } else if kind.hasPrefix("Sigmoid") {
                saturated = share(values) { $0 < 0.03 || $0 > 0.97 }
            } else if kind.hasPrefix("ReLU") || kind.hasPrefix("GELU") {
                dead = deadShare(values, examples: output.shape.first ?? 1)
            }
            return LayerRecord(name: "\(index) \(kind)", elementCount: values.count,
                               values: histogram(values), gradients: histogram(gradients),
                               saturatedShare: saturated, deadShare: dead)
        }
    }

    /// A histogram over the values' own range (widened to ±1 around a constant).
    static func histogram(_ values: [Double]) -> Histogram {
        let finite = values.filter(\.isFinite)
        var (low, high) = (finite.min() ?? -1, finite.max() ?? 1)
        if high <= low { (low, high) = (low - 1, high + 1) }
        return Histogram(values, bins: bins, low: low, high: high)
    }

    static func share(_ values: [Double], _ test: (Double) -> Bool) -> Double {
        values.isEmpty ? 0 : Double(values.filter(test).count) / Double(values.count)
    }

    /// The share of units (positions after the batch axis) ≤ 0 for every example.
    static func deadShare(_ values: [Double], examples: Int) -> Double {
        guard examples > 0, !values.isEmpty else { return 0 }
        let units = values.count / examples
        let dead = (0..<units).filter { unit in (0..<examples).allSatisfy { values[$0 * units + unit] <= 0 } }.count
        return Double(dead) / Double(units)
    }

    static func standardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }

    // MARK: - After training

    /// confusion[true][guess]: how many test examples of each class got each guess.
    public static func confusionMatrix(_ trainer: Trainer) -> [[Int]] {
        let test = trainer.data.test
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: test.classCount), count: test.classCount)
        for (label, guess, _) in scoredTestExamples(trainer) { matrix[label][guess] += 1 }
        return matrix
    }

    /// The test examples with the largest loss, worst first: (index, label, guess, loss).
    public static func worstExamples(_ trainer: Trainer, count: Int = 12) -> [(index: Int, label: Int, guess: Int, loss: Double)] {
        let scored = scoredTestExamples(trainer)
        return scored.indices.sorted { scored[$0].loss > scored[$1].loss }.prefix(count)
            .map { ($0, scored[$0].label, scored[$0].guess, scored[$0].loss) }
    }

    /// Each test example's label, the model's guess and its cross-entropy −log p(label).
    static func scoredTestExamples(_ trainer: Trainer) -> [(label: Int, guess: Int, loss: Double)] {
        let test = trainer.data.test
        guard test.count > 0 else { return [] }
        let model = trainer.model
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        var out: [(Int, Int, Double)] = []
        let batches = try! DataLoader(test, batchSize: 500).batches(epoch: 0)
        withoutGradients {
            for batch in batches {
                let logits = model(batch.inputs)
                let classes = logits.shape[1]
                let values = logits.scalars.map(Double.init)
                for (row, label) in batch.labels.enumerated() {
                    let scores = values[row * classes ..< (row + 1) * classes]
                    let top = scores.max()!
                    let logSum = top + Foundation.log(scores.reduce(0) { $0 + Foundation.exp($1 - top) })
                    let guess = scores.indices.max { scores[$0] < scores[$1] }! - row * classes
                    out.append((label, guess, logSum - scores[row * classes + label]))
                }
            }
        }
        return out
    }
}
