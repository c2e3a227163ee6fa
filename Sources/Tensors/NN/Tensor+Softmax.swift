// Tensor+Softmax.swift — softmax and logSoftmax along an axis, composed from primitives
// (no backward of their own: their gradients are the chain rule through max, add, mul,
// exp, sum, log and powScalar).
//
// Read next: Tensor+Losses.swift, which builds cross-entropy on logSoftmax.

extension Tensor {
    /// Softmax along `axis` (default: the last), composed: e^(x − m) / Σ e^(x − m) with
    /// m = max(x) along the axis, detached (max, add, mul, exp, sum, powScalar).
    ///
    /// ```
    /// out_i = e^(x_i) / Σ_j e^(x_j)        ∂out_i/∂x_j = out_i · (δ_ij − out_j)
    /// ```
    /// Why subtract the maximum: the ratio does not change when every x_j is shifted by the
    /// same m, but the shifted exponents are all ≤ 0, so e^(x − m) ≤ 1 can never overflow
    /// (e^1000 is ∞ in Double, and ∞/∞ is NaN), and the largest term is exactly 1, so the
    /// denominator is ≥ 1 and never underflows to 0. m is detached because the result does
    /// not depend on it: its gradient would be zero anyway.
    public func softmax(axis: Int = -1, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let m = max(axis: axis, keepDims: true, file: file, line: line).detach()
        let e = Tensor.add(self, -m, file: file, line: line).exp()
        return Tensor.mul(e, e.sum(axis: axis, keepDims: true, file: file, line: line).pow(-1), file: file, line: line)
    }

    /// The logarithm of softmax along `axis` (default: the last), composed:
    /// x − logsumexp(x) (logsumexp, add, mul).
    ///
    /// ```
    /// out_i = x_i − log Σ_j e^(x_j)        ∂out_i/∂x_j = δ_ij − softmax(x)_j
    /// ```
    /// Stable for the same reason as softmax: logsumexp subtracts the maximum before
    /// exponentiating. Computing log(softmax(x)) instead would give log(0) = −∞ for any
    /// probability that underflows, where this gives the finite x_i − logsumexp.
    public func logSoftmax(axis: Int = -1, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        Tensor.add(self, -logsumexp(axis: axis, keepDims: true, file: file, line: line), file: file, line: line)
    }
}
