// ReferenceBackend.swift — the loops. Plain Swift, written to be read: every kernel of the
// Backend protocol, as the protocol's default implementation (an extension), so that every
// backend starts from them and overrides only what it does faster. `ReferenceBackend` is
// the backend that overrides nothing: the reference any faster backend is tested against.
// (The process's default backend is BLASBackend when it is compiled in; see Backends+Choice.swift.)
//
// Legend used in this file: `x`, `a`, `b` are input base pointers, `out` the output base
// pointer, `i`, `j`, `o` offsets into them (already multiplied by the strides).
// Every kernel is generic, `@inlinable`, and pre-specialized for Float and Double, so code in
// other modules runs a loop compiled for the concrete type rather than one that calls
// through protocol witness tables for every `+`.
//
// Read next: ../Ops/Primitive.swift, the list of operations built on these kernels.

import Foundation

/// Calls `body(offset0, offset1, offset2)` for every index of `shape`, in row-major order,
/// where offsetₖ = Σ index[axis] · stridesₖ[axis].
///
/// The last axis is the inner loop, the others advance like an odometer: the rightmost
/// outer digit steps by one, and when it rolls over it goes back to 0 and carries into the
/// digit on its left. A shape with a 0 extent has no indices; the scalar shape [] has one.
/// Always inlined, so that `body` (one line of arithmetic) is compiled into the loop
/// instead of being called through a closure for every element (measured: 14× slower).
@inlinable @inline(__always)
func forEachIndex(_ shape: [Int], _ strides0: [Int], _ strides1: [Int], _ strides2: [Int],
                  _ body: (Int, Int, Int) -> Void) {
    let rank = shape.count
    if rank == 0 {
        body(0, 0, 0)
        return
    }
    if shape.contains(0) { return }
    let inner = shape[rank - 1]
    let step0 = strides0[rank - 1], step1 = strides1[rank - 1], step2 = strides2[rank - 1]
    var index = [Int](repeating: 0, count: rank - 1)
    var offset0 = 0, offset1 = 0, offset2 = 0
    // The common case, every operand contiguous along the last axis, gets its own loop:
    // with unit steps the compiler can see consecutive addresses and vectorise.
    let unitSteps = step0 == 1 && step1 == 1 && step2 == 1
    while true {
        if unitSteps {
            for j in 0..<inner { body(offset0 + j, offset1 + j, offset2 + j) }
        } else {
            for j in 0..<inner { body(offset0 + j * step0, offset1 + j * step1, offset2 + j * step2) }
        }
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            offset0 += strides0[axis]
            offset1 += strides1[axis]
            offset2 += strides2[axis]
            if index[axis] < shape[axis] { break }
            // Roll this digit over to 0 and carry into the next one on the left.
            offset0 -= strides0[axis] * shape[axis]
            offset1 -= strides1[axis] * shape[axis]
            offset2 -= strides2[axis] * shape[axis]
            index[axis] = 0
            axis -= 1
        }
        if axis < 0 { return }
    }
}

/// The backend made of the protocol's default kernels alone: one plain loop per kernel.
public struct ReferenceBackend: Backend {
    public init() {}
}

