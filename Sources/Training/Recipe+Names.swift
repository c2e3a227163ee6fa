// Recipe+Names.swift — two character-level language models of the bundled first names
// (Sources/Datasets/Names.swift): `names-lstm`, an LSTM, and `names-gpt`, a tiny GPT (a
// causal pre-norm Transformer). Both read the `blockSize` characters before a position and
// predict the next one, trained as classifiers over the 27 ids of the vocabulary.
//
// Data: the standard split of the names, cut into (context → next character) examples
// (Names+Examples.swift). The trainer's per-epoch "test" set is the *validation* names; the
// test names are scored once, after training (`LanguageModel.testSet()`). The mean
// cross-entropy over a set's examples is its negative log-likelihood (NLL) in nats per
// character, the end of each name counting as one character.
//
// Read next: Layers/TokenEmbedding.swift (ids to vectors, the last position), then
// LanguageModel.swift (scoring and sampling).

import Datasets
import Basics
import Layers
import Tensors

extension Recipe {
    /// An LSTM on the names: TokenEmbedding 27 → 24, LSTM 24 → 96, the last step, Linear 96 → 27.
    public static let namesLSTM = Recipe(
        name: "names-lstm",
        summary: "an LSTM (embed 24, hidden 96) on census first names, context 8",
        defaults: TrainingSettings(epochs: 3, batchSize: 64, learningRate: 0.005, optimizer: .adam),
        load: { _ throws(TrainingError) in try LanguageModel.names.trainingData() },
        build: { rng in
            let (embed, hidden) = (24, 96)
            return Sequential<Float>([
                TokenEmbedding<Float>(vocabularySize: LanguageModel.names.vocabulary.size, dimension: embed, using: &rng),
                LSTM<Float>(inputSize: embed, hiddenSize: hidden, batchFirst: true, using: &rng),
                LastPosition<Float>(),
                Linear<Float>(in: hidden, out: LanguageModel.names.vocabulary.size, using: &rng),
            ])
        })

    /// A tiny GPT on the names: token and position embeddings (32 wide), two causal
    /// Transformer blocks (4 heads, MLP 32 → 128 → 32, GELU, no dropout), the last position,
    /// a final LayerNorm and Linear 32 → 27.
    public static let namesGPT = Recipe(
        name: "names-gpt",
        summary: "a tiny GPT (2 blocks, 4 heads, width 32) on census first names, context 8",
        defaults: TrainingSettings(epochs: 2, batchSize: 64, learningRate: 0.005, optimizer: .adam),
        load: { _ throws(TrainingError) in try LanguageModel.names.trainingData() },
        build: { rng in
            let (width, blockSize) = (32, LanguageModel.names.blockSize)
            var layers: [any Layer<Float>] = [
                TokenEmbedding<Float>(vocabularySize: LanguageModel.names.vocabulary.size, dimension: width,
                               positions: blockSize, using: &rng),
            ]
            for _ in 0..<2 {
                layers.append(TransformerBlock<Float>(embedDim: width, numHeads: 4, feedforwardDim: 4 * width,
                                                      dropout: 0, activation: GELU<Float>(), causal: true, using: &rng))
            }
            layers += [LastPosition<Float>(), LayerNorm<Float>(width),
                       Linear<Float>(in: width, out: LanguageModel.names.vocabulary.size, using: &rng)]
            return Sequential(layers)
        })
}

/// What a character-level recipe knows beyond a classifier: its vocabulary, its context
/// length, its held-out test texts, and how to sample from a trained model.
public struct LanguageModel: Sendable {
    /// The characters, with the end token at id 0.
    public let vocabulary: CharacterVocabulary
    /// How many characters of context the model reads.
    public let blockSize: Int

    /// The bundled names with a context of 8 characters (a name has at most 11 letters).
    public static let names = LanguageModel(vocabulary: .lowercaseLetters, blockSize: 8)

    /// The language model of a recipe, or nil for a classifier.
    public static func of(_ recipe: Recipe) -> LanguageModel? {
        [Recipe.namesLSTM.name, Recipe.namesGPT.name].contains(recipe.name) ? .names : nil
    }

    /// Training examples (the training names) and, in the place of the test set, the
    /// validation names' examples.
    func trainingData() throws(TrainingError) -> TrainTestSplit<Float> {
        let split = try Self.nameSplit()
        return TrainTestSplit(train: examples(split.train), test: examples(split.validation))
    }

    /// The test names' examples, scored once after training.
    public func testSet() throws(TrainingError) -> InMemoryDataset<Float> {
        examples(try Self.nameSplit().test)
    }

    /// The (context → next character) examples of `texts`.
    func examples(_ texts: [String]) -> InMemoryDataset<Float> {
        do {
            return try InMemoryDataset<Float>.nextCharacterExamples(texts, vocabulary: vocabulary, blockSize: blockSize)
        } catch {
            // The bundled names are checked to be letters a–z when read.
            fatalError("LanguageModel: \(error)")
        }
    }

    /// The end token then the ids of `text`, the last `blockSize` of them: what the model
    /// reads at the text's last character (for drawing its attention).
    ///
    /// - Throws: `TrainingError.invalidOption` for a character outside the vocabulary.
    public func context(of text: String) throws(TrainingError) -> [Int] {
        do throws(VocabularyError) {
            return Array(([CharacterVocabulary.endID] + (try vocabulary.encode(text))).suffix(blockSize))
        } catch {
            throw .invalidOption(option: "text", value: text, allowed: error.description)
        }
    }

    /// The standard split of the bundled names.
    public static func nameSplit() throws(TrainingError) -> NameSplit {
        do throws(DataFileError) {
            return try Names.split()
        } catch {
            throw .data(error)
        }
    }
}
