// Embedding.swift — a table of learned vectors, one row per token id. It is a `Module` but
// not a `Layer`: its input is integer ids, not a tensor.
//
// Read next: TokenEmbedding.swift (ids of a context to vectors), then RNNCell.swift.

import Basics
import Tensors

/// A lookup table (Tensors' `embedding`, composed from indexSelect and reshape):
///
/// ```
/// out[p, :] = weight[ids[p], :]        ∂weight[r, :] = Σ_{p : ids[p] = r} ∂L/∂out[p, :]
/// ```
/// Parameter "weight" [vocabularySize, dimension], initialized N(0, 1) as PyTorch's
/// `nn.Embedding`.
public final class Embedding<Scalar: TensorScalar>: Module {
    public let vocabularySize: Int
    public let dimension: Int
    /// The table, shape [vocabularySize, dimension]: row r is token r's vector.
    public let weight: Tensor<Scalar>
    public var isTraining = true

    /// A table drawn from N(0, 1) with `rng` (row-major, Box–Muller).
    public init(vocabularySize: Int, dimension: Int, using rng: inout SplitMix64) {
        trapUnless(vocabularySize > 0 && dimension > 0,
                   "Embedding: vocabularySize (\(vocabularySize)) and dimension (\(dimension)) must be positive")
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        weight = Tensor<Scalar>.randomNormal([vocabularySize, dimension], using: &rng).requiringGrad()
    }

    /// A layer around a given table [vocabularySize, dimension] (it becomes trainable).
    public init(weight: Tensor<Scalar>, file: StaticString = #fileID, line: UInt = #line) {
        if weight.rank != 2 {
            layerTrap("Embedding", "the table must have shape [vocabularySize, dimension], got \(shapeText(weight.shape))",
                      file: file, line: line)
        }
        vocabularySize = weight.shape[0]
        dimension = weight.shape[1]
        self.weight = weight.requiringGrad()
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [("weight", weight)] }
    public var summaryName: String { "Embedding(\(vocabularySize), \(dimension))" }

    /// The vectors of `ids`, arranged in `shape` (default `[ids.count]`): shape + [dimension].
    ///
    /// - Throws: `NNError.tokenOutOfRange` for an id outside 0..<vocabularySize,
    ///   `NNError.idCountMismatch` when the ids do not fill `shape` (ids come from data).
    public func callAsFunction(_ ids: [Int], shape: [Int]? = nil,
                               file: StaticString = #fileID, line: UInt = #line) throws(NNError) -> Tensor<Scalar> {
        try weight.embedding(ids, shape: shape, file: file, line: line)
    }
}
