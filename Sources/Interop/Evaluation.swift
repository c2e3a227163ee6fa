// Evaluation.swift — how well a model classifies a data set: the mean cross-entropy, the
// accuracy, and the confusion matrix (which classes it takes for which). `lumen eval` prints
// it.
//
// Read next: Prediction.swift.

import Checkpoints
import Datasets
import FileFormats
import Foundation
import Layers
import Tensors

/// A model's loss, accuracy and confusion matrix on one data set.
public struct Evaluation: Equatable, Sendable {
    /// The number of examples.
    public let count: Int
    /// The mean over the examples of −log softmax(logits)[label].
    public let loss: Double
    /// The fraction of examples whose largest logit is at their label (the first largest on a tie).
    public let accuracy: Double
    /// `confusion[true][predicted]`: how many examples of class `true` were predicted as
    /// `predicted`. Each row sums to that class's count; the diagonal holds the correct ones.
    public let confusion: [[Int]]

    /// Evaluates `model` (in evaluation mode, without a graph) on `data`, in batches of
    /// `batchSize` examples.
    ///
    /// - Throws: `InteropError.classesDoNotFit` when the data has more classes than the model
    ///   has outputs; `.input(.inputDoesNotFit)` when its examples are not the model's input shape,
    ///   or not the token ids its first layer reads.
    public init(model: Sequential<Float>, spec: ModelSpec, data: InMemoryDataset<Float>, dataName: String,
                batchSize: Int = 500) throws(InteropError) {
        let classes = spec.classNames.count
        guard data.classCount <= classes else { throw .classesDoNotFit(found: data.classCount, expected: classes) }
        guard data.exampleShape.reduce(1, *) == spec.inputShape.reduce(1, *) else {
            throw .input(.inputDoesNotFit(path: dataName, found: "examples of shape \(data.exampleShape)",
                                          expected: "examples of shape \(spec.inputShape)"))
        }
        do throws(FileFormatError) {
            try spec.checkInputValues(data.features, path: dataName)
        } catch {
            throw .input(error)
        }
        model.eval()
        var lossSum = 0.0, correct = 0
        var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        var start = 0
        let width = spec.inputShape.reduce(1, *)
        while start < data.count {
            let end = min(data.count, start + max(1, batchSize))
            let inputs = try! Tensor<Float>(shape: [end - start] + spec.inputShape,
                                            elements: Array(data.features[start * width ..< end * width]))
            let logits = withoutGradients { model(inputs) }.scalars
            for row in 0 ..< end - start {
                let label = data.labels[start + row]
                let scores = logits[row * classes ..< (row + 1) * classes].map(Double.init)
                lossSum += Self.crossEntropy(scores, label: label)
                let predicted = Self.argmax(scores)
                confusion[label][predicted] += 1
                if predicted == label { correct += 1 }
            }
            start = end
        }
        self.count = data.count
        self.loss = data.count == 0 ? 0 : lossSum / Double(data.count)
        self.accuracy = data.count == 0 ? 0 : Double(correct) / Double(data.count)
        self.confusion = confusion
    }

    /// −log softmax(scores)[label] = log Σⱼ exp(sⱼ − m) + m − s_label, with m = max s (so
    /// that no exponential overflows).
    static func crossEntropy(_ scores: [Double], label: Int) -> Double {
        let m = scores.max() ?? 0
        return Foundation.log(scores.reduce(0) { $0 + Foundation.exp($1 - m) }) + m - scores[label]
    }

    /// The index of the largest score, the first one on a tie.
    static func argmax(_ scores: [Double]) -> Int {
        var best = 0
        for (index, score) in scores.enumerated() where score > scores[best] { best = index }
        return best
    }

    /// The confusion matrix as text: a header of predicted classes, one row per true class.
    public func confusionTable(classNames: [String]) -> String {
        let width = max(3, (confusion.flatMap { $0 }.map { String($0).count } + classNames.map(\.count)).max() ?? 3)
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        let labelWidth = max(4, classNames.map(\.count).max() ?? 4)
        func label(_ text: String) -> String { text + String(repeating: " ", count: max(0, labelWidth - text.count)) }
        var lines = [label("true") + " │ predicted " + classNames.map(cell).joined(separator: " ")]
        lines.append(String(repeating: "─", count: labelWidth + 1) + "┼" + String(repeating: "─", count: 11 + classNames.count * (width + 1)))
        for (index, row) in confusion.enumerated() {
            lines.append(label(classNames[index]) + " │           " + row.map { cell(String($0)) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}

/// A regression model's errors on one data set: mean squared error, mean absolute error and
/// R² = 1 − MSE / Var(y) (computed in Double).
public struct RegressionEvaluation: Equatable, Sendable {
    public let count: Int
    /// (1/n) Σ (ŷ − y)².
    public let meanSquaredError: Double
    /// (1/n) Σ |ŷ − y|.
    public let meanAbsoluteError: Double
    /// 1 − MSE / Var(y), Var(y) = (1/n) Σ (y − ȳ)² (taken as 1 when the targets are all equal).
    public let rSquared: Double

    /// Evaluates `model` (one output) on `data`, whose `targets` hold the true values.
    ///
    /// - Throws: `InteropError.input(.inputDoesNotFit)` when the examples are not the model's
    ///   input shape or the data has no targets.
    public init(model: Sequential<Float>, spec: ModelSpec, data: InMemoryDataset<Float>, dataName: String,
                batchSize: Int = 500) throws(InteropError) {
        guard let targets = data.targets else {
            throw .input(.inputDoesNotFit(path: dataName, found: "classes", expected: "a number to predict for each example"))
        }
        guard data.exampleShape.reduce(1, *) == spec.inputShape.reduce(1, *) else {
            throw .input(.inputDoesNotFit(path: dataName, found: "examples of shape \(data.exampleShape)",
                                          expected: "examples of shape \(spec.inputShape)"))
        }
        let predictions = Prediction.predict(model, spec: spec, values: data.features, count: data.count, input: dataName,
                                             top: 1, batchSize: batchSize, regression: true).map { $0.value ?? .nan }
        let n = Double(max(1, data.count))
        let y = targets.map(Double.init)
        let mean = y.reduce(0, +) / n
        let variance = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        count = data.count
        meanSquaredError = zip(predictions, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n
        meanAbsoluteError = zip(predictions, y).reduce(0) { $0 + abs($1.0 - $1.1) } / n
        rSquared = 1 - meanSquaredError / (variance > 0 ? variance : 1)
    }
}
