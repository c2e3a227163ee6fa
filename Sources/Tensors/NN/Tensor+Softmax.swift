// Tensor+Softmax.swift — softmax along an axis, composed from primitives (its gradient is
// the chain rule through max, add, mul, exp, sum and div), and logSoftmax, a primitive
// with its own backward, because every classifier's loss runs it.
//
// Read next: Tensor+Losses.swift, which builds cross-entropy on logSoftmax.

extension Tensor {
    /// Softmax along `axis` (default: the last), composed: e^(x − m) / Σ e^(x − m) with
    /// m = max(x) along the axis, detached (max, add, mul, exp, sum, div).
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
        return Tensor.div(e, e.sum(axis: axis, keepDims: true, file: file, line: line), file: file, line: line)
    }

    /// The logarithm of softmax along `axis` (default: the last). A primitive with its own
    /// backward: the composed x − logsumexp(x) gives the same values, at the cost of about
    /// fifteen recorded ops, forward and backward, in every classifier's loss.
    ///
    /// ```
    /// out_i = x_i − log Σ_j e^(x_j)        ∂out_i/∂x_j = δ_ij − softmax(x)_j
    /// ```
    /// so the pullback is ∂L/∂x_j = u_j − softmax(x)_j · Σ_i u_i.
    ///
    /// Stable for the same reason as softmax: with m = max_j x_j, the forward computes
    /// e_j = e^(x_j − m) (all exponents ≤ 0, so nothing overflows), S = Σ_j e_j ≥ 1, and
    /// out_j = x_j − (m + log S). Computing log(softmax(x)) instead would give log(0) = −∞ for
    /// any probability that underflows, where this gives the finite x_j − logsumexp.
    /// The backward reuses e and S: softmax_j · Σu = (Σu / S) · e_j.
    ///
    /// The forward rounds as the composed form does (the same kernels on the same numbers, in
    /// the same order).
    /// Implemented by: the kernels reduce(.max), zip(.subtract), map(.exp), reduce(.sum),
    /// map(.log), zip(.add); the pullback by reduce(.sum), zip(.divide), zip(.multiply),
    /// zip(.subtract).
    @_specialize(where Scalar == Float)
    public func logSoftmax(axis: Int = -1, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let a = normalizedAxis(axis, rank: rank, op: "logSoftmax", file: file, line: line)
        func zip(_ kernel: BinaryKernel, _ x: Tensor, _ y: Tensor) -> Tensor {
            x.zipped(kernel, y, op: "logSoftmax", file: file, line: line)
        }
        let m = reduced(.max, axes: [a])
        let e = zip(.subtract, self, m).mapped(.exp)
        let total = e.reduced(.sum, axes: [a])
        let out = zip(.subtract, self, zip(.add, m, total.mapped(.log)))
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.logSoftmax, [self], detail: "axis \(a)") { upstream in
            // softmax · Σu, computed as (Σu / S) · e: the division on the small reduced shape
            let sumOfUpstream = upstream.reduced(.sum, axes: [a])
            let scaled = zip(.multiply, zip(.divide, sumOfUpstream, total), e)
            return [zip(.subtract, upstream, scaled)]
        }
    }
}
