// Training.swift — Tier 3: a Linear layer, two optimizers, and a loop that learns.
//
// Everything here is built from your earlier tasks: the Linear backward reuses the matmul
// backward (2.6), the training loop uses cross-entropy (2.8), tanh's backward (1.3) and Adam.
// Grade with `swift test --filter Task3_`.
//
// Read next: Convolution.swift.

import ExerciseKit
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

/// The transpose of A [rows, columns]: Aᵀ [columns, rows], Aᵀ[j][i] = A[i][j].
public func transpose(_ a: [Double], rows: Int, columns: Int) -> [Double] {
    var t = Array(repeating: 0.0, count: rows * columns)
    for i in 0..<rows {
        for j in 0..<columns {
            t[j * rows + i] = a[i * columns + j]
        }
    }
    return t
}

/// y = x·Wᵀ + b, with x [rows, inputs], W [outputs, inputs] (Lumen's `Linear` keeps its weight
/// `[out, in]` too), b [outputs] added to every row: y[r][o] = b[o] + Σᵢ x[r][i]·W[o][i].
public func linearForward(x: [Double], w: [Double], b: [Double], rows: Int, inputs: Int, outputs: Int) throws -> [Double] {
    // SOLUTION(Task 3.1): multiply by the transposed weight, then add the bias to every row.
    let product = matmul(x, transpose(w, rows: outputs, columns: inputs), m: rows, k: inputs, n: outputs)
    return product.indices.map { product[$0] + b[$0 % outputs] }
}

/// Given dy = ∂loss/∂y [rows, outputs], returns dx = dy·W [rows, inputs],
/// dW = dyᵀ·x [outputs, inputs] and db = Σ_rows dy [outputs].
public func linearBackward(x: [Double], w: [Double], dy: [Double], rows: Int, inputs: Int, outputs: Int) throws -> (dx: [Double], dw: [Double], db: [Double]) {
    // SOLUTION(Task 3.2): the matmul backward for y = x·Wᵀ, plus the bias gradient summed over the rows.
    let (dx, dwT) = try matmulBackward(x, transpose(w, rows: outputs, columns: inputs), m: rows, k: inputs, n: outputs, upstream: dy)
    var db = Array(repeating: 0.0, count: outputs)
    for r in 0..<rows {
        for o in 0..<outputs {
            db[o] += dy[r * outputs + o]
        }
    }
    return (dx, transpose(dwT, rows: inputs, columns: outputs), db)
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

/// Trains `network` (2 → hidden → 2, tanh between) on `points` with labels 0 or 1 for `steps`
/// full-batch steps: forward, the mean cross-entropy loss and its gradient (2.8), backward
/// through both Linear layers (3.2) and tanh (1.3), then one Adam step (3.4) per weight and
/// bias, with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and a fresh `AdamState` for each at the start.
/// Returns the loss of each step, measured before that step's update.
public func trainMoons(network: inout MoonsNetwork, points: [[Double]], labels: [Int], steps: Int, learningRate: Double) throws -> [Double] {
    // SOLUTION(Task 3.5): forward, loss, backward and an Adam step, `steps` times; return the losses.
    let count = points.count, hidden = network.hidden
    let x = points.flatMap { $0 }
    var states = [network.w1.count, network.b1.count, network.w2.count, network.b2.count].map { AdamState(count: $0) }
    var losses: [Double] = []
    for _ in 0..<steps {
        let h = try linearForward(x: x, w: network.w1, b: network.b1, rows: count, inputs: 2, outputs: hidden).map { Foundation.tanh($0) }
        let logits = try linearForward(x: h, w: network.w2, b: network.b2, rows: count, inputs: hidden, outputs: 2)
        let (loss, dLogits) = try crossEntropy(logits: logits, rows: count, classes: 2, labels: labels)
        losses.append(loss)
        let second = try linearBackward(x: h, w: network.w2, dy: dLogits, rows: count, inputs: hidden, outputs: 2)
        let dPreActivation = try zip(h, second.dx).map { try tanhBackward(output: $0, upstream: $1) }
        let first = try linearBackward(x: x, w: network.w1, dy: dPreActivation, rows: count, inputs: 2, outputs: hidden)
        try adamStep(parameters: &network.w1, gradients: first.dw, state: &states[0], learningRate: learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        try adamStep(parameters: &network.b1, gradients: first.db, state: &states[1], learningRate: learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        try adamStep(parameters: &network.w2, gradients: second.dw, state: &states[2], learningRate: learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        try adamStep(parameters: &network.b2, gradients: second.db, state: &states[3], learningRate: learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    }
    return losses
}
