// Elementwise.swift — the elementwise primitives: each forward, and right below it, the
// local derivative that its pullback multiplies the upstream gradient by. The derivatives
// are written here, from tensor ops, never as backend kernels: a backend only runs loops.
//
// Every primitive has the same shape: compute `out`; if nothing records (`isRecording`),
// return it; else return it recorded with its pullback.
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
    /// Implemented by: `zipped(.multiply)` → `Backend.zip`.
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

    /// Division, elementwise and broadcasting (`a / b`). A primitive of its own rather than
    /// a · b⁻¹, so that it runs as one division per element, never through `pow`.
    ///
    /// ```
    /// out = a / b        ∂out/∂a = 1 / b        ∂out/∂b = −a / b² = −out / b
    /// ```
    /// Implemented by: `zipped(.divide)` → `Backend.zip`.
    @_specialize(where Scalar == Float)
    public static func div(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let out = a.zipped(.divide, b, op: "div", file: file, line: line)
        guard isRecording(a, b) else { return out }
        return out.recorded(.div, [a, b]) { upstream in
            [upstream.ifNeeded(a) { (upstream / b).sumToShape(a.shape) },
             upstream.ifNeeded(b) { (-upstream * out / b).sumToShape(b.shape) }]
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
        guard Tensor.isRecording(self, exponent) else { return out }
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
    /// A NaN in either input gives NaN (as PyTorch's `maximum`).
    public static func maximum(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let out = a.zipped(.maximum, b, op: "maximum", file: file, line: line)
        guard isRecording(a, b) else { return out }
        return out.recorded(.maximum, [a, b]) { upstream in
            let aWins = a.isGreater(than: b) + a.zipped(.equal, b, op: "maximum", file: file, line: line) * 0.5
            return [upstream.ifNeeded(a) { (upstream * aWins).sumToShape(a.shape) },
                    upstream.ifNeeded(b) { (upstream * (1 - aWins)).sumToShape(b.shape) }]
        }
    }

    /// 1 where this tensor is greater than `other` (broadcasting), 0 elsewhere: the mask
    /// in the derivatives of relu, abs and maximum. Not recorded (a step has derivative 0).
    func isGreater(than other: Tensor) -> Tensor {
        zipped(.greater, other, op: "isGreater", file: #fileID, line: #line)
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
    @_specialize(where Scalar == Float)
    public func sqrt() -> Tensor {
        let out = mapped(.sqrt)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.sqrt, [self]) { upstream in [upstream / (2 * out)] }
    }

    /// The hyperbolic tangent.
    ///
    /// ```
    /// out = tanh x       ∂out/∂x = 1 − tanh²x = 1 − out²
    /// ```
    @_specialize(where Scalar == Float)
    public func tanh() -> Tensor {
        let out = mapped(.tanh)
        guard Tensor.isRecording(self) else { return out }
        // upstream · (1 − out²), in one pass (BinaryKernel.tanhGradient)
        return out.recorded(.tanh, [self]) { upstream in
            [upstream.zipped(.tanhGradient, out, op: "tanh", file: #fileID, line: #line)]
        }
    }

    /// The logistic sigmoid.
    ///
    /// ```
    /// out = σ(x) = 1 / (1 + e⁻ˣ)      ∂out/∂x = σ(x) · (1 − σ(x)) = out · (1 − out)
    /// ```
    @_specialize(where Scalar == Float)
    public func sigmoid() -> Tensor {
        let out = mapped(.sigmoid)
        guard Tensor.isRecording(self) else { return out }
        // upstream · out · (1 − out), in one pass (BinaryKernel.sigmoidGradient)
        return out.recorded(.sigmoid, [self]) { upstream in
            [upstream.zipped(.sigmoidGradient, out, op: "sigmoid", file: #fileID, line: #line)]
        }
    }

    /// The rectified linear unit.
    ///
    /// ```
    /// out = max(0, x)    ∂out/∂x = 1 if x > 0, else 0
    /// ```
    /// relu(NaN) is NaN, as in PyTorch: a NaN is never turned into a harmless 0.
    @_specialize(where Scalar == Float)
    public func relu() -> Tensor {
        let out = mapped(.relu)
        guard Tensor.isRecording(self) else { return out }
        // At exactly x = 0 the derivative is undefined; like PyTorch (and `Value`) we use 0.
        // upstream · (out > 0), in one pass (BinaryKernel.reluGradient); out > 0 where x > 0.
        return out.recorded(.relu, [self]) { upstream in
            [upstream.zipped(.reluGradient, out, op: "relu", file: #fileID, line: #line)]
        }
    }

    /// The leaky rectified linear unit.
    ///
    /// ```
    /// out = x if x > 0, else slope · x      ∂out/∂x = 1 if x > 0, else slope
    /// ```
    public func leakyRelu(slope: Scalar = 0.01) -> Tensor {
        let out = mapped(.leakyRelu(slope: Double(slope)))
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.leakyRelu, [self], detail: "slope \(slope)") { [self] upstream in
            [upstream * (self.isGreater(than: Tensor(0)) * (1 - slope) + slope)]
        }
    }

    /// GELU with the tanh approximation (GPT-2's), u = √(2/π) · (x + 0.044715 x³).
    ///
    /// ```
    /// out = ½x(1 + tanh u)    ∂out/∂x = ½(1 + tanh u) + ½x(1 − tanh²u) · √(2/π)(1 + 0.134145 x²)
    /// ```
    @_specialize(where Scalar == Float)
    public func geluTanh() -> Tensor {
        let out = mapped(.geluTanh)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.geluTanh, [self]) { [self] upstream in
            let c = Scalar(0.797_884_560_802_865_4), k = Scalar(0.044715)  // √(2/π)
            let x = self, t = ((x + x * x * x * k) * c).tanh()
            let du = (x * x * (3 * k) + 1) * c
            return [upstream * ((t + 1) * 0.5 + x * (1 - t * t) * du * 0.5)]
        }
    }

    /// GELU, exact: x times the standard normal CDF Φ(x).
    ///
    /// ```
    /// out = x · Φ(x) = ½x(1 + erf(x/√2))    ∂out/∂x = Φ(x) + x · φ(x),  φ(x) = e^(−x²/2) / √(2π)
    /// ```
    @_specialize(where Scalar == Float)
    public func gelu() -> Tensor {
        let out = mapped(.geluErf)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.geluErf, [self]) { [self] upstream in
            let x = self
            let cdf = ((x * Scalar(0.707_106_781_186_547_5)).mapped(.erf) + 1) * 0.5     // Φ(x), with 1/√2
            let density = (x * x * -0.5).exp() * Scalar(0.398_942_280_401_432_7)     // φ(x), with 1/√(2π)
            return [upstream * (cdf + x * density)]
        }
    }

    /// Softplus, a smooth relu.
    ///
    /// ```
    /// out = ln(1 + eˣ)   ∂out/∂x = eˣ / (1 + eˣ) = σ(x)
    /// ```
    public func softplus() -> Tensor {
        let out = mapped(.softplus)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.softplus, [self]) { [self] upstream in [upstream * self.mapped(.sigmoid)] }
    }

    /// The absolute value.
    ///
    /// ```
    /// out = |x|          ∂out/∂x = sign x  (0 at x = 0, as in PyTorch)
    /// ```
    public func abs() -> Tensor {
        let out = mapped(.abs)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.abs, [self]) { [self] upstream in
            let zero = Tensor(0)
            return [upstream * (self.isGreater(than: zero) - zero.isGreater(than: self))]
        }
    }

    /// The sine.
    ///
    /// ```
    /// out = sin x        ∂out/∂x = cos x
    /// ```
    public func sin() -> Tensor {
        let out = mapped(.sin)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.sin, [self]) { [self] upstream in [upstream * self.mapped(.cos)] }
    }

    /// The cosine.
    ///
    /// ```
    /// out = cos x        ∂out/∂x = −sin x
    /// ```
    public func cos() -> Tensor {
        let out = mapped(.cos)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.cos, [self]) { [self] upstream in [upstream * -self.mapped(.sin)] }
    }
}
