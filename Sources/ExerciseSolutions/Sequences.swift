// Sequences.swift — Tier 4, lesson 14: a character model on names. The backward of an
// embedding table, where a character that appears twice collects both gradients, and one
// backward step of an LSTM cell, by hand.
//
// Grade with `swift test --filter Task4_3_` (or `Task4_4_`).
//
// Read next: Attention.swift.

import ExerciseKit
import Foundation

/// The logistic sigmoid σ(z) = 1 / (1 + e⁻ᶻ); its derivative is σ(z)·(1 − σ(z)).
public func sigmoid(_ z: Double) -> Double {
    1 / (1 + Foundation.exp(-z))
}

/// An embedding's forward copies row ids[t] of the table E [vocabulary, dimension] to output row t.
/// Its backward sends each output row's gradient back to the row it was copied from:
///   dE[v] = Σ_{t : ids[t] = v} upstream[t],
/// so an id that appears several times receives the sum of all its gradients.
public func embeddingBackward(ids: [Int], upstream: [Double], vocabulary: Int, dimension: Int) throws -> [Double] {
    // SOLUTION(Task 4.3): start from zeros and add (+=) each output row into its id's row.
    var table = Array(repeating: 0.0, count: vocabulary * dimension)
    for (t, id) in ids.enumerated() {
        for d in 0..<dimension {
            table[id * dimension + d] += upstream[t * dimension + d]
        }
    }
    return table
}

/// One step of an LSTM cell (Lumen's `LSTMCell`, PyTorch's gate order i, f, g, o), for a batch
/// x [rows, inputs] with state h, c [rows, hidden]:
///   z = x·W_ihᵀ + h·W_hhᵀ + b                    [rows, 4·hidden]; W_ih [4H, inputs], W_hh [4H, H]
///   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)   (the four blocks of H columns, in that order)
///   c' = f·c + i·g,   h' = o·tanh(c')
/// Given dh' and dc' (what the next step and the loss send back), returns the gradients of
/// x, h, c, W_ih, W_hh and b. c' reaches the loss directly and through h', so
///   dc'ₜₒₜₐₗ = dc' + dh'·o·(1 − tanh²(c')), then do = dh'·tanh(c'), di = dc'ₜₒₜₐₗ·g,
///   dg = dc'ₜₒₜₐₗ·i, df = dc'ₜₒₜₐₗ·c, dc = dc'ₜₒₜₐₗ·f, and each gate's derivative at its output.
public func lstmCellBackward(x: [Double], h: [Double], c: [Double], wIH: [Double], wHH: [Double], bias: [Double],
                             dhNext: [Double], dcNext: [Double], rows: Int, inputs: Int, hidden: Int) throws
    -> (dx: [Double], dh: [Double], dc: [Double], dWIH: [Double], dWHH: [Double], dBias: [Double]) {
    // SOLUTION(Task 4.4): run the forward again, walk it backward gate by gate, then use the Linear backward for the two products.
    let gates = 4 * hidden
    let fromInput = matmul(x, transpose(wIH, rows: gates, columns: inputs), m: rows, k: inputs, n: gates)
    let fromState = matmul(h, transpose(wHH, rows: gates, columns: hidden), m: rows, k: hidden, n: gates)
    var dz = Array(repeating: 0.0, count: rows * gates)
    var dc = Array(repeating: 0.0, count: rows * hidden)
    for r in 0..<rows {
        for u in 0..<hidden {
            func z(_ block: Int) -> Double {
                let k = r * gates + block * hidden + u
                return fromInput[k] + fromState[k] + bias[block * hidden + u]
            }
            let (i, f, g, o) = (sigmoid(z(0)), sigmoid(z(1)), Foundation.tanh(z(2)), sigmoid(z(3)))
            let k = r * hidden + u
            let cNext = f * c[k] + i * g
            let tanhC = Foundation.tanh(cNext)
            let dcTotal = dcNext[k] + dhNext[k] * o * (1 - tanhC * tanhC)
            dc[k] = dcTotal * f
            let row = r * gates + u
            dz[row] = dcTotal * g * i * (1 - i)
            dz[row + hidden] = dcTotal * c[k] * f * (1 - f)
            dz[row + 2 * hidden] = dcTotal * i * (1 - g * g)
            dz[row + 3 * hidden] = dhNext[k] * tanhC * o * (1 - o)
        }
    }
    let dx = matmul(dz, wIH, m: rows, k: gates, n: inputs)
    let dh = matmul(dz, wHH, m: rows, k: gates, n: hidden)
    let dzT = transpose(dz, rows: rows, columns: gates)
    let dWIH = matmul(dzT, x, m: gates, k: rows, n: inputs)
    let dWHH = matmul(dzT, h, m: gates, k: rows, n: hidden)
    let dBias = (0..<gates).map { j in (0..<rows).reduce(0) { $0 + dz[$1 * gates + j] } }
    return (dx, dh, dc, dWIH, dWHH, dBias)
}
