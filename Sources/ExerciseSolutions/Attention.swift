// Attention.swift — Tier 4: causal self-attention for one head (lesson 15: attention and a tiny
// GPT), and drawing the next character from the model's logits at a temperature (lesson 14).
//
// Grade with `swift test --filter Task4_5_` (or `Task4_6_`).
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
