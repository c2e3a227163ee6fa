// Convolution.swift — Tier 3: 2-d convolution as one matrix product (im2col), and back.
//
// im2col copies every patch the kernel sees into a column; then the convolution is the
// worked `matmul` of Training.swift, and its backward is your matmul backward (2.6) followed
// by col2im, which adds each column entry back where it was copied from.
//
// Read next: Exercises/README.md (the table of tasks), or `lumen grade`.

import ExerciseKit

// MARK: - Worked example: which input pixel a kernel tap sees

/// The storage position of the input pixel under kernel tap (ki, kj) of output pixel
/// (oi, oj) in channel c, or nil when it falls in the zero padding.
/// Row = oi·stride + ki − padding, column = oj·stride + kj − padding.
public func inputPosition(_ g: ConvGeometry, channel c: Int, output oi: Int, _ oj: Int, tap ki: Int, _ kj: Int) -> Int? {
    let i = oi * g.stride + ki - g.padding
    let j = oj * g.stride + kj - g.padding
    guard i >= 0, i < g.height, j >= 0, j < g.width else { return nil }
    return (c * g.height + i) * g.width + j
}

/// The [C·k·k, outH·outW] matrix whose column (oi, oj) is the patch under output pixel
/// (oi, oj); row (c, ki, kj) = (c·k + ki)·k + kj. Padding reads as 0.
public func im2col(_ input: [Double], _ g: ConvGeometry) throws -> [Double] {
    // TODO(Task 3.6): copy each patch into a column.
    throw Unimplemented("Task 3.6")
}

/// The convolution of a [C, H, W] input with [F, C, k, k] weights: [F, outH, outW].
public func conv2dForward(_ input: [Double], weights: [Double], _ g: ConvGeometry) throws -> [Double] {
    // TODO(Task 3.7): weights as [F, C·k·k] times im2col(input).
    throw Unimplemented("Task 3.7")
}

/// Given ∂loss/∂output ([F, outH, outW]), returns ∂loss/∂input and ∂loss/∂weights.
public func conv2dBackward(_ input: [Double], weights: [Double], upstream: [Double], _ g: ConvGeometry) throws -> (dInput: [Double], dWeights: [Double]) {
    // TODO(Task 3.8): the matmul backward, then col2im (+= each column entry back to its pixel).
    throw Unimplemented("Task 3.8")
}