extension Backend {
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func map<S: TensorScalar>(_ kernel: UnaryKernel, shape: [Int],
                                     _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        let x = input.base, out = output.base
        @inline(__always) func apply(_ f: (S) -> S) {
            forEachIndex(shape, input.strides, output.strides, output.strides) { i, o, _ in
                out[o] = f(x[i])
            }
        }
        // √(2/π), for the tanh GELU.
        let c = S(0.797_884_560_802_865_4)
        switch kernel {
        case .identity: apply { $0 }
        case .negate: apply { -$0 }
        case .exp: apply { S.exp($0) }
        case .log: apply { S.log($0) }
        case .sqrt: apply { $0.squareRoot() }
        case .tanh: apply { S.tanh($0) }
        case .sigmoid:
            // For negative x, e⁻ˣ could overflow; eˣ / (1 + eˣ) is the same number and cannot.
            apply { $0 >= 0 ? 1 / (1 + S.exp(-$0)) : S.exp($0) / (1 + S.exp($0)) }
        case .relu: apply { $0 > 0 || $0.isNaN ? $0 : 0 }  // NaN stays NaN, as in PyTorch
        case .leakyRelu(let slope): apply { $0 > 0 ? $0 : S(slope) * $0 }
        case .geluTanh:
            apply { x in
                let u: S = c * (x + S(0.044715) * x * x * x)
                return S(0.5) * x * (1 + S.tanh(u))
            }
        case .geluErf:
            apply { x in S(0.5) * x * (1 + S.erf(x * S(0.707_106_781_186_547_5))) }
        case .softplus:
            // ln(1 + eˣ) = max(x, 0) + ln(1 + e^−|x|): the exponent is never positive, so no overflow.
            apply { x in Swift.max(x, 0) + S.log1p(S.exp(-x.magnitude)) }
        case .abs: apply { $0.magnitude }
        case .sin: apply { S.sin($0) }
        case .cos: apply { S.cos($0) }
        case .power(let n): apply { S.pow($0, S(n)) }
        case .erf: apply { S.erf($0) }
        }
    }

    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func zip<S: TensorScalar>(_ kernel: BinaryKernel, shape: [Int],
                                     _ lhs: StridedBuffer<S>, _ rhs: StridedBuffer<S>,
                                     into output: StridedBuffer<S>) {
        let a = lhs.base, b = rhs.base, out = output.base
        @inline(__always) func apply(_ f: (S, S) -> S) {
            forEachIndex(shape, lhs.strides, rhs.strides, output.strides) { i, j, o in
                out[o] = f(a[i], b[j])
            }
        }
        switch kernel {
        case .add: apply(+)
        case .subtract: apply(-)
        case .multiply: apply(*)
        case .divide: apply(/)
        case .power: apply { S.pow($0, $1) }
        case .maximum: apply { $0 > $1 || $0.isNaN ? $0 : $1 }  // (a NaN b: a > b is false, b is taken)
        case .equal: apply { $0 == $1 ? 1 : 0 }
        case .greater: apply { $0 > $1 ? 1 : 0 }
        case .sigmoidGradient: apply { $0 * $1 * (1 - $1) }
        case .tanhGradient: apply { $0 * (1 - $1 * $1) }
        case .reluGradient: apply { $0 * ($1 > 0 ? 1 : 0) }
        }
    }

    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func reduce<S: TensorScalar>(_ kernel: ReduceKernel, shape: [Int],
                                        _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        let x = input.base, out = output.base
        switch kernel {
        case .sum:
            forEachIndex(shape, input.strides, output.strides, output.strides) { i, o, _ in
                out[o] += x[i]
            }
        case .max:
            forEachIndex(shape, input.strides, output.strides, output.strides) { i, o, _ in
                // Once out[o] is NaN, `>` is false for every x: the NaN stays.
                if x[i] > out[o] || x[i].isNaN { out[o] = x[i] }
            }
        }
    }

