// AVX2Gemm.swift — fast path, outside the reading order: Float matrix products with a short
// inner dimension, or a tiny result, written as register-tiled loops and compiled for AVX2
// and FMA (this module's flags in Package.swift). BLASBackend calls them instead of
// cblas_sgemm for the products where OpenBLAS's set-up costs more than the arithmetic.
//
// OpenBLAS copies ("packs") A and B into its blocked layout before every product and clears
// C in a pass of its own, which pays for large products and not for a convolution's. The
// loops here read A and B where they lie and write C once. Which products take them
// (`applies`) was measured shape by shape; the figures are in Docs/performance.md, "Session 9":
//   - `nn`: C = op(A) · B with B not transposed, k ≤ 96, and
//       - at least one full tile, 4 rows and 16 columns (narrower products are summed a row or
//         an element at a time, a chain of dependent multiply-adds);
//       - B of at most 9 × 1024 numbers (36 KB: every block of four rows of C sweeps all of
//         B, which must stay near the 32 KB first-level cache);
//       - at most 2²¹ multiply-adds, and k ≤ 32 or C of at most 4,096 numbers (above that,
//         OpenBLAS's packing is paid back and the two were level);
//   - `nt`: C = A · Bᵀ (dot products of rows) when C has at most 256 entries and k ≥ 64;
//   - `ntSum`: C = Σ_b A_b · B_bᵀ over a batch (conv2d's kernel gradient, from
//     `BLASBackend.gemmSum`) when C has at most 256 entries and k ≥ 8.
// Everything here runs only after BLASBackend has checked that the CPU has AVX2 and FMA
// (`BLASBackend.usesAVX2`): the whole module is compiled for them, so even its
// bookkeeping may use their instructions.
//
// Rounding: each element of C is a sum of products in a fixed order that depends only on k,
// never on where the element lies in a tile or which thread computes it (`nn`: p = 0, 1, …
// with a fused multiply-add per term; `nt`: eight lanes of fused multiply-adds, their sum in
// a fixed tree, then the last k mod 8 terms, fused). So a product split across threads gives
// the same bits. OpenBLAS sums in another order. AVX2GemmTests compare these loops with sums
// in Double.
//
// Read next: nothing; back to ../Tensors/Backends/BLASBackend.swift, `gemm`.

