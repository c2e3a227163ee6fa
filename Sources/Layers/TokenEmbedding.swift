// TokenEmbedding.swift — the two small layers that let a character model sit in a
// `Sequential` like any classifier: one turns a batch of contexts (ids stored as scalars, as
// `nextCharacterExamples` gives them) into vectors, the other keeps the last position's
// vector, from which the next character is predicted. (They lived in Training until
// checkpoints learned to describe them: Checkpoints' LayerSpec builds them again.)
//
// Read next: RNNCell.swift.

import Basics
import Tensors

/// Token ids to vectors, with an optional learned vector per position (GPT's wpe), composed
/// from Tensors' `embedding` (indexSelect), slice and add:
///
/// ```
/// out[n, t, :] = token.weight[ids[n, t], :] (+ position.weight[t, :])      ids: [N, T] → out: [N, T, E]
/// ```
/// Children "token" (Embedding V × E) and, when positions are learned, "position" (Embedding
/// blockSize × E), both N(0, 1) as PyTorch's nn.Embedding.
public final class TokenEmbedding<Scalar: TensorScalar>: CallSiteLayer {
    public let token: Embedding<Scalar>
    public let position: Embedding<Scalar>?
    public var isTraining = true

    /// Draws the token table, then the position table (when `blockSize` is given), from `rng`.
    public init(vocabularySize: Int, dimension: Int, positions blockSize: Int? = nil, using rng: inout SplitMix64) {
        token = Embedding(vocabularySize: vocabularySize, dimension: dimension, using: &rng)
        position = blockSize.map { Embedding(vocabularySize: $0, dimension: dimension, using: &rng) }
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var children: [(name: String, module: any Module<Scalar>)] {
        [("token", token)] + (position.map { [("position", $0 as any Module<Scalar>)] } ?? [])
    }
    public var summaryName: String {
        "TokenEmbedding(\(token.vocabularySize) → \(token.dimension)\(position.map { ", \($0.vocabularySize) positions" } ?? ""))"
    }

    /// The vectors of the ids in `input` [N, T]: [N, T, E]. Every value must be a whole
    /// number in 0..<vocabularySize, and T at most the number of positions (programmer
    /// errors: data from users is checked before it gets here, e.g. by Interop's readers).
    public func callAsFunction(_ input: Tensor<Scalar>, file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank != 2 { layerTrap(summaryName, "expects ids [N, T], got \(shapeText(input.shape))", file: file, line: line) }
        let scalars = input.scalars
        if let bad = scalars.first(where: { !($0 >= 0 && $0 < Scalar(token.vocabularySize) && $0 == $0.rounded()) }) {
            layerTrap(summaryName, "expects ids 0 to \(token.vocabularySize - 1), got \(bad)", file: file, line: line)
        }
        let vectors: Tensor<Scalar>
        do {
            vectors = try token(scalars.map { Int($0) }, shape: input.shape, file: file, line: line)
        } catch {
            layerTrap(summaryName, "\(error)", file: file, line: line)
        }
        guard let position else { return vectors }
        let length = input.shape[1]
        if length > position.vocabularySize {
            layerTrap(summaryName, "a context of \(length) ids is longer than the \(position.vocabularySize) positions",
                      file: file, line: line)
        }
        return vectors + position.weight.slice(axis: 0, 0, length)
    }
}

/// The last position of a sequence, [N, T, E] → [N, E] (slice and squeeze): the vector from
/// which a model that has read the whole context predicts what comes next.
public final class LastPosition<Scalar: TensorScalar>: CallSiteLayer {
    public var isTraining = true
    public init() {}
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "LastPosition" }

    public func callAsFunction(_ input: Tensor<Scalar>, file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank != 3 || input.shape[1] < 1 {
            layerTrap(summaryName, "expects [N, T ≥ 1, E], got \(shapeText(input.shape))", file: file, line: line)
        }
        let length = input.shape[1]
        return input.slice(axis: 1, length - 1, length).squeeze(1)
    }
}
