// Lesson17+Transfer.swift — the parts of lesson 17 that its steps call: where the shipped
// pre-trained digits-cnn lives, the model's layers (the recipe's, split into a body and a
// head), the new task (the digits seen in a mirror, 100 labelled examples), and the one
// training loop all three runs share. Read next: Lesson17.swift.

import Datasets
import Foundation
import Layers
import Optimizers
import Tensors

/// What lesson 17 needs besides its steps.
enum Transfer {
    /// The shipped checkpoint, `Pretrained/digits-cnn.safetensors` (Pretrained/README.md says
    /// how it was made): looked for under the current folder, then in the source tree this
    /// lesson was compiled from.
    static func pretrainedPath() throws -> String {
        let relative = "Pretrained/digits-cnn.safetensors"
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [FileManager.default.currentDirectoryPath + "/" + relative,
                          sourceRoot.appendingPathComponent(relative).path]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw MissingPretrainedModel(looked: candidates)
        }
        return found
    }

    /// digits-cnn's layers up to its last hidden layer, the recipe's own (Training's
    /// Recipe+BuiltIn.swift): conv 3×3 ×16, relu, pool, conv 3×3 ×32, relu, pool, flatten,
    /// 128 → 64, relu. Its parameters are named as in the checkpoint: 0.*, 3.*, 7.*.
    static func body(using rng: inout SplitMix64) -> Sequential<Float> {
        Sequential<Float>([
            Conv2d(inChannels: 1, outChannels: 16, kernelSize: 3, padding: 1, using: &rng), ReLU(),
            MaxPool2d(kernelSize: 2),
            Conv2d(inChannels: 16, outChannels: 32, kernelSize: 3, padding: 1, using: &rng), ReLU(),
            MaxPool2d(kernelSize: 2),
            Flatten(),
            Linear(in: 32 * 2 * 2, out: 64, using: &rng), ReLU(),
        ])
    }

    /// The whole digits-cnn: the body and a fresh head 64 → 10 (layer "9").
    static func digitsCNN(using rng: inout SplitMix64) -> Sequential<Float> {
        let model = body(using: &rng)
        model.append(Linear(in: 64, out: 10, using: &rng))
        return model
    }

    /// Each 8 × 8 picture of `features` (pixels row by row) with its rows reversed: the
    /// digit as a mirror shows it.
    static func mirrored(_ features: [Float]) -> [Float] {
        var flipped = features
        for image in stride(from: 0, to: features.count, by: 64) {
            for row in 0..<8 {
                for column in 0..<8 { flipped[image + row * 8 + column] = features[image + row * 8 + 7 - column] }
            }
        }
        return flipped
    }

    /// Accuracy (a share) and mean cross-entropy of `model` on `inputs`, without gradients.
    static func evaluate(_ model: Sequential<Float>, _ inputs: Tensor<Float>, _ labels: [Int]) throws -> (accuracy: Double, loss: Double) {
        try withoutGradients {
            let scores = model(inputs)
            let loss = try scores.crossEntropy(labels: labels).item()
            let guesses = (0..<labels.count).map { r in (0..<10).max { scores[r, $0] < scores[r, $1] }! }
            let right = zip(guesses, labels).filter { $0 == $1 }.count
            return (Double(right) / Double(labels.count), Double(loss))
        }
    }
}

/// The new task: the bundled digits in a mirror. To learn from, the first 10 pictures of
/// each digit in the training split's order (100 in all); to validate on, the 297 pictures
/// of the test split, which the pre-trained model never saw either.
struct MirrorTask {
    let trainInputs: Tensor<Float>
    let trainLabels: [Int]
    let validationInputs: Tensor<Float>
    let validationLabels: [Int]
    /// The test split as it is (not mirrored), for the pre-trained model's own task.
    let uprightInputs: Tensor<Float>

    init() throws {
        let split = try InMemoryDataset<Float>.digitsSplit(layout: .image)
        var picked: [Int] = [], perDigit = [Int](repeating: 0, count: 10)
        for (row, label) in split.train.labels.enumerated() where perDigit[label] < 10 {
            perDigit[label] += 1
            picked.append(row)
        }
        let train = try split.train.subset(picked)
        trainInputs = try Tensor(shape: [100, 1, 8, 8], elements: Transfer.mirrored(train.features))
        trainLabels = train.labels
        validationInputs = try Tensor(shape: [split.test.count, 1, 8, 8], elements: Transfer.mirrored(split.test.features))
        validationLabels = split.test.labels
        uprightInputs = try Tensor(shape: [split.test.count, 1, 8, 8], elements: split.test.features)
    }
}

/// Validation accuracy and loss, measured every few steps of one run.
struct Curve {
    var steps: [Double] = []
    var accuracy: [Double] = []
    var loss: [Double] = []
}

extension MirrorTask {
    /// Trains `model` on the 100 examples, all of them in every step (Adam, learning rate
    /// 0.01, as in lesson 12), and validates before the first step and every `every` steps.
    /// Parameters whose `requiresGrad` is false get no gradient, so Adam leaves them alone.
    func train(_ model: Sequential<Float>, steps: Int, every: Int = 5) throws -> Curve {
        let optimizer = try Adam(model.parameters.filter(\.requiresGrad), learningRate: 0.01)
        var curve = Curve()
        for step in 0...steps {
            if step > 0 {
                optimizer.zeroGrad()
                try model(trainInputs).crossEntropy(labels: trainLabels).backward()
                optimizer.step()
            }
            if step % every == 0 {
                let (accuracy, loss) = try Transfer.evaluate(model, validationInputs, validationLabels)
                curve.steps.append(Double(step))
                curve.accuracy.append(100 * accuracy)
                curve.loss.append(loss)
            }
        }
        return curve
    }
}

/// The pre-trained checkpoint is not where the lesson looks for it.
struct MissingPretrainedModel: Error, CustomStringConvertible {
    let looked: [String]
    var description: String {
        "the pre-trained model is missing: looked for \(looked.joined(separator: " and ")). "
            + "Run the lesson from Lumen's folder, or remake the file with `lumen train digits-cnn -o out` "
            + "and copy out/model.safetensors to Pretrained/digits-cnn.safetensors."
    }
}
