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
        written += try writeCurves(trainer.history, recipe: trainer.recipe.name, heldOut: Self.heldOutName(for: trainer.recipe),
                                   task: trainer.recipe.task)
        if trainer.recipe.isPlanar { written += try writeDecisionBoundary(trainer) }
        if trainer.recipe.task == .regression { written += try writePredictions(trainer) }
        written += try writeGraph(trainer, expand: expand)
        written.append(try writeSummary(summary, finalMetrics: Self.finalMetrics(trainer)))
        return written
    }

    /// The lines that end summary.txt: the epochs trained and the last epoch's figures.
    public static func finalMetrics(_ trainer: Trainer) -> [String] {
        guard let last = trainer.history.last else { return ["not trained yet"] }
        let heldOut = heldOutName(for: trainer.recipe)
        let regression = trainer.recipe.task == .regression
        func score(_ value: Double) -> String {
            regression ? String(format: "R² %.4f", value) : String(format: "accuracy %.2f%%", 100 * value)
        }
        let loss = regression ? "mean squared error" : "loss"
        return ["Final metrics after \(trainer.completedEpochs) epoch\(trainer.completedEpochs == 1 ? "" : "s") "
                    + "(\(trainer.data.train.count) train, \(trainer.data.test.count) \(heldOut) examples):",
                "  train: \(loss) " + String(format: "%.6f", last.trainLoss) + ", \(score(last.trainAccuracy))",
                "  \(heldOut): \(loss) " + String(format: "%.6f", last.testLoss) + ", \(score(last.testAccuracy))"]
    }

    /// `loss.png`, `loss.svg`, `accuracy.png`, `accuracy.svg`: training and held-out curves by
    /// epoch, the loss on a logarithmic axis. `heldOut` names the held-out curve: "test", or
    /// "validation" for the character models, whose per-epoch held-out set is not the test set.
    public func writeCurves(_ history: [EpochRecord], recipe: String, heldOut: String = "test",
                            task: TaskKind = .classification) throws(TrainingError) -> [String] {
        let (loss, accuracy) = Self.curves(history, recipe: recipe, heldOut: heldOut, task: task)
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
    /// A regression's "accuracy" curve is its R² (Trainer.score), as a fraction.
    public static func curves(_ history: [EpochRecord], recipe: String, heldOut: String,
                              task: TaskKind = .classification) -> (loss: LinePlot, accuracy: LinePlot) {
        let epochs = history.map { Double($0.epoch) }
        let regression = task == .regression
        let loss = LinePlot(title: "\(recipe): loss", xLabel: "epoch", yLabel: regression ? "mean squared error" : "cross-entropy",
                            series: [.init(name: "train", x: epochs, y: history.map(\.trainLoss)),
                                     .init(name: heldOut, x: epochs, y: history.map(\.testLoss))],
                            yScale: .logarithmic)
        let scale = regression ? 1.0 : 100.0
        let accuracy = LinePlot(title: "\(recipe): \(regression ? "R²" : "accuracy")", xLabel: "epoch",
                                yLabel: regression ? "R² (1 − MSE / variance)" : "accuracy (%)",
                                series: [.init(name: "train", x: epochs, y: history.map { scale * $0.trainAccuracy }),
                                         .init(name: heldOut, x: epochs, y: history.map { scale * $0.testAccuracy })])
        return (loss, accuracy)
    }

    /// `predicted-vs-actual.png` and `.svg`, for a regression: each test example's prediction
    /// against its true value, with the diagonal where a perfect model's points would lie.
    public func writePredictions(_ trainer: Trainer) throws(TrainingError) -> [String] {
        let test = trainer.data.test
        let predicted = trainer.predictions(of: test)
        let actual = (test.targets ?? []).map(Double.init)
        let name = test.classNames?.first ?? "target"
        let plot = ScatterPlot(title: "\(trainer.recipe.name): \(test.count) test examples after \(trainer.completedEpochs) epochs",
                               xLabel: "actual \(name)", yLabel: "predicted \(name)", x: actual, y: predicted, diagonal: true)
        var written: [String] = []
        for format in PlotFormat.allCases {
            let target = file("predicted-vs-actual.\(format.rawValue)")
            do {
                try plot.write(to: target)
            } catch {
                throw .unwritable(path: target, reason: error.description)
            }
            written.append(target)
        }
        return written
    }

    /// `decision-boundary.png` and `.svg`: for two classes, the model's score (logit 1 −
    /// logit 0) over the plane, the line where it is 0, and the training points; for more,
    /// the region of each class (DecisionRegionsPlot).
    public func writeDecisionBoundary(_ trainer: Trainer) throws(TrainingError) -> [String] {
        var written: [String] = []
        for format in PlotFormat.allCases {
            let target = file("decision-boundary.\(format.rawValue)")
            do {
                try AtomicFile.write(try Self.decisionPicture(trainer, format: format), to: target)
            } catch {
                throw .unwritable(path: target, reason: "\(error)")
            }
            written.append(target)
        }
        return written
    }

    /// The decision boundary (two classes of a built-in recipe) or regions (more classes, or the
    /// named classes of the user's own table) of a 2-D classifier, drawn now.
    public static func decisionPicture(_ trainer: Trainer, format: PlotFormat) throws -> [UInt8] {
        let train = trainer.data.train
        let points = train.labels.indices.map { index in
            let point = train.example(at: index)
            return DecisionBoundaryPlot.Point(x: Double(point[point.startIndex]), y: Double(point[point.startIndex + 1]),
                                              label: train.labels[index])
        }
        let epochs = trainer.completedEpochs
        let regions = train.classCount > 2 || trainer.recipe.inputNames != nil
        let title = "\(trainer.recipe.name): decision \(regions ? "regions" : "boundary") after \(epochs) epoch\(epochs == 1 ? "" : "s")"
        let axes = trainer.recipe.inputNames.flatMap { $0.count == 2 ? $0 : nil } ?? ["x₁", "x₂"]
        // More than two classes, or classes with names (the user's own table): one region per class.
        if regions {
            let names = train.classNames ?? (0 ..< train.classCount).map { "class \($0)" }
            return try DecisionRegionsPlot(title: title, points: points, classNames: names, xLabel: axes[0], yLabel: axes[1])
                .render(as: format) { x, y in trainer.logits(x, y) }
        }
        return try DecisionBoundaryPlot(title: title, points: points, xLabel: axes[0], yLabel: axes[1])
            .render(as: format) { x, y in trainer.score(x, y) }
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
            let targets = trainer.data.train.targets(at: batch.indices).map { try! Tensor<Float>(shape: [count, 1], elements: $0) }
            drawing = try ModelGraph.drawing(of: trainer.model, inputs: batch.inputs, labels: batch.labels, expand: expand,
                                             targets: targets)
        } catch {
            fatalError("TrainingOutputFolder.writeGraph: recipe '\(trainer.recipe.name)': \(error)")
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

    /// `summary.txt`: the model summary as `ModelSummary` prints it, then a blank line and
    /// `finalMetrics` (the last epoch's figures), when given.
    public func writeSummary(_ summary: ModelSummary, finalMetrics: [String] = []) throws(TrainingError) -> String {
        let target = file("summary.txt")
        let text = summary.description + "\n" + (finalMetrics.isEmpty ? "" : "\n" + finalMetrics.joined(separator: "\n") + "\n")
        do {
            try AtomicFile.write(Array(text.utf8), to: target)
        } catch {
            throw .unwritable(path: target, reason: error.reason)
        }
        return target
    }
}
