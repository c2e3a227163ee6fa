// Value+Primitives.swift — the eight operations that know their own derivative.
//
// Each primitive computes its output and, on the very next line, the local derivative of
// that output with respect to each input. Backward never needs anything else: it multiplies
// these local derivatives by the gradient arriving from above (Value+Backward.swift).
//
// `+` and `*` take their operands as `consuming`: the new node keeps them as its inputs, so a
// temporary (the `w * x` in `act + w * x`) moves into the node instead of being copied.
//
// Read next: Value+Composites.swift, where everything else is built from these eight.

import Foundation

extension Value {
    /// Addition.
    ///
    /// ```
    /// out = a + b        ∂out/∂a = 1        ∂out/∂b = 1
    /// ```
    public static func + (a: consuming Value, b: consuming Value) -> Value {
        Value(a.data + b.data, op: .add,
              a, 1,
              b, 1)
    }

    /// Multiplication.
    ///
    /// ```
    /// out = a · b        ∂out/∂a = b        ∂out/∂b = a
    /// ```
    public static func * (a: consuming Value, b: consuming Value) -> Value {
        let (aData, bData) = (a.data, b.data)
        return Value(aData * bData, op: .mul,
                     a, bData,
                     b, aData)
    }

    /// A power with a constant exponent.
    ///
    /// ```
    /// out = xⁿ           ∂out/∂x = n · xⁿ⁻¹
    /// ```
    public func pow(_ n: Double) -> Value {
        Value(Foundation.pow(data, n), op: .pow(n),
              self, n * Foundation.pow(data, n - 1))
    }

    /// The exponential.
    ///
    /// ```
    /// out = eˣ           ∂out/∂x = eˣ = out
    /// ```
    public func exp() -> Value {
        let out = Foundation.exp(data)
        return Value(out, op: .exp,
                     self, out)
    }

    /// The natural logarithm (NaN for x < 0, -∞ at 0, as `Foundation.log`).
    ///
    /// ```
    /// out = ln x         ∂out/∂x = 1 / x
    /// ```
    public func log() -> Value {
        Value(Foundation.log(data), op: .log,
              self, 1 / data)
    }

    /// The hyperbolic tangent.
    ///
    /// ```
    /// out = tanh x       ∂out/∂x = 1 − tanh²x = 1 − out²
    /// ```
    public func tanh() -> Value {
        let out = Foundation.tanh(data)
        return Value(out, op: .tanh,
                     self, 1 - out * out)
    }

    /// The logistic sigmoid.
    ///
    /// ```
    /// out = σ(x) = 1 / (1 + e⁻ˣ)      ∂out/∂x = σ(x) · (1 − σ(x)) = out · (1 − out)
    /// ```
    public func sigmoid() -> Value {
        // Written as e^x / (1 + e^x) for negative x so that e^-x cannot overflow.
        let out = data >= 0 ? 1 / (1 + Foundation.exp(-data)) : Foundation.exp(data) / (1 + Foundation.exp(data))
        return Value(out, op: .sigmoid,
                     self, out * (1 - out))
    }

    /// The rectified linear unit.
    ///
    /// ```
    /// out = max(0, x)    ∂out/∂x = 1 if x > 0, else 0
    /// ```
    public func relu() -> Value {
        // Written as PyTorch computes it: at exactly x = 0 the derivative is undefined and is
        // taken as 0; NaN is neither < 0 nor ≤ 0, so relu(NaN) = NaN with derivative 1, and
        // a diverged value shows as NaN instead of hiding as 0.
        let out = data < 0 ? 0 : data
        return Value(out, op: .relu,
                     self, out <= 0 ? 0 : 1)
    }
}
