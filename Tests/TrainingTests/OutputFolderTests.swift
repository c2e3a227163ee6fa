// OutputFolderTests.swift — what a run leaves in its folder: the curves, the decision
// boundary, the model graph with one box per module, the summary; and the graph itself.

import _TestSupport
import Datasets
import Engine
import Foundation
import Layers
import Tensors
import Testing
@testable import Training
import Viz

@Suite struct OutputFolderTests {
    @Test func aMoonsRunWritesEveryPictureTheGraphAndTheSummary() throws {
        let directory = try makeTemporaryDirectory() + "/results/moons"
        let folder = try TrainingOutputFolder(directory)  // made with its parents
        let trainer = try Trainer(recipe: .moons, settings: TrainingSettings(epochs: 2, batchSize: 64, learningRate: 0.01,
                                                                             optimizer: .adam))
        try trainer.train(progress: nil, checkpointPath: folder.checkpointPath)
        let summary = trainer.model.summary(inputShape: [1, 2])
        let written = try folder.writeAll(for: trainer, summary: summary)

        let names = ["loss.png", "loss.svg", "accuracy.png", "accuracy.svg", "decision-boundary.png",
                     "decision-boundary.svg", "model-graph.dot", "model-graph.svg", "model-graph.png", "summary.txt"]
        #expect(written == names.map { directory + "/" + $0 })
        #expect(Set(contentsOfDirectory(directory)) == Set(names + ["model.safetensors"]))
        for name in names where name.hasSuffix(".png") {
            let bytes = try bytesOfFile(directory + "/" + name)
            #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(name)")
        }
        for name in names where name.hasSuffix(".svg") {
            let svg = parseSVG(try bytesOfFile(directory + "/" + name))
            #expect(svg.parsed && svg.rootName == "svg", "\(name)")
        }
        // Plots' default sizes: 800 × 500 for curves, 640 × 600 for the decision boundary.
        #expect(pngSize(try bytesOfFile(directory + "/loss.png")).map { [$0.width, $0.height] } == [800, 500])
        #expect(pngSize(try bytesOfFile(directory + "/decision-boundary.png")).map { [$0.width, $0.height] } == [640, 600])

        let summaryText = try String(contentsOfFile: directory + "/summary.txt", encoding: .utf8)
        // The summary, then the final metrics: the last epoch's figures.
        let last = trainer.history.last!
        #expect(summaryText == summary.description + "\n\nFinal metrics after 2 epochs (300 train, 100 test examples):\n"
                + String(format: "  train: loss %.6f, accuracy %.2f%%\n", last.trainLoss, 100 * last.trainAccuracy)
                + String(format: "  test: loss %.6f, accuracy %.2f%%\n", last.testLoss, 100 * last.testAccuracy))
        #expect(summaryText.contains("Linear(2 → 16)") && summaryText.contains("Total params: 354"))  // 48 + 272 + 34

        let dot = try String(contentsOfFile: directory + "/model-graph.dot", encoding: .utf8)
        // One box per module (ModelGraphTests checks what each box says).
        for box in ["0: Linear(2 → 16)", "1: ReLU", "2: Linear(16 → 16)", "3: ReLU", "4: Linear(16 → 2)", "loss: cross-entropy"] {
            #expect(dot.contains("<b>\(GraphDrawing.escapeHTML(box))</b>"), "\(box)")
        }
        let graphText = parseSVG(try bytesOfFile(directory + "/model-graph.svg")).texts
        for name in ["weight", "bias", "input", "0: Linear(2 → 16)"] { #expect(graphText.contains(name), "\(name)") }
    }

    @Test func clusterAndTitleMapsOnlyTouchTheTensorsTheyName() throws {
        let w = try Tensor<Float>(shape: [2], elements: [1, 2]).requiringGrad()
        w.label = "w"
        let x = Tensor<Float>([3, 4])
        let product = w * x
        let loss = product.sum()
        let plain = GraphDrawing(tracing: loss)
        let grouped = GraphDrawing(tracing: loss, clusters: [w.id: "layer", product.id: "layer", -7: "nowhere"],
                                   titles: [product.id: "w·x", 123_456_789: "absent"])
        #expect(grouped.nodes.map(\.key) == plain.nodes.map(\.key))
        #expect(grouped.clusterNames == ["layer"])
        for (node, before) in zip(grouped.nodes, plain.nodes) {
            #expect(node.cluster == ([w.id, product.id].contains(node.key) ? "layer" : nil))
            #expect(node.title == (node.key == product.id ? "w·x" : before.title))
            #expect(node.rows == before.rows)
        }
        #expect(grouped.nodes.first { $0.key == w.id }?.title == "w")
    }

    @Test func anUnwritableFolderIsATypedError() throws {
        let file = try makeTemporaryDirectory() + "/a-file"
        FileManager.default.createFile(atPath: file, contents: Data())
        #expect {
            try TrainingOutputFolder(file + "/inside")
        } throws: { error in
            "\(error)".hasPrefix("cannot write \(file)/inside:") && "\(error)".hasSuffix("choose a folder you can write to with --output")
        }
    }
}
