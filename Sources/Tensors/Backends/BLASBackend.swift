// BLASBackend.swift — the fast path: OpenBLAS's sgemm/dgemm for matrix products (and, on a CPU
// with AVX2, Lumen's own loops for a convolution's short products), and tight loops over
// contiguous memory for elementwise ops and reductions. Compiled only with the package trait
// `BLAS` (on by default).
//
// Every kernel here computes what the default kernel of the same name (ReferenceBackend.swift) computes, and
// says which one it matches; ParityTests run every op on both and compare. The one thing
// that differs is how sums and products round (BLAS blocks its loops, the AVX2 products fuse
// each multiply-add, and the sums here keep eight running totals), so results agree to
// rounding, not bit for bit.
//
// BLASBackend overrides only the kernels it speeds up. Inside an override, a layout with no fast loop here (a transposed or
// sliced operand that does not flatten into rows) goes to the default loop through one door,
// `fallback(_:)`, which a test can make trap: the recipes' training steps never take it.
// Where the layout does flatten but the work is a transcendental function (exp, tanh, …),
// the default's formula runs over the flattened rows (`defaults`): that is not a fallback,
// the loop is the same one this file would write.
//
// How the layouts are recognised: BLASBackend+Layouts.swift.
// Read next: Backends+Choice.swift, how the process picks a backend.

#if BLAS
import AVX2Kernels
import COpenBLAS
import Foundation

/// The backend with OpenBLAS underneath. Stateless: create it wherever you need it.
///
/// ```swift
/// Backends.$scoped.withValue(BLASBackend()) { model(x) }
/// ```
public struct BLASBackend: Backend {
    public init() {}

    /// A hook for tests: when set for a task, it is called with the kernel's name every
    /// time a kernel here hands a layout it has no fast loop for to the default loop.
    @TaskLocal public static var onFallback: (@Sendable (String) -> Void)? = nil

    /// The protocol's default loops, for a layout this backend has no fast loop for: the
    /// one place where a kernel here falls back, reported to `onFallback`.
    private func fallback(_ kernel: String) -> ReferenceBackend {
        Self.onFallback?(kernel)
        return ReferenceBackend()
    }

    /// The protocol's default loops run over a shape already flattened to rows here, for
    /// formulas (exp, tanh, …) whose time goes into the function, not the walk.
    private var defaults: ReferenceBackend { ReferenceBackend() }

    // MARK: - gemm: cblas_sgemm / cblas_dgemm

