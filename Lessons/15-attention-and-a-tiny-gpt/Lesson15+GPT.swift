// Lesson15+GPT.swift — lesson 15's tiny GPT twice: once on tensors (`TinyGPT`, built from
// Lumen's Embedding, TransformerBlock, LayerNorm and Linear), once on scalar `Value`s
// (`ScalarGPT`, every number its own node, as in lessons 1–5). The scalar one copies the
// tensor one's weights and computes the same function sum by sum, so the two train alike to
// rounding: one engine, from micrograd to GPT.
// Read next: Lesson15.swift.

import Engine
import Foundation
import Layers
import Tensors

/// A GPT that reads `context` character ids and scores the 27 possible next ones:
///
/// ```
/// x   = token[ids] + position[0..<T]                  [N, T, C]
/// x   = block(x), for each causal pre-norm TransformerBlock (ReLU MLP C → 4C → C)
/// out = head(norm(x[:, T − 1, :]))                    [N, 27]
/// ```
/// Weights come from one SplitMix64 in the order token, position, blocks, head.
final class TinyGPT<Scalar: TensorScalar> {
    let context: Int
    let token: Embedding<Scalar>
    let position: Embedding<Scalar>
    let blocks: [TransformerBlock<Scalar>]
    let norm: LayerNorm<Scalar>
    let head: Linear<Scalar>

    init(width: Int, heads: Int, blocks count: Int, context: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        self.context = context
        token = Embedding(vocabularySize: 27, dimension: width, using: &rng)
        position = Embedding(vocabularySize: context, dimension: width, using: &rng)
        blocks = (0..<count).map { _ in
            TransformerBlock(embedDim: width, numHeads: heads, feedforwardDim: 4 * width, dropout: 0, causal: true, using: &rng)
        }
        norm = LayerNorm(width)
        head = Linear(in: width, out: 27, using: &rng)
    }

    var parameters: [Tensor<Scalar>] {
        token.parameters + position.parameters + blocks.flatMap(\.parameters) + norm.parameters + head.parameters
    }

    /// The scores of the next character after each context (ids [N, T] as scalars).
    func callAsFunction(_ contexts: Tensor<Scalar>) throws -> Tensor<Scalar> {
        let (n, t) = (contexts.shape[0], contexts.shape[1])
        var x = try token(contexts.scalars.map { Int($0) }, shape: [n, t]) + position.weight.slice(axis: 0, 0, t)
        for block in blocks { x = block(x) }
        return head(norm(x.slice(axis: 1, t - 1, t).squeeze(1)))
    }
}

/// The same model on scalar `Value`s: each parameter tensor becomes a list of leaves holding
/// its numbers, and the forward pass is written out sum by sum.
final class ScalarGPT {
    typealias Vector = [Value]
    typealias Matrix = [[Value]]   // rows, as the tensors store them: [out][in]

    struct Block {
        let inWeight: Matrix, inBias: Vector, outWeight: Matrix, outBias: Vector
        let weight1: Matrix, bias1: Vector, weight2: Matrix, bias2: Vector
        let norm1: (Vector, Vector), norm2: (Vector, Vector)
        let heads: Int
    }

    let token: Matrix, position: Matrix
    let blocks: [Block]
    let norm: (Vector, Vector)
    let headWeight: Matrix, headBias: Vector
    let parameters: [Value]

