// Tensor+Attention.swift — scaled dot-product attention, optionally causal, composed from
// matmul, mul, add and softmax. No backward of its own.
//
// Read next: Docs/op-catalog.md, section "NN functions (composites)".

extension Tensor {
    /// Scaled dot-product attention for queries [..., Lq, d], keys [..., Lk, d] and values
    /// [..., Lk, dv], giving [..., Lq, dv]; leading (batch, head) axes broadcast as in matmul.
    /// Composed: matmul, mul, add (the mask), softmax, matmul.
    ///
    /// ```
    /// scores = Q·Kᵀ / √d  (+ M),     out = softmax(scores along keys) · V
    /// ```
    /// Dividing by √d keeps the scores' spread independent of d (a dot product of d unit-variance
    /// terms has variance d), so softmax does not saturate as d grows. With `causal: true`,
    /// M[i, j] = −∞ for key j > query i (query i sees only keys 0...i), so after softmax
    /// those weights are exactly 0, and so are their gradients (e^(−∞) = 0 multiplies them).
    public static func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, causal: Bool = false,
                                                 file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if query.rank < 2 || key.rank < 2 || value.rank < 2 || query.shape.last != key.shape.last
            || key.shape[key.rank - 2] != value.shape[value.rank - 2] {
            shapeTrap("scaledDotProductAttention", "needs query [..., Lq, d], key [..., Lk, d], value [..., Lk, dv], got "
                      + "\(describe(query.shape)), \(describe(key.shape)), \(describe(value.shape))",
                      file: file, line: line)
        }
        let d = query.shape[query.rank - 1]
        let (lq, lk) = (query.shape[query.rank - 2], key.shape[key.rank - 2])
        var scores = query.matmul(key.transposed(), file: file, line: line) * (1 / Scalar(d).squareRoot())
        if causal {
            var mask = [Scalar](repeating: 0, count: lq * lk)
            for i in 0..<lq { for j in 0..<lk where j > i { mask[i * lk + j] = -.infinity } }
            scores = Tensor.add(scores, try! Tensor(shape: [lq, lk], elements: mask), file: file, line: line)
        }
        return scores.softmax(axis: -1, file: file, line: line).matmul(value, file: file, line: line)
    }
}
