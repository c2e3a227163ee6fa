// MatMul.swift — the matrix product, the one primitive that calls `gemm`.
//
// The primitive multiplies stacks of matrices: shapes [..., m, k] and [..., k, n] give
// [..., m, n], with the leading (batch) axes broadcast by NumPy's rule. Vectors are handled
// by the public `matmul` around it, which adds and removes a unit axis (as NumPy does).
// Transposed views are handed to gemm as "transposed" instead of being copied.
//
// Read next: Unfold.swift.

extension Tensor {
    /// The matrix product, as NumPy's `matmul` (`@` in Python):
    /// - matrix × matrix: [m, k] × [k, n] → [m, n]
    /// - stacks of matrices: [..., m, k] × [..., k, n] → [..., m, n], batch axes broadcasting
    /// - matrix × vector: [..., m, k] × [k] → [..., m]; vector × matrix: [k] × [..., k, n] → [..., n]
    /// - vector · vector: [k] · [k] → [] (the dot product)
    ///
    /// The vector cases are composites: a unit axis is added (reshape), the matrices are
    /// multiplied, and the unit axis is removed again.
    @_specialize(where Scalar == Float)
    public func matmul(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if rank == 0 || other.rank == 0 {
            shapeTrap("matmul", "needs tensors of rank 1 or more, got \(describe(shape)) and \(describe(other.shape))",
                      file: file, line: line)
        }
        let kLeft = shape[rank - 1], kRight = other.shape[Swift.max(other.rank - 2, 0)]
        if kLeft != kRight {
            shapeTrap("matmul", "inner dimensions differ: \(describe(shape)) and \(describe(other.shape))",
                      file: file, line: line)
        }
        switch (rank, other.rank) {
        case (1, 1):
            return unsqueeze(0).matrixProduct(other.unsqueeze(1), file: file, line: line).reshape([])
        case (1, _):
            return unsqueeze(0).matrixProduct(other, file: file, line: line).squeeze(-2)
        case (_, 1):
            return matrixProduct(other.unsqueeze(1), file: file, line: line).squeeze(-1)
        default:
            return matrixProduct(other, file: file, line: line)
        }
    }

    /// The primitive: batched matrix product of tensors of rank ≥ 2.
    ///
    /// ```
    /// out = A · B        ∂L/∂A = upstream · Bᵀ        ∂L/∂B = Aᵀ · upstream
    /// ```
    /// (each summed back over batch axes that were broadcast).
    /// Implemented by: `matrixProduct` → `Backend.gemm`, once per matrix in the batch.
    func matrixProduct(_ other: Tensor, file: StaticString, line: UInt) -> Tensor {
        let m = shape[rank - 2], k = shape[rank - 1], n = other.shape[other.rank - 1]
        let (a, transposeA, lda) = matrixOperand()
        let (b, transposeB, ldb) = other.matrixOperand()
        let backend = Backends.current
        let out: Tensor
        if rank == 2 && other.rank == 2 {
            // Two plain matrices, the usual case (every Linear layer, forward and backward):
            // one gemm, without the batch bookkeeping below, which made about ten small
            // arrays per product (callgrind, W3: 2% of all instructions).
            out = Tensor.unfilled([m, n])  // gemm with beta = 0 writes every element
            withExtendedLifetime((a, b)) {
                backend.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                             alpha: 1, a: a.storage.pointer + a.offset, lda: lda,
                             b: b.storage.pointer + b.offset, ldb: ldb,
                             beta: 0, c: out.storage.pointer, ldc: Swift.max(n, 1))
            }
        } else {
            guard let batch = broadcastShapes(Array(shape.dropLast(2)), Array(other.shape.dropLast(2))) else {
                shapeTrap("matmul", "batch shapes of \(describe(shape)) and \(describe(other.shape)) do not broadcast",
                          file: file, line: line)
            }
            out = Tensor.unfilled(batch + [m, n])
            let aBatchStrides = broadcastStrides(shape: Array(a.shape.dropLast(2)), strides: Array(a.strides.dropLast(2)), to: batch)
            let bBatchStrides = broadcastStrides(shape: Array(b.shape.dropLast(2)), strides: Array(b.strides.dropLast(2)), to: batch)
            withExtendedLifetime((a, b)) {
                forEachIndex(batch, aBatchStrides, bBatchStrides, Array(out.strides.dropLast(2))) { offsetA, offsetB, offsetC in
                    backend.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                 alpha: 1, a: a.storage.pointer + a.offset + offsetA, lda: lda,
                                 b: b.storage.pointer + b.offset + offsetB, ldb: ldb,
                                 beta: 0, c: out.storage.pointer + offsetC, ldc: Swift.max(n, 1))
                }
            }
        }
        guard Tensor.isRecording(self, other) else { return out }
        return out.recorded(.matmul, [self, other]) { [self] upstream in
            [ifNeeded(self) { upstream.matrixProduct(other.transposed(), file: file, line: line).sumToShape(shape) },
             ifNeeded(other) {
                 // A weight used as Wᵀ (Linear's x · Wᵀ) is a transposed view. Its gradient
                 // Aᵀ · upstream is then computed as (upstreamᵀ · A)ᵀ: the same product, laid
                 // out like W itself, so that W's gradient arrives contiguous (no transposing copy).
                 if transposeB && other.rank == 2 && rank == 2 {
                     return upstream.transposed().matrixProduct(self, file: file, line: line).transposed()
                 }
                 return transposed().matrixProduct(upstream, file: file, line: line).sumToShape(other.shape)
             }]
        }
    }

    /// This tensor's last two axes as gemm wants a matrix: rows contiguous (not transposed),
    /// or columns contiguous (a transposed view: passed as transposed, no copy). Anything
    /// else (a slice with a step, a broadcast matrix) is copied to contiguous first.
    /// Returns the tensor to read, whether it is transposed, and its leading dimension.
    private func matrixOperand() -> (Tensor, transposed: Bool, leadingDimension: Int) {
        let r = shape[rank - 2], c = shape[rank - 1]
        let rowStride = strides[rank - 2], columnStride = strides[rank - 1]
        // A unit-extent axis is never stepped along, so its stride does not matter.
        if (columnStride == 1 || c == 1) && (r == 1 || rowStride >= Swift.max(c, 1)) {
            return (self, false, r == 1 ? Swift.max(c, 1) : rowStride)
        }
        if (rowStride == 1 || r == 1) && (c == 1 || columnStride >= Swift.max(r, 1)) {
            return (self, true, c == 1 ? Swift.max(r, 1) : columnStride)
        }
        return (mapped(.identity), false, Swift.max(c, 1))
    }
}
