// BLASBackend.swift — the fast path: OpenBLAS's sgemm/dgemm for matrix products, and tight
// loops over contiguous memory for elementwise ops and reductions. Compiled only with the
// package trait `BLAS` (on by default).
//
// Every kernel here computes what the ReferenceBackend kernel of the same name computes, and
// says which one it matches; ParityTests run every op on both and compare. The one thing
// that differs is the order of additions in sums and products (BLAS blocks its loops, and
// the sums here keep eight running totals), so results agree to rounding, not bit for bit.
//
// Where a case has no fast loop (a transposed or sliced operand that does not flatten, the
// transcendental functions), the call goes to the reference kernel, for map after flattening
// the shape to two axes where that is possible.
//
// Read next: Backends+Choice.swift, how the process picks a backend.

#if BLAS
import COpenBLAS

/// The backend with OpenBLAS underneath. Stateless: create it wherever you need it.
///
/// ```swift
/// Backends.$scoped.withValue(BLASBackend()) { model(x) }
/// ```
public struct BLASBackend: Backend {
    public init() {}

    // MARK: - gemm: cblas_sgemm / cblas_dgemm

    /// Matches `ReferenceBackend.gemm`: C ← alpha · op(A) · op(B) + beta · C, row-major.
    /// The transposes and leading dimensions go to BLAS as they are, so a transposed or
    /// row-sliced view is multiplied in place, without a copy.
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
        let opA = transposeA ? CblasTrans : CblasNoTrans, opB = transposeB ? CblasTrans : CblasNoTrans
        if S.self == Float.self {
            cblas_sgemm(CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k),
                        unsafeBitCast(alpha, to: Float.self), reboundPointer(a), Int32(lda),
                        reboundPointer(b), Int32(ldb),
                        unsafeBitCast(beta, to: Float.self), reboundPointer(c), Int32(ldc))
        } else if S.self == Double.self {
            cblas_dgemm(CblasRowMajor, opA, opB, Int32(m), Int32(n), Int32(k),
                        unsafeBitCast(alpha, to: Double.self), reboundPointer(a), Int32(lda),
                        reboundPointer(b), Int32(ldb),
                        unsafeBitCast(beta, to: Double.self), reboundPointer(c), Int32(ldc))
        } else {
            ReferenceBackend().gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                    alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    // MARK: - map

    /// Matches `ReferenceBackend.map`. Own loops for the cheap kernels that training runs
    /// on every step (copy, negate, relu and its derivative, leaky relu, abs); the others
    /// spend their time in exp/log/tanh, so they keep the reference formulas on the
    /// flattened shape.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func map<S: TensorScalar>(_ kernel: UnaryKernel, shape: [Int],
                                     _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        guard let rows = RowLayout(shape: shape, input.strides, output.strides) else {
            if kernel == .identity, shape.count == 2, let transposed = TransposedCopy(shape: shape, input.strides, output.strides) {
                return transposed.copy(input.base, into: output.base)
            }
            return ReferenceBackend().map(kernel, shape: shape, input, into: output)
        }
        let x = input.base, out = output.base, n = rows.inner
        // Written out rather than through `forEachRow`: with `f` one closure deep, the
        // compiler inlines it and vectorises the inner loop (measured: 4× fewer instructions).
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
        case .relu: apply { $0 > 0 ? $0 : 0 }
        // relu's derivative (atZero 0) as one comparison: with the nested test for exactly 0
        // the loop was not vectorised (callgrind: 1.5 instructions per element).
        case .step(let atZero) where atZero == 0: apply { $0 > 0 ? 1 : 0 }
        case .step(let atZero): let s = S(atZero); apply { $0 > 0 ? 1 : ($0 == 0 ? s : 0) }
        case .leakyRelu(let slope): let s = S(slope); apply { $0 > 0 ? $0 : s * $0 }
        case .leakyReluDerivative(let slope): let s = S(slope); apply { $0 > 0 ? 1 : s }
        case .abs: apply { $0.magnitude }
        default:
            ReferenceBackend().map(kernel, shape: [rows.outer, rows.inner],
                                   StridedBuffer(base: x, strides: [rows.a.row, rows.a.element]),
                                   into: StridedBuffer(base: out, strides: [rows.inner, 1]))
        }
    }

    // MARK: - zip

    /// Matches `ReferenceBackend.zip`. Own loops for + − × ÷, maximum and equal when each operand
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
        guard rows != nil || lastAxis != nil, kernel != .power else {
            return ReferenceBackend().zip(kernel, shape: shape, lhs, rhs, into: output)
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
        case .power: break  // sent to the reference loop above (its time goes into pow)
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

    /// Matches `ReferenceBackend.reduce` for a contiguous input whose reduced axes are next
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
        for o in 0..<outer {
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
                for r in 0..<reduced { addRow(block + r * inner, into: outRow, count: inner) }
            case (.max, _):
                for r in 0..<reduced { maxRow(block + r * inner, into: outRow, count: inner) }
            }
        }
    }

    /// The reductions `ReductionBlocks` cannot flatten (the reduced axes are not next to each
    /// other, as for a conv bias's gradient: [N, C, H, W] summed to [1, C, 1, 1]; or the input
    /// is a view), done a row along the last axis at a time, the rows found by `forEachIndex`:
    /// a kept last axis folds whole rows into output rows, a reduced one folds each row into
    /// one number. Other layouts go to the reference loop.
    private func reduceByRows<S: TensorScalar>(_ kernel: ReduceKernel, shape: [Int],
                                               _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        let x = input.base, out = output.base
        guard let n = shape.last, n >= 8, input.strides.last == 1 else {
            return ReferenceBackend().reduce(kernel, shape: shape, input, into: output)
        }
        let outer = Array(shape.dropLast()), inputRows = Array(input.strides.dropLast())
        let outputRows = Array(output.strides.dropLast())
        switch (kernel, output.strides.last ?? -1) {
        case (.sum, 1):
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in addRow(x + i, into: out + o, count: n) }
        case (.max, 1):
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in maxRow(x + i, into: out + o, count: n) }
        case (.sum, 0):
            forEachIndex(outer, inputRows, outputRows, outputRows) { i, o, _ in out[o] += sumOfRun(x + i, count: n) }
        default:
            ReferenceBackend().reduce(kernel, shape: shape, input, into: output)
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

    /// Matches `ReferenceBackend.axpby` (bit for bit: the same two products and one sum per
    /// element). For a contiguous x and y (every parameter and gradient) one flat loop that
    /// the compiler vectorises; anything else goes to the reference loop. Not OpenBLAS's
    /// `saxpby`: its Haswell kernel may fuse the multiply and add, which rounds differently
    /// from the composed ops that the optimizers' results are checked against.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func axpby<S: TensorScalar>(shape: [Int], alpha: S, _ x: StridedBuffer<S>,
                                       beta: S, into y: StridedBuffer<S>) {
        guard isRowMajor(shape, x.strides, 0..<shape.count, unit: 1),
              isRowMajor(shape, y.strides, 0..<shape.count, unit: 1) else {
            return ReferenceBackend().axpby(shape: shape, alpha: alpha, x, beta: beta, into: y)
        }
        let a = x.base, out = y.base
        for i in 0..<elementCount(shape) { out[i] = beta * out[i] + alpha * a[i] }
    }

    // MARK: - Copies by index

    /// Matches `ReferenceBackend.gather`: the same blocks, each copied with memcpy
    /// (`update(from:count:)`) instead of an element loop. W4 gathers 128 random rows of
    /// 3 KB from 188 MB per step, which is memory-bound; glibc's copy moved them faster than
    /// the compiled loop (timed inside W4: 39.5 ms → 29–30 ms per epoch).
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

    /// Matches `ReferenceBackend.scatterAdd`, which it calls: a sum per element, which the
    /// reference's loop over contiguous blocks already vectorises.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func scatterAdd<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                            from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>) {
        ReferenceBackend().scatterAdd(indices, outer: outer, extent: extent, inner: inner, from: input, into: output)
    }
}

