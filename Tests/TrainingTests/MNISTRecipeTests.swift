// MNISTRecipeTests.swift — the mnist recipe on small IDX files this test writes itself (Lumen
// ships no MNIST): the files are found in --data, the model fits 28 × 28 images, an epoch runs.

import Foundation
import Testing
@testable import Training

@Suite struct MNISTRecipeTests {
    /// An IDX file of unsigned bytes: 0, 0, type 0x08, the rank, each extent as a big-endian
    /// 32-bit integer, then the bytes.
    static func idx(_ shape: [Int], _ bytes: [UInt8]) -> Data {
        var data = Data([0, 0, 0x08, UInt8(shape.count)])
        for extent in shape { data.append(contentsOf: withUnsafeBytes(of: UInt32(extent).bigEndian, Array.init)) }
        return data + Data(bytes)
    }

    @Test func anEpochOnSmallIDXFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-mnist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (part, count) in [("train", 24), ("t10k", 8)] {
            // Image k is all black except row (label · 2) set to 255: easy to tell apart.
            let labels = (0..<count).map { UInt8($0 % 10) }
            var pixels = [UInt8](repeating: 0, count: count * 784)
            for (k, label) in labels.enumerated() {
                for column in 0..<28 { pixels[k * 784 + Int(label) * 2 * 28 + column] = 255 }
            }
            try Self.idx([count, 28, 28], pixels).write(to: folder.appendingPathComponent("\(part)-images-idx3-ubyte"))
            try Self.idx([count], labels).write(to: folder.appendingPathComponent("\(part)-labels-idx1-ubyte"))
        }
        let data = try Recipe.mnist.loadData(from: folder.path)
        #expect(data.train.count == 24 && data.test.count == 8 && data.train.exampleShape == [784])
        let image3 = Array(data.train.example(at: 3))  // label 3: row 6 is white, pixel/255 = 1
        #expect(image3[6 * 28 + 5] == 1 && image3[0] == 0 && image3.reduce(0, +) == 28)

        let trainer = try Trainer(recipe: .mnist, settings: TrainingSettings(epochs: 3, batchSize: 8, learningRate: 0.01,
                                                                             optimizer: .adam),
                                  dataDirectory: folder.path)
        try trainer.train(progress: nil)
        #expect(trainer.history.count == 3)
        #expect(trainer.history[2].trainLoss < trainer.history[0].trainLoss)
    }

    /// IDX files that load fine but hold 4 × 4 images, or no images, do not fit the recipe's
    /// 784-input model: a typed error before any model is built, not a shape trap.
    @Test(arguments: [(count: 4, side: 4, problem: "images of [16] pixels"), (count: 0, side: 28, problem: "no images")])
    func filesThatDoNotFitTheModelAreTypedErrors(count: Int, side: Int, problem: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-mnist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for part in ["train", "t10k"] {
            try Self.idx([count, side, side], [UInt8](repeating: 7, count: count * side * side))
                .write(to: folder.appendingPathComponent("\(part)-images-idx3-ubyte"))
            try Self.idx([count], [UInt8](repeating: 1, count: count))
                .write(to: folder.appendingPathComponent("\(part)-labels-idx1-ubyte"))
        }
        do {
            _ = try Recipe.mnist.loadData(from: folder.path)
            Issue.record("loading \(count) images of \(side) × \(side) did not throw")
        } catch {
            #expect(error.description.contains("training data holds \(problem)"), "\(error)")
            #expect(error.description.contains("--data"))
        }
    }
}
