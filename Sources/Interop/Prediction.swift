// Prediction.swift — a model's answer for each example: the probabilities of its classes
// (softmax of the logits) and the most likely few. `lumen predict` prints them as text or JSON.
//
// Read next: ONNXExport.swift.

import Checkpoints
import Foundation
import Layers
import Tensors

/// The classes a model finds most likely for one example.
public struct Prediction: Equatable, Sendable, Encodable {
    /// The file the example came from, and its index there (0 for the first).
    public let input: String
    public let index: Int
    /// The most likely classes first: (name, probability). Empty for a regression.
    public let top: [Ranked]
    /// A regression's prediction (nil for a classifier).
    public var value: Double? = nil
    /// A regression's target name (nil for a classifier).
    public var target: String? = nil

    public struct Ranked: Equatable, Sendable, Encodable {
        public let label: String
        public let probability: Double
    }

    /// Runs `model` on `count` examples of shape `spec.inputShape` (`values` row-major), in
    /// batches of `batchSize`, and keeps the `k` most likely classes of each; for a
    /// `regression`, the one output of each.
    ///
    /// The probabilities are softmax(logits): pᵢ = exp(zᵢ − m) / Σⱼ exp(zⱼ − m), m = max z.
    public static func predict(_ model: Sequential<Float>, spec: ModelSpec, values: [Float], count: Int,
                               input: String, top k: Int, batchSize: Int = 256, regression: Bool = false) -> [Prediction] {
        let width = spec.inputShape.reduce(1, *)
        let classes = spec.classNames.count
        model.eval()
        if regression {
            var predictions: [Prediction] = []
            var start = 0
            while start < count {
                let end = min(count, start + batchSize)
                let batch = try! Tensor<Float>(shape: [end - start] + spec.inputShape,
                                               elements: Array(values[start * width ..< end * width]))
                for (row, output) in withoutGradients({ model(batch) }).scalars.enumerated() {
                    predictions.append(Prediction(input: input, index: start + row, top: [], value: Double(output),
                                                  target: spec.classNames.first))
                }
                start = end
            }
            return predictions
        }
        var predictions: [Prediction] = []
        var start = 0
        while start < count {
            let end = min(count, start + batchSize)
            // The caller checked that values holds count · width numbers.
            let batch = try! Tensor<Float>(shape: [end - start] + spec.inputShape,
                                           elements: Array(values[start * width ..< end * width]))
            let logits = withoutGradients { model(batch) }.scalars
            for row in 0 ..< end - start {
                let z = logits[row * classes ..< (row + 1) * classes].map(Double.init)
                let m = z.max() ?? 0
                let exps = z.map { Foundation.exp($0 - m) }
                let total = exps.reduce(0, +)
                // The highest probability first; equal ones in class order.
                let order = exps.indices.sorted { (a: Int, b: Int) -> Bool in
                    exps[a] != exps[b] ? exps[a] > exps[b] : a < b
                }
                let top = order.prefix(max(1, k)).map { (i: Int) -> Ranked in
                    Ranked(label: spec.classNames[i], probability: exps[i] / total)
                }
                predictions.append(Prediction(input: input, index: start + row, top: top))
            }
            start = end
        }
        return predictions
    }

    /// One line: "digits.npy[3]: 7 (98.1 %), 9 (1.2 %), 1 (0.4 %)".
    public var text: String {
        if let value { return "\(input)[\(index)]: \(target ?? "value") = \(String(format: "%.6g", value))" }
        return "\(input)[\(index)]: " + top.map { "\($0.label) (\(String(format: "%.1f", $0.probability * 100)) %)" }.joined(separator: ", ")
    }
}
