// Elementwise.swift — the elementwise primitives: each forward, and right below it, the
// local derivative that its pullback multiplies the upstream gradient by.
//
// Binary ops broadcast (NumPy's rules, Shape.swift). Broadcasting copies an input along
// some axes, so in backward the copies' gradients add up: `sumToShape` folds the upstream
// gradient back to each input's shape. Pullbacks run with gradients off (see
// Tensor+Backward.swift), so the tensor arithmetic inside them builds no graph.
//
// Read next: Reduce.swift.

extension Tensor {
    // MARK: - Two inputs, broadcasting

    /// Addition, broadcasting.
    ///
    /// ```
    /// out = a + b        ∂out/∂a = 1        ∂out/∂b = 1
    /// ```
    /// Implemented by: `zipped(.add)` → `Backend.zip`.
    @_specialize(where Scalar == Float)
    public static func add(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let out = a.zipped(.add, b, op: "add", file: file, line: line)
        guard isRecording(a, b) else { return out }
        return out.recorded(.add, [a, b]) { upstream in
            [upstream.ifNeeded(a) { upstream.sumToShape(a.shape) },
             upstream.ifNeeded(b) { upstream.sumToShape(b.shape) }]
        }
    }

    /// Multiplication, elementwise and broadcasting (not the matrix product: see `matmul`).
    ///
    /// ```
    /// out = a · b        ∂out/∂a = b        ∂out/∂b = a
    /// ```
    @_specialize(where Scalar == Float)
    public static func mul(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let out = a.zipped(.multiply, b, op: "mul", file: file, line: line)
        guard isRecording(a, b) else { return out }
        return out.recorded(.mul, [a, b]) { upstream in
            [upstream.ifNeeded(a) { (upstream * b).sumToShape(a.shape) },
             upstream.ifNeeded(b) { (upstream * a).sumToShape(b.shape) }]
        }
    }

    /// A tensor raised to a tensor power, elementwise and broadcasting.
    ///
    /// ```
    /// out = aᵇ           ∂out/∂a = b · aᵇ⁻¹    ∂out/∂b = aᵇ · ln a
    /// ```
    /// ∂out/∂b is NaN where a < 0, since ln a is (as in PyTorch).
    public func pow(_ exponent: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let out = zipped(.power, exponent, op: "pow", file: file, line: line)
        return out.recorded(.pow, [self, exponent]) { [self] upstream in
            [ifNeeded(self) { (upstream * exponent * self.pow(exponent - 1)).sumToShape(shape) },
             ifNeeded(exponent) { (upstream * out * self.log()).sumToShape(exponent.shape) }]
        }
    }

    /// The larger of two tensors, elementwise and broadcasting.
    ///
    /// ```
    /// out = max(a, b)    ∂out/∂a = 1 if a > b, ½ if a = b, 0 if a < b    ∂out/∂b = 1 − ∂out/∂a
    /// ```
    /// At a tie the gradient is split evenly, so that max(a, a) still has derivative 1.
    public static func maximum(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        a.zipped(.maximum, b, op: "maximum", file: file, line: line)
            .recorded(.maximum, [a, b]) { upstream in
                let aWins = (a - b).mapped(.step(atZero: 0.5))
                return [upstream.ifNeeded(a) { (upstream * aWins).sumToShape(a.shape) },
                        upstream.ifNeeded(b) { (upstream * (1 - aWins)).sumToShape(b.shape) }]
            }
    }

    // MARK: - One input

