// LinearTests.swift — Linear's forward against plain Double loops, its gradients against
// central differences, its names, its initialization (PyTorch's bound, reproducibility, and
// WORKLOADS.md's linear_init check values), and its shape trap.

import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct LinearTests {
    @Test func forwardIsXTimesWTransposedPlusB() throws {
        let w = try Tensor<Double>(rows: [[1, 2, 3], [-1, 0, 0.5]])
        let b = Tensor<Double>([0.25, -2])
        let layer = Linear(weight: w, bias: b)
        let x = try Tensor<Double>(rows: [[1, 1, 1], [2, -1, 4]])
        let y = layer(x)
        // By hand: row 1 → (1+2+3+0.25, −1+0+0.5−2); row 2 → (2−2+12+0.25, −2+0+2−2).
        #expect(y.shape == [2, 2])
        #expect(y.scalars == [6.25, -2.5, 12.25, -2])
    }

    @Test func forwardMatchesLoopsForBatchedAndVectorInputs() {
        var rng = SplitMix64(seed: 5)
        let layer = Linear<Double>(in: 4, out: 3, using: &rng)
        let x = Tensor<Double>.randomUniform([2, 5, 4], -1, 1, using: &rng)
        let y = layer(x)
        #expect(y.shape == [2, 5, 3])
        let (xs, ws, bs, ys) = (x.scalars, layer.weight.scalars, layer.bias!.scalars, y.scalars)
        for row in 0..<10 {
            for o in 0..<3 {
                var total = bs[o]
                for i in 0..<4 { total += xs[row * 4 + i] * ws[o * 4 + i] }
                #expect(isClose(ys[row * 3 + o], total, tolerance: 1e-12))
            }
        }
        let v = layer(Tensor<Double>([1, 0, 0, 0]))
        #expect(v.shape == [3])
        for o in 0..<3 { #expect(isClose(v.scalars[o], ws[o * 4] + bs[o], tolerance: 1e-12)) }
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = SplitMix64(seed: 9)
        let layer = Linear<Double>(in: 3, out: 4, using: &rng)
        let x = randomLeaf([5, 3], seed: 10)
        let error = maxGradientError(wrt: [x, layer.weight, layer.bias!]) { layer(x) }
        #expect(error < 1e-7)
        let noBias = Linear<Double>(in: 3, out: 2, bias: false, using: &rng)
        #expect(noBias.bias == nil)
        #expect(maxGradientError(wrt: [x, noBias.weight]) { noBias(x) } < 1e-7)
    }

    @Test func namesAndShapesAreTorchs() {
        let layer = Linear<Float>(in: 5, out: 2, seed: 1)
        #expect(layer.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(layer.namedParameters.map(\.tensor.shape) == [[2, 5], [2]])
        #expect(Linear<Float>(in: 5, out: 2, bias: false, seed: 1).namedParameters.map(\.name) == ["weight"])
        #expect(layer.summaryName == "Linear(5 → 2)")
        #expect(layer.parameters.allSatisfy { $0.requiresGrad })
    }

    @Test func initializationIsUniformWithinOneOverRootFanIn() {
        let layer = Linear<Double>(in: 100, out: 50, seed: 3)
        let bound: Double = 0.1   // 1/√100
        let all = layer.weight.scalars + layer.bias!.scalars
        #expect(all.allSatisfy { abs($0) <= bound })
        // A uniform on [−0.1, 0.1] has mean 0 and variance 0.1²/3; with 5050 draws the sample
        // moments land well inside these margins.
        let mean = all.reduce(0, +) / Double(all.count)
        let variance = all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(all.count)
        #expect(abs(mean) < 0.005)
        #expect(abs(variance - bound * bound / 3) < 0.0005)
        #expect(all.max()! > 0.99 * bound && all.min()! < -0.99 * bound)
    }

    @Test func sameSeedSameWeightsDifferentSeedDifferentWeights() {
        let a = Linear<Float>(in: 8, out: 4, seed: 42), b = Linear<Float>(in: 8, out: 4, seed: 42)
        let c = Linear<Float>(in: 8, out: 4, seed: 43)
        #expect(a.weight.scalars == b.weight.scalars && a.bias!.scalars == b.bias!.scalars)
        #expect(a.weight.scalars != c.weight.scalars)
        // One generator shared by two layers: the second continues where the first stopped.
        var rng = SplitMix64(seed: 42)
        let first = Linear<Float>(in: 8, out: 4, using: &rng)
        let second = Linear<Float>(in: 8, out: 4, using: &rng)
        #expect(first.weight.scalars == a.weight.scalars)
        #expect(second.weight.scalars != a.weight.scalars)
    }

    /// WORKLOADS.md's check values for W3 layer 0, linear_init(300, 64, 128).
    @Test func seededInitIsWorkloadsLinearInit() {
        let layer = Linear<Float>(in: 64, out: 128, seed: 300)
        #expect(Array(layer.weight.scalars.prefix(3)) == [-0.07840996, -0.06466993, 0.08473819])
        let sum = layer.weight.scalars.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - -17.6447782807) < 1e-6)
        // And the formula itself, element by element, from the generator's raw outputs.
        var rng = SplitMix64(seed: 300)
        let bound: Double = 0.125   // 1/√64
        let raw = (0..<(64 * 128 + 128)).map { _ in Float((2 * (Double(rng.next() >> 11) * 0x1p-53) - 1) * bound) }
        #expect(layer.weight.scalars == Array(raw.prefix(64 * 128)))
        #expect(layer.bias!.scalars == Array(raw.suffix(128)))
    }

    /// WORKLOADS.md's SplitMix64 check values: Engine's generator is the shared one.
    @Test func engineSplitMix64MatchesWorkloads() {
        var rng = SplitMix64(seed: 0)
        let drawn: [UInt64] = [rng.next(), rng.next(), rng.next()]
        #expect(drawn == [0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f])
    }

    @Test func trapMessageNamesLayerShapesAndCaller() {
        #expect(layerTrapMessage("Linear(3 → 2)", "expects input [..., 3], got [4, 5]", file: "M.swift", line: 7)
                == "Linear(3 → 2): expects input [..., 3], got [4, 5] (called from M.swift:7)")
    }

    @Test func wrongInputWidthTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let layer = Linear<Float>(in: 3, out: 2, seed: 0)
            _ = layer(.zeros([4, 5]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("Linear(3 → 2): expects input [..., 3], got [4, 5] (called from LayersTests/LinearTests.swift:"))
    }
}
