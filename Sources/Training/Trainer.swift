// Trainer.swift — the training loop: for each batch, forget the old gradients, run the model,
// measure the cross-entropy loss, backward, and let the optimizer step; after each epoch,
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
import Tensors

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
    /// - Throws: `TrainingError.diverged` when a batch's loss is NaN or infinite.
    @discardableResult
    public func trainEpoch(progress: ProgressBar?) throws(TrainingError) -> EpochRecord {
        let epoch = completedEpochs + 1
        let batches = loader.batches(epoch: completedEpochs)
        let clock = ContinuousClock()
        let start = clock.now
        var lossSum = 0.0, correct = 0, seen = 0

        model.train()
        for (index, batch) in batches.enumerated() {
            optimizer.zeroGrad()
            try applySchedule(step: completedEpochs * batches.count + index, batchesPerEpoch: batches.count)
            let logits = model(batch.inputs)
            let loss = crossEntropy(logits, batch.labels)
            let value = Double(loss.item())
            guard value.isFinite else {
                throw .diverged(epoch: epoch, batch: index + 1, loss: value, learningRate: settings.learningRate)
            }
            correct += Self.correctCount(logits, batch.labels)
            loss.backward()
            clipGradientsIfAsked()
            optimizer.step()

            lossSum += value * Double(batch.count)
            seen += batch.count
            progress?.update(BatchProgress(
                epoch: epoch, epochs: settings.epochs, batch: index + 1, batches: batches.count,
                loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                samplesPerSecond: Double(seen) / Self.seconds(clock.now - start)))
        }
        let seconds = Self.seconds(clock.now - start)
        let test = evaluate(data.test)
        // The last step can blow the weights up after the last training loss was read: the
        // test loss is the first to see it.
        guard test.loss.isFinite else {
            throw .diverged(epoch: epoch, batch: batches.count, loss: test.loss, learningRate: settings.learningRate)
        }
        let record = EpochRecord(
            epoch: epoch, trainLoss: lossSum / Double(max(1, seen)), trainAccuracy: Double(correct) / Double(max(1, seen)),
            testLoss: test.loss, testAccuracy: test.accuracy, seconds: seconds,
            samplesPerSecond: Double(seen) / seconds)
        history.append(record)
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
                lossSum += Double(crossEntropy(logits, batch.labels).item()) * Double(batch.count)
                correct += Self.correctCount(logits, batch.labels)
            }
        }
        return (lossSum / Double(dataset.count), Double(correct) / Double(dataset.count))
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

    // MARK: - Pieces

    /// The cross-entropy of `logits` against `labels`. The labels come from a `Dataset`,
    /// which keeps them in 0..<classCount; a recipe whose model has fewer outputs than its
    /// data has classes is a programmer error.
    func crossEntropy(_ logits: Tensor<Float>, _ labels: [Int]) -> Tensor<Float> {
        do {
            return try logits.crossEntropy(labels: labels)
        } catch {
            preconditionFailure("Trainer: recipe '\(recipe.name)': the model's output \(logits.shape) does not fit the labels: \(error)")
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
