// ConvolutionPoolingTests.swift — conv2d against a direct 7-loop convolution, max/avg-pool
// against direct window loops, and all their gradients against central differences, with
// strides, padding, non-square kernels and non-contiguous inputs.

import Testing
import Engine
import _TestSupport
@testable import Tensors

@Suite struct ConvolutionPoolingTests {
    struct ConvCase: Sendable, CustomTestStringConvertible {
        var input: [Int]          // [N, C, H, W]
        var outChannels: Int
        var kernel: (Int, Int)
        var stride: (Int, Int)
        var padding: (Int, Int)
        var bias: Bool
        var testDescription: String { "x \(input) o \(outChannels) k \(kernel) s \(stride) p \(padding)" }
    }

    static let convCases: [ConvCase] = [
        ConvCase(input: [1, 1, 4, 4], outChannels: 1, kernel: (3, 3), stride: (1, 1), padding: (0, 0), bias: false),
        ConvCase(input: [2, 3, 5, 4], outChannels: 2, kernel: (2, 3), stride: (1, 1), padding: (1, 0), bias: true),
        ConvCase(input: [2, 2, 6, 5], outChannels: 3, kernel: (3, 2), stride: (2, 1), padding: (1, 2), bias: true),
        ConvCase(input: [1, 2, 7, 6], outChannels: 2, kernel: (1, 3), stride: (3, 2), padding: (0, 1), bias: true),
        // An image one pixel wide under a 5 × 5 kernel: the outer kernel columns see only padding.
        ConvCase(input: [1, 2, 3, 1], outChannels: 2, kernel: (5, 5), stride: (1, 1), padding: (2, 2), bias: true),
    ]

    /// The convolution by its definition: seven nested loops over n, o, y, x, c, i, j, with
    /// out-of-bounds (padding) positions contributing 0.
    func referenceConv(_ x: [Double], _ xs: [Int], _ w: [Double], _ ws: [Int], _ b: [Double]?,
                       stride: (Int, Int), padding: (Int, Int)) -> (values: [Double], shape: [Int]) {
        let (n, c, h, wd) = (xs[0], xs[1], xs[2], xs[3])
        let (o, kh, kw) = (ws[0], ws[2], ws[3])
        let oh = (h + 2 * padding.0 - kh) / stride.0 + 1, ow = (wd + 2 * padding.1 - kw) / stride.1 + 1
        var out = [Double](repeating: 0, count: n * o * oh * ow)
        for ni in 0..<n { for oi in 0..<o { for y in 0..<oh { for xo in 0..<ow {
            var total = b?[oi] ?? 0
            for ci in 0..<c { for i in 0..<kh { for j in 0..<kw {
                let row = y * stride.0 + i - padding.0, col = xo * stride.1 + j - padding.1
                if row < 0 || row >= h || col < 0 || col >= wd { continue }
                total += w[((oi * c + ci) * kh + i) * kw + j] * x[((ni * c + ci) * h + row) * wd + col]
            } } }
            out[((ni * o + oi) * oh + y) * ow + xo] = total
        } } } }
        return (out, [n, o, oh, ow])
    }

