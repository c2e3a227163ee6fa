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
        // The shape rule is Basics' `matmulShape`, shared with the expression checker.
        if matmulShape(shape, other.shape) == nil {
            shapeTrap("matmul", Tensor.whyNotMultipliable(shape, other.shape), file: file, line: line)
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

    /// What `matmulShape` found wrong with `a @ b`, for the trap's message.
    private static func whyNotMultipliable(_ a: [Int], _ b: [Int]) -> String {
        if a.isEmpty || b.isEmpty {
            return "needs tensors of rank 1 or more, got \(describe(a)) and \(describe(b))"
        }
        if a[a.count - 1] != b[Swift.max(b.count - 2, 0)] {
            return "inner dimensions differ: \(describe(a)) and \(describe(b))"
        }
        return "batch shapes of \(describe(a)) and \(describe(b)) do not broadcast"
    }

    /// The primitive: batched matrix product of tensors of rank ≥ 2.
    ///
    /// ```
    /// out = A · B        ∂L/∂A = upstream · Bᵀ        ∂L/∂B = Aᵀ · upstream
    /// ```
    /// (each summed back over batch axes that were broadcast).
    /// Implemented by: `gemmProduct` → `Backend.gemm`, once per matrix in the batch.
    func matrixProduct(_ other: Tensor, file: StaticString, line: UInt) -> Tensor {
        var batch: [Int] = []
        if rank > 2 || other.rank > 2 {
            guard let common = broadcastShapes(Array(shape.dropLast(2)), Array(other.shape.dropLast(2))) else {
                shapeTrap("matmul", "batch shapes of \(describe(shape)) and \(describe(other.shape)) do not broadcast",
                          file: file, line: line)
            }
            batch = common
        }
        let out = gemmProduct(other, batch: batch)
        guard Tensor.isRecording(self, other) else { return out }
        return out.recorded(.matmul, [self, other]) { [self] upstream in
            [ifNeeded(self) { leftFactorGradient(upstream, other, file: file, line: line) },  // upstream · Bᵀ
             // Aᵀ · upstream, laid out like B (both: FastPath/MatMul+GradientLayout.swift)
             ifNeeded(other) { rightFactorGradient(upstream, other, isTransposed: other.isMatrixTransposed,
                                                   file: file, line: line) }]
        }
    }
}
