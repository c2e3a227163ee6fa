// Lesson11.swift — the code that lesson 11's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson11+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Layers/Linear.swift, ../../Sources/Datasets/DataLoader.swift, then ../12-convolutions.

import Datasets
import Engine
import Foundation
import LessonKit
import Layers
import Optimizers
import Tensors

enum Lesson11 {
    static let lesson = Lesson(id: 11, markdown: markdown, code: [
        "data": data, "model": model, "loop": loop, "overfit": overfit,
    ])

    static let data: StepCode = { out in
        // lesson-code: data
        let split = try InMemoryDataset<Float>.digitsSplit()
        out.print("training examples:", split.train.count, "   test examples:", split.test.count)
        let shades = Array(" .:-=+*#%@")
        let pixels = split.train.features[0..<64]
        for row in 0..<8 {
            out.print("   " + (0..<8).map { String(shades[Int(pixels[pixels.startIndex + row * 8 + $0] * 9)]) }.joined())
        }
        out.print("label:", split.train.labels[0])
        // end lesson-code
    }

    static let model: StepCode = { out in
        // lesson-code: model
        let split = try InMemoryDataset<Float>.digitsSplit()
        var rng = SplitMix64(seed: 11)
        let model = Sequential<Float>(Linear<Float>(in: 64, out: 32, using: &rng), ReLU<Float>(), Linear<Float>(in: 32, out: 10, using: &rng))
        out.print("parameters:", model.parameters.map { $0.scalars.count }.reduce(0, +), "  (64·32 + 32 + 32·10 + 10)")
        let inputs = try Tensor<Float>(shape: [split.train.count, 64], elements: split.train.features)
        let loss = try model(inputs).crossEntropy(labels: split.train.labels)
        out.print("loss before training:", Double(loss.item()), "   log 10 =", log(10.0))
        // end lesson-code
        // The picture: the forward pass on all training images, one box per tensor, its
        // numbers as heat maps (8 × 8 cells at most, each the mean of its block).
        inputs.label = "images"
        out.draw(loss, title: "crossEntropy(model(images)) before training, before backward")
    }

    static let loop: StepCode = { out in
        // lesson-code: loop
        let split = try InMemoryDataset<Float>.digitsSplit()
        var rng = SplitMix64(seed: 11)
        let model = Sequential<Float>(Linear<Float>(in: 64, out: 32, using: &rng), ReLU<Float>(), Linear<Float>(in: 32, out: 10, using: &rng))
        let optimizer = try Adam(model.parameters, learningRate: 0.01)
        let loader = try DataLoader(split.train, batchSize: 32, ordering: .shuffled(seed: 11))
        let testInputs = try Tensor<Float>(shape: [split.test.count, 64], elements: split.test.features)
        func testAccuracy() -> Double {
            let scores = withoutGradients { model(testInputs) }
            let guesses = (0..<split.test.count).map { r in (0..<10).max { scores[r, $0] < scores[r, $1] }! }
            return Double(zip(guesses, split.test.labels).filter { $0 == $1 }.count) / Double(split.test.count)
        }
        var epochLosses: [Double] = []
        for epoch in 1...5 {
            var total = 0.0
            for batch in loader.batches(epoch: epoch) {
                optimizer.zeroGrad()
                let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
                loss.backward()
                optimizer.step()
                total += Double(loss.item())
            }
            epochLosses.append(total / Double(loader.batchCount))
            out.print("epoch \(epoch):  mean training loss", num(epochLosses.last!), "  test accuracy", num(testAccuracy()))
        }
        out.plotLines(title: "mean training loss per epoch", xLabel: "epoch", yLabel: "loss",
                      series: [("training", (1...5).map(Double.init), epochLosses)])
        // end lesson-code
    }

    static let overfit: StepCode = { out in
        // lesson-code: overfit
        let split = try InMemoryDataset<Float>.digitsSplit()
        let small = try split.train.subset(0..<100)
        var rng = SplitMix64(seed: 12)
        let model = Sequential<Float>(Linear<Float>(in: 64, out: 64, using: &rng), ReLU<Float>(), Linear<Float>(in: 64, out: 10, using: &rng))
        let optimizer = try Adam(model.parameters, learningRate: 0.01)
        let trainInputs = try Tensor<Float>(shape: [small.count, 64], elements: small.features)
        let testInputs = try Tensor<Float>(shape: [split.test.count, 64], elements: split.test.features)
        func accuracy(_ scores: Tensor<Float>, _ labels: [Int]) -> Double {
            let guesses = (0..<labels.count).map { r in (0..<10).max { scores[r, $0] < scores[r, $1] }! }
            return Double(zip(guesses, labels).filter { $0 == $1 }.count) / Double(labels.count)
        }
        var trainLosses: [Double] = [], testLosses: [Double] = []
        for epoch in 1...100 {
            optimizer.zeroGrad()
            let loss = try model(trainInputs).crossEntropy(labels: small.labels)
            loss.backward()
            optimizer.step()
            let testScores = withoutGradients { model(testInputs) }
            trainLosses.append(Double(loss.item()))
            testLosses.append(Double(try testScores.crossEntropy(labels: split.test.labels).item()))
            if epoch % 25 == 0 {
                let trainAccuracy = accuracy(withoutGradients { model(trainInputs) }, small.labels)
                out.print("epoch \(epoch):  training accuracy", num(trainAccuracy), "  test accuracy", num(accuracy(testScores, split.test.labels)))
            }
        }
        out.print("lowest test loss at epoch", testLosses.indices.min { testLosses[$0] < testLosses[$1] }! + 1, "of 100")
        out.plotLines(title: "100 training examples: loss per epoch", xLabel: "epoch", yLabel: "loss",
                      series: [("training", (1...100).map(Double.init), trainLosses), ("test", (1...100).map(Double.init), testLosses)],
                      logarithmicY: true)
        // end lesson-code
    }
}