    @Test(arguments: convCases)
    func conv2dMatchesSevenLoops(_ t: ConvCase) {
        var rng = SplitMix64(seed: UInt64(t.input.reduce(0, +) * 31 + t.kernel.0))
        let wShape = [t.outChannels, t.input[1], t.kernel.0, t.kernel.1]
        // The input is a permuted view (H and W swapped in storage): non-contiguous.
        let stored = Tensor<Double>.randomUniform([t.input[0], t.input[1], t.input[3], t.input[2]], -1, 1, using: &rng)
        let x = stored.transpose(2, 3)
        let w = Tensor<Double>.randomUniform(wShape, -1, 1, using: &rng)
        let b = Tensor<Double>.randomUniform([t.outChannels], -1, 1, using: &rng)
        let out = x.conv2d(weight: w, bias: t.bias ? b : nil, stride: t.stride, padding: t.padding)
        let expected = referenceConv(x.scalars, t.input, w.scalars, wShape, t.bias ? b.scalars : nil,
                                     stride: t.stride, padding: t.padding)
        #expect(out.shape == expected.shape)
        for (got, want) in zip(out.scalars, expected.values) { #expect(isClose(got, want, tolerance: 1e-12)) }

        let shapes = [[t.input[0], t.input[1], t.input[3], t.input[2]], wShape] + (t.bias ? [[t.outChannels]] : [])
        let check = checkGradients(leaves(shapes, seed: 40)) { v in
            v[0].transpose(2, 3).conv2d(weight: v[1], bias: t.bias ? v[2] : nil, stride: t.stride, padding: t.padding)
        }
        #expect(check.maxError < 1e-7 && check.shapesMatch, "conv2d gradient error \(check.maxError)")
        #expect(check.ops.isSubset(of: [.unfold, .reshape, .matmul, .add, .permute]))
    }

    struct PoolCase: Sendable, CustomTestStringConvertible {
        var input: [Int]
        var kernel: (Int, Int)
        var stride: (Int, Int)?
        var padding: (Int, Int)
        var testDescription: String { "x \(input) k \(kernel) s \(String(describing: stride)) p \(padding)" }
    }

    static let poolCases: [PoolCase] = [
        PoolCase(input: [1, 2, 4, 4], kernel: (2, 2), stride: nil, padding: (0, 0)),
        PoolCase(input: [2, 1, 5, 6], kernel: (3, 2), stride: (1, 2), padding: (1, 1)),
        PoolCase(input: [1, 3, 6, 5], kernel: (2, 3), stride: (2, 1), padding: (1, 0)),
    ]

    /// Pooling by its definition: each output is the max (or the sum / KH·KW) of its window;
    /// padding never wins a max and counts as 0 in the average.
    func referencePool(_ x: Tensor<Double>, _ t: PoolCase, max: Bool) -> (values: [Double], shape: [Int]) {
        let (n, c, h, w) = (t.input[0], t.input[1], t.input[2], t.input[3])
        let stride = t.stride ?? t.kernel
        let oh = (h + 2 * t.padding.0 - t.kernel.0) / stride.0 + 1
        let ow = (w + 2 * t.padding.1 - t.kernel.1) / stride.1 + 1
        var out: [Double] = []
        for ni in 0..<n { for ci in 0..<c { for y in 0..<oh { for xo in 0..<ow {
            var best = -Double.infinity, total = 0.0
            for i in 0..<t.kernel.0 { for j in 0..<t.kernel.1 {
                let row = y * stride.0 + i - t.padding.0, col = xo * stride.1 + j - t.padding.1
                if row < 0 || row >= h || col < 0 || col >= w { continue }
                best = Swift.max(best, x[ni, ci, row, col])
                total += x[ni, ci, row, col]
            } }
            out.append(max ? best : total / Double(t.kernel.0 * t.kernel.1))
        } } } }
        return (out, [n, c, oh, ow])
    }

    @Test(arguments: poolCases)
    func poolingMatchesLoopsAndDifferences(_ t: PoolCase) {
        var rng = SplitMix64(seed: UInt64(t.input.reduce(1, *)))
        let stored = Tensor<Double>.randomUniform([t.input[0], t.input[1], t.input[3], t.input[2]], -1, 1, using: &rng)
        let x = stored.transpose(2, 3)
        for isMax in [true, false] {
            let out = isMax ? x.maxPool2d(kernel: t.kernel, stride: t.stride, padding: t.padding)
                            : x.avgPool2d(kernel: t.kernel, stride: t.stride, padding: t.padding)
            let expected = referencePool(x, t, max: isMax)
            #expect(out.shape == expected.shape)
            for (got, want) in zip(out.scalars, expected.values) { #expect(isClose(got, want, tolerance: 1e-12)) }
            let check = checkGradients(leaves([stored.shape], seed: 41)) { v in
                let view = v[0].transpose(2, 3)
                return isMax ? view.maxPool2d(kernel: t.kernel, stride: t.stride, padding: t.padding)
                             : view.avgPool2d(kernel: t.kernel, stride: t.stride, padding: t.padding)
            }
            #expect(check.maxError < 1e-7 && check.shapesMatch, "\(isMax ? "max" : "avg") pool gradient")
        }
    }

    @Test func maxPoolGradientGoesToEachWindowsMax() {
        let x = try! Tensor<Double>(shape: [1, 1, 2, 4], elements: [1, 5, 2, 0, 3, 4, 8, 7], requiresGrad: true)
        x.maxPool2d(kernel: (2, 2)).backward(gradient: try! Tensor(shape: [1, 1, 1, 2], elements: [10, 20]))
        #expect(x.grad!.scalars == [0, 10, 0, 0, 0, 0, 20, 0])
    }

    /// A tie goes to the first max in the window's row-major order, all of it (PyTorch's
    /// `max_pool2d` rule); where windows overlap, an element that is the max of two gets both.
    @Test(arguments: NaNTests.backends.indices)
    func maxPoolTieGoesToTheFirstMax(_ backend: Int) {
        Backends.$scoped.withValue(NaNTests.backends[backend]) {
            // Window 1 ties between (0, 1) and (1, 0); window 2 ties between (0, 2) and (1, 3).
            let x = try! Tensor<Float>(shape: [1, 1, 2, 4], elements: [1, 5, 7, 0, 5, 4, 2, 7], requiresGrad: true)
            x.maxPool2d(kernel: (2, 2)).backward(gradient: try! Tensor(shape: [1, 1, 1, 2], elements: [10, 20]))
            #expect(x.grad!.scalars == [0, 10, 20, 0, 0, 0, 0, 0])
            // 2 × 2 windows at stride 1 over one row pair: the 9 is the max of both windows that hold it.
            let y = try! Tensor<Float>(shape: [1, 1, 2, 3], elements: [1, 9, 2, 3, 4, 5], requiresGrad: true)
            let pooled = y.maxPool2d(kernel: (2, 2), stride: (1, 1))
            #expect(pooled.scalars == [9, 9])
            pooled.backward(gradient: try! Tensor(shape: [1, 1, 1, 2], elements: [1, 2]))
            #expect(y.grad!.scalars == [0, 3, 0, 0, 0, 0])
        }
    }

    /// unfold by its definition, one element at a time; and its pullback by the adjoint
    /// identity ⟨unfold(x), u⟩ = ⟨x, fold(u)⟩ (fold = the gradient of Σ unfold(x) ⊙ u), in
    /// plain Double sums.
    @Test(arguments: convCases)
    func unfoldMatchesItsDefinitionAndItsAdjoint(_ t: ConvCase) {
        var rng = SplitMix64(seed: UInt64(t.input.reduce(7, +)))
        let (n, c, h, w) = (t.input[0], t.input[1], t.input[2], t.input[3])
        let (kh, kw) = t.kernel
        let x = Tensor<Double>.randomUniform(t.input, -1, 1, using: &rng).requiringGrad()
        let columns = x.unfold(kernel: t.kernel, stride: t.stride, padding: t.padding, padValue: 0.25)
        let oh = (h + 2 * t.padding.0 - kh) / t.stride.0 + 1, ow = (w + 2 * t.padding.1 - kw) / t.stride.1 + 1
        #expect(columns.shape == [n, c * kh * kw, oh * ow])
        let xs = x.scalars, got = columns.scalars
        var expected: [Double] = [], fromImage: [Bool] = []
        for ni in 0..<n { for ci in 0..<c { for i in 0..<kh { for j in 0..<kw { for y in 0..<oh { for xo in 0..<ow {
            let row = y * t.stride.0 + i - t.padding.0, col = xo * t.stride.1 + j - t.padding.1
            let inside = row >= 0 && row < h && col >= 0 && col < w
            expected.append(inside ? xs[((ni * c + ci) * h + row) * w + col] : 0.25)
            fromImage.append(inside)
        } } } } } }
        #expect(got == expected)

        let u = Tensor<Double>.randomUniform(columns.shape, -1, 1, using: &rng)
        (columns * u).sum().backward()
        // The padding entries hold no element of x, so they drop out of the left side.
        var lhs = 0.0
        for (k, weight) in u.scalars.enumerated() where fromImage[k] { lhs += expected[k] * weight }
        let rhs = zip(xs, x.grad!.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(isClose(lhs, rhs, tolerance: 1e-12))
    }
}
