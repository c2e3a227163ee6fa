// Normalization.swift — Tier 4, lesson 13: keeping a deep network healthy. BatchNorm's backward
// written out by hand, and the scale that Kaiming initialization gives a layer's weights.
//
// Grade with `swift test --filter Task4_1_` (or `Task4_2_`).
//
// Read next: Sequences.swift.

import ExerciseKit
import Foundation

/// Batch normalization of x [rows, features] in training mode, one column at a time:
///   μⱼ = (1/N) Σᵣ x[r][j],   σ²ⱼ = (1/N) Σᵣ (x[r][j] − μⱼ)²   (the biased variance, as in training),
///   x̂[r][j] = (x[r][j] − μⱼ) / √(σ²ⱼ + ε),   y[r][j] = γⱼ·x̂[r][j] + βⱼ.
/// Given dy = ∂loss/∂y, returns dx, dγ and dβ. Every x̂ of a column depends on every x of that
/// column through μ and σ², so dx has three terms:
///   dx[r][j] = γⱼ/√(σ²ⱼ + ε) · (dy[r][j] − mean_r dy[·][j] − x̂[r][j] · mean_r (dy·x̂)[·][j]),
///   dγⱼ = Σᵣ dy[r][j]·x̂[r][j],   dβⱼ = Σᵣ dy[r][j].
public func batchNormBackward(x: [Double], gamma: [Double], dy: [Double], rows: Int, features: Int, epsilon: Double) throws -> (dx: [Double], dGamma: [Double], dBeta: [Double]) {
    // SOLUTION(Task 4.1): recompute the column's mean, standard deviation and x̂, then apply the three-term formula.
    var dx = Array(repeating: 0.0, count: rows * features)
    var dGamma = Array(repeating: 0.0, count: features)
    var dBeta = Array(repeating: 0.0, count: features)
    let n = Double(rows)
    for j in 0..<features {
        let column = (0..<rows).map { x[$0 * features + j] }
        let g = (0..<rows).map { dy[$0 * features + j] }
        let mean = column.reduce(0, +) / n
        let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let std = (variance + epsilon).squareRoot()
        let xHat = column.map { ($0 - mean) / std }
        dBeta[j] = g.reduce(0, +)
        dGamma[j] = zip(g, xHat).reduce(0) { $0 + $1.0 * $1.1 }
        for r in 0..<rows {
            dx[r * features + j] = gamma[j] / std * (g[r] - dBeta[j] / n - xHat[r] * dGamma[j] / n)
        }
    }
    return (dx, dGamma, dBeta)
}

/// The standard deviation Kaiming (He) initialization draws a layer's weights with, so that the
/// activations keep their scale from layer to layer: for a leaky ReLU of negative slope a
/// (a = 0 is ReLU, a = 1 a linear layer), gain = √(2 / (1 + a²)) and std = gain / √fanIn.
public func kaimingStd(fanIn: Int, negativeSlope: Double) throws -> Double {
    // SOLUTION(Task 4.2): the gain of the nonlinearity, divided by the square root of the fan-in.
    let gain = (2 / (1 + negativeSlope * negativeSlope)).squareRoot()
    return gain / Double(fanIn).squareRoot()
}