    /// A power with a constant exponent.
    ///
    /// ```
    /// out = xⁿ           ∂out/∂x = n · xⁿ⁻¹
    /// ```
    /// Implemented by: `mapped(.power(n))` → `Backend.map`.
    @_specialize(where Scalar == Float)
    public func pow(_ n: Scalar) -> Tensor {
        let out = mapped(.power(Double(n)))
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.powScalar, [self], detail: "^\(n)") { [self] upstream in
            [upstream * n * self.pow(n - 1)]
        }
    }

    /// The exponential.
    ///
    /// ```
    /// out = eˣ           ∂out/∂x = eˣ = out
    /// ```
    @_specialize(where Scalar == Float)
    public func exp() -> Tensor {
        let out = mapped(.exp)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.exp, [self]) { upstream in [upstream * out] }
    }

    /// The natural logarithm (NaN below 0, −∞ at 0).
    ///
    /// ```
    /// out = ln x         ∂out/∂x = 1 / x
    /// ```
    @_specialize(where Scalar == Float)
    public func log() -> Tensor {
        let out = mapped(.log)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.log, [self]) { [self] upstream in [upstream / self] }
    }

    /// The square root.
    ///
    /// ```
    /// out = √x           ∂out/∂x = 1 / (2√x) = 1 / (2 · out)
    /// ```
    public func sqrt() -> Tensor {
        let out = mapped(.sqrt)
        return out.recorded(.sqrt, [self]) { upstream in [upstream / (2 * out)] }
    }

    /// The hyperbolic tangent.
    ///
    /// ```
    /// out = tanh x       ∂out/∂x = 1 − tanh²x = 1 − out²
    /// ```
    public func tanh() -> Tensor {
        let out = mapped(.tanh)
        return out.recorded(.tanh, [self]) { upstream in [upstream * (1 - out * out)] }
    }

    /// The logistic sigmoid.
    ///
    /// ```
    /// out = σ(x) = 1 / (1 + e⁻ˣ)      ∂out/∂x = σ(x) · (1 − σ(x)) = out · (1 − out)
    /// ```
    public func sigmoid() -> Tensor {
        let out = mapped(.sigmoid)
        return out.recorded(.sigmoid, [self]) { upstream in [upstream * out * (1 - out)] }
    }

    /// The rectified linear unit.
    ///
    /// ```
    /// out = max(0, x)    ∂out/∂x = 1 if x > 0, else 0
    /// ```
    @_specialize(where Scalar == Float)
    public func relu() -> Tensor {
        // At exactly x = 0 the derivative is undefined; like PyTorch (and `Value`) we use 0.
        let out = mapped(.relu)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.relu, [self]) { [self] upstream in
            [upstream * self.mapped(.step(atZero: 0))]
        }
    }

    /// The leaky rectified linear unit.
    ///
    /// ```
    /// out = x if x > 0, else slope · x      ∂out/∂x = 1 if x > 0, else slope
    /// ```
    public func leakyRelu(slope: Scalar = 0.01) -> Tensor {
        mapped(.leakyRelu(slope: Double(slope))).recorded(.leakyRelu, [self], detail: "slope \(slope)") {
            [self] upstream in
            [upstream * self.mapped(.leakyReluDerivative(slope: Double(slope)))]
        }
    }

    /// GELU with the tanh approximation (GPT-2's), u = √(2/π) · (x + 0.044715 x³).
    ///
    /// ```
    /// out = ½x(1 + tanh u)    ∂out/∂x = ½(1 + tanh u) + ½x(1 − tanh²u) · √(2/π)(1 + 0.134145 x²)
    /// ```
    public func geluTanh() -> Tensor {
        mapped(.geluTanh).recorded(.geluTanh, [self]) { [self] upstream in
            [upstream * self.mapped(.geluTanhDerivative)]
        }
    }

    /// GELU, exact: x times the standard normal CDF Φ(x).
    ///
    /// ```
    /// out = x · Φ(x) = ½x(1 + erf(x/√2))    ∂out/∂x = Φ(x) + x · φ(x),  φ(x) = e^(−x²/2) / √(2π)
    /// ```
    public func gelu() -> Tensor {
        mapped(.geluErf).recorded(.geluErf, [self]) { [self] upstream in
            [upstream * self.mapped(.geluErfDerivative)]
        }
    }

    /// Softplus, a smooth relu.
    ///
    /// ```
    /// out = ln(1 + eˣ)   ∂out/∂x = eˣ / (1 + eˣ) = σ(x)
    /// ```
    public func softplus() -> Tensor {
        mapped(.softplus).recorded(.softplus, [self]) { [self] upstream in
            [upstream * self.mapped(.sigmoid)]
        }
    }

    /// The absolute value.
    ///
    /// ```
    /// out = |x|          ∂out/∂x = sign x  (0 at x = 0, as in PyTorch)
    /// ```
    public func abs() -> Tensor {
        mapped(.abs).recorded(.abs, [self]) { [self] upstream in
            [upstream * (self.mapped(.step(atZero: 0)) - (-self).mapped(.step(atZero: 0)))]
        }
    }

    /// The sine.
    ///
    /// ```
    /// out = sin x        ∂out/∂x = cos x
    /// ```
    public func sin() -> Tensor {
        mapped(.sin).recorded(.sin, [self]) { [self] upstream in [upstream * self.mapped(.cos)] }
    }

    /// The cosine.
    ///
    /// ```
    /// out = cos x        ∂out/∂x = −sin x
    /// ```
    public func cos() -> Tensor {
        mapped(.cos).recorded(.cos, [self]) { [self] upstream in [upstream * -self.mapped(.sin)] }
    }
}
