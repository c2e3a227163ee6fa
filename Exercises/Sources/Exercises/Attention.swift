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
    // TODO(Task 4.5): score only j ≤ i, take a stable softmax of those scores, then mix the value rows.
    throw Unimplemented("Task 4.5")
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
    // TODO(Task 4.9): recompute each row's softmax over j ≤ i, then dv, dP, the softmax's backward dS, and dq, dk scaled by 1/√d.
    throw Unimplemented("Task 4.9")
}

/// Draws one index from softmax(logits / temperature) by the inverse of its cumulative
/// distribution: with p = softmax(logits / T) and a uniform number u in [0, 1), the smallest i
/// with u < p₀ + … + pᵢ (the last index if rounding leaves u above the total). A temperature
/// below 1 sharpens the distribution, above 1 flattens it.
public func sampleWithTemperature(logits: [Double], temperature: Double, uniform: Double) throws -> Int {
    // TODO(Task 4.6): divide by the temperature, take a stable softmax, then walk the running sum until it passes u.
    throw Unimplemented("Task 4.6")
}
