// Reference.swift — plain Double loops over nested arrays: the independent oracle for the
// recurrent and attention layers. Nothing here touches a Tensor op.

import Foundation
import Tensors

/// A rank-2 tensor as rows.
func rows(_ t: Tensor<Double>) -> [[Double]] {
    precondition(t.rank == 2)
    let flat = t.scalars, width = t.shape[1]
    return (0..<t.shape[0]).map { Array(flat[($0 * width)..<($0 * width + width)]) }
}

/// Rows [n][k] of the sample `index` of a rank-3 tensor [N, L, E].
func sample(_ t: Tensor<Double>, _ index: Int) -> [[Double]] {
    let (length, width) = (t.shape[1], t.shape[2])
    let flat = t.scalars
    return (0..<length).map { l in Array(flat[((index * length + l) * width)..<((index * length + l) * width + width)]) }
}

/// x · Wᵀ + b for x [n][in], W [out][in], b [out].
func affine(_ x: [[Double]], _ w: [[Double]], _ b: [Double]?) -> [[Double]] {
    x.map { row in
        w.indices.map { o in zip(row, w[o]).reduce(b?[o] ?? 0) { $0 + $1.0 * $1.1 } }
    }
}

func elementwise(_ a: [[Double]], _ b: [[Double]], _ f: (Double, Double) -> Double) -> [[Double]] {
    zip(a, b).map { zip($0, $1).map(f) }
}

/// Each row standardized with its own mean and population variance, then scaled and shifted.
func referenceLayerNorm(_ x: [[Double]], _ gamma: [Double], _ beta: [Double], epsilon: Double = 1e-5) -> [[Double]] {
    x.map { row in
        let mean = row.reduce(0, +) / Double(row.count)
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(row.count)
        return row.indices.map { (row[$0] - mean) / (variance + epsilon).squareRoot() * gamma[$0] + beta[$0] }
    }
}

/// Multi-head self-attention of one sample x [L][E], by its definition.
func referenceSelfAttention(_ x: [[Double]], inWeight: [[Double]], inBias: [Double], outWeight: [[Double]],
                            outBias: [Double], heads: Int, causal: Bool) -> [[Double]] {
    let e = x[0].count, d = e / heads, length = x.count
    let qkv = affine(x, inWeight, inBias)
    var merged = [[Double]](repeating: [Double](repeating: 0, count: e), count: length)
    for head in 0..<heads {
        let q = qkv.map { Array($0[(head * d)..<(head * d + d)]) }
        let k = qkv.map { Array($0[(e + head * d)..<(e + head * d + d)]) }
        let v = qkv.map { Array($0[(2 * e + head * d)..<(2 * e + head * d + d)]) }
        for i in 0..<length {
            let visible = causal ? Array(0...i) : Array(0..<length)
            let scores = visible.map { j in zip(q[i], k[j]).reduce(0) { $0 + $1.0 * $1.1 } / Double(d).squareRoot() }
            let top = scores.max()!
            let weights = scores.map { Foundation.exp($0 - top) }
            let total = weights.reduce(0, +)
            for c in 0..<d {
                merged[i][head * d + c] = zip(visible, weights).reduce(0) { $0 + $1.1 / total * v[$1.0][c] }
            }
        }
    }
    return affine(merged, outWeight, outBias)
}

/// One LSTM step for a batch: rows of x [N][I], h and c [N][H]; gate blocks i, f, g, o.
func referenceLSTMStep(_ x: [[Double]], _ h: [[Double]], _ c: [[Double]], wih: [[Double]], whh: [[Double]],
                       bih: [Double], bhh: [Double]) -> (h: [[Double]], c: [[Double]]) {
    let size = h[0].count
    let gates = elementwise(affine(x, wih, bih), affine(h, whh, bhh), +)
    func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
    var newH = h, newC = c
    for n in x.indices {
        for j in 0..<size {
            let i = sigmoid(gates[n][j]), f = sigmoid(gates[n][size + j])
            let g = Foundation.tanh(gates[n][2 * size + j]), o = sigmoid(gates[n][3 * size + j])
            newC[n][j] = f * c[n][j] + i * g
            newH[n][j] = o * Foundation.tanh(newC[n][j])
        }
    }
    return (newH, newC)
}
