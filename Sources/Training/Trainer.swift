// Trainer.swift — the training loop: for each batch, forget the old gradients, run the model,
// measure the loss (cross-entropy, or mean squared error for a regression), backward, and let the optimizer step; after each epoch,
// measure the test set. The loop reports every batch to a ProgressBar and keeps one
// EpochRecord per epoch, from which the curves are drawn.
//
// Everything a run depends on is fixed by its settings: the weights by `seed`, the batch
// order of epoch e by `shuffleSeed + e` (DataLoader), so a run stopped after any epoch and
// resumed from its checkpoint (Trainer+Checkpoint.swift) continues exactly as if it had not
// stopped.
//
// Read next: Trainer+Checkpoint.swift, then TrainingOutputFolder.swift.

import Datasets
import Foundation
import Layers
import Optimizers
import Render
import Tensors
import Viz

/// A model being trained by a recipe: its data, its optimizer and its history so far.
///
/// ```swift
/// let trainer = try Trainer(recipe: .digitsMLP, settings: Recipe.digitsMLP.defaults)
/// try trainer.train(progress: ProgressBar(output: .standardOutput), checkpointPath: "out/checkpoint.safetensors")
/// print(trainer.history.last!.testAccuracy)
/// ```
public final class Trainer {
    public let recipe: Recipe
    public let settings: TrainingSettings
    public let data: TrainTestSplit<Float>
    public let model: Sequential<Float>
    public let optimizer: any Optimizer<Float>
    /// One record per finished epoch, the first epoch first (including the epochs of the
    /// run a checkpoint came from, when resumed).
    public private(set) var history: [EpochRecord]

    /// How many examples the test set is evaluated in at once (bounds the memory of a pass).
    static let evaluationBatchSize = 500

    /// The largest mean cross-entropy (in nats) a batch or the test set may reach before the
    /// run is stopped as diverged: 1,000. A classifier starts near ln(classes) (0.69 for two
    /// classes, 2.3 for ten) and only goes down from there while it learns; a loss of 1,000
    /// means it gives the right class a probability below e⁻¹⁰⁰⁰, which only weights blown up
    /// by too large a learning rate do. (A run can diverge to huge but finite losses, never
    /// reaching NaN: moons at --lr 1e9 does.)
    public static let divergenceBound = 1000.0

    /// Anomaly detection (`lumen train --detect-anomaly`): after each batch's forward pass,
    /// look for the first op that produced a NaN or ±∞ (`Tensor.firstForwardAnomaly()`), and
    /// run backward one node at a time looking for the first pullback that did
    /// (`Tensor.backwardDetectingAnomaly()`), and after the optimizer's step look for a
    /// parameter it made non-finite (`TensorAnomaly.update`). The run stops with
    /// `TrainingError.anomaly` at the first one found. Slow (every value and gradient is scanned), so off by default.
    public var detectsAnomalies = false
    /// Where to draw the graph of the batch at fault, with the node marked, when anomaly
    /// detection finds something (an `.svg`, `.png` or `.dot` path); `nil` draws nothing.
    public var anomalyGraphPath: String?
    /// When set (`lumen train --diagnostics`), measures every step's update-to-data ratios
    /// and probes the layers after every epoch (Diagnostics.swift).
    public var diagnostics: Diagnostics?
    /// Called after every epoch of `train`, once the checkpoint is saved (`lumen train
    /// --frames` draws the decision regions here).
    public var afterEpoch: ((Trainer) throws(TrainingError) -> Void)?

    /// A fresh run: a new model with weights from `settings.seed` and a new optimizer.
    ///
    /// - Parameter data: the training and test sets; by default the recipe's own
    ///   (`recipe.loadData(from: dataDirectory)`). Tests pass smaller ones.
    /// - Throws: `TrainingError` for invalid settings or data that cannot be loaded.
    public convenience init(recipe: Recipe, settings: TrainingSettings, dataDirectory: String? = nil,
                            data: TrainTestSplit<Float>? = nil) throws(TrainingError) {
        try settings.validate()
        let split = if let data { data } else { try recipe.loadData(from: dataDirectory) }
        let model = recipe.makeModel(seed: settings.seed)
        let optimizer = try settings.optimizer.make(model.parameters, learningRate: settings.learningRate)
        self.init(recipe: recipe, settings: settings, data: split, model: model, optimizer: optimizer, history: [])
    }