#if arch(x86_64)
public enum AVX2Gemm {
    /// Whether C = op(A) · op(B) (alpha 1, beta 0) is done here: see the file's header.
    @inline(__always)
    public static func applies(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> Bool {
        if !transposeB {
            return k <= 96 && m >= 4 && n >= 16 && k * n <= 9 * 1024 && m * n * k <= 1 << 21
                && (k <= 32 || m * n <= 4096)
        }
        return !transposeA && m * n <= 256 && k >= 64
    }

    /// C[i, j] = Σ_p op(A)[i, p] · B[p, j] for i < m, j < n (row-major; op(A)[i, p] is
    /// a[p·lda + i] when `transposeA`, else a[i·lda + p]). Every element of C is written.
    public static func nn(transposeA: Bool, m: Int, n: Int, k: Int,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          c: UnsafeMutablePointer<Float>, ldc: Int) {
        // A's step from one row of op(A) to the next, and from one p to the next.
        let (rowStep, pStep) = transposeA ? (1, lda) : (lda, 1)
        var i = 0
        while i + 4 <= m {
            if n >= 16 {
                // 4 rows × 16 columns of C in eight registers; the last block of a row is
                // moved left to end at n, recomputing (and rewriting) a few columns.
                var j = 0
                while true {
                    tile4x16(a: a + i * rowStep, rowStep: rowStep, pStep: pStep, b: b + j, ldb: ldb, k: k,
                             c: c + i * ldc + j, ldc: ldc)
                    if j == n - 16 { break }
                    j = min(j + 16, n - 16)
                }
            } else {
                for r in i..<(i + 4) { row(a: a + r * rowStep, pStep: pStep, b: b, ldb: ldb, k: k, n: n, c: c + r * ldc) }
            }
            i += 4
        }
        for r in i..<m { row(a: a + r * rowStep, pStep: pStep, b: b, ldb: ldb, k: k, n: n, c: c + r * ldc) }
    }

    /// C[i, j] = Σ_p A[i, p] · B[j, p] (B stored transposed: row j of b is column j of op(B)).
    public static func nt(m: Int, n: Int, k: Int,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          c: UnsafeMutablePointer<Float>, ldc: Int) {
        var i = 0
        while i + 2 <= m {
            var j = 0
            while j + 4 <= n {
                dots2x4(a: a + i * lda, lda: lda, b: b + j * ldb, ldb: ldb, k: k, c: c + i * ldc + j, ldc: ldc)
                j += 4
            }
            for q in j..<n {
                for r in i..<(i + 2) { c[r * ldc + q] = dot(a + r * lda, b + q * ldb, k) }
            }
            i += 2
        }
        for r in i..<m {
            for q in 0..<n { c[r * ldc + q] = dot(a + r * lda, b + q * ldb, k) }
        }
    }

    /// Whether C = Σ_b A_b · B_bᵀ is done by `ntSum`: B stored transposed, k ≥ 8, and C of at
    /// most 256 numbers, as for `nt`. (W6's first convolution, 8 × 9 × 676 over 64 images: 2.4
    /// times as fast as OpenBLAS's products added into C. Its second, 16 × 72 × 121: 0.8–0.95
    /// times, so OpenBLAS keeps it; Docs/performance.md, "Session 10".)
    @inline(__always)
    public static func sumApplies(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, count: Int) -> Bool {
        !transposeA && transposeB && k >= 8 && m * n <= 256 && count >= 1
    }

    /// C[i, j] = Σ_b Σ_p A_b[i, p] · B_b[j, p] for `count` pairs of matrices, A_b at
    /// a + b·strideA and B_b (stored transposed, as in `nt`) at b + b·strideB; k ≥ 8. The
    /// gradient of a matrix that multiplied every matrix of a batch (conv2d's kernels) is
    /// such a sum. Each element's eight lanes carry its terms across the whole batch and are
    /// summed once, at the end; `nt` per pair and a sum over the batch afterwards would
    /// sum the lanes for every pair, and write and read the batch of products.
    ///
    /// The pairs are taken one at a time, so that A_b and B_b stay in the cache while every
    /// element of C takes its terms from them; the lanes wait in memory between pairs.
    /// A row's last k mod 8 terms are the last eight numbers of the row with the lanes
    /// already counted set to zero, in both factors (0 · ∞ would be NaN).
    /// (`nt` is not this with one pair: its lanes stay in registers, and as a batch of one
    /// this loop took 1.2–2.4 times as long per product in `Scripts/avx2-gemm-bench`.)
    public static func ntSum(m: Int, n: Int, k: Int, count: Int,
                             a: UnsafePointer<Float>, lda: Int, strideA: Int,
                             b: UnsafePointer<Float>, ldb: Int, strideB: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(k >= 8, "AVX2Gemm.ntSum needs k ≥ 8, got \(k)")
        let lanes = UnsafeMutablePointer<Lanes>.allocate(capacity: m * n)
        defer { lanes.deallocate() }
        lanes.initialize(repeating: Lanes(), count: m * n)
        // The lanes of the last, overlapping vector that hold terms not yet counted.
        let fresh = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .>= SIMD8(repeating: Int32(8 - k % 8))
        for pair in 0..<count {
            let (ab, bb) = (a + pair * strideA, b + pair * strideB)
            // Four rows of B_b against every pair of rows of A_b: A_b (all of it) and the four
            // rows stay in the first-level cache, and B_b is read from the second once.
            let (pairs, quads) = (m / 2 * 2, n / 4 * 4)
            for j in stride(from: 0, to: quads, by: 4) {
                for i in stride(from: 0, to: pairs, by: 2) {
                    sumDots2x4(a: ab + i * lda, lda: lda, b: bb + j * ldb, ldb: ldb, k: k, fresh: fresh,
                               lanes: lanes + i * n + j, n: n)
                }
            }
            for r in 0..<m {
                for q in 0..<n where r >= pairs || q >= quads {
                    sumDot(ab + r * lda, bb + q * ldb, k, fresh, &lanes[r * n + q])
                }
            }
        }
        for r in 0..<m {
            for q in 0..<n { c[r * ldc + q] = laneSum(lanes[r * n + q]) }
        }
    }

    /// `dots2x4`'s eight dot products for one pair of matrices, added into their lanes.
    @inline(__always)
    private static func sumDots2x4(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, k: Int,
                                   fresh: SIMDMask<SIMD8<Int32>>, lanes: UnsafeMutablePointer<Lanes>, n: Int) {
        let (a0, a1) = (a, a + lda)
        let (b0, b1, b2, b3) = (b, b + ldb, b + 2 * ldb, b + 3 * ldb)
        var (s00, s01, s02, s03) = (lanes[0], lanes[1], lanes[2], lanes[3])
        var (s10, s11, s12, s13) = (lanes[n], lanes[n + 1], lanes[n + 2], lanes[n + 3])
        @inline(__always) func add(_ x0: Lanes, _ x1: Lanes, _ y0: Lanes, _ y1: Lanes, _ y2: Lanes, _ y3: Lanes) {
            s00 = s00.addingProduct(x0, y0); s01 = s01.addingProduct(x0, y1)
            s02 = s02.addingProduct(x0, y2); s03 = s03.addingProduct(x0, y3)
            s10 = s10.addingProduct(x1, y0); s11 = s11.addingProduct(x1, y1)
            s12 = s12.addingProduct(x1, y2); s13 = s13.addingProduct(x1, y3)
        }
        var p = 0
        while p + 8 <= k {
            add(load(a0 + p), load(a1 + p), load(b0 + p), load(b1 + p), load(b2 + p), load(b3 + p))
            p += 8
        }
        if p < k {
            let last = k - 8
            @inline(__always) func part(_ x: UnsafePointer<Float>) -> Lanes {
                Lanes(repeating: 0).replacing(with: load(x + last), where: fresh)
            }
            add(part(a0), part(a1), part(b0), part(b1), part(b2), part(b3))
        }
        (lanes[0], lanes[1], lanes[2], lanes[3]) = (s00, s01, s02, s03)
        (lanes[n], lanes[n + 1], lanes[n + 2], lanes[n + 3]) = (s10, s11, s12, s13)
    }

    /// One dot product of one pair, added into its lanes as `sumDots2x4` adds each of its eight.
    @inline(__always)
    private static func sumDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ k: Int,
                               _ fresh: SIMDMask<SIMD8<Int32>>, _ sum: inout Lanes) {
        var p = 0
        while p + 8 <= k {
            sum = sum.addingProduct(load(x + p), load(y + p))
            p += 8
        }
        if p < k {
            let zero = Lanes(repeating: 0)
            sum = sum.addingProduct(zero.replacing(with: load(x + k - 8), where: fresh),
                                    zero.replacing(with: load(y + k - 8), where: fresh))
        }
    }

