// Activations.swift — the activation functions as layers (to sit in a `Sequential`) and as
// free functions. Both only call the Tensors ops (Elementwise.swift, NN/Tensor+Softmax.swift):
// each formula and its derivative lives there, once.
//
// Read next: ModelSummary.swift.

import Tensors

// MARK: - As functions
//
// Tensors already spells relu, tanh and sigmoid as free functions; these add the rest, so a
// model can read `gelu(fc1(x))`.

/// GELU, exact: x · Φ(x) (Tensors' `gelu()`), or the tanh approximation (`geluTanh()`).
public func gelu<S>(_ x: Tensor<S>, approximateTanh: Bool = false) -> Tensor<S> {
    approximateTanh ? x.geluTanh() : x.gelu()
}

/// x if x > 0, else slope · x (Tensors' `leakyRelu(slope:)`).
public func leakyRelu<S>(_ x: Tensor<S>, slope: S = 0.01) -> Tensor<S> { x.leakyRelu(slope: slope) }

/// ln(1 + eˣ) (Tensors' `softplus()`).
public func softplus<S>(_ x: Tensor<S>) -> Tensor<S> { x.softplus() }

/// e^(xᵢ) / Σⱼ e^(xⱼ) along `axis` (Tensors' `softmax(axis:)`).
public func softmax<S>(_ x: Tensor<S>, axis: Int = -1) -> Tensor<S> { x.softmax(axis: axis) }

/// xᵢ − log Σⱼ e^(xⱼ) along `axis` (Tensors' `logSoftmax(axis:)`).
public func logSoftmax<S>(_ x: Tensor<S>, axis: Int = -1) -> Tensor<S> { x.logSoftmax(axis: axis) }

// MARK: - As layers
//
// No parameters, no mode: each forwards to the op above it.

/// max(0, x), elementwise (Tensors' `relu()`).
public final class ReLU<Scalar: TensorScalar>: Layer {
    public var isTraining = true
    public init() {}
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "ReLU" }
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.relu() }
}

/// x if x > 0, else slope · x, elementwise (Tensors' `leakyRelu(slope:)`); PyTorch's default
/// slope is 0.01.
public final class LeakyReLU<Scalar: TensorScalar>: Layer {
    public let slope: Scalar
    public var isTraining = true
    public init(slope: Scalar = 0.01) { self.slope = slope }
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "LeakyReLU(\(slope))" }
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.leakyRelu(slope: slope) }
}

/// tanh x, elementwise (Tensors' `tanh()`).
public final class Tanh<Scalar: TensorScalar>: Layer {
    public var isTraining = true
    public init() {}
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "Tanh" }
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.tanh() }
}

/// σ(x) = 1 / (1 + e⁻ˣ), elementwise (Tensors' `sigmoid()`).
public final class Sigmoid<Scalar: TensorScalar>: Layer {
    public var isTraining = true
    public init() {}
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "Sigmoid" }
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.sigmoid() }
}

/// GELU: x · Φ(x) exactly (PyTorch's default), or with `approximateTanh` the tanh form
/// ½x(1 + tanh(√(2/π)(x + 0.044715x³))) that GPT-2 used (Tensors' `gelu()` / `geluTanh()`).
public final class GELU<Scalar: TensorScalar>: Layer {
    public let approximateTanh: Bool
    public var isTraining = true
    public init(approximateTanh: Bool = false) { self.approximateTanh = approximateTanh }
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { approximateTanh ? "GELU(tanh)" : "GELU" }
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { gelu(input, approximateTanh: approximateTanh) }
}

/// ln(1 + eˣ), elementwise (Tensors' `softplus()`).
public final class Softplus<Scalar: TensorScalar>: Layer {
    public var isTraining = true
    public init() {}
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "Softplus" }
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.softplus() }
}

/// Softmax along `axis` (default the last), Tensors' `softmax(axis:)`.
public final class Softmax<Scalar: TensorScalar>: CallSiteLayer {
    public let axis: Int
    public var isTraining = true
    public init(axis: Int = -1) { self.axis = axis }
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "Softmax(axis: \(axis))" }
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        input.softmax(axis: axis, file: file, line: line)
    }
}

/// Log-softmax along `axis` (default the last), Tensors' `logSoftmax(axis:)`.
public final class LogSoftmax<Scalar: TensorScalar>: CallSiteLayer {
    public let axis: Int
    public var isTraining = true
    public init(axis: Int = -1) { self.axis = axis }
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "LogSoftmax(axis: \(axis))" }
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        input.logSoftmax(axis: axis, file: file, line: line)
    }
}

/// The input unchanged: a placeholder where a model needs a layer that does nothing.
public final class Identity<Scalar: TensorScalar>: Layer {
    public var isTraining = true
    public init() {}
    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "Identity" }
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input }
}