    /// The parts already made and checked (by the initializers here and in Trainer+Checkpoint.swift).
    init(recipe: Recipe, settings: TrainingSettings, data: TrainTestSplit<Float>, model: Sequential<Float>,
         optimizer: any Optimizer<Float>, history: [EpochRecord]) {
        self.recipe = recipe
        self.settings = settings
        self.data = data
        self.model = model
        self.optimizer = optimizer
        self.history = history
    }

    /// The number of epochs trained so far.
    public var completedEpochs: Int { history.count }

    /// The loader of the training set: batches of `settings.batchSize`, epoch e shuffled by
    /// `epochOrder(seed: shuffleSeed + e)`, the last batch partial.
    public var loader: DataLoader<Float> {
        // batchSize ≥ 1 was checked by `settings.validate()`.
        try! DataLoader(data.train, batchSize: settings.batchSize, ordering: .shuffled(seed: settings.shuffleSeed))
    }

    // MARK: - Training

    /// Trains the remaining epochs, up to `settings.epochs`, reporting to `progress`, and
    /// saves a checkpoint after every epoch (so an interrupted run can be resumed) when
    /// `checkpointPath` is given.
    public func train(progress: ProgressBar?, checkpointPath: String? = nil) throws(TrainingError) {
        do {
            while completedEpochs < settings.epochs {
                let record = try trainEpoch(progress: progress)
                progress?.finish(epoch: record, of: settings.epochs)
                if let checkpointPath { try saveCheckpoint(to: checkpointPath) }
                try afterEpoch?(self)
            }
        } catch {
            // A run that stops mid-epoch leaves the live line open; close it, so that the
            // error is not printed on the end of the bar.
            progress?.closeLiveLine()
            throw error
        }
    }

    /// One pass over the training set, then an evaluation of the test set; appends and
    /// returns the epoch's record.
    ///
    /// The epoch's loss is the mean over its examples of the per-example cross-entropy, each
    /// batch's (mean) loss weighted by its size; its accuracy counts the examples each batch
    /// classified correctly before its update.
    ///
    /// - Throws: `TrainingError.diverged` when a batch's loss or the test loss is NaN, infinite
    ///   or above `divergenceBound`; `.anomaly` when anomaly detection finds a NaN or ±∞.
    @discardableResult
    public func trainEpoch(progress: ProgressBar?) throws(TrainingError) -> EpochRecord {
        let epoch = completedEpochs + 1
        let batches = loader.batches(epoch: completedEpochs)
        let clock = ContinuousClock()
        let start = clock.now
        var lossSum = 0.0, correct = 0, seen = 0

        model.train()
        if detectsAnomalies { labelParameters() }
        for (index, batch) in batches.enumerated() {
            optimizer.zeroGrad()
            try applySchedule(step: completedEpochs * batches.count + index, batchesPerEpoch: batches.count)
            let logits = model(batch.inputs)
            let loss = self.loss(logits, batch, of: data.train)
            if detectsAnomalies, let anomaly = loss.firstForwardAnomaly() {
                throw anomalyFound(anomaly, in: loss, epoch: epoch, batch: index + 1)
            }
            let value = Double(loss.item())
            guard value.isFinite && value <= divergenceBound else {
                throw .diverged(epoch: epoch, batch: index + 1, loss: value, learningRate: settings.learningRate)
            }
            if recipe.task == .classification { correct += Self.correctCount(logits, batch.labels) }
            if detectsAnomalies {
                if let anomaly = loss.backwardDetectingAnomaly() {
                    throw anomalyFound(anomaly, in: loss, epoch: epoch, batch: index + 1)
                }
            } else {
                loss.backward()
            }
            clipGradientsIfAsked()
            diagnostics?.beforeStep(model)
            optimizer.step()
            diagnostics?.afterStep(model)
            if detectsAnomalies, let anomaly = TensorAnomaly.update(of: model.parameters, by: settings.optimizer.rawValue) {
                throw anomalyFound(anomaly, in: loss, epoch: epoch, batch: index + 1)
            }

            lossSum += value * Double(batch.count)
            seen += batch.count
            progress?.update(BatchProgress(
                epoch: epoch, epochs: settings.epochs, batch: index + 1, batches: batches.count,
                loss: lossSum / Double(seen), accuracy: score(loss: lossSum / Double(seen), correct: correct, seen: seen, of: data.train),
                samplesPerSecond: Double(seen) / Self.seconds(clock.now - start)))
        }
        let seconds = Self.seconds(clock.now - start)
        let test = evaluate(data.test)
        // The last step can blow the weights up after the last training loss was read: the
        // test loss is the first to see it.
        if detectsAnomalies && !test.loss.isFinite, let (anomaly, loss) = firstTestAnomaly() {
            throw anomalyFound(anomaly, in: loss, epoch: epoch, batch: batches.count)
        }
        guard test.loss.isFinite && test.loss <= divergenceBound else {
            throw .diverged(epoch: epoch, batch: batches.count, loss: test.loss, learningRate: settings.learningRate)
        }
        let record = EpochRecord(
            epoch: epoch, trainLoss: lossSum / Double(max(1, seen)),
            trainAccuracy: score(loss: lossSum / Double(max(1, seen)), correct: correct, seen: max(1, seen), of: data.train),
            testLoss: test.loss, testAccuracy: test.accuracy, seconds: seconds,
            samplesPerSecond: Double(seen) / seconds)
        history.append(record)
        diagnostics?.endEpoch(epoch, model: model, data: data.train)
        return record
    }

