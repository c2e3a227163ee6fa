// Tensor+Dropout.swift — inverted dropout with a seeded generator, composed from mul.
// No backward of its own.
//
// Read next: Tensor+Attention.swift.

import Basics

extension Tensor {
    /// Inverted dropout: in training, each element is zeroed with probability p and the
    /// survivors are scaled by 1/(1 − p), so the expected value of every element is
    /// unchanged and evaluation needs no rescaling. In eval (`training: false`) it is the
    /// identity and draws nothing from `rng`. Composed: x · mask, a constant mask (mul).
    ///
    /// ```
    /// mask_i = 1/(1 − p) with probability 1 − p, else 0      out = x · mask      ∂out/∂x = mask
    /// ```
    /// The mask comes from `rng`, one `nextUnit()` per element in row-major order, so the
    /// same seed drops the same elements. p = 1 drops everything (the mask is all zeros).
    public func dropout(probability p: Double, training: Bool, using rng: inout SplitMix64,
                        file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if !(0...1).contains(p) {
            shapeTrap("dropout", "the probability \(p) must be in 0...1", file: file, line: line)
        }
        guard training, p > 0 else { return self }
        let keep = p < 1 ? Scalar(1 / (1 - p)) : 0
        let mask = (0..<count).map { _ in rng.nextUnit() < p ? Scalar(0) : keep }
        return Tensor.mul(self, try! Tensor(shape: shape, elements: mask), file: file, line: line)
    }
}
