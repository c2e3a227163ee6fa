// NamesRecipeTests.swift — the character-model recipes names-lstm and names-gpt: their models'
// shapes and names, short runs on a subset of the names whose loss falls, the NLL report
// against hand-derived values (a model that predicts uniformly scores ln 27), and sampling:
// reproducible for a seed, temperature as softmax(ℓ / T) worked out by hand, and draws whose
// frequencies follow the model's distribution.

import Datasets
import Engine
import Foundation
import Layers
import Tensors
import Testing
@testable import Training

@Suite struct NamesRecipeTests {
    static let vocabulary = CharacterVocabulary.lowercaseLetters

    /// The examples of a few names: fast enough for a debug build.
    static func smallData(train: Int = 240, validation: Int = 60) throws -> TrainTestSplit<Float> {
        let split = try Names.split()
        func examples(_ names: ArraySlice<String>) throws -> InMemoryDataset<Float> {
            try .nextCharacterExamples(Array(names), vocabulary: vocabulary, blockSize: 8)
        }
        return TrainTestSplit(train: try examples(split.train.prefix(train)),
                              test: try examples(split.validation.prefix(validation)))
    }

    /// A model that ignores its context and always gives `logProbabilities` (as logits).
    static func fixedModel(_ logProbabilities: [Float]) -> Sequential<Float> {
        var rng = SplitMix64(seed: 0)
        let linear = Linear<Float>(in: 8, out: logProbabilities.count, using: &rng)
        linear.weight.assign(Tensor.zeros(linear.weight.shape))
        linear.bias!.assign(try! Tensor(shape: [logProbabilities.count], elements: logProbabilities))
        return Sequential([linear])
    }

    @Test(arguments: [Recipe.namesLSTM, Recipe.namesGPT].map(\.name))
    func theModelMapsContextsToNextCharacterLogits(_ name: String) throws {
        let recipe = try Recipe.named(name)
        #expect(LanguageModel.of(recipe) != nil)
        let model = recipe.makeModel(seed: 0)
        let contexts = try Tensor<Float>(shape: [3, 8], elements: (0..<24).map { Float($0 % 27) })
        #expect(model(contexts).shape == [3, 27])
        #expect(model.namedParameters.first?.name == "0.token.weight")
        if name == "names-gpt" {
            #expect(model.namedParameters.map(\.name).contains("0.position.weight"))
            #expect(model.namedParameters.map(\.name).contains("1.self_attn.in_proj_weight"))
        }
        // The same seed builds the same weights.
        #expect(recipe.makeModel(seed: 0).parameters.map(\.scalars) == model.parameters.map(\.scalars))
    }

    @Test func classifierRecipesAreNotLanguageModels() throws {
        #expect(LanguageModel.of(.digitsMLP) == nil && LanguageModel.of(.moons) == nil)
    }

    @Test func theRecipesTrainOnTheNamesSplit() throws {
        let data = try Recipe.namesGPT.loadData()
        // python3 Scripts/names_data.py: 28,853 training and 3,625 validation examples.
        #expect(data.train.count == 28853 && data.test.count == 3625)
        #expect(data.train.exampleShape == [8] && data.train.classCount == 27)
        #expect(try LanguageModel.names.testSet().count == 3644)
    }

    @Test(arguments: [Recipe.namesLSTM, Recipe.namesGPT].map(\.name))
    func aShortRunLowersTheLoss(_ name: String) throws {
        let recipe = try Recipe.named(name)
        var settings = recipe.defaults
        settings.epochs = 2
        settings.batchSize = 16
        // About 700 training examples: 44 steps an epoch (a debug build is slow).
        let trainer = try Trainer(recipe: recipe, settings: settings, data: try Self.smallData(train: 96, validation: 24))
        let before = trainer.evaluate(trainer.data.test).loss
        for _ in 1...2 { try trainer.trainEpoch(progress: nil) }
        let losses = trainer.history.map(\.trainLoss)
        #expect(losses[1] < losses[0], "\(name): training loss by epoch \(losses)")
        #expect(trainer.history[1].testLoss < before, "\(name): validation loss \(before) → \(trainer.history[1].testLoss)")
        // Below a uniform guess over 27 ids (ln 27 ≈ 3.30).
        #expect(trainer.history[1].testLoss < log(27.0))
    }

