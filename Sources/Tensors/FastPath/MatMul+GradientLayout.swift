// MatMul+GradientLayout.swift — fast path, outside the reading order: matmul's gradient for
// its right factor B, laid out as B is laid out.
//
// The chain rule gives ∂L/∂B = Aᵀ · upstream (MatMul.swift). A Linear layer multiplies by
// Wᵀ, a transposed view of its weight W; computed as Aᵀ · upstream, the gradient of Wᵀ is a
// contiguous [in, out] matrix, and W's gradient a transposed view of it, which the
// optimizer's in-place update (contiguous buffers) must first copy back into W's layout, every
// step, for every layer. Computed instead as (upstreamᵀ · A)ᵀ, the same sums (up to the order
// BLAS adds in), W's gradient arrives contiguous. The cost it saves is measured in
// Docs/performance.md ("The readable core and the fast path").
//
// Read next: nothing; back to MatMul.swift.

extension Tensor {
    /// ∂L/∂B = Aᵀ · upstream for out = A · B (A is `self`), summed back over broadcast
    /// batch axes; for a transposed matrix B, computed as (upstreamᵀ · A)ᵀ, so that it is
    /// laid out like B.
    func rightFactorGradient(_ upstream: Tensor, _ b: Tensor, isTransposed: Bool,
                             file: StaticString, line: UInt) -> Tensor {
        if isTransposed && rank == 2 && b.rank == 2 {
            return upstream.transposed().matrixProduct(self, file: file, line: line).transposed()
        }
        return transposed().matrixProduct(upstream, file: file, line: line).sumToShape(b.shape)
    }
}
