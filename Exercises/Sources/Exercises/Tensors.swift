// Tensors.swift — Tier 2: the arithmetic under n-d tensors, on flat row-major arrays.
//
// A tensor is a flat array (its storage) plus a shape; the strides say how far to move in
// storage for one step along each axis. Grade with `swift test --filter Task2_`.
//
// Read next: Training.swift (tier 3).

import ExerciseKit
import Foundation

/// Row-major strides: the last axis has stride 1, each earlier axis the product of the sizes
/// after it. `[2, 3, 4]` → `[12, 4, 1]`; `[]` → `[]`.
public func contiguousStrides(_ shape: [Int]) throws -> [Int] {
    // TODO(Task 2.1): compute row-major strides, the last one 1.
    throw Unimplemented("Task 2.1")
}

/// The storage position of `index`: Σ index[i] · strides[i] (any strides, not only contiguous).
public func position(of index: [Int], strides: [Int]) throws -> Int {
    // TODO(Task 2.2): turn an index into a storage position.
    throw Unimplemented("Task 2.2")
}

/// The index of storage position `position` in a contiguous tensor of `shape`.
public func index(at position: Int, shape: [Int]) throws -> [Int] {
    // TODO(Task 2.2): turn a storage position back into an index.
    throw Unimplemented("Task 2.2")
}

/// The shape of `a ⊕ b` under broadcasting, or nil when the shapes are incompatible.
/// Shapes are aligned at the right; sizes agree when equal or when one is 1.
public func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int]? {
    // TODO(Task 2.3): align at the right, pad with 1s, and combine axis by axis.
    throw Unimplemented("Task 2.3")
}

/// The backward of broadcasting `small` up to `big`: each element of `small` was copied to
/// many places of `big`, so it receives the sum of the gradients at all of them.
public func sumToShape(_ gradient: [Double], from big: [Int], to small: [Int]) throws -> [Double] {
    // TODO(Task 2.4): add each gradient element into the element it was copied from.
    throw Unimplemented("Task 2.4")
}

// MARK: - Worked example: reductions along an axis of a matrix

/// Sum, mean or max of a [rows, columns] matrix along `axis`: axis 1 gives one number per
/// row, axis 0 one per column.
public func reduce(_ kind: Reduction, _ input: [Double], rows: Int, columns: Int, axis: Int) -> [Double] {
    let lines = axis == 1 ? rows : columns
    let length = axis == 1 ? columns : rows
    return (0..<lines).map { line in
        let items = (0..<length).map { k in axis == 1 ? input[line * columns + k] : input[k * columns + line] }
        switch kind {
        case .sum: return items.reduce(0, +)
        case .mean: return items.reduce(0, +) / Double(length)
        case .max: return items.max()!
        }
    }
}

/// The backward of `reduce`: the gradient of the input, given the upstream gradient of the
/// result (one number per row for axis 1, per column for axis 0).
public func reductionBackward(_ kind: Reduction, _ input: [Double], rows: Int, columns: Int, axis: Int, upstream: [Double]) throws -> [Double] {
    // TODO(Task 2.5): send each upstream number back to the elements it was reduced from.
    throw Unimplemented("Task 2.5")
}

/// C = A·B with A [m, k] and B [k, n]; given dC = ∂loss/∂C, returns dA = dC·Bᵀ and dB = Aᵀ·dC.
public func matmulBackward(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, upstream: [Double]) throws -> (da: [Double], db: [Double]) {
    // TODO(Task 2.6): dA = dC·Bᵀ and dB = Aᵀ·dC.
    throw Unimplemented("Task 2.6")
}

/// log Σ exp(xᵢ), without overflow: m + log Σ exp(xᵢ − m) with m = max xᵢ.
public func logSumExp(_ x: [Double]) throws -> Double {
    // TODO(Task 2.7): subtract the maximum before exponentiating.
    throw Unimplemented("Task 2.7")
}

/// softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ) = exp(xᵢ − logsumexp(x)), without overflow.
public func softmax(_ x: [Double]) throws -> [Double] {
    // TODO(Task 2.7): softmax through logSumExp.
    throw Unimplemented("Task 2.7")
}

/// The mean cross-entropy of `rows` rows of `classes` logits against `labels`, and its
/// gradient with respect to the logits: loss = mean_r (logsumexp(z_r) − z_r[label_r]).
public func crossEntropy(logits: [Double], rows: Int, classes: Int, labels: [Int]) throws -> (loss: Double, gradient: [Double]) {
    // TODO(Task 2.8): the loss, and its gradient (softmax − one-hot) / rows.
    throw Unimplemented("Task 2.8")
}
