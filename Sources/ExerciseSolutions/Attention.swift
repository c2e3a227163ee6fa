// Attention.swift — Tier 4: causal self-attention for one head and its backward by hand (lesson
// 15: attention and a tiny GPT), and drawing the next character from the model's logits at a
// temperature (lesson 14).
//
// Grade with `swift test --filter Task4_5_` (or `Task4_9_`, `Task4_6_`).
//
// Read next: GAN.swift.

import ExerciseKit
import Foundation

/// Causal self-attention of one head over T positions, with queries, keys and values
/// q, k, v [T, d] (row-major):
///   S[i][j] = q[i]·k[j] / √d,   S[i][j] = −∞ for j > i (a position never sees the future),
///   P = softmax of each row of S,   out = P·v   [T, d].
/// Softmax subtracts each row's maximum first, so scores of any size stay finite.
public func causalAttention(q: [Double], k: [Double], v: [Double], time: Int, dimension: Int) throws -> [Double] {
    // SOLUTION(Task 4.5): score only j ≤ i, take a stable softmax of those scores, then mix the value rows.
    var out = Array(repeating: 0.0, count: time * dimension)
    let scale = 1 / Double(dimension).squareRoot()
    for i in 0..<time {
        let scores = (0...i).map { j in (0..<dimension).reduce(0) { $0 + q[i * dimension + $1] * k[j * dimension + $1] } * scale }
        let top = scores.max()!
        let weights = scores.map { Foundation.exp($0 - top) }
        let total = weights.reduce(0, +)
        for j in 0...i {
            for e in 0..<dimension {
                out[i * dimension + e] += weights[j] / total * v[j * dimension + e]
            }
        }
    }
    return out
}

/// The backward of `causalAttention`: from dOut = ∂L/∂out [T, d], the gradients of q, k and v.
/// With S, P and out as in the forward (P's row i is a softmax over j ≤ i):
///   dv[j] = Σᵢ P[i][j]·dOut[i]                      (out = P·v, so dv = Pᵀ·dOut)
///   dP[i][j] = dOut[i]·v[j]
///   dS[i][j] = P[i][j]·(dP[i][j] − Σₗ P[i][l]·dP[i][l])   (the softmax's backward, row by row)
///   dq[i] = Σⱼ dS[i][j]·k[j] / √d,   dk[j] = Σᵢ dS[i][j]·q[i] / √d   (S = q·kᵀ / √d)
/// A masked score has P = 0, so it sends nothing back: every sum runs over j ≤ i.
public func causalAttentionBackward(q: [Double], k: [Double], v: [Double], dOut: [Double], time: Int, dimension: Int) throws
    -> (dq: [Double], dk: [Double], dv: [Double]) {
    // SOLUTION(Task 4.9): recompute each row's softmax over j ≤ i, then dv, dP, the softmax's backward dS, and dq, dk scaled by 1/√d.
    let scale = 1 / Double(dimension).squareRoot()
    var dq = Array(repeating: 0.0, count: time * dimension), dk = dq, dv = dq
    func rowDot(_ a: [Double], _ i: Int, _ b: [Double], _ j: Int) -> Double {
        (0..<dimension).reduce(0) { $0 + a[i * dimension + $1] * b[j * dimension + $1] }
    }
    for i in 0..<time {
        let scores = (0...i).map { j in rowDot(q, i, k, j) * scale }
        let top = scores.max()!
        let weights = scores.map { Foundation.exp($0 - top) }
        let total = weights.reduce(0, +)
        let p = weights.map { $0 / total }
        let dp = (0...i).map { j in rowDot(dOut, i, v, j) }
        let weightedMean = zip(p, dp).reduce(0) { $0 + $1.0 * $1.1 }
        for j in 0...i {
            let ds = p[j] * (dp[j] - weightedMean)
            for e in 0..<dimension {
                dv[j * dimension + e] += p[j] * dOut[i * dimension + e]
                dq[i * dimension + e] += ds * k[j * dimension + e] * scale
                dk[j * dimension + e] += ds * q[i * dimension + e] * scale
            }
        }
    }
    return (dq, dk, dv)
}

/// Draws one index from softmax(logits / temperature) by the inverse of its cumulative
/// distribution: with p = softmax(logits / T) and a uniform number u in [0, 1), the smallest i
/// with u < p₀ + … + pᵢ (the last index if rounding leaves u above the total). A temperature
/// below 1 sharpens the distribution, above 1 flattens it.
public func sampleWithTemperature(logits: [Double], temperature: Double, uniform: Double) throws -> Int {
    // SOLUTION(Task 4.6): divide by the temperature, take a stable softmax, then walk the running sum until it passes u.
    let scaled = logits.map { $0 / temperature }
    let top = scaled.max()!
    let weights = scaled.map { Foundation.exp($0 - top) }
    let total = weights.reduce(0, +)
    var cumulative = 0.0
    for (index, weight) in weights.enumerated() {
        cumulative += weight / total
        if uniform < cumulative { return index }
    }
    return logits.count - 1
}
