// MatMul+GradientLayout.swift — fast path, outside the reading order: matmul's gradient for
// its right factor B, laid out as B is laid out; a stack of matrices times one matrix as a
// single product; and the gradient of one matrix times a stack as one sum of products.
//
// The chain rule gives ∂L/∂B = Aᵀ · upstream (MatMul.swift). A Linear layer multiplies by
// Wᵀ, a transposed view of its weight W; computed as Aᵀ · upstream, the gradient of Wᵀ is a
// contiguous [in, out] matrix, and W's gradient a transposed view of it, which the
// optimizer's in-place update (contiguous buffers) must first copy back into W's layout, every
// step, for every layer. Computed instead as (upstreamᵀ · A)ᵀ, the same sums (up to the order
// BLAS adds in), W's gradient arrives contiguous. The cost it saves is measured in
// Docs/performance.md ("The readable core and the fast path").
//
// A Linear layer or an attention projection on a batch of sequences multiplies A [N, L, k] by
// one matrix B [k, n]. The primitive is one product per matrix of the batch, N small gemms,
// and B's gradient Aᵀ · upstream is N more, [k, n] each, summed over the batch afterwards.
// When A's rows lie evenly spaced in memory (a contiguous A does), A is one matrix of N·L
// rows: one gemm forward, and B's gradient is one gemm A₂ᵀ · upstream₂ over all the rows,
// the batch sum included. Each element is the same dot product of the same numbers
// (Docs/performance.md, "Session 7").
//
// The other way round, one matrix A [m, k] times a stack B [N, k, n] (conv2d's kernels times
// each image's columns), A's gradient is Σ_i upstream_i · B_iᵀ. Written as the primitive
// says, that is N products into a stack [N, m, n] and then a sum over it; `Backend.gemmSum`
// takes the sum as it goes (the products added into one C), and BLASBackend, for a small C,
// carries each element's eight running lanes across the whole batch and sums them once
// (Docs/performance.md, "Session 10").
//
// Read next: nothing; back to MatMul.swift.

extension Tensor {
    /// ∂L/∂A = upstream · Bᵀ for out = A · B (A is `self`), summed back over broadcast batch
    /// axes. When A is one matrix and B a stack [N, k, n] (conv2d: the kernels times each
    /// image's columns), the sum over the stack is taken as the products are (`gemmSum`),
    /// not after N products of their own.
    func leftFactorGradient(_ upstream: Tensor, _ b: Tensor, file: StaticString, line: UInt) -> Tensor {
        if rank == 2 && b.rank == 3 && !Tensor.isRecording(upstream, b),
           let summed = upstream.summedProducts(b.transposed()) {
            return summed
        }
        return upstream.matrixProduct(b.transposed(), file: file, line: line).sumToShape(shape)
    }

    /// ∂L/∂B = Aᵀ · upstream for out = A · B (A is `self`), summed back over broadcast
    /// batch axes; for a transposed matrix B, computed as (upstreamᵀ · A)ᵀ, so that it is
    /// laid out like B.
    func rightFactorGradient(_ upstream: Tensor, _ b: Tensor, isTransposed: Bool,
                             file: StaticString, line: UInt) -> Tensor {
        if isTransposed && rank == 2 && b.rank == 2 {
            return upstream.transposed().matrixProduct(self, file: file, line: line).transposed()
        }
        if rank > 2 && b.rank == 2 {
            // All the batch's rows as one matrix: Σ_batch Aᵀ · upstream = A₂ᵀ · upstream₂.
            let rowsA = reshape([-1, shape[rank - 1]]), rowsUpstream = upstream.reshape([-1, upstream.shape[rank - 1]])
            return rowsA.rightFactorGradient(rowsUpstream, b, isTransposed: isTransposed, file: file, line: line)
        }
        return transposed().matrixProduct(upstream, file: file, line: line).sumToShape(b.shape)
    }

    /// This stack of matrices [..., m, k] (rows not transposed) read as one matrix of all its
    /// rows: how many rows and the step between two of them, when every row lies that step
    /// after the one before, across the matrices too; nil otherwise.
    var rowsAsOneMatrix: (count: Int, step: Int)? {
        let k = Swift.max(shape[rank - 1], 1)
        var count = 1, step = k
        for axis in (0..<(rank - 1)).reversed() where shape[axis] != 1 {
            if count == 1 {
                step = strides[axis]
            } else if strides[axis] != step * count {
                return nil
            }
            count *= shape[axis]
        }
        return count == 0 ? (0, k) : step >= k ? (count, step) : nil
    }
}