    typealias Lanes = SIMD8<Float>

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    private static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
    }

    /// Four rows of C, 16 columns: for each p, two vectors of B's row p, each times the four
    /// rows' op(A)[r, p], added in (8 fused multiply-adds per 2 loads of B).
    @inline(__always)
    private static func tile4x16(a: UnsafePointer<Float>, rowStep: Int, pStep: Int,
                                 b: UnsafePointer<Float>, ldb: Int, k: Int,
                                 c: UnsafeMutablePointer<Float>, ldc: Int) {
        var (c00, c01, c10, c11) = (Lanes(), Lanes(), Lanes(), Lanes())
        var (c20, c21, c30, c31) = (Lanes(), Lanes(), Lanes(), Lanes())
        var pa = a, pb = b
        for _ in 0..<k {
            let (b0, b1) = (load(pb), load(pb + 8))
            let a0 = Lanes(repeating: pa[0]), a1 = Lanes(repeating: pa[rowStep])
            let a2 = Lanes(repeating: pa[2 * rowStep]), a3 = Lanes(repeating: pa[3 * rowStep])
            c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1)
            c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1)
            c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1)
            c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1)
            pa += pStep
            pb += ldb
        }
        store(c00, c); store(c01, c + 8)
        store(c10, c + ldc); store(c11, c + ldc + 8)
        store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 8)
        store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 8)
    }

    /// One row of C (the rows left over below a multiple of 4, or all rows when n < 16):
    /// eight columns at a time, then one by one, each summed in the same order as a tile's.
    @inline(__always)
    private static func row(a: UnsafePointer<Float>, pStep: Int, b: UnsafePointer<Float>, ldb: Int, k: Int,
                            n: Int, c: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 8 <= n {
            var sum = Lanes()
            for p in 0..<k { sum = sum.addingProduct(Lanes(repeating: a[p * pStep]), load(b + p * ldb + j)) }
            store(sum, c + j)
            j += 8
        }
        for q in j..<n {
            var sum: Float = 0
            for p in 0..<k { sum = sum.addingProduct(a[p * pStep], b[p * ldb + q]) }
            c[q] = sum
        }
    }

    /// Two rows of A against four rows of B: eight dot products, eight lanes at a time.
    @inline(__always)
    private static func dots2x4(a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, k: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int) {
        let (a0, a1) = (a, a + lda)
        let (b0, b1, b2, b3) = (b, b + ldb, b + 2 * ldb, b + 3 * ldb)
        var (s00, s01, s02, s03) = (Lanes(), Lanes(), Lanes(), Lanes())
        var (s10, s11, s12, s13) = (Lanes(), Lanes(), Lanes(), Lanes())
        var p = 0
        while p + 8 <= k {
            let (x0, x1) = (load(a0 + p), load(a1 + p))
            let (y0, y1, y2, y3) = (load(b0 + p), load(b1 + p), load(b2 + p), load(b3 + p))
            s00 = s00.addingProduct(x0, y0); s01 = s01.addingProduct(x0, y1)
            s02 = s02.addingProduct(x0, y2); s03 = s03.addingProduct(x0, y3)
            s10 = s10.addingProduct(x1, y0); s11 = s11.addingProduct(x1, y1)
            s12 = s12.addingProduct(x1, y2); s13 = s13.addingProduct(x1, y3)
            p += 8
        }
        // The eight lane sums at once (the order `laneSum` spells out), then the last k mod 8
        // terms of each dot product.
        var (row0, row1) = (laneSums(s00, s01, s02, s03), laneSums(s10, s11, s12, s13))
        while p < k {
            let column = SIMD4(b0[p], b1[p], b2[p], b3[p])
            row0 = row0.addingProduct(SIMD4(repeating: a0[p]), column)
            row1 = row1.addingProduct(SIMD4(repeating: a1[p]), column)
            p += 1
        }
        UnsafeMutableRawPointer(c).storeBytes(of: row0, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(c + ldc).storeBytes(of: row1, as: SIMD4<Float>.self)
    }

    /// (laneSum(w), laneSum(x), laneSum(y), laneSum(z)), in vector operations: each vector's
    /// halves added, then neighbouring lanes, twice.
    @inline(__always)
    private static func laneSums(_ w: Lanes, _ x: Lanes, _ y: Lanes, _ z: Lanes) -> SIMD4<Float> {
        let (w4, x4, y4, z4) = (w.lowHalf + w.highHalf, x.lowHalf + x.highHalf, y.lowHalf + y.highHalf, z.lowHalf + z.highHalf)
        let wx = SIMD8(lowHalf: w4, highHalf: x4), yz = SIMD8(lowHalf: y4, highHalf: z4)
        let pairs = SIMD8(lowHalf: wx.evenHalf + wx.oddHalf, highHalf: yz.evenHalf + yz.oddHalf)
        return pairs.evenHalf + pairs.oddHalf
    }

    /// The sum of v's eight lanes as `laneSums` adds them: ((v₀ + v₄) + (v₁ + v₅)) + ((v₂ + v₆) + (v₃ + v₇)).
    @inline(__always)
    private static func laneSum(_ v: Lanes) -> Float {
        ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]))
    }

    /// One dot product of length k, summed as `dots2x4` sums each of its eight.
    @inline(__always)
    private static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ k: Int) -> Float {
        var sum = Lanes(), p = 0
        while p + 8 <= k {
            sum = sum.addingProduct(load(x + p), load(y + p))
            p += 8
        }
        return tail(laneSum(sum), x, y, from: p, k)
    }

    /// `sum` plus the terms x[p] · y[p] for p in start..<k, fused, in order.
    @inline(__always)
    private static func tail(_ sum: Float, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                             from start: Int, _ k: Int) -> Float {
        var sum = sum
        for p in start..<k { sum = sum.addingProduct(x[p], y[p]) }
        return sum
    }
}
#endif
