// Lesson12.swift — the code that lesson 12's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson12+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Tensors/NN/Tensor+Convolution.swift and ../../Sources/Layers/Conv2d.swift (the real ones).

import Datasets
import Engine
import LessonKit
import Layers
import Optimizers
import Tensors

enum Lesson12 {
    static let lesson = Lesson(id: 12, markdown: markdown, code: [
        "slide": slide, "im2col": im2col, "cnn": cnn,
    ])

    static let slide: StepCode = { out in
        // lesson-code: slide
        let image: [[Double]] = (0..<5).map { _ in [0, 0, 1, 1, 1] }
        let kernel: [[Double]] = [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]
        var slid = [[Double]](repeating: [0, 0, 0], count: 3)
        for y in 0..<3 {
            for x in 0..<3 {
                for i in 0..<3 {
                    for j in 0..<3 { slid[y][x] += kernel[i][j] * image[y + i][x + j] }
                }
            }
        }
        for row in slid { out.print("  ", row.map { num($0) }.joined(separator: "  ")) }
        let lumen = try Tensor<Double>(shape: [1, 1, 5, 5], elements: image.flatMap { $0 })
            .conv2d(weight: try Tensor<Double>(shape: [1, 1, 3, 3], elements: kernel.flatMap { $0 }))
        out.print("Lumen's conv2d:", lumen.scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
    }

    static let im2col: StepCode = { out in
        // lesson-code: im2col
        let image: [[Double]] = (0..<5).map { _ in [0, 0, 1, 1, 1] }
        let kernel: [Double] = [-1, 0, 1, -1, 0, 1, -1, 0, 1]
        var columns = [Double](repeating: 0, count: 9 * 9)
        for y in 0..<3 {
            for x in 0..<3 {
                for i in 0..<3 {
                    for j in 0..<3 { columns[(i * 3 + j) * 9 + (y * 3 + x)] = image[y + i][x + j] }
                }
            }
        }
        let product = Tensor<Double>(kernel).reshape([1, 9]).matmul(try Tensor<Double>(shape: [9, 9], elements: columns))
        out.print("columns:", 9, "×", 9, "  (window values × windows)")
        out.print("kernel · columns:", product.scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
        // The picture: a small conv2d walked backward. Its graph is the recipe above: unfold
        // the image into columns, a matmul with the kernel reshaped to a row, then a reshape
        // back to an image.
        let picture = try Tensor<Double>(shape: [1, 1, 4, 4], elements: (0..<16).map { Double($0 % 4) }, requiresGrad: true)
        let filter = try Tensor<Double>(shape: [1, 1, 3, 3], elements: kernel, requiresGrad: true)
        picture.label = "image"
        filter.label = "kernel"
        out.walkBackward(from: picture.conv2d(weight: filter).sum(), title: "conv2d(image, kernel).sum(): unfold, then matmul")
    }

    static let cnn: StepCode = { out in
        // lesson-code: cnn
        let split = try InMemoryDataset<Float>.digitsSplit(layout: .image)
        var rng = SplitMix64(seed: 12)
        let model = Sequential<Float>(
            Conv2d<Float>(inChannels: 1, outChannels: 8, kernelSize: (3, 3), padding: (1, 1), using: &rng),
            ReLU<Float>(), MaxPool2d<Float>(kernelSize: (2, 2)), Flatten<Float>(),
            Linear<Float>(in: 8 * 4 * 4, out: 10, using: &rng))
        out.print("parameters:", model.parameters.map { $0.scalars.count }.reduce(0, +), "  (8·9 + 8 + 128·10 + 10)")
        let optimizer = try Adam(model.parameters, learningRate: 0.01)
        let loader = try DataLoader(split.train, batchSize: 32, ordering: .shuffled(seed: 12))
        let testInputs = try Tensor<Float>(shape: [split.test.count, 1, 8, 8], elements: split.test.features)
        for epoch in 1...3 {
            for batch in loader.batches(epoch: epoch) {
                optimizer.zeroGrad()
                let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
                loss.backward()
                optimizer.step()
            }
            let scores = withoutGradients { model(testInputs) }
            let guesses = (0..<split.test.count).map { r in (0..<10).max { scores[r, $0] < scores[r, $1] }! }
            let accuracy = Double(zip(guesses, split.test.labels).filter { $0 == $1 }.count) / Double(split.test.count)
            out.print("epoch \(epoch):  test accuracy", num(accuracy))
        }
        // end lesson-code
    }
}
