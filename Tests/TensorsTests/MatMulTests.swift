// MatMulTests.swift — matmul against a plain triple loop, in every layout the primitive
// hands to gemm (plain, transposed view, stepped slice, broadcast batch), and one matrix
// times a stack, whose gradient is a sum of products (gemmSum); and the reference gemm itself
// with BLAS's transpose flags and leading dimensions.

import Testing
import Engine
import _TestSupport
@testable import Tensors

/// C[i, j] = Σₚ A[i, p] B[p, j] on row-major arrays: the oracle.
func naiveMatmul(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
    return c
}

@Suite struct MatMulTests {
    @Test(arguments: [(1, 1, 1), (3, 4, 2), (5, 1, 3), (2, 7, 6), (4, 0, 3), (0, 3, 2)])
    func twoDimensional(m: Int, k: Int, n: Int) {
        var rng = SplitMix64(seed: UInt64(m * 100 + k * 10 + n))
        let a = Tensor<Double>.randomUniform([m, k], -1, 1, using: &rng)
        let b = Tensor<Double>.randomUniform([k, n], -1, 1, using: &rng)
        let want = naiveMatmul(a.scalars, b.scalars, m: m, k: k, n: n)
        let got = a.matmul(b)
        #expect(got.shape == [m, n])
        #expect(zip(got.scalars, want).allSatisfy { isClose($0, $1, tolerance: 1e-13) })
        // The same product from non-contiguous operands: transposed views and a stepped slice.
        let aT = a.transposed().contiguous().transposed()        // a, stored column-major
        // b's columns interleaved with zeros, then every second column: b again, strided.
        let bWide = Tensor.stack([b, .zeros(b.shape)], axis: 2).reshape([k, 2 * n]).slice(axis: 1, 0, 2 * n, step: 2)
        #expect(bWide.scalars == b.scalars && (n < 2 || k == 0 || !bWide.isContiguous))
        #expect(zip(aT.matmul(bWide).scalars, want).allSatisfy { isClose($0, $1, tolerance: 1e-13) })
    }

    @Test func batchedWithBroadcastBatchAxes() {
        var rng = SplitMix64(seed: 5)
        let a = Tensor<Double>.randomUniform([2, 1, 3, 4], -1, 1, using: &rng)
        let b = Tensor<Double>.randomUniform([3, 4, 2], -1, 1, using: &rng)
        let c = a.matmul(b)
        #expect(c.shape == [2, 3, 3, 2])
        for i in 0..<2 {
            for j in 0..<3 {
                let left = a.slice(axis: 0, i, i + 1).reshape([3, 4]).scalars
                let right = b.slice(axis: 0, j, j + 1).reshape([4, 2]).scalars
                let got = c.slice(axis: 0, i, i + 1).slice(axis: 1, j, j + 1).scalars
                #expect(zip(got, naiveMatmul(left, right, m: 3, k: 4, n: 2)).allSatisfy { isClose($0, $1, tolerance: 1e-13) })
            }
        }
    }

    /// A stack of matrices times one matrix, which gemm gets as one product over all rows when
    /// they lie evenly spaced (FastPath/MatMul+GradientLayout.swift): every matrix of the
    /// result against the triple loop, and the gradients of both factors against central
    /// differences, for stacks whose rows are evenly spaced (contiguous, stepped by a column
    /// slice, with unit axes) and not (a permuted stack, which keeps one product per matrix).
    @Test(arguments: ["contiguous", "column slice", "unit axes", "permuted", "transposed B"])
    func stackTimesOneMatrix(layout: String) {
        let (batch, m, k, n) = (3, 4, 5, 2)
        // The stack A [batch, m, k] in the layout named, from a contiguous leaf.
        func stack(_ leaf: Tensor<Double>) -> Tensor<Double> {
            switch layout {
            case "column slice": leaf.slice(axis: 2, 1, k + 1)                // leaf [batch, m, k + 2]
            case "unit axes": leaf.reshape([batch, 1, m, k]).squeeze(1)
            case "permuted": leaf.permute([1, 0, 2])                           // leaf [m, batch, k]
            default: leaf
            }
        }
        let leafShape = layout == "column slice" ? [batch, m, k + 2] : layout == "permuted" ? [m, batch, k] : [batch, m, k]
        let bShape = layout == "transposed B" ? [n, k] : [k, n]
        func matrix(_ leaf: Tensor<Double>) -> Tensor<Double> { layout == "transposed B" ? leaf.transposed() : leaf }
        let inputs = leaves([leafShape, bShape], seed: 17)
        let a = stack(inputs[0]), b = matrix(inputs[1])
        #expect(a.shape == [batch, m, k] && b.shape == [k, n])
        let c = a.matmul(b)
        #expect(c.shape == [batch, m, n])
        for i in 0..<batch {
            let want = naiveMatmul(a.slice(axis: 0, i, i + 1).scalars, b.scalars, m: m, k: k, n: n)
            let same = zip(c.slice(axis: 0, i, i + 1).scalars, want).allSatisfy { isClose($0, $1, tolerance: 1e-13) }
            #expect(same, "\(layout): matrix \(i)")
        }
        let check = checkGradients(inputs) { stack($0[0]).matmul(matrix($0[1])) }
        #expect(check.maxError < 1e-6 && check.shapesMatch, "\(layout): \(check.maxError)")
    }

