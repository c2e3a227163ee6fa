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
    // TODO(Task 3.1): multiply by the transposed weight, then add the bias to every row.
    throw Unimplemented("Task 3.1")
}

/// Given dy = ∂loss/∂y [rows, outputs], returns dx = dy·W [rows, inputs],
/// dW = dyᵀ·x [outputs, inputs] and db = Σ_rows dy [outputs].
public func linearBackward(x: [Double], w: [Double], dy: [Double], rows: Int, inputs: Int, outputs: Int) throws -> (dx: [Double], dw: [Double], db: [Double]) {
    // TODO(Task 3.2): the matmul backward for y = x·Wᵀ, plus the bias gradient summed over the rows.
    throw Unimplemented("Task 3.2")
}

/// One step of SGD with momentum: v ← μ·v + g, then p ← p − lr·v.
public func sgdMomentumStep(parameters: inout [Double], gradients: [Double], velocity: inout [Double], learningRate: Double, momentum: Double) throws {
    // TODO(Task 3.3): update the velocity, then move the parameters along it.
    throw Unimplemented("Task 3.3")
}

/// One step of Adam: t ← t + 1; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// p ← p − lr · m̂ / (√v̂ + ε), where m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ).
public func adamStep(parameters: inout [Double], gradients: [Double], state: inout AdamState, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double) throws {
    // TODO(Task 3.4): Adam's update, with bias correction.
    throw Unimplemented("Task 3.4")
}

/// Trains `network` (2 → hidden → 2, tanh between) on `points` with labels 0 or 1 for `steps`
/// full-batch steps: forward, the mean cross-entropy loss and its gradient (2.8), backward
/// through both Linear layers (3.2) and tanh (1.3), then one Adam step (3.4) per weight and
/// bias, with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and a fresh `AdamState` for each at the start.
/// Returns the loss of each step, measured before that step's update.
public func trainMoons(network: inout MoonsNetwork, points: [[Double]], labels: [Int], steps: Int, learningRate: Double) throws -> [Double] {
    // TODO(Task 3.5): forward, loss, backward and an Adam step, `steps` times; return the losses.
    throw Unimplemented("Task 3.5")
}
