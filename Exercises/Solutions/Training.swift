// Training.swift — Tier 3: a Linear layer, two optimizers, and a loop that learns.
//
// Everything here is built from your earlier tasks: the Linear backward reuses the matmul
// backward (2.6), the training loop uses cross-entropy (2.8), tanh's backward (1.3) and Adam.
// Grade with `swift test --filter Task3_`.
//
// Read next: Convolution.swift.

import Engine
import ExerciseGraders
import Foundation

// MARK: - Worked example: matrix multiplication

/// C = A·B with A [m, k] and B [k, n], all row-major: C[i][j] = Σₚ A[i][p]·B[p][j].
public func matmul(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
    var c = Array(repeating: 0.0, count: m * n)
    for i in 0..<m {
        for p in 0..<k {
            for j in 0..<n {
                c[i * n + j] += a[i * k + p] * b[p * n + j]
            }
        }
    }
    return c
}

/// y = x·W + b, with x [rows, inputs], W [inputs, outputs], b [outputs] (added to every row).
public func linearForward(x: [Double], w: [Double], b: [Double], rows: Int, inputs: Int, outputs: Int) throws -> [Double] {
    // SOLUTION(Task 3.1): multiply, then add the bias to every row.
    let product = matmul(x, w, m: rows, k: inputs, n: outputs)
    return product.indices.map { product[$0] + b[$0 % outputs] }
}

/// Given dy = ∂loss/∂y, returns dx = dy·Wᵀ, dW = xᵀ·dy and db = Σ_rows dy.
public func linearBackward(x: [Double], w: [Double], dy: [Double], rows: Int, inputs: Int, outputs: Int) throws -> (dx: [Double], dw: [Double], db: [Double]) {
    // SOLUTION(Task 3.2): the matmul backward, plus the bias gradient summed over the rows.
    let (dx, dw) = try matmulBackward(x, w, m: rows, k: inputs, n: outputs, upstream: dy)
    var db = Array(repeating: 0.0, count: outputs)
    for r in 0..<rows {
        for o in 0..<outputs {
            db[o] += dy[r * outputs + o]
        }
    }
    return (dx, dw, db)
}

/// One step of SGD with momentum: v ← μ·v + g, then p ← p − lr·v.
public func sgdMomentumStep(parameters: inout [Double], gradients: [Double], velocity: inout [Double], learningRate: Double, momentum: Double) throws {
    // SOLUTION(Task 3.3): update the velocity, then move the parameters along it.
    for i in parameters.indices {
        velocity[i] = momentum * velocity[i] + gradients[i]
        parameters[i] -= learningRate * velocity[i]
    }
}

/// One step of Adam: t ← t + 1; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// p ← p − lr · m̂ / (√v̂ + ε), where m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ).
public func adamStep(parameters: inout [Double], gradients: [Double], state: inout AdamState, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) throws {
    // SOLUTION(Task 3.4): Adam's update, with bias correction.
    state.step += 1
    let correction1 = 1 - Foundation.pow(beta1, Double(state.step))
    let correction2 = 1 - Foundation.pow(beta2, Double(state.step))
    for i in parameters.indices {
        let g = gradients[i]
        state.m[i] = beta1 * state.m[i] + (1 - beta1) * g
        state.v[i] = beta2 * state.v[i] + (1 - beta2) * g * g
        let mHat = state.m[i] / correction1
        let vHat = state.v[i] / correction2
        parameters[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
    }
}

/// Trains a classifier on 2-d `points` with labels 0 or 1 and returns it: a function from
/// a point to its predicted label. The grader tests it on fresh moons.
public func trainMoons(points: [[Double]], labels: [Int], seed: UInt64) throws -> ([Double]) -> Int {
    // SOLUTION(Task 3.5): a 2 → 16 → 2 network with tanh, cross-entropy and Adam.
    let hidden = 16, count = points.count
    var rng = SplitMix64(seed: seed)
    var w1 = (0..<2 * hidden).map { _ in rng.nextGaussian() }
    var b1 = Array(repeating: 0.0, count: hidden)
    var w2 = (0..<hidden * 2).map { _ in 0.5 * rng.nextGaussian() }
    var b2 = [0.0, 0.0]
    var states = [w1.count, b1.count, w2.count, b2.count].map { AdamState(count: $0) }
    let x = points.flatMap { $0 }

    for _ in 0..<300 {
        let h = try linearForward(x: x, w: w1, b: b1, rows: count, inputs: 2, outputs: hidden).map { Foundation.tanh($0) }
        let logits = try linearForward(x: h, w: w2, b: b2, rows: count, inputs: hidden, outputs: 2)
        let dLogits = try crossEntropy(logits: logits, rows: count, classes: 2, labels: labels).gradient
        let second = try linearBackward(x: h, w: w2, dy: dLogits, rows: count, inputs: hidden, outputs: 2)
        let dPreActivation = try zip(h, second.dx).map { try tanhBackward(output: $0, upstream: $1) }
        let first = try linearBackward(x: x, w: w1, dy: dPreActivation, rows: count, inputs: 2, outputs: hidden)
        try adamStep(parameters: &w1, gradients: first.dw, state: &states[0], learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        try adamStep(parameters: &b1, gradients: first.db, state: &states[1], learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        try adamStep(parameters: &w2, gradients: second.dw, state: &states[2], learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        try adamStep(parameters: &b2, gradients: second.db, state: &states[3], learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    }
    return { [w1, b1, w2, b2] point in
        let z = matmul(point, w1, m: 1, k: 2, n: hidden)
        let h = z.indices.map { Foundation.tanh(z[$0] + b1[$0]) }
        let logits = matmul(h, w2, m: 1, k: hidden, n: 2)
        return logits[1] + b2[1] > logits[0] + b2[0] ? 1 : 0
    }
}
