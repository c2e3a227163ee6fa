// MultiheadAttention.swift — multi-head self-attention over [N, L, E], with PyTorch's
// nn.MultiheadAttention names (in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias).
//
// Read next: TransformerBlock.swift.

import Basics
import Tensors

/// Multi-head self-attention, composed from matmul, add, slice, reshape, permute and Tensors'
/// `scaledDotProductAttention` (matmul, mul, softmax); no backward of its own:
///
/// ```
/// [Q | K | V] = x · W_inᵀ + b_in                  x: [N, L, E],  W_in: [3E, E]
/// Q, K, V split into h heads of d = E/h columns:  [N, h, L, d]
/// headᵢ = softmax(Qᵢ Kᵢᵀ / √d (+ causal mask)) · Vᵢ
/// out = concat(head₀, …, headₕ₋₁) · W_outᵀ + b_out
/// ```
/// Each head attends in its own d-dimensional subspace; the output projection mixes them.
/// Parameters as PyTorch (`batch_first=True`): "in_proj_weight" [3E, E] (Glorot-uniform),
/// "in_proj_bias" [3E] (zeros), and the child "out_proj", a Linear(E, E) with bias zeroed.
/// PyTorch's optional dropout on the attention weights is not applied.
public final class MultiheadAttention<Scalar: TensorScalar>: CallSiteLayer {
    public let embedDim: Int
    public let numHeads: Int
    /// Whether position i may attend only to positions 0...i (a decoder's mask).
    public let causal: Bool
    /// W_in, shape [3E, E]: rows 0..<E project to queries, E..<2E to keys, 2E..<3E to values.
    public let inProjWeight: Tensor<Scalar>
    /// b_in, shape [3E], or `nil`.
    public let inProjBias: Tensor<Scalar>?
    /// The output projection, E → E.
    public let outProj: Linear<Scalar>
    public var isTraining = true

    /// PyTorch's initialization: W_in Glorot-uniform on ±√(6 / (E + 3E)), b_in = 0, out_proj's
    /// weight as a Linear's (±1/√E) and its bias 0. Drawn from `rng`: W_in, then out_proj.
    public init(embedDim: Int, numHeads: Int, bias: Bool = true, causal: Bool = false, using rng: inout SplitMix64) {
        trapUnless(embedDim > 0 && numHeads > 0 && embedDim % numHeads == 0,
                   "MultiheadAttention: embedDim (\(embedDim)) must be a positive multiple of numHeads (\(numHeads))")
        self.embedDim = embedDim
        self.numHeads = numHeads
        self.causal = causal
        inProjWeight = Initialization.uniform([3 * embedDim, embedDim],
                                              bound: Initialization.xavierUniformBound(fanIn: embedDim, fanOut: 3 * embedDim),
                                              using: &rng)
        inProjBias = bias ? Initialization.constant([3 * embedDim], 0) : nil
        let projection = Linear<Scalar>(in: embedDim, out: embedDim, bias: bias, using: &rng)
        if let outBias = projection.bias { outBias.assign(Tensor.zeros([embedDim])) }
        outProj = projection
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] {
        [("in_proj_weight", inProjWeight)] + (inProjBias.map { [("in_proj_bias", $0)] } ?? [])
    }

    public var children: [(name: String, module: any Module<Scalar>)] { [("out_proj", outProj)] }

    public var summaryName: String { "MultiheadAttention(\(embedDim), \(numHeads) heads\(causal ? ", causal" : ""))" }

    /// Self-attention of `input` [N, L, E] with itself, giving [N, L, E].
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank != 3 || input.shape[2] != embedDim {
            layerTrap(summaryName, "expects input [N, L, \(embedDim)], got \(shapeText(input.shape))", file: file, line: line)
        }
        let (batch, length, headDim) = (input.shape[0], input.shape[1], embedDim / numHeads)
        var projected = input.matmul(inProjWeight.transposed(), file: file, line: line)
        if let inProjBias { projected = Tensor.add(projected, inProjBias, file: file, line: line) }
        // [N, L, E] → [N, L, h, d] → [N, h, L, d]: head j is columns j·d..<(j+1)·d.
        func heads(_ part: Int) -> Tensor<Scalar> {
            projected.slice(axis: 2, part * embedDim, (part + 1) * embedDim)
                .reshape([batch, length, numHeads, headDim]).permute([0, 2, 1, 3])
        }
        let attended = Tensor.scaledDotProductAttention(query: heads(0), key: heads(1), value: heads(2), causal: causal,
                                                        file: file, line: line)
        let merged = attended.permute([0, 2, 1, 3]).reshape([batch, length, embedDim])
        return outProj(merged, file: file, line: line)
    }
}
