// TransformerBlock.swift — one pre-norm Transformer encoder block: attention and a two-layer
// MLP, each behind a LayerNorm and around a residual connection. Names follow PyTorch's
// nn.TransformerEncoderLayer(norm_first=True, batch_first=True).
//
// Read next: Sources/Optimizers, which train these parameters.

import Basics
import Tensors

/// A pre-norm Transformer block over [N, L, E] (composed from the layers it holds):
///
/// ```
/// x₁  = x  + dropout₁(self_attn(norm1(x)))
/// out = x₁ + dropout₂(linear2(dropout(activation(linear1(norm2(x₁))))))
/// ```
/// Normalizing before each sub-layer (rather than after the sum, as the original paper did)
/// leaves the residual path x → out an identity, which keeps deep stacks trainable without a
/// learning-rate warm-up. Children, in PyTorch's order: "self_attn", "linear1" (E → F),
/// "dropout", "linear2" (F → E), "norm1", "norm2", "dropout1", "dropout2".
public final class TransformerBlock<Scalar: TensorScalar>: CallSiteLayer {
    public let embedDim: Int
    public let selfAttention: MultiheadAttention<Scalar>
    public let linear1: Linear<Scalar>
    public let dropout: Dropout<Scalar>
    public let linear2: Linear<Scalar>
    public let norm1: LayerNorm<Scalar>
    public let norm2: LayerNorm<Scalar>
    public let dropout1: Dropout<Scalar>
    public let dropout2: Dropout<Scalar>
    /// Applied between linear1 and linear2; ReLU by default, as PyTorch.
    public let activation: any Layer<Scalar>
    public var isTraining = true

    /// `feedforwardDim` F is the MLP's hidden width (PyTorch's default 2048; 4E is usual).
    /// The weights are drawn from `rng` (attention, linear1, linear2); the three dropouts
    /// get seeds drawn from it too.
    public init(embedDim: Int, numHeads: Int, feedforwardDim: Int, dropout probability: Double = 0.1,
                activation: any Layer<Scalar> = ReLU<Scalar>(), causal: Bool = false, using rng: inout SplitMix64) {
        trapUnless(feedforwardDim > 0, "TransformerBlock: feedforwardDim (\(feedforwardDim)) must be positive")
        self.embedDim = embedDim
        selfAttention = MultiheadAttention(embedDim: embedDim, numHeads: numHeads, causal: causal, using: &rng)
        linear1 = Linear(in: embedDim, out: feedforwardDim, using: &rng)
        linear2 = Linear(in: feedforwardDim, out: embedDim, using: &rng)
        dropout = Dropout(probability: probability, seed: rng.next())
        dropout1 = Dropout(probability: probability, seed: rng.next())
        dropout2 = Dropout(probability: probability, seed: rng.next())
        norm1 = LayerNorm(embedDim)
        norm2 = LayerNorm(embedDim)
        self.activation = activation
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }

    public var children: [(name: String, module: any Module<Scalar>)] {
        [("self_attn", selfAttention), ("linear1", linear1), ("dropout", dropout), ("linear2", linear2),
         ("norm1", norm1), ("norm2", norm2), ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    public var summaryName: String {
        "TransformerBlock(\(embedDim), \(selfAttention.numHeads) heads, ff \(linear1.outFeatures))"
    }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank != 3 || input.shape[2] != embedDim {
            layerTrap(summaryName, "expects input [N, L, \(embedDim)], got \(shapeText(input.shape))", file: file, line: line)
        }
        let attended = input + dropout1(selfAttention(norm1(input, file: file, line: line), file: file, line: line))
        let hidden = dropout(apply(activation, linear1(norm2(attended)), file: file, line: line))
        return attended + dropout2(linear2(hidden))
    }
}
