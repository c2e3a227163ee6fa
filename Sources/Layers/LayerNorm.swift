// LayerNorm.swift — layer normalization as a layer: each sample standardized over its own
// last axes, with PyTorch's names and defaults.
//
// Read next: Embedding.swift.

import Basics
import Tensors

/// Layer normalization over the trailing `normalizedShape` axes (Tensors' `layerNorm`,
/// composed from sum, mul, add, powScalar):
///
/// ```
/// μ, σ² = mean and population variance of each sample over the normalized axes
/// out = (x − μ) / √(σ² + ε) · γ + β
/// ```
/// Unlike batch norm it has no running statistics and behaves the same in train and eval.
/// Parameters "weight" γ (ones) and "bias" β (zeros), shaped `normalizedShape`, as PyTorch's
/// `nn.LayerNorm` with ε = 1e-5.
public final class LayerNorm<Scalar: TensorScalar>: CallSiteLayer {
    public let normalizedShape: [Int]
    public let epsilon: Scalar
    /// γ, or `nil` when `elementwiseAffine` is false.
    public let weight: Tensor<Scalar>?
    /// β, or `nil` when `elementwiseAffine` is false.
    public let bias: Tensor<Scalar>?
    public var isTraining = true

    public init(normalizedShape: [Int], epsilon: Scalar = 1e-5, elementwiseAffine: Bool = true) {
        trapUnless(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
                   "LayerNorm: normalizedShape \(normalizedShape) must be non-empty with positive extents")
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? Initialization.constant(normalizedShape, 1) : nil
        bias = elementwiseAffine ? Initialization.constant(normalizedShape, 0) : nil
    }

    /// Normalization over the last axis of extent `features`.
    public convenience init(_ features: Int, epsilon: Scalar = 1e-5, elementwiseAffine: Bool = true) {
        self.init(normalizedShape: [features], epsilon: epsilon, elementwiseAffine: elementwiseAffine)
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] {
        [weight.map { ("weight", $0) }, bias.map { ("bias", $0) }].compactMap { $0 }
    }

    public var summaryName: String { "LayerNorm(\(shapeText(normalizedShape)))" }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank < normalizedShape.count || Array(input.shape.suffix(normalizedShape.count)) != normalizedShape {
            layerTrap(summaryName, "expects input [..., \(normalizedShape.map(String.init).joined(separator: ", "))], "
                      + "got \(shapeText(input.shape))", file: file, line: line)
        }
        return input.layerNorm(normalizedAxes: normalizedShape.count, weight: weight, bias: bias, epsilon: epsilon,
                               file: file, line: line)
    }
}
