// Dropout.swift — inverted dropout as a layer: it owns its seeded generator, so the same
// seed drops the same elements on every run, and it is the identity in eval mode.
//
// Read next: BatchNorm.swift, the other layer that behaves differently in training.

import Basics
import Tensors

/// Inverted dropout (Tensors' `dropout(probability:training:using:)`, composed from mul):
///
/// ```
/// training:  out = x · m,  m_i = 1/(1 − p) with probability 1 − p, else 0     ∂out/∂x = m
/// eval:      out = x
/// ```
/// Each training call draws a fresh mask from the layer's own SplitMix64 (one draw per
/// element, row-major), so a model built with the same seeds trains identically.
public final class Dropout<Scalar: TensorScalar>: CallSiteLayer {
    /// p, the probability that an element is zeroed.
    public let probability: Double
    /// The generator the masks come from; it advances with every training call.
    public var generator: SplitMix64
    public var isTraining = true

    public init(probability: Double = 0.5, seed: UInt64) {
        trapUnless((0...1).contains(probability), "Dropout: the probability \(probability) must be in 0...1")
        self.probability = probability
        generator = SplitMix64(seed: seed)
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "Dropout(\(probability))" }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        input.dropout(probability: probability, training: isTraining, using: &generator, file: file, line: line)
    }
}