    /// The mean cross-entropy and the accuracy of the model on `dataset`, in evaluation mode
    /// and without recording a graph. The model's mode is restored afterwards.
    public func evaluate(_ dataset: InMemoryDataset<Float>) -> (loss: Double, accuracy: Double) {
        guard dataset.count > 0 else { return (0, 0) }
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        // Batch size ≥ 1, so the loader cannot fail.
        let batches = try! DataLoader(dataset, batchSize: Self.evaluationBatchSize).batches(epoch: 0)
        var lossSum = 0.0, correct = 0
        withoutGradients {
            for batch in batches {
                let logits = model(batch.inputs)
                lossSum += Double(loss(logits, batch, of: dataset).item()) * Double(batch.count)
                if recipe.task == .classification { correct += Self.correctCount(logits, batch.labels) }
            }
        }
        let meanLoss = lossSum / Double(dataset.count)
        return (meanLoss, score(loss: meanLoss, correct: correct, seen: dataset.count, of: dataset))
    }

    /// What a run reports beside its loss: a classifier's accuracy, correct / seen; a
    /// regression's R² = 1 − MSE / Var(y), the share of the targets' variance the model
    /// explains (1 for perfect predictions, 0 for always predicting the mean, negative for
    /// worse), with Var(y) the variance of `dataset`'s targets (1 when they are all equal).
    func score(loss: Double, correct: Int, seen: Int, of dataset: InMemoryDataset<Float>) -> Double {
        guard recipe.task == .regression else { return Double(correct) / Double(max(1, seen)) }
        let variance = Self.variance(dataset.targets ?? [])
        return 1 - loss / (variance > 0 ? variance : 1)
    }

    /// The population variance (1/n) Σ (y − ȳ)², in Double.
    static func variance(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        return values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
    }

    /// The largest loss before a run counts as diverged: `divergenceBound` for a classifier;
    /// for a regression, that many times the mean square of its training targets (at least
    /// 1), since an MSE is in the targets' units squared.
    public var divergenceBound: Double {
        guard recipe.task == .regression, let targets = data.train.targets, !targets.isEmpty else { return Self.divergenceBound }
        let meanSquare = targets.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(targets.count)
        return Self.divergenceBound * max(1, meanSquare)
    }

    /// For a recipe of points in the plane with two classes: the model's logit of class 1
    /// minus its logit of class 0 at (x, y). Positive where it predicts class 1, 0 on the
    /// decision boundary.
    public func score(_ x: Double, _ y: Double) -> Double {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let logits = withoutGradients { model(try! Tensor<Float>(shape: [1, 2], elements: [Float(x), Float(y)])) }
        let values = logits.scalars
        return Double(values[1]) - Double(values[0])
    }

    /// For a classifier of points in the plane: its logits at (x, y), one per class.
    public func logits(_ x: Double, _ y: Double) -> [Double] {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let logits = withoutGradients { model(try! Tensor<Float>(shape: [1, 2], elements: [Float(x), Float(y)])) }
        return logits.scalars.map(Double.init)
    }

