// AVX2GemmTests.swift — the AVX2 matrix-product loops (Sources/AVX2Kernels/AVX2Gemm.swift)
// against sums in Double, on every shape class their tiles have a separate path for (rows
// left over below a multiple of 4, fewer than 16 columns, the last column block moved left,
// k not a multiple of 8, leading dimensions wider than the matrices); their claim that an
// element's bits do not depend on the block it is computed in; NaN and ∞; and that
// BLASBackend's gemm sends W6's convolution products to them.

#if BLAS && arch(x86_64)
import AVX2Kernels
import Testing
@testable import Tensors

@Suite(.enabled(if: BLASBackend.usesAVX2, "the CPU has no AVX2 and FMA, or LUMEN_AVX2=0"))
struct AVX2GemmTests {
    /// Operands with spare columns (leading dimension = width + 3), uniform in [-1, 1).
    struct Operands {
        let m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
        let a: [Float], b: [Float], lda: Int, ldb: Int, ldc: Int

        init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, seed: UInt64) {
            (self.m, self.n, self.k, self.transposeA, self.transposeB) = (m, n, k, transposeA, transposeB)
            var rng = SplitMix64(seed: seed)
            let (aRows, aColumns) = transposeA ? (k, m) : (m, k)
            let (bRows, bColumns) = transposeB ? (n, k) : (k, n)
            (lda, ldb, ldc) = (aColumns + 3, bColumns + 3, n + 3)
            a = (0..<(aRows * lda)).map { _ in Float(rng.nextUniform(-1, 1)) }
            b = (0..<(bRows * ldb)).map { _ in Float(rng.nextUniform(-1, 1)) }
        }

        func opA(_ i: Int, _ p: Int) -> Float { transposeA ? a[p * lda + i] : a[i * lda + p] }
        func opB(_ p: Int, _ j: Int) -> Float { transposeB ? b[j * ldb + p] : b[p * ldb + j] }

        /// C in Double, the independent oracle.
        func exact() -> [Double] {
            (0..<(m * n)).map { e in
                (0..<k).reduce(0.0) { $0 + Double(opA(e / n, $1)) * Double(opB($1, e % n)) }
            }
        }

