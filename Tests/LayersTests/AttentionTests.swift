// AttentionTests.swift — MultiheadAttention and the pre-norm TransformerBlock against plain
// Double loops (heads, causal mask, layer norms, MLP, residuals), PyTorch's parameter names,
// initialization ranges, and gradients against central differences.

import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct AttentionTests {
    func close(_ a: [[Double]], _ b: [[Double]], tolerance: Double = 1e-10) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count && zip($0, $1).allSatisfy { isClose($0, $1, tolerance: tolerance) } }
    }

    /// Random values in the biases that start at zero, so that the test sees them used.
    func randomizeBiases(_ attention: MultiheadAttention<Double>, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        attention.inProjBias!.assign(Tensor.randomUniform([3 * attention.embedDim], -0.5, 0.5, using: &rng))
        attention.outProj.bias!.assign(Tensor.randomUniform([attention.embedDim], -0.5, 0.5, using: &rng))
    }

    @Test(arguments: [false, true]) func selfAttentionMatchesLoops(causal: Bool) {
        var rng = SplitMix64(seed: 1)
        let attention = MultiheadAttention<Double>(embedDim: 6, numHeads: 2, causal: causal, using: &rng)
        randomizeBiases(attention, seed: 2)
        let x = Tensor<Double>.randomUniform([2, 4, 6], -1, 1, using: &rng)
        let y = attention(x)
        #expect(y.shape == [2, 4, 6])
        for n in 0..<2 {
            let expected = referenceSelfAttention(sample(x, n), inWeight: rows(attention.inProjWeight),
                                                  inBias: attention.inProjBias!.scalars, outWeight: rows(attention.outProj.weight),
                                                  outBias: attention.outProj.bias!.scalars, heads: 2, causal: causal)
            #expect(close(sample(y, n), expected))
        }
    }

    @Test func causalPositionsDoNotSeeTheFuture() {
        var rng = SplitMix64(seed: 3)
        let attention = MultiheadAttention<Double>(embedDim: 4, numHeads: 2, causal: true, using: &rng)
        let x = Tensor<Double>.randomUniform([1, 5, 4], -1, 1, using: &rng)
        let before = attention(x)
        x[0, 4, 1] += 1   // change the last position only
        let after = attention(x)
        #expect(Array(after.scalars.prefix(16)) == Array(before.scalars.prefix(16)))
        #expect(Array(after.scalars.suffix(4)) != Array(before.scalars.suffix(4)))
    }

    /// PyTorch: `nn.MultiheadAttention(8, 2)` has in_proj_weight [24, 8], in_proj_bias [24],
    /// out_proj.weight [8, 8], out_proj.bias [8]; in_proj_weight is xavier_uniform_, both biases 0.
    @Test func namesAndInitialization() {
        var rng = SplitMix64(seed: 4)
        let attention = MultiheadAttention<Double>(embedDim: 8, numHeads: 2, using: &rng)
        #expect(attention.namedParameters.map(\.name) == ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"])
        #expect(attention.namedParameters.map(\.tensor.shape) == [[24, 8], [24], [8, 8], [8]])
        #expect(attention.inProjBias!.scalars.allSatisfy { $0 == 0 } && attention.outProj.bias!.scalars.allSatisfy { $0 == 0 })
        let xavier = (6.0 / 32).squareRoot()   // √(6 / (8 + 24))
        #expect(attention.inProjWeight.scalars.allSatisfy { abs($0) <= xavier })
        #expect(attention.inProjWeight.scalars.max()! > 0.9 * xavier)
        #expect(attention.outProj.weight.scalars.allSatisfy { abs($0) <= 1 / 8.0.squareRoot() })
    }

    @Test func attentionGradients() {
        var rng = SplitMix64(seed: 5)
        let attention = MultiheadAttention<Double>(embedDim: 4, numHeads: 2, causal: true, using: &rng)
        randomizeBiases(attention, seed: 6)
        let x = randomLeaf([2, 3, 4], seed: 7)
        #expect(maxGradientError(wrt: [x] + attention.parameters) { attention(x) } < 1e-7)
    }

    /// PyTorch: `nn.TransformerEncoderLayer(8, 2, 16, norm_first=True, batch_first=True)`'s
    /// named_parameters, in order.
    @Test func transformerBlockNamesAreTorchs() {
        var rng = SplitMix64(seed: 8)
        let block = TransformerBlock<Float>(embedDim: 8, numHeads: 2, feedforwardDim: 16, using: &rng)
        #expect(block.namedParameters.map(\.name) == [
            "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
            "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
        ])
        #expect(block.namedParameters.map(\.tensor.shape) == [[24, 8], [24], [8, 8], [8], [16, 8], [16], [8, 16], [8],
                                                              [8], [8], [8], [8]])
        // 24·8 + 24 + 64 + 8 + 128 + 16 + 128 + 8 + 4·8 = 600.
        let summary = block.summary(inputShape: [1, 5, 8])
        #expect(summary.rows == [.init(name: "model", type: "TransformerBlock(8, 2 heads, ff 16)", outputShape: [1, 5, 8],
                                       parameterCount: 600)])
    }

    @Test func transformerBlockMatchesLoops() {
        var rng = SplitMix64(seed: 9)
        let block = TransformerBlock<Double>(embedDim: 4, numHeads: 2, feedforwardDim: 6, dropout: 0, using: &rng)
        randomizeBiases(block.selfAttention, seed: 10)
        for norm in [block.norm1, block.norm2] {
            norm.weight!.assign(Tensor.randomUniform([4], 0.5, 1.5, using: &rng))
            norm.bias!.assign(Tensor.randomUniform([4], -0.5, 0.5, using: &rng))
        }
        let x = Tensor<Double>.randomUniform([2, 3, 4], -1, 1, using: &rng)
        let y = block(x)
        for n in 0..<2 {
            let input = sample(x, n)
            let attended = referenceSelfAttention(
                referenceLayerNorm(input, block.norm1.weight!.scalars, block.norm1.bias!.scalars),
                inWeight: rows(block.selfAttention.inProjWeight), inBias: block.selfAttention.inProjBias!.scalars,
                outWeight: rows(block.selfAttention.outProj.weight), outBias: block.selfAttention.outProj.bias!.scalars,
                heads: 2, causal: false)
            let x1 = elementwise(input, attended, +)
            let hidden = affine(referenceLayerNorm(x1, block.norm2.weight!.scalars, block.norm2.bias!.scalars),
                                rows(block.linear1.weight), block.linear1.bias!.scalars).map { $0.map { max(0, $0) } }
            let expected = elementwise(x1, affine(hidden, rows(block.linear2.weight), block.linear2.bias!.scalars), +)
            #expect(close(sample(y, n), expected))
        }
        let leaf = randomLeaf([1, 3, 4], seed: 11)
        #expect(maxGradientError(wrt: [leaf] + block.parameters) { block(leaf) } < 1e-6)
    }

    @Test func transformerBlockDropoutOnlyInTraining() {
        var rng = SplitMix64(seed: 12)
        let block = TransformerBlock<Double>(embedDim: 4, numHeads: 1, feedforwardDim: 8, dropout: 0.5,
                                             activation: GELU(), using: &rng)
        let x = Tensor<Double>.randomUniform([1, 3, 4], -1, 1, using: &rng)
        let trained = block(x).scalars
        #expect(block(x).scalars != trained)   // new masks each call
        block.eval()
        #expect(block.children.allSatisfy { !$0.module.isTraining })
        #expect(block(x).scalars == block(x).scalars)
    }

    @Test func attentionWrongWidthTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            _ = MultiheadAttention<Float>(embedDim: 8, numHeads: 2, using: &rng)(.zeros([1, 3, 6]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("MultiheadAttention(8, 2 heads): expects input [N, L, 8], got [1, 3, 6] "
                                + "(called from LayersTests/AttentionTests.swift:"))
    }
}
