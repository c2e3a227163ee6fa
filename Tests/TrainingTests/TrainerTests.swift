// TrainerTests.swift — the training loop: a short run whose loss falls, the evaluation against
// cross-entropy worked out in plain Double, the accuracy count, and the settings' checks.

import Datasets
import Foundation
import Layers
import Tensors
import Testing
@testable import Training

@Suite struct TrainerTests {
    /// The moons recipe with small settings: 300 training points, 10 batches per epoch.
    static func moonsTrainer(epochs: Int, seed: UInt64 = 3) throws -> Trainer {
        try Trainer(recipe: .moons, settings: TrainingSettings(epochs: epochs, batchSize: 32, learningRate: 0.01,
                                                               optimizer: .adam, seed: seed))
    }

    @Test func aShortRunOnMoonsLowersTheLossAndLearns() throws {
        let trainer = try Self.moonsTrainer(epochs: 5)
        let before = trainer.evaluate(trainer.data.train)
        try trainer.train(progress: nil)
        #expect(trainer.history.map(\.epoch) == [1, 2, 3, 4, 5])
        let after = trainer.evaluate(trainer.data.train)
        #expect(after.loss < 0.8 * before.loss, "training loss \(before.loss) → \(after.loss)")
        #expect(trainer.history.last!.trainLoss < trainer.history.first!.trainLoss)
        // Two moons with noise 0.15 are nearly separable: a few epochs get most points right.
        #expect(trainer.history.last!.testAccuracy > 0.8)
        #expect(trainer.history.allSatisfy { $0.seconds > 0 && $0.samplesPerSecond > 0 })
    }

    @Test func aShortRunOnASubsetOfTheDigitsLowersTheLoss() throws {
        let digits = try InMemoryDataset<Float>.digitsSplit()
        let data = TrainTestSplit(train: try digits.train.subset(0..<256), test: try digits.test.subset(0..<64))
        let trainer = try Trainer(recipe: .digitsMLP, settings: Recipe.digitsMLP.defaults, data: data)
        for _ in 1...6 { try trainer.trainEpoch(progress: nil) }
        // Ten classes: an untrained model's loss is about ln 10 ≈ 2.3, its accuracy about 10 %.
        #expect(trainer.history[5].trainLoss < trainer.history[0].trainLoss)
        #expect(trainer.history[5].testLoss < trainer.history[0].testLoss)
        #expect(trainer.history[5].testAccuracy > 0.4)
    }

    /// The epoch's training loss is the size-weighted mean of the batch losses, so the mean
    /// over all examples; its accuracy counts each batch before its update. Check both on
    /// an epoch with learning rate ~0 (the model barely changes), against the model's own
    /// evaluation of the training set computed in plain Double.
    @Test func epochFiguresAreMeansOverExamples() throws {
        let trainer = try Trainer(recipe: .moons, settings: TrainingSettings(epochs: 1, batchSize: 7, learningRate: 1e-30,
                                                                             optimizer: .sgd, seed: 1))
        let expected = Self.plainCrossEntropy(trainer.model, trainer.data.train)
        let record = try trainer.trainEpoch(progress: nil)
        #expect(abs(record.trainLoss - expected.loss) < 1e-5)
        #expect(abs(record.trainAccuracy - expected.accuracy) < 1e-12)
    }

    @Test func evaluateMatchesCrossEntropyInPlainDouble() throws {
        let trainer = try Self.moonsTrainer(epochs: 1)
        try trainer.trainEpoch(progress: nil)
        let measured = trainer.evaluate(trainer.data.test)
        let expected = Self.plainCrossEntropy(trainer.model, trainer.data.test)
        #expect(abs(measured.loss - expected.loss) < 1e-5)
        #expect(measured.accuracy == expected.accuracy)
        #expect(trainer.model.isTraining, "evaluate restores training mode")
    }

    @Test func scoreIsTheDifferenceOfTheTwoLogits() throws {
        let trainer = try Self.moonsTrainer(epochs: 1)
        let logits = withoutGradients { trainer.model(try! Tensor<Float>(shape: [1, 2], elements: [0.25, -0.5])) }.scalars
        #expect(trainer.score(0.25, -0.5) == Double(logits[1]) - Double(logits[0]))
    }