    /// Matches the default `gemm`: C ← alpha · op(A) · op(B) + beta · C, row-major.
    /// The transposes and leading dimensions go to BLAS as they are, so a transposed or
    /// row-sliced view is multiplied in place, without a copy. With beta = 0, C is cleared
    /// here and handed to BLAS with beta = 1 (`cleared`). Large products are split between
    /// Lumen's threads; OpenBLAS itself runs on one (Docs/performance.md, "Session 8").
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func gemm<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                      alpha: S, a: UnsafePointer<S>, lda: Int,
                                      b: UnsafePointer<S>, ldb: Int,
                                      beta: S, c: UnsafeMutablePointer<S>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // op(A)·op(B) is an m × n matrix of empty sums: C ← beta · C (beta = 0 clears C).
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
            }
            return
        }
        _ = Backends.threadsConfigured  // applies LUMEN_THREADS before the first product
        // Decided for the whole product, so that every thread's block takes the same loop.
        let direct = S.self == Float.self && alpha == 1 && beta == 0 && Self.usesAVX2
            && !SmallGemm.applies(m: m, n: n, k: k)
            && AVX2Gemm.applies(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
        let threads = ParallelChunks.threads
        guard threads > 1 && m * n * k >= ParallelChunks.gemmThreshold else {
            return singleThreadedGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, direct: direct)
        }
        // On several threads: C's longer side cut into one block per thread (a multiple of 16
        // rows or columns), each block a single-threaded product of its rows of op(A) or its
        // columns of op(B) (FastPath/ParallelChunks.swift says how the bits may differ).
        func perThread(_ extent: Int) -> Int { ((extent + threads - 1) / threads + 15) / 16 * 16 }
        if n >= m {
            ParallelChunks.forEach(count: n, perChunk: perThread(n)) { r in
                singleThreadedGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: r.count, k: k, alpha: alpha,
                                   a: a, lda: lda, b: transposeB ? b + r.lowerBound * ldb : b + r.lowerBound, ldb: ldb,
                                   beta: beta, c: c + r.lowerBound, ldc: ldc, direct: direct)
            }
        } else {
            ParallelChunks.forEach(count: m, perChunk: perThread(m)) { r in
                singleThreadedGemm(transposeA: transposeA, transposeB: transposeB, m: r.count, n: n, k: k, alpha: alpha,
                                   a: transposeA ? a + r.lowerBound : a + r.lowerBound * lda, lda: lda, b: b, ldb: ldb,
                                   beta: beta, c: c + r.lowerBound * ldc, ldc: ldc, direct: direct)
            }
        }
    }

    /// Matches the default `gemmSum`. A Float sum of A_i · B_iᵀ into a small C (conv2d's
    /// kernel gradient, few kernels of few taps) runs in one AVX2 loop that keeps each
    /// element's running sum across the whole batch (`AVX2Gemm.ntSum`); anything else is the
    /// default's products added into C, each through `gemm` (OpenBLAS).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func gemmSum<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, count: Int,
                                         a: UnsafePointer<S>, lda: Int, strideA: Int,
                                         b: UnsafePointer<S>, ldb: Int, strideB: Int,
                                         c: UnsafeMutablePointer<S>, ldc: Int) {
        if S.self == Float.self && Self.usesAVX2
            && AVX2Gemm.sumApplies(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, count: count) {
            AVX2Gemm.ntSum(m: m, n: n, k: k, count: count, a: reboundPointer(a), lda: lda, strideA: strideA,
                           b: reboundPointer(b), ldb: ldb, strideB: strideB, c: reboundPointer(c), ldc: ldc)
            return
        }
        gemmSumByProducts(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, count: count,
                          a: a, lda: lda, strideA: strideA, b: b, ldb: ldb, strideB: strideB, c: c, ldc: ldc)
    }

    /// One product on the calling thread (OpenBLAS runs single-threaded: `Backends.threadsConfigured`).
    /// `direct`: a Float product with alpha 1 and beta 0 that the AVX2 loops take.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    private func singleThreadedGemm<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                                     alpha: S, a: UnsafePointer<S>, lda: Int,
                                                     b: UnsafePointer<S>, ldb: Int,
                                                     beta: S, c: UnsafeMutablePointer<S>, ldc: Int, direct: Bool) {
        let opA = transposeA ? CblasTrans : CblasNoTrans, opB = transposeB ? CblasTrans : CblasNoTrans
        if direct {
            // A convolution's products: AVX2 loops beat OpenBLAS's packing (AVX2Kernels/AVX2Gemm.swift).
            if transposeB {
                AVX2Gemm.nt(m: m, n: n, k: k, a: reboundPointer(a), lda: lda, b: reboundPointer(b), ldb: ldb,
                            c: reboundPointer(c), ldc: ldc)
            } else {
                AVX2Gemm.nn(transposeA: transposeA, m: m, n: n, k: k, a: reboundPointer(a), lda: lda,
                            b: reboundPointer(b), ldb: ldb, c: reboundPointer(c), ldc: ldc)
            }
            return
        }
        if S.self == Float.self {
            if SmallGemm.applies(m: m, n: n, k: k) {
                // Attention's 8 × 8 products: a loop beats the call (FastPath/SmallGemm.swift).
                return SmallGemm.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                          alpha: unsafeBitCast(alpha, to: Float.self), a: reboundPointer(a), lda: lda,
                                          b: reboundPointer(b), ldb: ldb, beta: unsafeBitCast(beta, to: Float.self),
                                          c: reboundPointer(c), ldc: ldc)
            }
            let beta = beta == 0 ? cleared(c, m: m, n: n, ldc: ldc) : beta
            cblas_sgemm(CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k),
                        unsafeBitCast(alpha, to: Float.self), reboundPointer(a), Int32(lda),
                        reboundPointer(b), Int32(ldb),
                        unsafeBitCast(beta, to: Float.self), reboundPointer(c), Int32(ldc))
        } else if S.self == Double.self {
            let beta = beta == 0 ? cleared(c, m: m, n: n, ldc: ldc) : beta
            cblas_dgemm(CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k),
                        unsafeBitCast(alpha, to: Double.self), reboundPointer(a), Int32(lda),
                        reboundPointer(b), Int32(ldb),
                        unsafeBitCast(beta, to: Double.self), reboundPointer(c), Int32(ldc))
        } else {
            fallback("gemm").gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                    alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// Sets C's m × n entries to 0 and returns beta = 1, for a product called with beta = 0:
    /// BLAS then adds op(A)·op(B) to zeros, which gives the numbers beta = 0 gives without
    /// OpenBLAS's own clearing pass over C, a slow loop on small products.
    @inline(__always)
    private func cleared<S: TensorScalar>(_ c: UnsafeMutablePointer<S>, m: Int, n: Int, ldc: Int) -> S {
        if ldc == n {
            c.update(repeating: 0, count: m * n)
        } else {
            for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
        }
        return 1
    }

    /// Whether the CPU (and the system) can run AVX2 and FMA instructions, which AVX2Kernels is
    /// compiled for: the compiler's cpuid query (COpenBLAS/shim.h), asked once.
    static let cpuHasAVX2AndFMA: Bool = lumen_cpu_has_avx2_and_fma() != 0

    /// Whether `gemm` may use the AVX2 loops: the CPU has AVX2 and FMA, and LUMEN_AVX2 is not 0
    /// (which keeps every Float product on OpenBLAS, for comparing the two).
    static let usesAVX2: Bool = Backends.avx2Allowed && cpuHasAVX2AndFMA

    // MARK: - map

    /// The vector function for `kernel` in AVX2Math, or nil: for the kernels it has, where
    /// it may run (on x86-64, a CPU with AVX2 and FMA; elsewhere always). LUMEN_AVX2 does not
    /// switch it off: that setting chooses between two ways of doing a product.
    static func vectorMath(_ kernel: UnaryKernel) -> AVX2Math.Function? {
        #if arch(x86_64)
        guard cpuHasAVX2AndFMA else { return nil }
        #endif
        switch kernel {
        case .exp: return .exp
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .erf: return .erf
        case .geluErf: return .geluErf
        default: return nil
        }
    }

    /// Matches the default `map`. Own loops for the cheap kernels that training runs on every
    /// step (copy, negate, relu, leaky relu, abs, x², x¹), and for Float eˣ, σ, tanh, erf and
    /// GELU in SIMD vectors (AVX2Kernels/AVX2Math.swift: to a few ulps, not bit for bit); the
    /// others spend their time in log, pow, …, so they keep the default formulas, run over the
    /// flattened rows.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func map<S: TensorScalar>(_ kernel: UnaryKernel, shape: [Int],
                                     _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        guard let rows = RowLayout(shape: shape, input.strides, output.strides) else {
            if kernel == .identity, shape.count == 2, let transposed = TransposedCopy(shape: shape, input.strides, output.strides) {
                return transposed.copy(input.base, into: output.base)
            }
            return mapByRows(kernel, shape: shape, input, into: output)
        }
        if ParallelChunks.shouldSplit(rows.outer * rows.inner) {
            return splitRows(rows) { shape, a, aStrides, _, _, out in
                map(kernel, shape: shape, StridedBuffer(base: input.base + a, strides: aStrides),
                    into: StridedBuffer(base: output.base + out, strides: contiguousStrides(shape)))
            }
        }
        let x = input.base, out = output.base, n = rows.inner
        // Written out here, with `f` one closure deep, so that the compiler inlines it and
        // vectorises the inner loop.
        @inline(__always) func apply(_ f: (S) -> S) {
            if n == 0 { return }
            for i in 0..<rows.outer {
                let xRow = x + i * rows.a.row, outRow = out + i * n
                if rows.a.element == 1 {
                    for j in 0..<n { outRow[j] = f(xRow[j]) }
                } else {
                    let value = f(xRow[0])
                    for j in 0..<n { outRow[j] = value }
                }
            }
        }
        switch kernel {
        case .identity where rows.a.element == 1:
            // A copy of whole rows: memcpy.
            for i in 0..<rows.outer { (out + i * n).update(from: x + i * rows.a.row, count: n) }
        case .identity: apply { $0 }
        case .negate: apply { -$0 }
        case .relu: apply { $0 > 0 || $0.isNaN ? $0 : 0 }
        case .leakyRelu(let slope): let s = S(slope); apply { $0 > 0 ? $0 : s * $0 }
        case .abs: apply { $0.magnitude }
        // x² and x¹ (LayerNorm's variance `centered.pow(2)` and its derivative 2·x¹): x·x and x,
        // the values pow gives, without a call to pow per element.
        case .power(2): apply { $0 * $0 }
        case .power(1): apply { $0 }
        case _ where S.self == Float.self && Self.vectorMath(kernel) != nil:
            // Float eˣ, σ, tanh, erf and GELU eight at a time (AVX2Kernels/AVX2Math.swift).
            let f = Self.vectorMath(kernel)!
            for i in 0..<rows.outer {
                AVX2Math.row(f, reboundPointer(UnsafePointer(x + i * rows.a.row)), step: rows.a.element,
                             into: reboundPointer(out + i * n), count: n)
            }
        default:
            defaults.map(kernel, shape: [rows.outer, rows.inner],
                                   StridedBuffer(base: x, strides: [rows.a.row, rows.a.element]),
                                   into: StridedBuffer(base: out, strides: [rows.inner, 1]))
        }
    }

    /// The layouts `RowLayout` cannot flatten (a permuted or sliced view made contiguous, as
    /// attention's heads are), a row along the last axis at a time, the rows found by
    /// `forEachIndex`: each input row is read with its own step (1: consecutive, copied with
    /// memcpy for `.identity`; 0: one repeated value; any other: a strided read) into an
    /// output row of consecutive elements. The transcendental kernels keep the default
    /// formulas over the whole shape (their time is in the function). Only an output that is
    /// not contiguous along its last axis, which no op makes, goes to the default loop.
    private func mapByRows<S: TensorScalar>(_ kernel: UnaryKernel, shape: [Int],
                                            _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        guard let n = shape.last, output.strides.last == 1 || n == 1 else {
            return fallback("map").map(kernel, shape: shape, input, into: output)
        }
        let step = n == 1 ? 1 : input.strides[shape.count - 1]
        let outer = Array(shape.dropLast()), inputRows = Array(input.strides.dropLast())
        let outputRows = Array(output.strides.dropLast())
        let x = input.base, out = output.base
        @inline(__always) func apply(_ f: (S) -> S) {
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in
                let xRow = x + i, outRow = out + o
                switch step {
                case 1: for j in 0..<n { outRow[j] = f(xRow[j]) }
                case 0: let value = f(xRow[0]); for j in 0..<n { outRow[j] = value }
                default: for j in 0..<n { outRow[j] = f(xRow[j * step]) }
                }
            }
        }
        switch kernel {
        case .identity where step == 1:
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in (out + o).update(from: x + i, count: n) }
        case .identity: apply { $0 }
        case .negate: apply { -$0 }
        case .relu: apply { $0 > 0 || $0.isNaN ? $0 : 0 }
        case .leakyRelu(let slope): let s = S(slope); apply { $0 > 0 ? $0 : s * $0 }
        case .abs: apply { $0.magnitude }
        case _ where S.self == Float.self && Self.vectorMath(kernel) != nil:
            let f = Self.vectorMath(kernel)!
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in
                AVX2Math.row(f, reboundPointer(UnsafePointer(x + i)), step: step, into: reboundPointer(out + o), count: n)
            }
        default: defaults.map(kernel, shape: shape, input, into: output)
        }
    }

    // MARK: - zip

    /// Matches the default `zip`. Own loops for + − × ÷, maximum, equal and greater when each operand
    /// is contiguous, one repeated row (a bias), one value per row (a row max), or a scalar;
    /// or, failing that, when along the last axis each operand is contiguous or repeated
    /// (a bias [1, C, 1, 1] against [N, C, H, W], a window max [N, C, 1, L] against
    /// [N, C, K, L]): then row by row, the rows found by `forEachIndex` over the other axes.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func zip<S: TensorScalar>(_ kernel: BinaryKernel, shape: [Int],
                                     _ lhs: StridedBuffer<S>, _ rhs: StridedBuffer<S>,
                                     into output: StridedBuffer<S>) {
        let rows = RowLayout(shape: shape, lhs.strides, output.strides, rhs.strides)
        let lastAxis = rows == nil ? LastAxisRows(shape: shape, inputs: [lhs.strides, rhs.strides], output: output.strides) : nil
        guard rows != nil || lastAxis != nil else {
            return fallback("zip").zip(kernel, shape: shape, lhs, rhs, into: output)
        }
        if let rows, ParallelChunks.shouldSplit(rows.outer * rows.inner) {
            return splitRows(rows) { shape, a, aStrides, b, bStrides, out in
                zip(kernel, shape: shape, StridedBuffer(base: lhs.base + a, strides: aStrides),
                    StridedBuffer(base: rhs.base + b, strides: bStrides),
                    into: StridedBuffer(base: output.base + out, strides: contiguousStrides(shape)))
            }
        }
        // x² and x¹ with one exponent for all (LayerNorm's variance and its gradient, the
        // squared error): x·x and x, the values pow gives, without a call to pow per element.
        let exactPower = kernel == .power && rows?.b == RowLayout.Walk(row: 0, element: 0)
            && (rhs.base[0] == 2 || rhs.base[0] == 1)
        if kernel == .power && !exactPower {
            // aᵇ spends its time in pow: the default formula, over the rows when they flatten.
            guard let rows else { return fallback("zip").zip(kernel, shape: shape, lhs, rhs, into: output) }
            return defaults.zip(kernel, shape: [rows.outer, rows.inner],
                                StridedBuffer(base: lhs.base, strides: [rows.a.row, rows.a.element]),
                                StridedBuffer(base: rhs.base, strides: [rows.b.row, rows.b.element]),
                                into: StridedBuffer(base: output.base, strides: [rows.inner, 1]))
        }
        let a = lhs.base, b = rhs.base, out = output.base
        @inline(__always) func apply(_ f: (S, S) -> S) {
            if let rows {
                if rows.inner == 0 { return }
                for i in 0..<rows.outer {
                    zipRow(f, a + i * rows.a.row, rows.a.element, b + i * rows.b.row, rows.b.element,
                           into: out + i * rows.inner, count: rows.inner)
                }
            } else if let lastAxis {
                forEachIndex(lastAxis.outerShape, lastAxis.outerStrides[0], lastAxis.outerStrides[1],
                             lastAxis.outerStrides[2]) { i, j, o in
                    zipRow(f, a + i, lastAxis.steps[0], b + j, lastAxis.steps[1], into: out + o, count: lastAxis.inner)
                }
            }
        }
        switch kernel {
        case .add: apply(+)
        case .subtract: apply(-)
        case .multiply: apply(*)
        case .divide: apply(/)
        case .maximum: apply { $0 > $1 || $0.isNaN ? $0 : $1 }
        case .equal: apply { $0 == $1 ? 1 : 0 }
        case .greater: apply { $0 > $1 ? 1 : 0 }
        case .sigmoidGradient: apply { $0 * $1 * (1 - $1) }
        case .tanhGradient: apply { $0 * (1 - $1 * $1) }
        case .reluGradient: apply { $0 * ($1 > 0 ? 1 : 0) }
        case .power where rhs.base[0] == 2: apply { a, _ in a * a }
        case .power: apply { a, _ in a }  // x¹ (any other exponent was handled above)
        }
    }

    /// A map or zip over `rows` cut into fixed chunks for the threads (FastPath/ParallelChunks.swift):
    /// whole rows, or ranges of the one row, each handed to `run` as a shape with each operand's
    /// offset and strides (the output contiguous). Each element is computed as without the split.
    private func splitRows(_ rows: RowLayout,
                           _ run: (_ shape: [Int], _ a: Int, _ aStrides: [Int], _ b: Int, _ bStrides: [Int], _ out: Int) -> Void) {
        let (a, b) = (rows.a, rows.b)
        if rows.outer == 1 {
            ParallelChunks.forEach(count: rows.inner, perChunk: ParallelChunks.chunk) { r in
                run([r.count], r.lowerBound * a.element, [a.element], r.lowerBound * b.element, [b.element], r.lowerBound)
            }
        } else {
            ParallelChunks.forEach(count: rows.outer, perChunk: ParallelChunks.items(perChunkOf: rows.inner)) { r in
                run([r.count, rows.inner], r.lowerBound * a.row, [a.row, a.element], r.lowerBound * b.row, [b.row, b.element],
                    r.lowerBound * rows.inner)
            }
        }
    }

    /// One row of a zip: out[j] = f(a[j · aStep], b[j · bStep]) for j < count, each step 0 or 1.
    /// Four loops, so that an operand repeated along the row is read once, and each loop
    /// touches consecutive addresses only (which the compiler vectorises).
    @inline(__always)
    private func zipRow<S: TensorScalar>(_ f: (S, S) -> S, _ a: UnsafeMutablePointer<S>, _ aStep: Int,
                                         _ b: UnsafeMutablePointer<S>, _ bStep: Int,
                                         into out: UnsafeMutablePointer<S>, count n: Int) {
        switch (aStep, bStep) {
        case (1, 1): for j in 0..<n { out[j] = f(a[j], b[j]) }
        case (1, _): let v = b[0]; for j in 0..<n { out[j] = f(a[j], v) }
        case (_, 1): let v = a[0]; for j in 0..<n { out[j] = f(v, b[j]) }
        default: let v = f(a[0], b[0]); for j in 0..<n { out[j] = v }
        }
    }

    // MARK: - reduce

    /// Matches the default `reduce` for a contiguous input whose reduced axes are next
    /// to each other: the input is then `outer × reduced × inner` blocks, and
    ///     out[o, i] = fold over r of x[o, r, i].
    /// With inner = 1 (reducing the last axes) each output is one run of consecutive
    /// numbers, summed with eight running totals; otherwise whole rows are folded into the
    /// output row at once. Anything else goes to `reduceByRows`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func reduce<S: TensorScalar>(_ kernel: ReduceKernel, shape: [Int],
                                        _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        guard let blocks = ReductionBlocks(shape: shape, input: input.strides, output: output.strides) else {
            return reduceByRows(kernel, shape: shape, input, into: output)
        }
        let x = input.base, out = output.base
        let (outer, reduced, inner) = (blocks.outer, blocks.reduced, blocks.inner)
        /// Block o's outputs in `columns` (all of them unless the threads split the columns).
        @inline(__always) func fold(_ o: Int, _ columns: Range<Int>) {
            let block = x + o * reduced * inner, outRow = out + o * inner
            switch (kernel, inner) {
            case (.sum, 1):
                outRow[0] += sumOfRun(block, count: reduced)
            case (.max, 1):
                // Each output is the max of one run of consecutive numbers (a row max, as in
                // logSoftmax): folded in order, as the reference does.
                var m = outRow[0]
                for r in 0..<reduced where block[r] > m || block[r].isNaN { m = block[r] }
                outRow[0] = m
            case (.sum, _):
                let first = columns.lowerBound
                for r in 0..<reduced { addRow(block + r * inner + first, into: outRow + first, count: columns.count) }
            case (.max, _):
                let first = columns.lowerBound
                for r in 0..<reduced { maxRow(block + r * inner + first, into: outRow + first, count: columns.count) }
            }
        }
        // Threads split between outputs only (ParallelChunks.swift), so each output is folded
        // in the same order whatever the thread count.
        if ParallelChunks.shouldSplit(outer * reduced * inner) && (outer > 1 || inner > 1) {
            if outer > 1 {
                ParallelChunks.forEach(count: outer, perChunk: ParallelChunks.items(perChunkOf: reduced * inner)) { r in
                    for o in r { fold(o, 0..<inner) }
                }
            } else {
                ParallelChunks.forEach(count: inner, perChunk: max(8, ParallelChunks.items(perChunkOf: reduced))) { columns in
                    fold(0, columns)
                }
            }
            return
        }
        for o in 0..<outer { fold(o, 0..<inner) }
    }

    /// The reductions `ReductionBlocks` cannot flatten (the reduced axes are not next to each
    /// other, as for a conv bias's gradient: [N, C, H, W] summed to [1, C, 1, 1]; or the input
    /// is a view), done a row along the last axis at a time, the rows found by `forEachIndex`:
    /// a kept last axis folds whole rows into output rows, a reduced one folds each row into
    /// one number. Other layouts go to the reference loop.
    private func reduceByRows<S: TensorScalar>(_ kernel: ReduceKernel, shape: [Int],
                                               _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        let x = input.base, out = output.base
        guard input.strides.last == 1, output.strides.last == 0 || output.strides.last == 1 else {
            return fallback("reduce").reduce(kernel, shape: shape, input, into: output)
        }
        // Longer rows where the layouts allow (a conv bias's gradient: rows of H·W, not W).
        let (shape, strides) = mergingTrailingAxes(shape, [input.strides, output.strides])
        let n = shape[shape.count - 1]
        let outer = Array(shape.dropLast()), inputRows = Array(strides[0].dropLast())
        let outputRows = Array(strides[1].dropLast())
        switch (kernel, strides[1][shape.count - 1]) {
        case (.sum, 1):
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in addRow(x + i, into: out + o, count: n) }
        case (.max, 1):
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in maxRow(x + i, into: out + o, count: n) }
        case (.sum, 0):
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in out[o] += sumOfRun(x + i, count: n) }
        case (.max, 0):
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in
                var m = out[o]
                for j in 0..<n where x[i + j] > m || x[i + j].isNaN { m = x[i + j] }
                out[o] = m
            }
        default:
            fallback("reduce").reduce(kernel, shape: shape, input, into: output)
        }
    }

    /// out[j] += row[j] for j < count.
    @inline(__always)
    private func addRow<S: TensorScalar>(_ row: UnsafeMutablePointer<S>, into out: UnsafeMutablePointer<S>, count: Int) {
        for j in 0..<count { out[j] += row[j] }
    }

    /// out[j] = max(out[j], row[j]) for j < count, as the reference: a NaN, once in, stays
    /// (x > NaN is false). Written as a select, not an `if`, so that it vectorises.
    @inline(__always)
    private func maxRow<S: TensorScalar>(_ row: UnsafeMutablePointer<S>, into out: UnsafeMutablePointer<S>, count: Int) {
        for j in 0..<count {
            let value = row[j], current = out[j]
            out[j] = value > current || value.isNaN ? value : current
        }
    }

    /// x[0] + x[1] + … + x[count − 1], with eight running totals so that the additions do
    /// not wait for each other (and can share one vector register).
    @inline(__always)
    private func sumOfRun<S: TensorScalar>(_ x: UnsafeMutablePointer<S>, count: Int) -> S {
        var t0: S = 0, t1: S = 0, t2: S = 0, t3: S = 0, t4: S = 0, t5: S = 0, t6: S = 0, t7: S = 0
        var i = 0
        while i + 8 <= count {
            t0 += x[i]; t1 += x[i + 1]; t2 += x[i + 2]; t3 += x[i + 3]
            t4 += x[i + 4]; t5 += x[i + 5]; t6 += x[i + 6]; t7 += x[i + 7]
            i += 8
        }
        var total = ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7))
        while i < count {
            total += x[i]
            i += 1
        }
        return total
    }

    // MARK: - axpby

    /// Matches the default `axpby` (bit for bit: the same two products and one sum per
    /// element). For a contiguous x and y (every parameter and gradient) one flat loop that
    /// the compiler vectorises; for views whose last axis is contiguous (backward adding a
    /// slice's gradient into a block of columns, or a broadcast gradient into a sum) the same
    /// loop per row; anything else goes
    /// to the reference loop. Not OpenBLAS's
    /// `saxpby`: its Haswell kernel may fuse the multiply and add, which rounds differently
    /// from the composed ops that the optimizers' results are checked against.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func axpby<S: TensorScalar>(shape: [Int], alpha: S, _ x: StridedBuffer<S>,
                                       beta: S, into y: StridedBuffer<S>) {
        guard isRowMajor(shape, x.strides, 0..<shape.count, unit: 1),
              isRowMajor(shape, y.strides, 0..<shape.count, unit: 1) else {
            guard let rows = LastAxisRows(shape: shape, inputs: [x.strides], output: y.strides) else {
                return fallback("axpby").axpby(shape: shape, alpha: alpha, x, beta: beta, into: y)
            }
            forEachIndex(rows.outerShape, rows.outerStrides[0], rows.outerStrides[1], rows.outerStrides[1]) { i, o, _ in
                let a = x.base + i, out = y.base + o
                if rows.steps[0] == 1 {
                    for j in 0..<rows.inner { out[j] = beta * out[j] + alpha * a[j] }
                } else {
                    let v = a[0]  // x repeated along the row (a broadcast gradient)
                    for j in 0..<rows.inner { out[j] = beta * out[j] + alpha * v }
                }
            }
            return
        }
        let a = x.base, out = y.base, count = elementCount(shape)
        if ParallelChunks.shouldSplit(count) {
            return ParallelChunks.forEach(count: count, perChunk: ParallelChunks.chunk) { r in
                for i in r { out[i] = beta * out[i] + alpha * a[i] }
            }
        }
        for i in 0..<count { out[i] = beta * out[i] + alpha * a[i] }
    }

    // MARK: - Optimizer steps

    /// Matches the default `update` bit for bit wherever no number is subnormal (below): the
    /// same operations on each element, in the same order. The default loop tests its options
    /// (weight decay, momentum, …) on every element, with stores under those tests, and the
    /// compiler leaves it scalar. Here each
    /// option is decided once, outside the loop (`loop` is inlined with constant flags, so the
    /// tests fold away), and what is left is straight-line code over contiguous buffers. The
    /// compiler vectorizes SGD's multiply-adds; Adam's and RMSprop's square root and division
    /// it leaves scalar (`sqrtss`, `divss`), so for Float those run in explicit SIMD vectors
    /// (FastPath/SIMDUpdate.swift), with the same rounding.
    ///
    /// One difference, below the normal range only: the step runs with subnormals flushed to
    /// zero (FastPath/SubnormalFlush.swift), because on Intel cores the running averages that
    /// decay through that range made Adam's step eleven times slower.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func update<S: TensorScalar>(_ rule: ParameterUpdate, count: Int, parameter theta: UnsafeMutablePointer<S>,
                                        gradient: UnsafePointer<S>, state: UpdateState<S>) {
        if ParallelChunks.shouldSplit(count) {
            // Every element is updated on its own: fixed chunks on the threads, the same bits.
            return ParallelChunks.forEach(count: count, perChunk: ParallelChunks.chunk) { r in
                let o = r.lowerBound
                update(rule, count: r.count, parameter: theta + o, gradient: gradient + o,
                       state: UpdateState(state.first.map { $0 + o }, state.second.map { $0 + o }, state.third.map { $0 + o }))
            }
        }
        SubnormalFlush.during { updateInPlace(rule, count: count, parameter: theta, gradient: gradient, state: state) }
    }

    /// `update` on one thread, for one chunk, with the flags already set.
    @inline(__always)
    private func updateInPlace<S: TensorScalar>(_ rule: ParameterUpdate, count: Int, parameter theta: UnsafeMutablePointer<S>,
                                                gradient: UnsafePointer<S>, state: UpdateState<S>) {
        switch rule {
        case let .sgd(learningRate, momentum, dampening, nesterov, weightDecay, firstStep):
            let (lr, mu, keep, decay) = (S(-learningRate), S(momentum), S(1 - dampening), S(weightDecay))
            @inline(__always) func loop(_ decays: Bool, _ b: UnsafeMutablePointer<S>?, _ first: Bool, _ nesterov: Bool) {
                for i in 0..<count {
                    var g = gradient[i]
                    if decays { g = g + theta[i] * decay }
                    if let b {
                        let buffer = first ? g : mu * b[i] + keep * g
                        b[i] = buffer
                        g = nesterov ? g + buffer * mu : buffer
                    }
                    theta[i] = 1 * theta[i] + lr * g
                }
            }
            let b = momentum != 0 ? state.first : nil
            switch (weightDecay != 0, b, firstStep, nesterov) {
            case (false, nil, _, _): loop(false, nil, false, false)
            case (true, nil, _, _): loop(true, nil, false, false)
            case (false, let b?, false, false): loop(false, b, false, false)
            case (true, let b?, false, false): loop(true, b, false, false)
            case (let decays, let b?, let first, let nesterov): loop(decays, b, first, nesterov)  // first steps, Nesterov
            }
        case let .adam(learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, step):
            let m = state.first!, v = state.second!
            let c1 = 1 - Foundation.pow(beta1, Double(step)), c2 = 1 - Foundation.pow(beta2, Double(step))
            let (b1, b2, keep1, keep2) = (S(beta1), S(beta2), S(1 - beta1), S(1 - beta2))
            let (shrink, decay, eps) = (S(1 - learningRate * decoupledWeightDecay), S(weightDecay), S(epsilon))
            let (stepSize, rootC2) = (S(-learningRate / c1), S(1 / c2.squareRoot()))
            @inline(__always) func loop(_ decoupled: Bool, _ decays: Bool) {
                for i in 0..<count {
                    let t = decoupled ? theta[i] * shrink : theta[i]
                    let g = decays ? gradient[i] + t * decay : gradient[i]
                    let mi = m[i] * b1 + g * keep1, vi = v[i] * b2 + g * g * keep2
                    m[i] = mi
                    v[i] = vi
                    theta[i] = t + mi * stepSize / (vi.squareRoot() * rootC2 + eps)
                }
            }
            if S.self == Float.self {
                // Float: eight elements at a time (FastPath/SIMDUpdate.swift), the same rounding.
                @inline(__always) func lanes(_ decoupled: Bool, _ decays: Bool) {
                    SIMDUpdate.adam(count: count, theta: reboundPointer(theta), gradient: reboundPointer(gradient),
                                    m: reboundPointer(m), v: reboundPointer(v), b1: Float(beta1), b2: Float(beta2),
                                    keep1: Float(1 - beta1), keep2: Float(1 - beta2),
                                    shrink: Float(1 - learningRate * decoupledWeightDecay), decay: Float(weightDecay),
                                    stepSize: Float(-learningRate / c1), rootC2: Float(1 / c2.squareRoot()),
                                    eps: Float(epsilon), decoupled: decoupled, decays: decays)
                }
                switch (decoupledWeightDecay != 0, weightDecay != 0) {
                case (false, false): lanes(false, false)
                case (true, false): lanes(true, false)
                case (false, true): lanes(false, true)
                case (true, true): lanes(true, true)
                }
                return
            }
            switch (decoupledWeightDecay != 0, weightDecay != 0) {
            case (false, false): loop(false, false)
            case (true, false): loop(true, false)
            case (false, true): loop(false, true)
            case (true, true): loop(true, true)
            }
        case let .rmsprop(learningRate, alpha, epsilon, weightDecay, momentum, centered):
            let v = state.first!
            let (a, keep, decay, eps) = (S(alpha), S(1 - alpha), S(weightDecay), S(epsilon))
            let (lr, mu) = (S(-learningRate), S(momentum))
            // Unused buffers point at v, and their loops never touch them (the flags fold).
            let gBar = (centered ? state.second : nil) ?? v, b = (momentum > 0 ? state.third : nil) ?? v
            @inline(__always) func loop(_ decays: Bool, _ centered: Bool, _ withMomentum: Bool) {
                for i in 0..<count {
                    let g = decays ? gradient[i] + theta[i] * decay : gradient[i]
                    let vi = v[i] * a + g * g * keep
                    v[i] = vi
                    var vTilde = vi
                    if centered {
                        let mean = gBar[i] * a + g * keep
                        gBar[i] = mean
                        vTilde = vi - mean * mean
                    }
                    let scaled = g / (vTilde.squareRoot() + eps)
                    if withMomentum {
                        let buffer = b[i] * mu + scaled
                        b[i] = buffer
                        theta[i] = theta[i] + buffer * lr
                    } else {
                        theta[i] = theta[i] + scaled * lr
                    }
                }
            }
            let isCentered = centered && state.second != nil, hasMomentum = momentum > 0 && state.third != nil
            if S.self == Float.self && !isCentered && !hasMomentum {
                // Float, the common form: eight elements at a time (FastPath/SIMDUpdate.swift).
                let (decays, vFloat): (Bool, UnsafeMutablePointer<Float>) = (weightDecay != 0, reboundPointer(v))
                @inline(__always) func lanes(_ decays: Bool) {
                    SIMDUpdate.rmsprop(count: count, theta: reboundPointer(theta), gradient: reboundPointer(gradient),
                                       v: vFloat, a: Float(alpha), keep: Float(1 - alpha), decay: Float(weightDecay),
                                       lr: Float(-learningRate), eps: Float(epsilon), decays: decays)
                }
                if decays { lanes(true) } else { lanes(false) }
                return
            }
            switch (weightDecay != 0, isCentered, hasMomentum) {
            case (false, false, false): loop(false, false, false)
            case (true, false, false): loop(true, false, false)
            case (let decays, let isCentered, let hasMomentum): loop(decays, isCentered, hasMomentum)
            }
        }
    }

    // MARK: - Copies by index

    /// Matches the default `gather`: the same blocks, each copied with memcpy
    /// (`update(from:count:)`) instead of an element loop, which glibc's copy does faster
    /// for the memory-bound gathers of a batch of rows (Docs/performance.md).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func gather<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                        from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>) {
        for o in 0..<outer {
            for (i, index) in indices.enumerated() {
                (output + (o * indices.count + i) * inner).update(from: input + (o * extent + index) * inner, count: inner)
            }
        }
    }
}

