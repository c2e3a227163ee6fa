// CharacterModelLayers.swift — the two small layers that let a character model sit in a
// `Sequential` like any classifier: one turns a batch of contexts (ids stored as scalars, as
// `nextCharacterExamples` gives them) into vectors, the other keeps the last position's
// vector, from which the next character is predicted.
//
// Read next: Recipe+Names.swift, which builds names-lstm and names-gpt from these.

import Basics
import Layers
import Tensors

/// Token ids to vectors, with an optional learned vector per position (GPT's wpe), composed
/// from Tensors' `embedding` (indexSelect), slice and add:
///
/// ```
/// out[n, t, :] = token.weight[ids[n, t], :] (+ position.weight[t, :])      ids: [N, T] → out: [N, T, E]
/// ```
/// Children "token" (Embedding V × E) and, when positions are learned, "position" (Embedding
/// blockSize × E), both N(0, 1) as PyTorch's nn.Embedding.
public final class TokenEmbedding: Layer {
    public let token: Embedding<Float>
    public let position: Embedding<Float>?
    public var isTraining = true

    /// Draws the token table, then the position table (when `blockSize` is given), from `rng`.
    public init(vocabularySize: Int, dimension: Int, positions blockSize: Int? = nil, using rng: inout SplitMix64) {
        token = Embedding(vocabularySize: vocabularySize, dimension: dimension, using: &rng)
        position = blockSize.map { Embedding(vocabularySize: $0, dimension: dimension, using: &rng) }
    }

    public var ownParameters: [(name: String, tensor: Tensor<Float>)] { [] }
    public var children: [(name: String, module: any Module<Float>)] {
        [("token", token)] + (position.map { [("position", $0 as any Module<Float>)] } ?? [])
    }
    public var summaryName: String {
        "TokenEmbedding(\(token.vocabularySize) → \(token.dimension)\(position.map { ", \($0.vocabularySize) positions" } ?? ""))"
    }

    /// The vectors of the ids in `input` [N, T]: [N, T, E].
    public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
        precondition(input.rank == 2, "\(summaryName): expects ids [N, T], got \(input.shape)")
        let ids = input.scalars.map { Int($0) }
        let vectors: Tensor<Float>
        do {
            vectors = try token(ids, shape: input.shape)
        } catch {
            // The ids come from a CharacterVocabulary, which only makes ids of its own.
            preconditionFailure("\(summaryName): \(error)")
        }
        guard let position else { return vectors }
        let length = input.shape[1]
        precondition(length <= position.vocabularySize,
                     "\(summaryName): a context of \(length) ids is longer than the \(position.vocabularySize) positions")
        return vectors + position.weight.slice(axis: 0, 0, length)
    }
}

/// The last position of a sequence, [N, T, E] → [N, E] (slice and squeeze): the vector from
/// which a model that has read the whole context predicts what comes next.
public final class LastPosition: Layer {
    public var isTraining = true
    public init() {}
    public var ownParameters: [(name: String, tensor: Tensor<Float>)] { [] }
    public var summaryName: String { "LastPosition" }

    public func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> {
        precondition(input.rank == 3 && input.shape[1] >= 1, "LastPosition: expects [N, T ≥ 1, E], got \(input.shape)")
        let length = input.shape[1]
        return input.slice(axis: 1, length - 1, length).squeeze(1)
    }
}
