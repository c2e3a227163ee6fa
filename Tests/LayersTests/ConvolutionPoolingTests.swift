// ConvolutionPoolingTests.swift — Conv2d, MaxPool2d, AvgPool2d and Flatten against direct
// Double loops, their gradients against central differences, Conv2d's names and init, and
// the conv net's summary (shapes and counts derived by hand).

import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct ConvolutionPoolingTests {
    /// The convolution by its definition, positions outside the input counting 0.
    func referenceConv(_ x: Tensor<Double>, _ w: Tensor<Double>, _ b: Tensor<Double>?,
                       stride: (Int, Int), padding: (Int, Int)) -> [Double] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = (h + 2 * padding.0 - kh) / stride.0 + 1, ow = (wd + 2 * padding.1 - kw) / stride.1 + 1
        var out: [Double] = []
        for ni in 0..<n { for oi in 0..<o { for y in 0..<oh { for xo in 0..<ow {
            var total = b?[oi] ?? 0
            for ci in 0..<c { for i in 0..<kh { for j in 0..<kw {
                let row = y * stride.0 + i - padding.0, col = xo * stride.1 + j - padding.1
                if row >= 0 && row < h && col >= 0 && col < wd { total += w[oi, ci, i, j] * x[ni, ci, row, col] }
            } } }
            out.append(total)
        } } } }
        return out
    }

    @Test func conv2dMatchesLoops() {
        var rng = SplitMix64(seed: 1)
        let conv = Conv2d<Double>(inChannels: 2, outChannels: 3, kernelSize: (3, 2), stride: (2, 1), padding: (1, 1),
                                  using: &rng)
        let x = Tensor<Double>.randomUniform([2, 2, 5, 4], -1, 1, using: &rng)
        let y = conv(x)
        // OH = (5 + 2 − 3)/2 + 1 = 3, OW = (4 + 2 − 2)/1 + 1 = 5.
        #expect(y.shape == [2, 3, 3, 5])
        let expected = referenceConv(x, conv.weight, conv.bias, stride: (2, 1), padding: (1, 1))
        #expect(zip(y.scalars, expected).allSatisfy { isClose($0, $1, tolerance: 1e-12) })
    }

    @Test func conv2dGradients() {
        var rng = SplitMix64(seed: 2)
        let conv = Conv2d<Double>(inChannels: 2, outChannels: 2, kernelSize: 2, padding: 1, using: &rng)
        let x = randomLeaf([1, 2, 3, 3], seed: 3)
        #expect(maxGradientError(wrt: [x, conv.weight, conv.bias!]) { conv(x) } < 1e-7)
    }

    @Test func conv2dNamesInitAndReproducibility() {
        var rng = SplitMix64(seed: 600)
        let conv = Conv2d<Float>(inChannels: 8, outChannels: 16, kernelSize: 3, using: &rng)
        #expect(conv.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(conv.weight.shape == [16, 8, 3, 3] && conv.bias!.shape == [16])
        #expect(conv.summaryName == "Conv2d(8 → 16, k 3)")
        // fan_in = 8·3·3 = 72: every value within 1/√72.
        let bound = Float(1 / 72.0.squareRoot())
        #expect((conv.weight.scalars + conv.bias!.scalars).allSatisfy { abs($0) <= bound })
        // W6's "linear_init-style" weights: W then b from SplitMix64(seed), (2u − 1)·bound.
        var raw = SplitMix64(seed: 600)
        let expected = (0..<(16 * 72 + 16)).map { _ in Float((2 * raw.nextUnit() - 1) / 72.0.squareRoot()) }
        #expect(conv.weight.scalars + conv.bias!.scalars == expected)
        #expect(Conv2d<Float>(inChannels: 1, outChannels: 2, kernelSize: 3, bias: false, using: &rng)
                .namedParameters.map(\.name) == ["weight"])
    }

    @Test func maxAndAveragePoolingMatchLoops() {
        let x = randomLeaf([2, 3, 5, 6], seed: 4)
        let maxPool = MaxPool2d<Double>(kernelSize: 2), avgPool = AvgPool2d<Double>(kernelSize: (3, 2), stride: (1, 2))
        let m = maxPool(x), a = avgPool(x)
        #expect(m.shape == [2, 3, 2, 3])   // ⌊5/2⌋, 6/2
        #expect(a.shape == [2, 3, 3, 3])   // 5 − 3 + 1, (6 − 2)/2 + 1
        for n in 0..<2 { for c in 0..<3 {
            for y in 0..<2 { for xo in 0..<3 {
                let window = [x[n, c, 2 * y, 2 * xo], x[n, c, 2 * y, 2 * xo + 1],
                              x[n, c, 2 * y + 1, 2 * xo], x[n, c, 2 * y + 1, 2 * xo + 1]]
                #expect(m[n, c, y, xo] == window.max()!)
            } }
            for y in 0..<3 { for xo in 0..<3 {
                var total = 0.0
                for i in 0..<3 { for j in 0..<2 { total += x[n, c, y + i, 2 * xo + j] } }
                #expect(isClose(a[n, c, y, xo], total / 6, tolerance: 1e-12))
            } }
        } }
        #expect(maxGradientError(wrt: [x]) { maxPool(x) } < 1e-7)
        #expect(maxGradientError(wrt: [x]) { avgPool(x) } < 1e-7)
        #expect(maxPool.summaryName == "MaxPool2d(2)" && avgPool.summaryName == "AvgPool2d(3×2, stride 1×2)")
    }

    @Test func flattenMergesAxes() {
        let x = randomLeaf([2, 3, 4, 5], seed: 5)
        let y = Flatten<Double>()(x)
        #expect(y.shape == [2, 60])
        #expect(y.scalars == x.scalars)
        #expect(Flatten<Double>(startAxis: 1, endAxis: 2)(x).shape == [2, 12, 5])
        #expect(Flatten<Double>(startAxis: 0)(x).shape == [120])
        #expect(maxGradientError(wrt: [x]) { Flatten<Double>()(x) } < 1e-9)
    }

    /// WORKLOADS.md W6's net. Shapes: 28 → 26 → 13 → 11 → 5. Counts: conv1 8·1·9 + 8 = 80,
    /// conv2 16·8·9 + 16 = 1168, linear 400·10 + 10 = 4010; 5258 in all.
    @Test func convNetSummary() {
        var rng = SplitMix64(seed: 0)
        let model = Sequential<Float>(
            Conv2d(inChannels: 1, outChannels: 8, kernelSize: 3, using: &rng), ReLU(), MaxPool2d(kernelSize: 2),
            Conv2d(inChannels: 8, outChannels: 16, kernelSize: 3, using: &rng), ReLU(), MaxPool2d(kernelSize: 2),
            Flatten(), Linear(in: 400, out: 10, using: &rng))
        let summary = model.summary(inputShape: [1, 1, 28, 28])
        #expect(summary.rows.map(\.outputShape) == [[1, 8, 26, 26], [1, 8, 26, 26], [1, 8, 13, 13], [1, 16, 11, 11],
                                                    [1, 16, 11, 11], [1, 16, 5, 5], [1, 400], [1, 10]])
        #expect(summary.rows.map(\.parameterCount) == [80, 0, 0, 1168, 0, 0, 0, 4010])
        #expect(summary.totalCount == 5258 && summary.trainableCount == 5258)
        #expect(summary.rows.map(\.type) == ["Conv2d(1 → 8, k 3)", "ReLU", "MaxPool2d(2)", "Conv2d(8 → 16, k 3)",
                                             "ReLU", "MaxPool2d(2)", "Flatten", "Linear(400 → 10)"])
    }

    @Test func conv2dChannelTrapNamesLayerAndCaller() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            let conv = Conv2d<Float>(inChannels: 3, outChannels: 4, kernelSize: 3, using: &rng)
            _ = conv(.zeros([1, 1, 8, 8]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("Conv2d(3 → 4, k 3): expects input [N, 3, H, W], got [1, 1, 8, 8] "
                                + "(called from LayersTests/ConvolutionPoolingTests.swift:"))
    }
}