extension BLASBackend {
    // MARK: - unfold / fold (im2col / col2im)

    /// Matches the default `unfold`, the same values in the same places. The reference
    /// asks "inside the image?" for every element; here each row of one window tap is split
    /// once into [padding | image | padding] (`insideColumns`), so the middle part is a
    /// plain copy, which for stride 1 over a contiguous image row runs as a vector copy.
    /// Without padding (conv2d's and pooling's usual case) the split is skipped and each row
    /// is one copy.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func unfold<S: TensorScalar>(_ g: WindowGeometry, _ input: StridedBuffer<S>, padValue: S,
                                        into output: UnsafeMutablePointer<S>) {
        let (strideN, strideC, strideH, strideW) = (input.strides[0], input.strides[1], input.strides[2], input.strides[3])
        // `step`: how far one window position to the right moves in the input.
        let (ow, step) = (g.outWidth, g.strideWidth * strideW)
        // Without padding, a stride-1 row of up to 128 bytes is copied as whole vectors
        // (ShortRows.swift), where the rounded-up copy stays inside both buffers.
        let unpadded = g.padHeight == 0 && g.padWidth == 0
        let short = step == 1 && unpadded && input.strides.allSatisfy { $0 >= 0 }
            ? ShortRowCopy(rowBytes: ow * MemoryLayout<S>.stride) : nil
        let inputEnd = UnsafeRawPointer(input.base + (g.batch - 1) * strideN + (g.channels - 1) * strideC
                                        + (g.height - 1) * strideH + g.width * strideW)
        let outputEnd = UnsafeRawPointer(output + g.batch * g.windowSize * g.positions)
        var out = output
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let image = input.base + n * strideN + c * strideC
                for i in 0..<g.kernelHeight {
                    for j in 0..<g.kernelWidth {
                        let inside = g.insideColumns(tap: j)
                        if g.padHeight == 0 && g.padWidth == 0 {
                            // No padding (the common case): every window lies inside the
                            // image, and each output row is one plain copy.
                            var source = image + i * strideH + j * strideW
                            let rowStep = g.strideHeight * strideH
                            for _ in 0..<g.outHeight {
                                if let short, UnsafeRawPointer(source) + short.bytes <= inputEnd,
                                   UnsafeRawPointer(out) + short.bytes <= outputEnd {
                                    short.copy(UnsafeRawPointer(source), to: UnsafeMutableRawPointer(out))
                                } else if step == 1 {
                                    out.update(from: source, count: ow)  // (memcpy)
                                } else {
                                    for x in 0..<ow { out[x] = source[x &* step] }
                                }
                                source += rowStep
                                out += ow
                            }
                            continue
                        }
                        for y in 0..<g.outHeight {
                            let h = y * g.strideHeight + i - g.padHeight
                            if h < 0 || h >= g.height {
                                out.update(repeating: padValue, count: ow)
                            } else {
                                let row = image + h * strideH + (j - g.padWidth) * strideW
                                for x in 0..<inside.lowerBound { out[x] = padValue }
                                if step == 1 {
                                    (out + inside.lowerBound).update(from: row + inside.lowerBound, count: inside.count)
                                } else {
                                    // A strided gather (average-pooling's stride 2): a moving pointer,
                                    // no multiplication (or overflow check) per element.
                                    var source = row + inside.lowerBound &* step
                                    for x in inside {
                                        out[x] = source.pointee
                                        source += step
                                    }
                                }
                                for x in inside.upperBound..<ow { out[x] = padValue }
                            }
                            out += ow
                        }
                    }
                }
            }
        }
    }

    /// Matches the default `fold`: the same additions in the same order, with each row
    /// split into [padding | image | padding] as in `unfold` above (or, without padding,
    /// each row added whole).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func fold<S: TensorScalar>(_ g: WindowGeometry, _ columns: UnsafePointer<S>,
                                      into image: StridedBuffer<S>) {
        let (strideN, strideC, strideH, strideW) = (image.strides[0], image.strides[1], image.strides[2], image.strides[3])
        let (ow, step) = (g.outWidth, g.strideWidth * strideW)
        var column = columns
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let plane = image.base + n * strideN + c * strideC
                for i in 0..<g.kernelHeight {
                    for j in 0..<g.kernelWidth {
                        if g.padHeight == 0 && g.padWidth == 0 {
                            // No padding: each column row adds into one image row, all of it.
                            var target = plane + i * strideH + j * strideW
                            let rowStep = g.strideHeight * strideH
                            for _ in 0..<g.outHeight {
                                if step == 1 {
                                    for x in 0..<ow { target[x] += column[x] }
                                } else {
                                    for x in 0..<ow { target[x &* step] += column[x] }
                                }
                                target += rowStep
                                column += ow
                            }
                            continue
                        }
                        let inside = g.insideColumns(tap: j)
                        for y in 0..<g.outHeight {
                            let h = y * g.strideHeight + i - g.padHeight
                            if h >= 0 && h < g.height {
                                let row = plane + h * strideH + (j - g.padWidth) * strideW
                                if step == 1 {
                                    for x in inside { row[x] += column[x] }
                                } else {
                                    var target = row + inside.lowerBound &* step
                                    for x in inside {
                                        target.pointee += column[x]
                                        target += step
                                    }
                                }
                            }
                            column += ow
                        }
                    }
                }
            }
        }
    }
}

/// `pointer` as a pointer to `T`, for handing a generic buffer to a C function once the
/// caller has checked that its element type is `T`.
@inline(__always)
private func reboundPointer<S, T>(_ pointer: UnsafePointer<S>) -> UnsafePointer<T> {
    UnsafeRawPointer(pointer).assumingMemoryBound(to: T.self)
}

@inline(__always)
private func reboundPointer<S, T>(_ pointer: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<T> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: T.self)
}
#endif