    @Test func aUniformModelScoresLnTwentySeven() throws {
        // A recipe whose model is one zeroed Linear layer: cheap to score on the 3,644 test examples.
        let uniform = Recipe(name: "uniform-names", summary: "", defaults: Recipe.namesLSTM.defaults,
                             load: { _ in try! Self.smallData() }, build: { _ in Self.fixedModel(Array(repeating: 0, count: 27)) })
        let trainer = try Trainer(recipe: uniform, settings: uniform.defaults)
        let report = try trainer.languageModelReport(.names, temperature: 1)
        // Zero weights: every logit 0, every character probability 1/27.
        #expect(abs(report.validationNLL - log(27.0)) < 1e-5)
        #expect(abs(report.testNLL - log(27.0)) < 1e-5)
        #expect(report.samples.count == 20)
        #expect(report.samplingSeed == 2000)
        #expect(report.lines[0] == "validation NLL 3.2958 nats/char, test NLL 3.2958 nats/char")
        #expect(report.lines[1] == "20 samples (temperature 1.0, seed 2000):")
        #expect(report.lines.count == 2 + 4)
    }

    @Test func temperatureDividesTheLogits() {
        // Logits 0, ln 2, ln 4: probabilities 1/7, 2/7, 4/7 at T = 1; at T = 2 the weights
        // are 1, √2, 2 over 3 + √2; at T = 1/2 they are 1, 4, 16 over 21.
        let logits: [Float] = [0, Float(log(2.0)), Float(log(4.0))]
        let cases: [(Double, [Double])] = [
            (1, [1.0 / 7, 2.0 / 7, 4.0 / 7]),
            (2, [1, 2.0.squareRoot(), 2].map { $0 / (3 + 2.0.squareRoot()) }),
            (0.5, [1.0 / 21, 4.0 / 21, 16.0 / 21]),
        ]
        for (temperature, expected) in cases {
            let p = LanguageModel.probabilities(logits: logits, temperature: temperature)
            #expect(zip(p, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "T = \(temperature): \(p)")
        }
        #expect(LanguageModel.draw([0.2, 0.5, 0.3], 0.1) == 0)
        #expect(LanguageModel.draw([0.2, 0.5, 0.3], 0.3) == 1)
        #expect(LanguageModel.draw([0.2, 0.5, 0.3], 0.75) == 2)
        #expect(LanguageModel.draw([0.2, 0.5, 0.3], 0.999_999) == 2)
    }

    @Test func samplesAreReproducibleForASeed() throws {
        let model = Recipe.namesGPT.makeModel(seed: 4)
        let language = LanguageModel.names
        let first = language.sample(from: model, count: 20, temperature: 1, seed: 9)
        #expect(first == language.sample(from: model, count: 20, temperature: 1, seed: 9))
        #expect(first != language.sample(from: model, count: 20, temperature: 1, seed: 10))
        #expect(first.allSatisfy { $0.count <= LanguageModel.maximumSampleLength && $0.allSatisfy { ("a"..."z").contains($0) } })
        #expect(model.isTraining)
    }