    @Test func correctCountTakesTheFirstLargestLogit() throws {
        let logits = try Tensor<Float>(shape: [4, 3], elements: [0.1, 0.9, 0.0,   // → 1
                                                                 2.0, 2.0, 1.0,   // tie: → 0
                                                                 -1, -3, -0.5,    // → 2
                                                                 5, 4, 3])        // → 0
        #expect(Trainer.correctCount(logits, [1, 0, 2, 0]) == 4)
        #expect(Trainer.correctCount(logits, [1, 1, 0, 2]) == 1)
        #expect(Trainer.correctCount(logits, [0, 1, 1, 1]) == 0)
    }

    @Test func theLoaderShufflesEachEpochWithTheShuffleSeed() throws {
        let trainer = try Self.moonsTrainer(epochs: 1, seed: 5)
        #expect(trainer.settings.shuffleSeed == 1005)
        let loader = trainer.loader
        #expect(loader.order(epoch: 2) == epochOrder(seed: 1007, count: 300))
        #expect(loader.batchCount == 10)  // ⌈300 / 32⌉
    }

    @Test func aLossThatIsNotFiniteStopsTheRunWithATypedError() throws {
        let trainer = try Self.moonsTrainer(epochs: 2)
        // A weight that has blown up to NaN, as in a diverging run: every logit of class 0
        // becomes NaN, and so does the first batch's loss.
        let lastBias = trainer.model.parameters.last!
        lastBias[0] = .nan
        #expect {
            try trainer.train(progress: nil)
        } throws: { error in
            guard case .diverged(let epoch, let batch, let loss, let rate) = error as? TrainingError else { return false }
            return epoch == 1 && batch == 1 && loss.isNaN && rate == 0.01
                && "\(error)" == "the loss became NaN in epoch 1, batch 1: training diverged at learning rate 0.01; try a smaller --lr"
        }
        #expect(trainer.history.isEmpty)
    }

    @Test func aRunThatStopsMidEpochEndsTheOpenProgressLine() throws {
        let trainer = try Self.moonsTrainer(epochs: 2)
        trainer.model.parameters.last![0] = .nan
        let output = TrainingOutput.collecting(width: 80)
        let bar = ProgressBar(output: output, redrawInterval: 0)
        // A live line left open by an earlier batch, as on a terminal mid-epoch.
        bar.update(BatchProgress(epoch: 1, epochs: 2, batch: 1, batches: 10, loss: 1, accuracy: 0.5, samplesPerSecond: 10))
        #expect(!output.text.hasSuffix("\n"))
        #expect(throws: TrainingError.self) { try trainer.train(progress: bar) }
        #expect(output.text.hasSuffix("\u{1B}[K\n"), "the error starts on a line of its own")
    }

    // MARK: - Settings and names

    @Test func settingsRejectValuesThatCannotTrain() {
        let good = TrainingSettings(epochs: 1, batchSize: 1, learningRate: 0.1, optimizer: .sgd)
        #expect(throws: Never.self) { try good.validate() }
        let cases: [(TrainingSettings, String)] = [
            (TrainingSettings(epochs: 0, batchSize: 1, learningRate: 0.1, optimizer: .sgd), "--epochs 0 is not allowed: --epochs must be at least 1"),
            (TrainingSettings(epochs: 1, batchSize: 0, learningRate: 0.1, optimizer: .sgd), "--batch-size 0 is not allowed"),
            (TrainingSettings(epochs: 1, batchSize: 1, learningRate: -0.5, optimizer: .sgd), "--lr -0.5 is not allowed"),
            (TrainingSettings(epochs: 1, batchSize: 1, learningRate: .nan, optimizer: .sgd), "--lr nan is not allowed"),
            (TrainingSettings(epochs: 1, batchSize: 1, learningRate: .infinity, optimizer: .sgd), "--lr inf is not allowed"),
        ]
        for (settings, message) in cases {
            #expect {
                try settings.validate()
            } throws: { error in
                "\(error)".hasPrefix(message)
            }
        }
    }

    @Test func unknownNamesListTheKnownOnes() {
        #expect {
            try Recipe.named("sprials")
        } throws: { error in
            "\(error)" == "unknown recipe 'sprials': the recipes are moons, spirals, digits-mlp, digits-cnn, mnist, names-lstm, names-gpt"
        }
        #expect {
            try OptimizerKind(named: "adamx")
        } throws: { error in
            "\(error)" == "unknown optimizer 'adamx' for --optimizer: choose one of sgd, momentum, adam, adamw, rmsprop"
        }
        #expect((try? OptimizerKind(named: "AdamW")) == .adamw)
    }

    @Test func everyOptimizerKindMakesItsOptimizer() throws {
        let parameter = Tensor<Float>([1, 2]).requiringGrad()
        for kind in OptimizerKind.allCases {
            let optimizer = try kind.make([parameter], learningRate: 0.5)
            #expect(optimizer.learningRate == 0.5)
            #expect(optimizer.parameters.count == 1 && optimizer.parameters[0] === parameter)
        }
        #expect(throws: TrainingError.self) { try OptimizerKind.sgd.make([parameter], learningRate: -1) }
    }

    @Test func mnistNeedsADataFolderAndNamesItsFiles() throws {
        #expect {
            try Recipe.mnist.loadData()
        } throws: { error in
            let text = "\(error)"
            return text.contains("pass --data DIR") && text.contains("train-images-idx3-ubyte")
                && text.contains("t10k-labels-idx1-ubyte")
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect {
            try Recipe.mnist.loadData(from: empty.path)
        } throws: { error in
            guard case .data(.missingFile(let directory, _)) = error as? TrainingError else { return false }
            return directory == empty.path
        }
    }

    @Test func builtInRecipesBuildModelsThatFitTheirData() throws {
        for recipe in Recipe.builtIn where !recipe.needsDataDirectory {
            let data = try recipe.loadData()
            let model = recipe.makeModel(seed: 0)
            let batch = try data.train.gather([0, 1])
            let logits = withoutGradients { model(batch.inputs) }
            #expect(logits.shape == [2, data.train.classCount], "\(recipe.name)")
        }
        // The same seed gives the same weights; another seed, others.
        let a = Recipe.digitsMLP.makeModel(seed: 4), b = Recipe.digitsMLP.makeModel(seed: 4)
        let c = Recipe.digitsMLP.makeModel(seed: 5)
        #expect(a.parameters.map(\.scalars) == b.parameters.map(\.scalars))
        #expect(a.parameters[0].scalars != c.parameters[0].scalars)
    }

    @Test func recipeNamesAreUniqueAndSummariesFitAHelpLine() {
        #expect(Set(Recipe.builtIn.map(\.name)).count == Recipe.builtIn.count)
        for recipe in Recipe.builtIn { #expect(recipe.summary.count <= 76, "\(recipe.name)") }
    }

    @Test func digitsRecipesUseTheW3Split() throws {
        for recipe in [Recipe.digitsMLP, .digitsCNN] {
            let data = try recipe.loadData()
            #expect(data.train.count == 1500 && data.test.count == 297)
        }
        #expect(try Recipe.digitsCNN.loadData().train.exampleShape == [1, 8, 8])
        #expect(try Recipe.digitsMLP.loadData().train.exampleShape == [64])
    }

    // MARK: - Oracle

    /// Mean cross-entropy and accuracy of `model` on `data`, from its logits, in Double:
    /// loss_n = log Σ_c exp(z_nc) − z_n,label (with the max subtracted first).
    static func plainCrossEntropy(_ model: Sequential<Float>, _ data: InMemoryDataset<Float>) -> (loss: Double, accuracy: Double) {
        let batch = try! data.gather(Array(0..<data.count))
        let logits = withoutGradients { model(batch.inputs) }
        let z = logits.scalars.map(Double.init)
        let classes = logits.shape[1]
        var loss = 0.0, correct = 0
        for (row, label) in batch.labels.enumerated() {
            let scores = Array(z[row * classes ..< (row + 1) * classes])
            let top = scores.max()!
            loss += top + Foundation.log(scores.map { Foundation.exp($0 - top) }.reduce(0, +)) - scores[label]
            if scores.firstIndex(of: top) == label { correct += 1 }
        }
        return (loss / Double(data.count), Double(correct) / Double(data.count))
    }
}
