// TrainingOutputFolder.swift — the files a run leaves behind: the loss and accuracy curves
// (Plots' LinePlot), the decision boundary of a 2-D recipe (Plots' DecisionBoundaryPlot), the
// model's graph with one box per module (Viz, drawn by Render), the model summary (Layers),
// and the checkpoint. Every file is written atomically (a temporary file, then a rename).
//
// Read next: Sources/LumenCLI/TrainCommand.swift, which puts it all together.

import Datasets
import Files
import Foundation
import Layers
import Plots
import Render
import Tensors
import Viz

/// A folder of training results.
public struct TrainingOutputFolder: Sendable {
    public let path: String

    /// The folder at `path`, made (with its parents) if needed.
    ///
    /// - Throws: `TrainingError.unwritable` when it cannot be made.
    public init(_ path: String) throws(TrainingError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// `<folder>/model.safetensors`: the weights, the optimizer's state and the run's metadata.
    public var checkpointPath: String { file("model.safetensors") }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes everything but the checkpoint (which `Trainer.train` keeps up to date) and
    /// returns the paths written, in order. The modules named in `expand` (paths such as `"0"`
    /// or box names, see `ModelGraph.modules(of:)`) are drawn open in the model graph.
    public func writeAll(for trainer: Trainer, summary: ModelSummary, expand: Set<String> = []) throws(TrainingError) -> [String] {
        var written: [String] = []
        written += try writeCurves(trainer.history, recipe: trainer.recipe.name, heldOut: Self.heldOutName(for: trainer.recipe))
        if trainer.recipe.isPlanar { written += try writeDecisionBoundary(trainer) }
        written += try writeGraph(trainer, expand: expand)
        written.append(try writeSummary(summary))
        return written
    }

    /// `loss.png`, `loss.svg`, `accuracy.png`, `accuracy.svg`: training and held-out curves by
    /// epoch, the loss on a logarithmic axis. `heldOut` names the held-out curve: "test", or
    /// "validation" for the character models, whose per-epoch held-out set is not the test set.
    public func writeCurves(_ history: [EpochRecord], recipe: String, heldOut: String = "test") throws(TrainingError) -> [String] {
        let (loss, accuracy) = Self.curves(history, recipe: recipe, heldOut: heldOut)
        var written: [String] = []
        for (plot, name) in [(loss, "loss"), (accuracy, "accuracy")] {
            for format in PlotFormat.allCases {
                let target = file("\(name).\(format.rawValue)")
                do {
                    try plot.write(to: target)
                } catch {
                    throw .unwritable(path: target, reason: error.description)
                }
                written.append(target)
            }
        }
        return written
    }

    /// What the per-epoch held-out curve is: the test set, except for the character models,
    /// which hold their test names back and score their validation names each epoch.
    public static func heldOutName(for recipe: Recipe) -> String {
        LanguageModel.of(recipe) == nil ? "test" : "validation"
    }

    /// The loss curve (on a logarithmic axis: the loss falls by orders of magnitude, and the
    /// late epochs matter too) and the accuracy curve, each training and held-out by epoch.
    public static func curves(_ history: [EpochRecord], recipe: String, heldOut: String) -> (loss: LinePlot, accuracy: LinePlot) {
        let epochs = history.map { Double($0.epoch) }
        let loss = LinePlot(title: "\(recipe): loss", xLabel: "epoch", yLabel: "cross-entropy",
                            series: [.init(name: "train", x: epochs, y: history.map(\.trainLoss)),
                                     .init(name: heldOut, x: epochs, y: history.map(\.testLoss))],
                            yScale: .logarithmic)
        let accuracy = LinePlot(title: "\(recipe): accuracy", xLabel: "epoch", yLabel: "accuracy (%)",
                                series: [.init(name: "train", x: epochs, y: history.map { 100 * $0.trainAccuracy }),
                                         .init(name: heldOut, x: epochs, y: history.map { 100 * $0.testAccuracy })])
        return (loss, accuracy)
    }

    /// `decision-boundary.png` and `.svg`: the model's score (logit 1 − logit 0) over the
    /// plane, the line where it is 0, and the training points.
    public func writeDecisionBoundary(_ trainer: Trainer) throws(TrainingError) -> [String] {
        let train = trainer.data.train
        let points = train.labels.indices.map { index in
            let point = train.example(at: index)
            return DecisionBoundaryPlot.Point(x: Double(point[point.startIndex]), y: Double(point[point.startIndex + 1]),
                                              label: train.labels[index])
        }
        let epochs = trainer.completedEpochs
        let plot = DecisionBoundaryPlot(title: "\(trainer.recipe.name): decision boundary after \(epochs) epoch\(epochs == 1 ? "" : "s")",
                                        points: points)
        // Both formats evaluate the same grid: compute each point once.
        var cache: [[Double]: Double] = [:]
        let score = { (x: Double, y: Double) -> Double in
            if let known = cache[[x, y]] { return known }
            let value = trainer.score(x, y)
            cache[[x, y]] = value
            return value
        }
        var written: [String] = []
        for format in PlotFormat.allCases {
            let target = file("decision-boundary.\(format.rawValue)")
            do {
                try plot.write(to: target, score: score)
            } catch {
                throw .unwritable(path: target, reason: error.description)
            }
            written.append(target)
        }
        return written
    }

    /// `model-graph.dot`, `.svg` and `.png`: the forward pass and loss on the first four
    /// training examples, one box per module (except those in `expand`, drawn op by op),
    /// parameters named.
    public func writeGraph(_ trainer: Trainer, expand: Set<String> = []) throws(TrainingError) -> [String] {
        let count = min(4, trainer.data.train.count)
        // The indices are in range, so gathering cannot fail.
        let batch = try! trainer.data.train.gather(Array(0..<count))
        let drawing: GraphDrawing
        do {
            drawing = try ModelGraph.drawing(of: trainer.model, inputs: batch.inputs, labels: batch.labels, expand: expand)
        } catch {
            preconditionFailure("TrainingOutputFolder.writeGraph: recipe '\(trainer.recipe.name)': \(error)")
        }
        let options = DrawingOptions(
            title: "\(trainer.recipe.name): forward and loss on \(count) training example\(count == 1 ? "" : "s")",
            caption: (expand.isEmpty ? "one box per module" : "one box per module, \(expand.sorted().joined(separator: ", ")) opened")
                + "; colours show |∂loss/∂tensor| after backward",
            direction: .topToBottom)
        let dot = drawing.dot(options: options)
        var written: [String] = []
        for name in ["model-graph.dot", "model-graph.svg", "model-graph.png"] {
            let target = file(name)
            do {
                try Graphviz.write(dot: dot, to: target)
            } catch {
                throw .unwritable(path: target, reason: error.description)
            }
            written.append(target)
        }
        return written
    }

    /// `summary.txt`: the model summary as `ModelSummary` prints it.
    public func writeSummary(_ summary: ModelSummary) throws(TrainingError) -> String {
        let target = file("summary.txt")
        do {
            try AtomicFile.write(Array((summary.description + "\n").utf8), to: target)
        } catch {
            throw .unwritable(path: target, reason: error.reason)
        }
        return target
    }
}
