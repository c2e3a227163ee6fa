// SmallGemm.swift — fast path, outside the reading order: matrix products too small for a
// call into OpenBLAS to pay, done by a plain loop in the BLAS backend.
//
// Attention multiplies one small matrix per head and example: in names-gpt (W7) each
// `matmul` of the attention is 256 products of 8 × 8 × 8, and a training step makes about
// 3,000 of them. Each `cblas_sgemm` call first scales (for beta = 0: zeroes) C in a pass of
// its own (`sgemm_beta`, 8.6 % of names-gpt's time in perf), then packs A and B into its
// blocked layout; for 512 multiply-adds that set-up costs more than the arithmetic.
// Below `maximumWork` multiply-adds, `BLASBackend.gemm` calls `multiply` here instead: the
// reference's i-k-j loop (ReferenceBackend.swift), with a transposed B first copied to rows
// (k × n values, on the stack) and eight columns of C summed at a time in a SIMD vector. Each element is summed in the same order as the reference loop,
// so the two agree bit for bit (ParityTests.smallGemm).
// The threshold is measured: Docs/performance.md, "Attention's small products".
//
// Read next: BLASBackend.swift, `gemm`.

#if BLAS
enum SmallGemm {
    /// Products of at most this many multiply-adds (m·n·k) take the loop below.
    static let maximumWork = 512

    /// Whether the product m × k × n is done here rather than by OpenBLAS.
    @inline(__always)
    static func applies(m: Int, n: Int, k: Int) -> Bool {
        m * n * k <= maximumWork
    }

    /// C ← alpha · op(A) · op(B) + beta · C, row-major, as `Backend.gemm`, for k ≥ 1:
    ///     C[i, j] = (beta · C[i, j] or 0) + Σ_p (alpha · op(A)[i, p]) · op(B)[p, j],  p = 0, 1, …
    /// in that order, as the reference loop adds.
    @inline(__always)
    static func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                          alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                          b: UnsafePointer<Float>, ldb: Int,
                                          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard transposeB else {
            return rows(transposeA: transposeA, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                        beta: beta, c: c, ldc: ldc)
        }
        // Bᵀ is stored (B[p, j] = b[j·ldb + p]): copied to k rows of n first.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: k * n) { scratch in
            let rowsOfB = scratch.baseAddress!
            for j in 0..<n {
                for p in 0..<k { rowsOfB[p * n + j] = b[j * ldb + p] }
            }
            rows(transposeA: transposeA, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: rowsOfB, ldb: n,
                 beta: beta, c: c, ldc: ldc)
        }
    }

    /// The i-k-j loop with B stored as rows: for each row i of C, C's row is started (0 or
    /// beta · C) and then each row p of B, times alpha · op(A)[i, p], is added to it; eight
    /// columns at a time in a SIMD vector held in registers across p, the last n mod 8 one by one.
    @inline(__always)
    private static func rows(transposeA: Bool, m: Int, n: Int, k: Int,
                                              alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                              b: UnsafePointer<Float>, ldb: Int,
                                              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        typealias Lanes = SIMD8<Float>
        // (A's stride along i and along p: a transposed A is read down its columns.)
        let (rowStep, columnStep) = transposeA ? (1, lda) : (lda, 1)
        let vectorColumns = n - n % Lanes.scalarCount
        for i in 0..<m {
            let cRow = c + i * ldc, aRow = a + i * rowStep
            var j = 0
            while j < vectorColumns {
                var sum = beta == 0 ? Lanes(repeating: 0) : beta * UnsafeRawPointer(cRow + j).loadUnaligned(as: Lanes.self)
                for p in 0..<k {
                    let bRow: Lanes = UnsafeRawPointer(b + p * ldb + j).loadUnaligned(as: Lanes.self)
                    sum += Lanes(repeating: alpha * aRow[p * columnStep]) * bRow
                }
                UnsafeMutableRawPointer(cRow + j).storeBytes(of: sum, as: Lanes.self)
                j += Lanes.scalarCount
            }
            for j in vectorColumns..<n {
                var sum: Float = beta == 0 ? 0 : beta * cRow[j]
                for p in 0..<k { sum += alpha * aRow[p * columnStep] * b[p * ldb + j] }
                cRow[j] = sum
            }
        }
    }
}
#endif