    /// Copies `model`'s weights into fresh leaves.
    init(copying model: TinyGPT<Double>) {
        var all: [Value] = []
        func matrix(_ t: Tensor<Double>) -> Matrix {
            let columns = t.shape[1]
            let rows = (0..<t.shape[0]).map { r in (0..<columns).map { Value(t.scalars[r * columns + $0]) } }
            all += rows.joined()
            return rows
        }
        func vector(_ t: Tensor<Double>?) -> Vector {
            let values = t!.scalars.map { Value($0) }
            all += values
            return values
        }
        token = matrix(model.token.weight)
        position = matrix(model.position.weight)
        blocks = model.blocks.map { b in
            Block(inWeight: matrix(b.selfAttention.inProjWeight), inBias: vector(b.selfAttention.inProjBias),
                  outWeight: matrix(b.selfAttention.outProj.weight), outBias: vector(b.selfAttention.outProj.bias),
                  weight1: matrix(b.linear1.weight), bias1: vector(b.linear1.bias),
                  weight2: matrix(b.linear2.weight), bias2: vector(b.linear2.bias),
                  norm1: (vector(b.norm1.weight), vector(b.norm1.bias)), norm2: (vector(b.norm2.weight), vector(b.norm2.bias)),
                  heads: b.selfAttention.numHeads)
        }
        norm = (vector(model.norm.weight), vector(model.norm.bias))
        headWeight = matrix(model.head.weight)
        headBias = vector(model.head.bias)
        parameters = all
    }

    /// W · x + b, one sum per output.
    func linear(_ w: Matrix, _ b: Vector, _ x: Vector) -> Vector {
        zip(w, b).map { row, bias in zip(row, x).reduce(bias) { $0 + $1.0 * $1.1 } }
    }

    /// (x − mean) / √(variance + 10⁻⁵) · γ + β.
    func layerNorm(_ x: Vector, _ affine: (Vector, Vector)) -> Vector {
        let n = Double(x.count)
        let mean = x.dropFirst().reduce(x[0]) { $0 + $1 } / n
        let centered = x.map { $0 - mean }
        let variance = centered.dropFirst().reduce(centered[0].pow(2)) { $0 + $1.pow(2) } / n
        let scale = (variance + 1e-5).pow(-0.5)
        return zip(centered, zip(affine.0, affine.1)).map { c, wb in c * scale * wb.0 + wb.1 }
    }

    /// One causal self-attention block's output at every position.
    func attend(_ x: [Vector], _ block: Block) -> [Vector] {
        let width = x[0].count, d = width / block.heads
        let qkv = x.map { linear(block.inWeight, block.inBias, layerNorm($0, block.norm1)) }
        let merged: [Vector] = qkv.indices.map { i in
            (0..<block.heads).flatMap { h -> Vector in
                let q = Array(qkv[i][h * d ..< (h + 1) * d])
                let scores = (0...i).map { j in
                    zip(q, qkv[j][width + h * d ..< width + (h + 1) * d]).dropFirst()
                        .reduce(q[0] * qkv[j][width + h * d]) { $0 + $1.0 * $1.1 } * (1 / Double(d).squareRoot())
                }
                let e = scores.map { $0.exp() }
                let total = e.dropFirst().reduce(e[0]) { $0 + $1 }
                let weights = e.map { $0 / total }
                return (0..<d).map { k in
                    (1..<(i + 1)).reduce(weights[0] * qkv[0][2 * width + h * d + k]) { $0 + weights[$1] * qkv[$1][2 * width + h * d + k] }
                }
            }
        }
        return merged.map { linear(block.outWeight, block.outBias, $0) }
    }

    /// The mean cross-entropy of the next characters `labels` after `contexts`.
    func loss(_ contexts: [[Int]], _ labels: [Int]) -> Value {
        let losses = zip(contexts, labels).map { ids, label -> Value in
            var x = ids.enumerated().map { t, id in zip(token[id], position[t]).map { $0 + $1 } }
            for block in blocks {
                x = zip(x, attend(x, block)).map { zip($0, $1).map { $0 + $1 } }
                x = x.map { row in
                    let hidden = linear(block.weight1, block.bias1, layerNorm(row, block.norm2)).map { $0.relu() }
                    return zip(row, linear(block.weight2, block.bias2, hidden)).map { $0 + $1 }
                }
            }
            let scores = linear(headWeight, headBias, layerNorm(x[x.count - 1], norm))
            let e = scores.map { $0.exp() }
            return e.dropFirst().reduce(e[0]) { $0 + $1 }.log() - scores[label]
        }
        return losses.dropFirst().reduce(losses[0]) { $0 + $1 } / Double(losses.count)
    }
}