extension BLASBackend {
    // MARK: - unfold / fold (im2col / col2im)

    /// Matches `ReferenceBackend.unfold`, the same values in the same places. The reference
    /// asks "inside the image?" for every element; here each row of one window tap is split
    /// once into [padding | image | padding] (`insideColumns`), so the middle part is a
    /// plain copy, which for stride 1 over a contiguous image row runs as a vector copy.
    /// Without padding (conv2d's and pooling's usual case) the split is skipped and each row
    /// is one copy: that per-row work was a fifth of W6's forward pass.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func unfold<S: TensorScalar>(_ g: WindowGeometry, _ input: StridedBuffer<S>, padValue: S,
                                        into output: UnsafeMutablePointer<S>) {
        let (strideN, strideC, strideH, strideW) = (input.strides[0], input.strides[1], input.strides[2], input.strides[3])
        // `step`: how far one window position to the right moves in the input.
        let (ow, step) = (g.outWidth, g.strideWidth * strideW)
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
                                if step == 1 {
                                    for x in 0..<ow { out[x] = source[x] }
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
                                    for x in inside { out[x] = row[x] }
                                } else {
                                    // A strided gather (pooling's stride 2): a moving pointer,
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

    /// Matches `ReferenceBackend.fold`: the same additions in the same order, with each row
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

extension WindowGeometry {
    /// The window positions x whose tap j lands inside the image, not in the padding:
    /// 0 ≤ x·sw + j − pw < W, i.e. ⌈(pw − j)/sw⌉ ≤ x ≤ ⌊(W − 1 + pw − j)/sw⌋, within 0..<OW.
    @inline(__always)
    func insideColumns(tap j: Int) -> Range<Int> {
        // At most OW: a tap whose every window lies in the left padding has no inside columns.
        let first = min(outWidth, max(0, (padWidth - j + strideWidth - 1) / strideWidth))
        let last = (width - 1 + padWidth - j)
        let end = last < 0 ? 0 : min(outWidth, last / strideWidth + 1)
        return first..<max(first, end)
    }
}

/// Making a transposed matrix contiguous (the gradient of a weight used as Wᵀ arrives as a
/// transposed view): matches `ReferenceBackend.map(.identity)` on a [rows, columns] view
/// whose columns are contiguous (strides [1, ld]). Copied in 32 × 32 tiles, so that both
/// the reads and the writes stay within a few cache lines at a time.
struct TransposedCopy {
    let rows: Int, columns: Int, ld: Int

    init?(shape: [Int], _ input: [Int], _ output: [Int]) {
        guard input[0] == 1, input[1] >= shape[0], output == [shape[1], 1] else { return nil }
        (rows, columns, ld) = (shape[0], shape[1], input[1])
    }

    func copy<S>(_ x: UnsafeMutablePointer<S>, into out: UnsafeMutablePointer<S>) {
        let tile = 32
        for i0 in stride(from: 0, to: rows, by: tile) {
            for j0 in stride(from: 0, to: columns, by: tile) {
                for j in j0..<min(j0 + tile, columns) {
                    for i in i0..<min(i0 + tile, rows) { out[i * columns + j] = x[j * ld + i] }
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

// MARK: - Flattening shapes (used by the fast loops; plain Swift, no BLAS)

/// A loop over `shape` seen as `outer` rows of `inner` consecutive output elements. Found
/// by splitting the axes in two: each operand must be, over the leading axes and over the
/// trailing ones separately, either laid out row-major without gaps or not moving at all
/// (stride 0, a broadcast). That covers an operand that is
///     contiguous            row step = inner, element step = 1
///     one repeated row      row step = 0,     element step = 1   (a bias [n] against [m, n])
///     one value per row     row step = 1,     element step = 0   (a row max [m, 1])
///     a single value        row step = 0,     element step = 0
/// The output must be contiguous. `nil` when no split works (a transposed view, a slice
/// with gaps): the reference loop takes those.
struct RowLayout {
    /// How one operand moves: `row` elements per row, `element` (0 or 1) per element.
    struct Walk: Equatable {
        var row: Int
        var element: Int
    }

    var outer: Int
    var inner: Int
    var a: Walk
    var b: Walk

    /// `a` and `output` (and `b` for two-input kernels) walking `shape`.
    ///
    /// The arrays are `borrowing`: an initializer otherwise takes its arguments owned, so
    /// every kernel call retained and released four arrays here (perf, W3: 4% of the time
    /// went to retain and release in this initializer and its callers).
    init?(shape: borrowing [Int], _ a: borrowing [Int], _ output: borrowing [Int], _ b: borrowing [Int]? = nil) {
        let rank = shape.count
        for split in 0...rank {
            var inner = 1
            for axis in split..<rank { inner *= shape[axis] }
            guard let outWalk = Self.walk(shape, output, split: split, inner: inner),
                  outWalk == Walk(row: inner, element: 1),
                  let aWalk = Self.walk(shape, a, split: split, inner: inner) else { continue }
            var bWalk = Walk(row: 0, element: 0)
            switch b {  // (`if let` would copy the borrowed array)
            case .some(let strides):
                guard let walk = Self.walk(shape, strides, split: split, inner: inner) else { continue }
                bWalk = walk
            case .none: break
            }
            var outer = 1
            for axis in 0..<split { outer *= shape[axis] }
            (self.outer, self.inner, self.a, self.b) = (outer, inner, aWalk, bWalk)
            return
        }
        return nil
    }

    /// The walk of a buffer with `strides` over `shape` split at `split`, or nil.
    private static func walk(_ shape: [Int], _ strides: [Int], split: Int, inner: Int) -> Walk? {
        let rank = shape.count
        if isRowMajor(shape, strides, split..<rank, unit: 1) {
            if isRowMajor(shape, strides, 0..<split, unit: inner) { return Walk(row: inner, element: 1) }
            if isStill(shape, strides, 0..<split) { return Walk(row: 0, element: 1) }
        }
        if isStill(shape, strides, split..<rank) {
            if isRowMajor(shape, strides, 0..<split, unit: 1) { return Walk(row: 1, element: 0) }
            if isStill(shape, strides, 0..<split) { return Walk(row: 0, element: 0) }
        }
        return nil
    }
}

/// A loop over `shape` as rows along its last axis, for layouts `RowLayout` cannot flatten:
/// the output's last axis is contiguous and each input's is contiguous or repeated (step
/// 1 or 0); the other axes may be anything (broadcast, sliced, permuted), and are walked by
/// `forEachIndex`. Rows shorter than 8 are not worth it: the reference loop is as fast.
struct LastAxisRows {
    var outerShape: [Int]
    /// The strides of the outer axes: inputs first, then the output.
    var outerStrides: [[Int]]
    /// Each input's step along the last axis (0 or 1).
    var steps: [Int]
    var inner: Int

    init?(shape: [Int], inputs: [[Int]], output: [Int]) {
        guard let inner = shape.last, inner >= 8, output.last == 1,
              inputs.allSatisfy({ $0.last == 0 || $0.last == 1 }) else { return nil }
        self.inner = inner
        outerShape = Array(shape.dropLast())
        outerStrides = (inputs + [output]).map { Array($0.dropLast()) }
        steps = inputs.map { $0.last! }
    }
}

/// True when the axes in `axes` are laid out row-major without gaps, `unit` apart at the
/// last one. Axes of extent 1 are never stepped along, so their strides do not matter.
@inline(__always)
func isRowMajor(_ shape: [Int], _ strides: [Int], _ axes: Range<Int>, unit: Int) -> Bool {
    var expected = unit
    for axis in axes.reversed() where shape[axis] != 1 {
        if strides[axis] != expected { return false }
        expected *= shape[axis]
    }
    return true
}

/// True when no axis in `axes` moves through memory (every stride 0, a broadcast).
@inline(__always)
func isStill(_ shape: [Int], _ strides: [Int], _ axes: Range<Int>) -> Bool {
    for axis in axes where shape[axis] != 1 && strides[axis] != 0 { return false }
    return true
}

/// A reduction over a contiguous input whose reduced axes (output stride 0) sit together:
/// the input is `outer × reduced × inner` row-major, and the output `outer × inner`.
struct ReductionBlocks {
    var outer: Int
    var reduced: Int
    var inner: Int

    init?(shape: borrowing [Int], input: borrowing [Int], output: borrowing [Int]) {
        let rank = shape.count
        guard isRowMajor(shape, input, 0..<rank, unit: 1) else { return nil }
        // The reduced block: from the first to the last axis along which the output stays still.
        func isStillAxis(_ axis: Int) -> Bool { shape[axis] != 1 && output[axis] == 0 }
        let first = (0..<rank).first(where: isStillAxis) ?? rank
        let end = ((0..<rank).last(where: isStillAxis) ?? rank - 1) + 1
        var inner = 1, reduced = 1, outer = 1
        for axis in end..<rank { inner *= shape[axis] }
        for axis in first..<end { reduced *= shape[axis] }
        for axis in 0..<first { outer *= shape[axis] }
        guard isStill(shape, output, first..<end),
              isRowMajor(shape, output, end..<rank, unit: 1),
              isRowMajor(shape, output, 0..<first, unit: inner) else { return nil }
        (self.outer, self.reduced, self.inner) = (outer, reduced, inner)
    }
}