    /// For a regression: the model's prediction for every example of `dataset`, in order.
    public func predictions(of dataset: InMemoryDataset<Float>) -> [Double] {
        guard dataset.count > 0 else { return [] }
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let batches = try! DataLoader(dataset, batchSize: Self.evaluationBatchSize).batches(epoch: 0)
        return withoutGradients { batches.flatMap { model($0.inputs).scalars.map(Double.init) } }
    }

    // MARK: - Pieces

    /// Names each parameter by its dotted name ("0.weight"), so that an anomaly report and
    /// its drawing say which parameter a NaN came from. Labels already set are kept.
    private func labelParameters() {
        for (name, parameter) in model.namedParameters where parameter.label == nil { parameter.label = name }
    }

    /// The test set's forward pass again, this time recording the graph (evaluation records
    /// none), batch by batch until one has an anomaly: the first op that made a NaN or ±∞.
    private func firstTestAnomaly() -> (TensorAnomaly, Tensor<Float>)? {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let batches = try! DataLoader(data.test, batchSize: Self.evaluationBatchSize).batches(epoch: 0)
        for batch in batches {
            let loss = self.loss(model(batch.inputs), batch, of: data.test)
            if let anomaly = loss.firstForwardAnomaly() { return (anomaly, loss) }
        }
        return nil
    }

    /// The error for `anomaly`, after drawing `loss`'s graph with its node marked to
    /// `anomalyGraphPath` (best effort: a drawing that fails leaves the error without a path).
    private func anomalyFound(_ anomaly: TensorAnomaly, in loss: Tensor<Float>, epoch: Int, batch: Int) -> TrainingError {
        var written: String?
        if let path = anomalyGraphPath {
            let options = DrawingOptions(
                title: "\(recipe.name): the first NaN or ±∞ (\(anomaly.phase.rawValue)), epoch \(epoch), batch \(batch)",
                caption: "marked: node \(anomaly.nodeID)\(anomaly.op.map { ", op \($0)" } ?? "")",
                highlighted: anomaly.nodeID, direction: .topToBottom)
            if (try? Graphviz.write(dot: GraphDrawing(tracing: loss).dot(options: options), to: path)) != nil {
                written = path
            }
        }
        return .anomaly(epoch: epoch, batch: batch, anomaly, graphPath: written)
    }

    /// The loss of a batch: the cross-entropy of the outputs against the batch's labels, or for
    /// a regression the mean squared error against its targets, (1/b) Σ (ŷ − y)².
    func loss(_ outputs: Tensor<Float>, _ batch: Batch<Float>, of dataset: InMemoryDataset<Float>) -> Tensor<Float> {
        guard recipe.task == .regression else { return crossEntropy(outputs, batch.labels) }
        guard let targets = dataset.targets(at: batch.indices) else {
            fatalError("Trainer: recipe '\(recipe.name)' is a regression, and its data set has no targets")
        }
        // One target per example, so the shape [b, 1] has exactly that many elements.
        return outputs.meanSquaredError(try! Tensor<Float>(shape: [batch.count, 1], elements: targets))
    }

    /// The cross-entropy of `logits` against `labels`. The labels come from a `Dataset`,
    /// which keeps them in 0..<classCount; a recipe whose model has fewer outputs than its
    /// data has classes is a programmer error.
    func crossEntropy(_ logits: Tensor<Float>, _ labels: [Int]) -> Tensor<Float> {
        do {
            return try logits.crossEntropy(labels: labels)
        } catch {
            fatalError("Trainer: recipe '\(recipe.name)': the model's output \(logits.shape) does not fit the labels: \(error)")
        }
    }

    /// How many rows of `logits` have their largest entry at the row's label (the first
    /// largest on a tie).
    static func correctCount(_ logits: Tensor<Float>, _ labels: [Int]) -> Int {
        let values = logits.scalars
        let classes = logits.shape[1]
        var correct = 0
        for (row, label) in labels.enumerated() {
            let scores = values[row * classes ..< (row + 1) * classes]
            if scores.indices.max(by: { scores[$0] < scores[$1] }) == row * classes + label { correct += 1 }
        }
        return correct
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return max(1e-9, Double(whole) + Double(fraction) * 1e-18)
    }
}
