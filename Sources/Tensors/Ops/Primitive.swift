// Primitive.swift — the complete list of tensor operations that carry their own backward.
//
// Everything else in Tensors (subtraction, mean, variance, logsumexp, transpose,
// squeeze, stack, vector matmul, conv2d, average-pooling, …) is composed from these, so its gradient
// comes from the chain rule through them. Docs/op-catalog.md gives each one's formula, local derivative,
// file and test; a test fails if any case here lacks a gradient check.
//
// Read next: Tensor+Kernels.swift (how an op reaches the backend), then Elementwise.swift.

/// An operation with a hand-written backward (a pullback).
public enum Primitive: String, CaseIterable, Sendable {
    // MARK: Elementwise, two inputs, broadcasting (Elementwise.swift)
    case add, mul, div, pow, maximum

    // MARK: Elementwise, one input (Elementwise.swift)
    case powScalar, exp, log, sqrt, tanh, sigmoid, relu, leakyRelu, geluTanh, geluErf, softplus,
         abs, sin, cos

    // MARK: Reductions over chosen axes (Reduce.swift)
    case sum, max

    // MARK: Movement: views, or copies that only move numbers (Movement.swift)
    case reshape, permute, expand, slice, pad, concat, indexSelect

    // MARK: Linear algebra (MatMul.swift)
    case matmul

    // MARK: Sliding windows: im2col, under conv2d and average-pooling (Unfold.swift)
    case unfold

    // MARK: Max-pooling (NN/Tensor+Pooling.swift)
    /// maxPool2d. It is composable from unfold and max (and was), but that copies every
    /// window out before taking its max, and its backward compares, counts ties, divides and
    /// folds back, five full-size passes where the pullback here is one scatter.
    case maxPool2d

    // MARK: Softmax (NN/Tensor+Softmax.swift)
    /// logSoftmax along one axis. It is composable from the primitives above (and was), but a
    /// classifier's loss runs it every step, where the composed form was about fifteen
    /// recorded ops, forward and backward.
    case logSoftmax

    /// A short symbol for drawings and step-by-step printouts.
    public var symbol: String {
        switch self {
        case .add: "+"
        case .mul: "×"
        case .div: "÷"
        case .pow: "pow"
        case .maximum: "max"
        case .powScalar: "^"
        case .sigmoid: "σ"
        case .sum: "Σ"
        case .max: "max"
        case .matmul: "@"
        default: rawValue
        }
    }
}