    /// A model that says "a" with probability 3/4 and the end with 1/4 makes names "aa…a" of
    /// geometric length: P(length = k) = (3/4)ᵏ · 1/4, mean 3. At temperature 1/2 the odds
    /// become 9 : 1 (p = 0.9), mean length 9.
    @Test func drawsFollowTheModelsDistribution() {
        var logits = [Float](repeating: -100, count: 27)
        logits[0] = Float(log(0.25))
        logits[1] = Float(log(0.75))
        let model = Self.fixedModel(logits)
        let samples = LanguageModel.names.sample(from: model, count: 4000, temperature: 1, seed: 5)
        #expect(samples.allSatisfy { $0.allSatisfy { $0 == "a" } })
        let lengths = samples.map { Double($0.count) }
        let mean = lengths.reduce(0, +) / Double(lengths.count)
        // The mean of 4,000 draws of a geometric variable with variance 12: standard error 0.055.
        #expect(abs(mean - 3) < 0.25, "mean length \(mean)")
        let share0 = Double(lengths.filter { $0 == 0 }.count) / Double(lengths.count)
        #expect(abs(share0 - 0.25) < 0.03, "share of empty samples \(share0)")
        let cold = LanguageModel.names.sample(from: model, count: 2000, temperature: 0.5, seed: 6)
        let coldMean = cold.map { Double($0.count) }.reduce(0, +) / Double(cold.count)
        // Capped at 30 characters: E[min(L, 30)] = Σ_{k=1…30} P(L ≥ k) = Σ 0.9ᵏ ≈ 8.62
        // (standard deviation about 8, so a standard error of 0.2 over 2,000 draws).
        let cappedMean = (1...30).reduce(0.0) { $0 + pow(0.9, Double($1)) }
        #expect(abs(coldMean - cappedMean) < 0.7, "mean length at T = 1/2: \(coldMean), expected \(cappedMean)")
    }

    /// The heat maps' weights, recomputed in Double from the block's parameters, must give the
    /// block's own attention output: Σ_j w_ij V_j per head, then out_proj (Lumen's layer as the
    /// oracle), and each row must be a causal distribution.
    @Test func attentionMapsAreTheBlocksOwnWeights() throws {
        let model = Recipe.namesGPT.makeModel(seed: 2)
        let context = try LanguageModel.names.context(of: "dorla")
        #expect(context == [0, 4, 15, 18, 12, 1])
        let maps = AttentionMaps(model: model, context: context, vocabulary: Self.vocabulary)
        #expect(maps.labels == [".", "d", "o", "r", "l", "a"])
        #expect(maps.weights.count == 2 && maps.weights.allSatisfy { $0.count == 4 })
        for head in maps.weights.flatMap({ $0 }) {
            for (i, row) in head.enumerated() {
                let rowSum: Double = row.reduce(0, +)
                #expect(abs(rowSum - 1) < 1e-9)
                #expect(row[(i + 1)...].allSatisfy { $0 == 0 })
            }
        }
        // Block 1: rebuild its attention output from the weights.
        let embedding = model.layers[0]
        let block = model.layers[1] as! TransformerBlock<Float>
        let x = embedding(try Tensor<Float>(shape: [1, 6], elements: context.map { Float($0) }))
        let normed = block.norm1(x)
        let attention = block.selfAttention
        let projected = (normed.matmul(attention.inProjWeight.transposed()) + attention.inProjBias!).scalars.map(Double.init)
        let (width, d) = (32, 8)
        var merged = [Float](repeating: 0, count: 6 * width)
        for (h, weights) in maps.weights[0].enumerated() {
            for i in 0..<6 {
                for c in 0..<d {
                    let value = (0..<6).reduce(0.0) { $0 + weights[i][$1] * projected[$1 * 3 * width + 2 * width + h * d + c] }
                    merged[i * width + h * d + c] = Float(value)
                }
            }
        }
        let rebuilt = attention.outProj(try Tensor<Float>(shape: [1, 6, width], elements: merged))
        let direct = attention(normed)
        #expect(zip(rebuilt.scalars, direct.scalars).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(maps.svg.hasPrefix("<svg") && maps.svg.contains("block 2, head 4"))
    }

    @Test func theCharacterModelsCallTheirHeldOutCurveValidation() {
        // Their per-epoch held-out set is the validation names; the test names are scored once.
        #expect(TrainingOutputFolder.heldOutName(for: .namesGPT) == "validation")
        #expect(TrainingOutputFolder.heldOutName(for: .namesLSTM) == "validation")
        #expect(TrainingOutputFolder.heldOutName(for: .moons) == "test")
        #expect(TrainingOutputFolder.heldOutName(for: .digitsMLP) == "test")
        let curves = TrainingOutputFolder.curves([], recipe: "names-gpt", heldOut: "validation")
        #expect(curves.loss.series.map(\.name) == ["train", "validation"])
        #expect(curves.accuracy.series.map(\.name) == ["train", "validation"])
    }
}