    /// C ← alpha · op(A) · op(B) + beta · C, in i-k-j loop order.
    ///
    /// Why i-k-j and not the textbook i-j-k (`C[i][j] += A[i][k] · B[k][j]` with k innermost)?
    /// With k innermost, B is read down a column: each step jumps a whole row ahead in memory,
    /// so almost every read misses the cache. With j innermost, the loop is
    /// `cRow[j] += a_ik · bRow[j]`: both rows are read left to right, one cache line after
    /// another, and the compiler can vectorise it. Measured on this machine (Float, 1024²,
    /// release): i-j-k 0.7 GFLOP/s, i-k-j with row pointers 26 GFLOP/s
    /// (../shared/research/feasibility-swift-syslibs.md §4).
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func gemm<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                      alpha: S, a: UnsafePointer<S>, lda: Int,
                                      b: UnsafePointer<S>, ldb: Int,
                                      beta: S, c: UnsafeMutablePointer<S>, ldc: Int) {
        if transposeB && m > 1 {
            // With Bᵀ stored, B[p, j] = b[j·ldb + p]: the inner loop over j would jump a whole
            // stored row per element (measured 1.1 GFLOP/s at 512², against 26). Copying Bᵀ
            // into a k × n scratch matrix costs k·n moves against m·n·k multiply-adds, and
            // the row-pointer loop below then runs at full speed. Backward needs this case
            // all the time: ∂L/∂A = upstream · Bᵀ.
            let scratch = UnsafeMutablePointer<S>.allocate(capacity: Swift.max(k * n, 1))
            defer { scratch.deallocate() }
            for j in 0..<n {
                for p in 0..<k { scratch[p * n + j] = b[j * ldb + p] }
            }
            gemm(transposeA: transposeA, transposeB: false, m: m, n: n, k: k, alpha: alpha,
                 a: a, lda: lda, b: scratch, ldb: Swift.max(n, 1), beta: beta, c: c, ldc: ldc)
            return
        }
        for i in 0..<m {
            let cRow = c + i * ldc
            for j in 0..<n {
                // beta = 0 overwrites C, even if it held NaN (as BLAS does).
                cRow[j] = beta == 0 ? 0 : beta * cRow[j]
            }
            for p in 0..<k {
                let aip = alpha * (transposeA ? a[p * lda + i] : a[i * lda + p])
                if transposeB {
                    // Bᵀ stored (only reached for a single row, m = 1): a strided read.
                    for j in 0..<n { cRow[j] += aip * b[j * ldb + p] }
                } else {
                    let bRow = b + p * ldb
                    for j in 0..<n { cRow[j] += aip * bRow[j] }
                }
            }
        }
    }

    /// C ← Σ op(A_i) · op(B_i): the first product written into C (beta 0), each later one
    /// added to it (beta 1), by this backend's `gemm`.
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func gemmSum<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, count: Int,
                                         a: UnsafePointer<S>, lda: Int, strideA: Int,
                                         b: UnsafePointer<S>, ldb: Int, strideB: Int,
                                         c: UnsafeMutablePointer<S>, ldc: Int) {
        gemmSumByProducts(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, count: count,
                          a: a, lda: lda, strideA: strideA, b: b, ldb: ldb, strideB: strideB, c: c, ldc: ldc)
    }

    /// The default `gemmSum`, by name, so that a backend overriding it can still hand it
    /// the cases it has no loop of its own for.
    @inlinable
    public func gemmSumByProducts<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, count: Int,
                                                   a: UnsafePointer<S>, lda: Int, strideA: Int,
                                                   b: UnsafePointer<S>, ldb: Int, strideB: Int,
                                                   c: UnsafeMutablePointer<S>, ldc: Int) {
        if count == 0 {
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = 0 }
            }
        }
        for i in 0..<count {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                 a: a + i * strideA, lda: lda, b: b + i * strideB, ldb: ldb,
                 beta: i == 0 ? 0 : 1, c: c, ldc: ldc)
        }
    }

    // MARK: - Sliding windows

    /// im2col, one output row at a time: row (c, i, j) holds tap (i, j) of channel c for every
    /// window, in window order (y, then x).
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func unfold<S: TensorScalar>(_ g: WindowGeometry, _ input: StridedBuffer<S>, padValue: S,
                                        into output: UnsafeMutablePointer<S>) {
        let (strideN, strideC, strideH, strideW) = (input.strides[0], input.strides[1], input.strides[2], input.strides[3])
        var out = output
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let image = input.base + n * strideN + c * strideC
                for i in 0..<g.kernelHeight {
                    for j in 0..<g.kernelWidth {
                        for y in 0..<g.outHeight {
                            let h = y * g.strideHeight + i - g.padHeight
                            for x in 0..<g.outWidth {
                                let w = x * g.strideWidth + j - g.padWidth
                                let inside = h >= 0 && h < g.height && w >= 0 && w < g.width
                                out[x] = inside ? image[h * strideH + w * strideW] : padValue
                            }
                            out += g.outWidth
                        }
                    }
                }
            }
        }
    }

    /// col2im: the same walk as `unfold`, adding each column entry back where it was read.
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func fold<S: TensorScalar>(_ g: WindowGeometry, _ columns: UnsafePointer<S>,
                                      into image: StridedBuffer<S>) {
        let (strideN, strideC, strideH, strideW) = (image.strides[0], image.strides[1], image.strides[2], image.strides[3])
        var column = columns
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let plane = image.base + n * strideN + c * strideC
                for i in 0..<g.kernelHeight {
                    for j in 0..<g.kernelWidth {
                        for y in 0..<g.outHeight {
                            let h = y * g.strideHeight + i - g.padHeight
                            for x in 0..<g.outWidth {
                                let w = x * g.strideWidth + j - g.padWidth
                                if h >= 0 && h < g.height && w >= 0 && w < g.width {
                                    plane[h * strideH + w * strideW] += column[x]
                                }
                            }
                            column += g.outWidth
                        }
                    }
                }
            }
        }
    }

    /// Max-pooling, one window at a time: its elements in row-major order, the padding
    /// skipped; an element replaces the best so far when it is larger or NaN.
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func maxPool<S: TensorScalar>(_ g: WindowGeometry, _ input: StridedBuffer<S>,
                                         into output: UnsafeMutablePointer<S>, argmax: UnsafeMutablePointer<Int>) {
        let (strideN, strideC, strideH, strideW) = (input.strides[0], input.strides[1], input.strides[2], input.strides[3])
        var k = 0  // the output index, n·C·OH·OW + c·OH·OW + y·OW + x
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let image = input.base + n * strideN + c * strideC
                let plane = (n * g.channels + c) * g.height * g.width  // where (n, c) starts in a contiguous input
                for y in 0..<g.outHeight {
                    for x in 0..<g.outWidth {
                        // The window's rows and columns inside the image (never empty: the
                        // padding is at most half the kernel).
                        let top = y * g.strideHeight - g.padHeight, left = x * g.strideWidth - g.padWidth
                        let rows = max(top, 0)..<min(top + g.kernelHeight, g.height)
                        let columns = max(left, 0)..<min(left + g.kernelWidth, g.width)
                        var best = -S.infinity, bestAt = rows.lowerBound * g.width + columns.lowerBound
                        for h in rows {
                            for w in columns {
                                let v = image[h * strideH + w * strideW]
                                if v > best || v.isNaN {
                                    best = v
                                    bestAt = h * g.width + w
                                }
                            }
                        }
                        output[k] = best
                        argmax[k] = plane + bestAt
                        k += 1
                    }
                }
            }
        }
    }

    // MARK: - In-place updates

    /// y ← beta · y + alpha · x, elementwise over `shape`, in place.
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func axpby<S: TensorScalar>(shape: [Int], alpha: S, _ x: StridedBuffer<S>,
                                       beta: S, into y: StridedBuffer<S>) {
        let a = x.base, out = y.base
        forEachIndex(shape, x.strides, y.strides, y.strides) { i, o, _ in
            out[o] = beta * out[o] + alpha * a[i]
        }
    }

    // MARK: - Optimizer steps

    /// One optimizer step, element by element, exactly as `ParameterUpdate` writes it. Each
    /// line is one tensor expression of the optimizers' composed form (`m * β₁ + g * (1 − β₁)`),
    /// rounded in the same order, so that the fused loop gives the same numbers.
    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func update<S: TensorScalar>(_ rule: ParameterUpdate, count: Int, parameter: UnsafeMutablePointer<S>,
                                        gradient: UnsafePointer<S>, state: UpdateState<S>) {
        let theta = parameter
        switch rule {
        case let .sgd(learningRate, momentum, dampening, nesterov, weightDecay, firstStep):
            let (lr, mu, keep, decay) = (S(-learningRate), S(momentum), S(1 - dampening), S(weightDecay))
            for i in 0..<count {
                var g = gradient[i]
                if decay != 0 { g = g + theta[i] * decay }
                if mu != 0, let b = state.first {
                    b[i] = firstStep ? g : mu * b[i] + keep * g
                    g = nesterov ? g + b[i] * mu : b[i]
                }
                theta[i] = 1 * theta[i] + lr * g
            }
        case let .adam(learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, step):
            let m = state.first!, v = state.second!
            let c1 = 1 - Foundation.pow(beta1, Double(step)), c2 = 1 - Foundation.pow(beta2, Double(step))
            let (b1, b2, keep1, keep2) = (S(beta1), S(beta2), S(1 - beta1), S(1 - beta2))
            let (shrink, decay, eps) = (S(1 - learningRate * decoupledWeightDecay), S(weightDecay), S(epsilon))
            let (stepSize, rootC2) = (S(-learningRate / c1), S(1 / c2.squareRoot()))
            for i in 0..<count {
                if decoupledWeightDecay != 0 { theta[i] = theta[i] * shrink }
                var g = gradient[i]
                if decay != 0 { g = g + theta[i] * decay }
                m[i] = m[i] * b1 + g * keep1
                v[i] = v[i] * b2 + g * g * keep2
                let denominator = v[i].squareRoot() * rootC2 + eps
                theta[i] = theta[i] + m[i] * stepSize / denominator
            }
        case let .rmsprop(learningRate, alpha, epsilon, weightDecay, momentum, centered):
            let v = state.first!, gBar = state.second, b = state.third
            let (a, keep, decay, eps) = (S(alpha), S(1 - alpha), S(weightDecay), S(epsilon))
            let (lr, mu) = (S(-learningRate), S(momentum))
            for i in 0..<count {
                var g = gradient[i]
                if decay != 0 { g = g + theta[i] * decay }
                v[i] = v[i] * a + g * g * keep
                var vTilde = v[i]
                if centered, let gBar {
                    gBar[i] = gBar[i] * a + g * keep
                    vTilde = v[i] - gBar[i] * gBar[i]
                }
                let scaled = g / (vTilde.squareRoot() + eps)
                if momentum > 0, let b {
                    b[i] = b[i] * mu + scaled
                    theta[i] = theta[i] + b[i] * lr
                } else {
                    theta[i] = theta[i] + scaled * lr
                }
            }
        }
    }

    // MARK: - Copies by index

    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func gather<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                        from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>) {
        for o in 0..<outer {
            for (i, index) in indices.enumerated() {
                let source = input + (o * extent + index) * inner
                let target = output + (o * indices.count + i) * inner
                for j in 0..<inner { target[j] = source[j] }
            }
        }
    }

    @inlinable
    @_specialize(kind: partial, where S == Float)
    @_specialize(kind: partial, where S == Double)
    public func scatterAdd<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                            from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>) {
        for o in 0..<outer {
            for (i, index) in indices.enumerated() {
                let source = input + (o * indices.count + i) * inner
                let target = output + (o * extent + index) * inner
                for j in 0..<inner { target[j] += source[j] }
            }
        }
    }
}
