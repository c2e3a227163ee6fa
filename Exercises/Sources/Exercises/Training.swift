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
    // TODO(Task 3.1): multiply, then add the bias to every row.
    throw Unimplemented("Task 3.1")
}

/// Given dy = ∂loss/∂y, returns dx = dy·Wᵀ, dW = xᵀ·dy and db = Σ_rows dy.
public func linearBackward(x: [Double], w: [Double], dy: [Double], rows: Int, inputs: Int, outputs: Int) throws -> (dx: [Double], dw: [Double], db: [Double]) {
    // TODO(Task 3.2): the matmul backward, plus the bias gradient summed over the rows.
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

/// Trains a classifier on 2-d `points` with labels 0 or 1 and returns it: a function from
/// a point to its predicted label. The grader tests it on fresh moons.
public func trainMoons(points: [[Double]], labels: [Int], seed: UInt64) throws -> ([Double]) -> Int {
    // TODO(Task 3.5): a 2 → 16 → 2 network with tanh, cross-entropy and Adam.
    throw Unimplemented("Task 3.5")
}