    /// One matrix times a stack, conv2d's kernels times each image's columns: the matrix's
    /// gradient is one sum of products (`Backend.gemmSum`, FastPath/MatMul+GradientLayout.swift)
    /// instead of a product per matrix and a sum. Both gradients against central differences,
    /// for stacks laid out contiguous, as a column slice, as transposed views, and permuted
    /// (the batch axis not outermost in memory).
    @Test(arguments: ["contiguous", "column slice", "transposed views", "permuted"])
    func oneMatrixTimesAStack(layout: String) {
        let (batch, m, k, n) = (3, 4, 5, 2)
        func stack(_ leaf: Tensor<Double>) -> Tensor<Double> {
            switch layout {
            case "column slice": leaf.slice(axis: 2, 1, n + 1)                // leaf [batch, k, n + 2]
            case "transposed views": leaf.transposed()                        // leaf [batch, n, k]
            case "permuted": leaf.permute([1, 0, 2])                           // leaf [k, batch, n]
            default: leaf
            }
        }
        let leafShape = switch layout {
        case "column slice": [batch, k, n + 2]
        case "transposed views": [batch, n, k]
        case "permuted": [k, batch, n]
        default: [batch, k, n]
        }
        let inputs = leaves([[m, k], leafShape], seed: 23)
        #expect(stack(inputs[1]).shape == [batch, k, n])
        let check = checkGradients(inputs) { $0[0].matmul(stack($0[1])) }
        #expect(check.maxError < 1e-6 && check.shapesMatch, "\(layout): \(check.maxError)")
    }

    /// The same in Float, on W6's first convolution's shapes (BLASBackend takes AVX2Gemm.ntSum
    /// there on a CPU with AVX2): the kernels' gradient within Float rounding of the same
    /// graph run in Double.
    @Test func oneMatrixTimesAStackInFloat() {
        var rng = SplitMix64(seed: 31)
        let a64 = Tensor<Double>.randomUniform([8, 9], -1, 1, using: &rng).requiringGrad()
        let b64 = Tensor<Double>.randomUniform([3, 9, 676], -1, 1, using: &rng)
        let w64 = Tensor<Double>.randomUniform([3, 8, 676], -1, 1, using: &rng)
        (a64.matmul(b64) * w64).sum().backward()
        let a32 = try! Tensor<Float>(shape: a64.shape, elements: a64.scalars.map { Float($0) }).requiringGrad()
        let b32 = try! Tensor<Float>(shape: b64.shape, elements: b64.scalars.map { Float($0) })
        let w32 = try! Tensor<Float>(shape: w64.shape, elements: w64.scalars.map { Float($0) })
        (a32.matmul(b32) * w32).sum().backward()
        let worst = zip(a32.grad!.scalars, a64.grad!.scalars).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-4, "off by \(worst) (sums of 2,028 terms below 1 in size)")
    }

    @Test func vectorCases() throws {
        let m = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        let v = Tensor<Double>([1, 0, -1])
        #expect(m.matmul(v).shape == [2] && m.matmul(v).scalars == [-2, -2])
        #expect(Tensor<Double>([1, 1]).matmul(m).scalars == [5, 7, 9])
        let dot = v.matmul(Tensor([3, 4, 5]))
        #expect(dot.shape == [] && dot.item() == -2)
    }

    /// The reference gemm with each transpose flag, padded leading dimensions, alpha and beta.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func referenceGemm(transposeA: Bool, transposeB: Bool) {
        let m = 3, n = 4, k = 5, pad = 2
        var rng = SplitMix64(seed: 9)
        let a = (0..<m * k).map { _ in rng.nextUniform(-1, 1) }     // op(A) = A, row-major m × k
        let b = (0..<k * n).map { _ in rng.nextUniform(-1, 1) }
        // Store A (or Aᵀ) with `pad` unused columns at the end of each stored row.
        func store(_ x: [Double], rows: Int, cols: Int, transposed: Bool) -> (storage: [Double], ld: Int) {
            let (r, c) = transposed ? (cols, rows) : (rows, cols)
            var s = [Double](repeating: .nan, count: r * (c + pad))
            for i in 0..<rows { for j in 0..<cols {
                if transposed { s[j * (c + pad) + i] = x[i * cols + j] } else { s[i * (c + pad) + j] = x[i * cols + j] }
            } }
            return (s, c + pad)
        }
        let (sa, lda) = store(a, rows: m, cols: k, transposed: transposeA)
        let (sb, ldb) = store(b, rows: k, cols: n, transposed: transposeB)
        var c = [Double](repeating: 1, count: m * n)
        sa.withUnsafeBufferPointer { pa in sb.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            ReferenceBackend().gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                    alpha: 2, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                    beta: 0.5, c: pc.baseAddress!, ldc: n)
        } } }
        let want = naiveMatmul(a, b, m: m, k: k, n: n).map { 2 * $0 + 0.5 }
        #expect(zip(c, want).allSatisfy { isClose($0, $1, tolerance: 1e-13) })
    }

    @Test func floatMatmulAgreesWithDouble() {
        var rng = SplitMix64(seed: 3)
        let a = Tensor<Double>.randomUniform([8, 16], -1, 1, using: &rng)
        let b = Tensor<Double>.randomUniform([16, 4], -1, 1, using: &rng)
        let af = try! Tensor<Float>(shape: a.shape, elements: a.scalars.map(Float.init))
        let bf = try! Tensor<Float>(shape: b.shape, elements: b.scalars.map(Float.init))
        let d = a.matmul(b).scalars, f = af.matmul(bf).scalars
        #expect(zip(d, f).allSatisfy { Swift.abs($0 - Double($1)) < 1e-5 })
    }
}
