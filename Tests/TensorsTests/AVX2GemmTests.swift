// AVX2GemmTests.swift — the AVX2 matrix-product loops (Sources/AVX2Kernels/AVX2Gemm.swift)
// against sums in Double, on every shape class their tiles have a separate path for (rows
// left over below a multiple of 4, fewer than 16 columns, the last column block moved left,
// k not a multiple of 8, leading dimensions wider than the matrices); their claim that an
// element's bits do not depend on the block it is computed in; NaN and ∞; that
// BLASBackend's gemm sends W6's convolution products to them; and the batch-summed `ntSum`
// (conv2d's kernel gradient) on the same terms, and on the backend's and a whole step's path.

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

    // MARK: - ntSum: C = Σ_b A_b · B_bᵀ

    /// `count` pairs (A_b [m, k], B_b [n, k]) with spare columns and a gap between pairs, and
    /// the sum in Double.
    struct Pairs {
        let m: Int, n: Int, k: Int, count: Int
        let a: [Float], b: [Float]
        var lda: Int { k + 3 }
        var ldb: Int { k + 1 }
        var strideA: Int { m * lda + 5 }
        var strideB: Int { n * ldb + 2 }

        init(m: Int, n: Int, k: Int, count: Int, seed: UInt64) {
            (self.m, self.n, self.k, self.count) = (m, n, k, count)
            var rng = SplitMix64(seed: seed)
            a = (0..<(count * (m * (k + 3) + 5))).map { _ in Float(rng.nextUniform(-1, 1)) }
            b = (0..<(count * (n * (k + 1) + 2))).map { _ in Float(rng.nextUniform(-1, 1)) }
        }

        func exact() -> [Double] {
            (0..<(m * n)).map { e in
                let (i, j) = (e / n, e % n)
                var sum = 0.0
                for pair in 0..<count {
                    for p in 0..<k {
                        let (left, right): (Float, Float) = (a[pair * strideA + i * lda + p], b[pair * strideB + j * ldb + p])
                        sum += Double(left) * Double(right)
                    }
                }
                return sum
            }
        }

        /// C from `body`, with leading dimension n + 2 (its spare columns start at -7).
        func run(_ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
            var c = [Float](repeating: -7, count: m * (n + 2))
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in body(a.baseAddress!, b.baseAddress!, c.baseAddress!) }
                }
            }
            return c
        }

        func ntSum() -> [Float] {
            run { a, b, c in
                AVX2Gemm.ntSum(m: m, n: n, k: k, count: count, a: a, lda: lda, strideA: strideA,
                               b: b, ldb: ldb, strideB: strideB, c: c, ldc: n + 2)
            }
        }

        func entries(_ c: [Float]) -> [Float] { (0..<(m * n)).map { c[($0 / n) * (n + 2) + $0 % n] } }
    }

    /// Every shape class of `ntSum` (rows left below a pair, columns below a group of four,
    /// k a multiple of 8 or not, down to 8, one pair or several), within 1e-6 per term of the
    /// Double sums, and C's spare columns untouched.
    @Test func ntSumAgainstDoubleSums() {
        for (m, n, k, count) in [(2, 4, 8, 1), (3, 5, 9, 4), (8, 9, 676, 3), (16, 72, 121, 2), (1, 1, 15, 5), (5, 7, 64, 2)] {
            let pairs = Pairs(m: m, n: n, k: k, count: count, seed: UInt64(m * 100 + n + k + count))
            let c = pairs.ntSum(), exact = pairs.exact(), got = pairs.entries(c)
            let worst = (0..<(m * n)).map { abs(Double(got[$0]) - exact[$0]) / Double(1 + k * count) }.max()!
            #expect(worst < 1e-6, "\(m) × \(n) × \(k), \(count) pairs: off by \(worst) per term")
            #expect((0..<m).allSatisfy { i in (n..<(n + 2)).allSatisfy { c[i * (n + 2) + $0] == -7 } })
        }
    }

    /// The last k mod 8 terms are read as the row's last eight numbers with the lanes already
    /// counted set to zero: an ∞ among those counted lanes must not meet a zeroed partner
    /// (0 · ∞ = NaN), and a NaN anywhere still reaches its element.
    @Test func ntSumNaNAndInfinity() {
        let (m, n, k, count) = (2, 4, 13, 2)   // the last vector covers p = 5 … 12; p = 5, 6, 7 were counted
        var a = [Float](repeating: 1, count: count * m * k), b = [Float](repeating: 0.5, count: count * n * k)
        b[1 * n * k + 0 * k + 6] = .infinity   // pair 1, column 0, p = 6: counted once, in the full vector
        a[0 * m * k + 1 * k + 12] = .nan       // pair 0, row 1, p = 12: in the last vector's fresh lanes
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    AVX2Gemm.ntSum(m: m, n: n, k: k, count: count, a: a.baseAddress!, lda: k, strideA: m * k,
                                   b: b.baseAddress!, ldb: k, strideB: n * k, c: c.baseAddress!, ldc: n)
                }
            }
        }
        #expect(c[0] == .infinity)
        #expect((0..<n).allSatisfy { c[n + $0].isNaN })
        #expect((1..<n).allSatisfy { c[$0] == Float(k * count) * 0.5 })
    }

    /// BLASBackend's gemmSum takes `ntSum` for W6's first kernel gradient and digits-cnn's
    /// (bit for bit the loop's numbers), and not for W6's second (C of 1,152 numbers) or a
    /// layout it has no loop for.
    @Test func theBackendRoutesKernelGradientsHere() {
        for (m, n, k) in [(8, 9, 676), (16, 9, 36)] {
            #expect(AVX2Gemm.sumApplies(transposeA: false, transposeB: true, m: m, n: n, k: k, count: 4))
            let pairs = Pairs(m: m, n: n, k: k, count: 4, seed: 8)
            let backend = pairs.run { a, b, c in
                BLASBackend().gemmSum(transposeA: false, transposeB: true, m: m, n: n, k: k, count: 4,
                                      a: a, lda: pairs.lda, strideA: pairs.strideA, b: b, ldb: pairs.ldb,
                                      strideB: pairs.strideB, c: c, ldc: n + 2)
            }
            #expect(backend.map(\.bitPattern) == pairs.ntSum().map(\.bitPattern), "\(m) × \(n) × \(k)")
        }
        #expect(!AVX2Gemm.sumApplies(transposeA: true, transposeB: true, m: 8, n: 9, k: 676, count: 4))
        #expect(!AVX2Gemm.sumApplies(transposeA: false, transposeB: false, m: 8, n: 9, k: 676, count: 4))
        #expect(!AVX2Gemm.sumApplies(transposeA: false, transposeB: true, m: 8, n: 9, k: 7, count: 4))
        #expect(!AVX2Gemm.sumApplies(transposeA: false, transposeB: true, m: 16, n: 72, k: 121, count: 4))
    }
}
#endif