        /// C from the AVX2 loop, rows `rows` and columns `columns` only (the rest stays -7),
        /// with C's spare columns as well.
        func avx2(rows: Range<Int>? = nil, columns: Range<Int>? = nil) -> [Float] {
            let rows = rows ?? 0..<m, columns = columns ?? 0..<n
            var c = [Float](repeating: -7, count: m * ldc)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        let aStart = transposeA ? rows.lowerBound : rows.lowerBound * lda
                        let bStart = transposeB ? columns.lowerBound * ldb : columns.lowerBound
                        let cStart = rows.lowerBound * ldc + columns.lowerBound
                        if transposeB {
                            AVX2Gemm.nt(m: rows.count, n: columns.count, k: k, a: a.baseAddress! + aStart, lda: lda,
                                        b: b.baseAddress! + bStart, ldb: ldb, c: c.baseAddress! + cStart, ldc: ldc)
                        } else {
                            AVX2Gemm.nn(transposeA: transposeA, m: rows.count, n: columns.count, k: k,
                                        a: a.baseAddress! + aStart, lda: lda, b: b.baseAddress! + bStart, ldb: ldb,
                                        c: c.baseAddress! + cStart, ldc: ldc)
                        }
                    }
                }
            }
            return c
        }

        /// The m × n entries of a C with leading dimension ldc.
        func entries(_ c: [Float]) -> [Float] { (0..<(m * n)).map { c[($0 / n) * ldc + $0 % n] } }
    }

    /// Every shape class of `nn` (both A layouts) and of `nt`, within 1e-6 · (1 + k) of the
    /// Double sums (terms lie in (-1, 1)), and C's spare columns untouched.
    @Test(arguments: [(false, false), (true, false), (false, true)])
    func shapesAgainstDoubleSums(transposeA: Bool, transposeB: Bool) {
        let sizes = transposeB
            ? [(1, 1, 64), (2, 4, 64), (3, 5, 67), (8, 9, 676), (5, 7, 130), (16, 16, 71)]
            : [(1, 1, 1), (3, 5, 9), (4, 16, 9), (5, 17, 7), (8, 676, 9), (9, 40, 96), (16, 121, 72), (72, 121, 16), (4, 15, 3)]
        for (m, n, k) in sizes {
            let o = Operands(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, seed: UInt64(m * 1000 + n * 10 + k))
            let c = o.avx2(), exact = o.exact(), got = o.entries(c)
            let worst = (0..<(m * n)).map { e in abs(Double(got[e]) - exact[e]) / (1 + Double(k)) }.max()!
            #expect(worst < 1e-6, "\(m) × \(n) × \(k): off by \(worst) per term")
            #expect((0..<m).allSatisfy { i in (n..<(n + 3)).allSatisfy { c[i * o.ldc + $0] == -7 } },
                    "\(m) × \(n) × \(k) wrote past C's columns")
        }
    }

    /// An element's bits do not depend on the block that computes it: the product in two
    /// column blocks (one narrower than a tile) and in two row blocks equals the whole.
    @Test(arguments: [(false, false), (true, false), (false, true)])
    func blocksGiveTheSameBits(transposeA: Bool, transposeB: Bool) {
        let (m, n, k) = transposeB ? (7, 9, 83) : (11, 37, 21)
        let o = Operands(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, seed: 5)
        let whole = o.entries(o.avx2())
        for cut in [5, 6] {
            let left = o.avx2(columns: 0..<cut), right = o.avx2(columns: cut..<n)
            let byColumns = (0..<(m * n)).map { e in e % n < cut ? left[(e / n) * o.ldc + e % n] : right[(e / n) * o.ldc + e % n] }
            #expect(byColumns.map(\.bitPattern) == whole.map(\.bitPattern), "columns cut at \(cut)")
            let top = o.avx2(rows: 0..<cut), bottom = o.avx2(rows: cut..<m)
            let byRows = (0..<(m * n)).map { e in e / n < cut ? top[(e / n) * o.ldc + e % n] : bottom[(e / n) * o.ldc + e % n] }
            #expect(byRows.map(\.bitPattern) == whole.map(\.bitPattern), "rows cut at \(cut)")
        }
    }

    /// A NaN in A makes its row of C NaN; ∞ · 0 is NaN; ∞ times a positive column stays ∞.
    @Test(arguments: [false, true])
    func nanAndInfinity(transposeB: Bool) {
        let (m, n, k) = transposeB ? (4, 8, 64) : (6, 20, 9)
        var a = [Float](repeating: 1, count: m * k), b = [Float](repeating: 0.5, count: k * n)
        a[1 * k + 3] = .nan         // row 1
        a[2 * k + 0] = .infinity    // row 2, against B's p = 0 …
        for j in 0..<n { b[transposeB ? j * k : j] = j == 0 ? 0 : 0.5 }  // … which is 0 in column 0
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    if transposeB {
                        AVX2Gemm.nt(m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: k, c: c.baseAddress!, ldc: n)
                    } else {
                        AVX2Gemm.nn(transposeA: false, m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: n,
                                    c: c.baseAddress!, ldc: n)
                    }
                }
            }
        }
        #expect((0..<n).allSatisfy { c[1 * n + $0].isNaN })
        #expect(c[2 * n].isNaN)
        #expect((1..<n).allSatisfy { c[2 * n + $0] == .infinity })
        #expect(c[0] == Float(k - 1) * 0.5)
    }

    /// BLASBackend's gemm takes these loops for W6's convolution products (alpha 1, beta 0):
    /// its numbers are the loop's, bit for bit, which OpenBLAS's (another order of sums) are not
    /// in general; with alpha ≠ 1 it does not.
    @Test func theBackendRoutesConvolutionProductsHere() {
        for (transposeA, transposeB, m, n, k) in [(false, false, 8, 676, 9), (false, true, 8, 9, 676), (true, false, 72, 121, 16)] {
            #expect(AVX2Gemm.applies(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k))
            let o = Operands(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, seed: 3)
            func backend(alpha: Float) -> [Float] {
                var c = [Float](repeating: 0, count: m * o.ldc)
                c.withUnsafeMutableBufferPointer { c in
                    BLASBackend().gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                       a: o.a, lda: o.lda, b: o.b, ldb: o.ldb, beta: 0, c: c.baseAddress!, ldc: o.ldc)
                }
                return o.entries(c)
            }
            #expect(backend(alpha: 1).map(\.bitPattern) == o.entries(o.avx2()).map(\.bitPattern), "\(m) × \(n) × \(k)")
            // alpha 2 goes to OpenBLAS: twice the loop's numbers only to rounding.
            let doubled = backend(alpha: 2), loop = o.entries(o.avx2())
            #expect(zip(doubled, loop).allSatisfy { abs($0 - 2 * $1) <= 1e-4 * (1 + abs($0)) })
        }
        #expect(!AVX2Gemm.applies(transposeA: false, transposeB: true, m: 64, n: 256, k: 784))
        #expect(!AVX2Gemm.applies(transposeA: false, transposeB: false, m: 64, n: 784, k: 256))
        // W3's 64 × 128 × 64 products: OpenBLAS's packing pays there.
        #expect(!AVX2Gemm.applies(transposeA: true, transposeB: false, m: 64, n: 128, k: 64))
        #expect(AVX2Gemm.applies(transposeA: false, transposeB: false, m: 64, n: 64, k: 64))
        // mnist's weight gradient: k = 64, but B (64 × 784) is too wide.
        #expect(!AVX2Gemm.applies(transposeA: true, transposeB: false, m: 256, n: 784, k: 64))
    }
}
#endif
