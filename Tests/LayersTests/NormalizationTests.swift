// NormalizationTests.swift — BatchNorm1d/2d and LayerNorm against plain Double loops (the
// running statistics with momentum 0.1 and the unbiased variance included), train/eval
// switching, PyTorch's state names, and gradients against central differences.

import Foundation
import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct NormalizationTests {
    /// The per-channel values of x [N, C, rest…] (channel axis 1), by plain index arithmetic.
    func channelValues(_ x: Tensor<Double>, _ channel: Int) -> [Double] {
        let (n, c) = (x.shape[0], x.shape[1])
        let rest = x.count / (n * c)
        let flat = x.scalars
        return (0..<n).flatMap { ni in (0..<rest).map { flat[(ni * c + channel) * rest + $0] } }
    }

    func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
    func populationVariance(_ v: [Double]) -> Double { let m = mean(v); return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count) }

    @Test(arguments: [[6, 3], [4, 3, 5], [2, 3, 4, 3]])
    func batchNormTrainingAndEvalMatchLoops(_ shape: [Int]) {
        let layer: BatchNorm<Double> = shape.count == 4 ? BatchNorm2d(numFeatures: 3) : BatchNorm1d(numFeatures: 3)
        layer.weight!.assign(Tensor([1.5, -0.5, 2]))
        layer.bias!.assign(Tensor([0.1, 0.2, -0.3]))
        var rng = SplitMix64(seed: UInt64(shape.count))
        let x = Tensor<Double>.randomUniform(shape, -2, 3, using: &rng)
        let y = layer(x)
        let gamma = [1.5, -0.5, 2.0], beta = [0.1, 0.2, -0.3]
        for c in 0..<3 {
            let values = channelValues(x, c), outputs = channelValues(y, c)
            let (mu, variance) = (mean(values), populationVariance(values))
            for (v, out) in zip(values, outputs) {
                #expect(isClose(out, (v - mu) / (variance + 1e-5).squareRoot() * gamma[c] + beta[c], tolerance: 1e-10))
            }
            // Running statistics after one step from (0, 1), momentum 0.1, unbiased variance.
            let m = Double(values.count)
            #expect(isClose(layer.runningMean[c], 0.1 * mu, tolerance: 1e-12))
            #expect(isClose(layer.runningVariance[c], 0.9 + 0.1 * variance * m / (m - 1), tolerance: 1e-12))
        }
        // Eval: the running statistics, not the batch's, and they stay put.
        layer.eval()
        let (savedMean, savedVariance) = (layer.runningMean.scalars, layer.runningVariance.scalars)
        let z = layer(x)
        for c in 0..<3 {
            for (v, out) in zip(channelValues(x, c), channelValues(z, c)) {
                let expected = (v - savedMean[c]) / (savedVariance[c] + 1e-5).squareRoot() * gamma[c] + beta[c]
                #expect(isClose(out, expected, tolerance: 1e-10))
            }
        }
        #expect(layer.runningMean.scalars == savedMean && layer.runningVariance.scalars == savedVariance)
    }

    @Test func evalGivesEachSampleTheSameAnswerWhateverTheBatch() {
        let layer = BatchNorm1d<Double>(numFeatures: 2)
        var rng = SplitMix64(seed: 1)
        for _ in 0..<3 { _ = layer(Tensor<Double>.randomUniform([8, 2], -1, 1, using: &rng)) }
        layer.eval()
        let batch = Tensor<Double>.randomUniform([5, 2], -1, 1, using: &rng)
        let alone = layer(batch.slice(axis: 0, 0, 1))
        #expect(layer(batch).slice(axis: 0, 0, 1).scalars == alone.scalars)
    }

    @Test func batchNormNamesAreTorchs() {
        let bn = BatchNorm2d<Float>(numFeatures: 4)
        #expect(bn.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(bn.namedState.map(\.name) == ["weight", "bias", "running_mean", "running_var"])
        #expect(bn.weight!.scalars == [1, 1, 1, 1] && bn.bias!.scalars == [0, 0, 0, 0])
        #expect(bn.runningMean.scalars == [0, 0, 0, 0] && bn.runningVariance.scalars == [1, 1, 1, 1])
        #expect(!bn.runningMean.requiresGrad)
        // PyTorch: nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU()).state_dict() keys,
        // leaving out BatchNorm's integer num_batches_tracked.
        var rng = SplitMix64(seed: 0)
        let model = Sequential<Float>(Conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, using: &rng), bn, ReLU())
        #expect(model.namedState.map(\.name)
                == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"])
        #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        // Keras counts the running statistics as non-trainable parameters: 2·4 here.
        let summary = model.summary(inputShape: [2, 1, 5, 5])
        #expect(summary.nonTrainableCount == 8 && summary.trainableCount == 40 + 8)
        #expect(summary.rows[1] == .init(name: "1", type: "BatchNorm2d(4)", outputShape: [2, 4, 3, 3], parameterCount: 16))
        #expect(BatchNorm1d<Float>(numFeatures: 3, affine: false).namedState.map(\.name) == ["running_mean", "running_var"])
    }

    @Test func batchNormGradientsInTrainAndEval() {
        let layer = BatchNorm2d<Double>(numFeatures: 2)
        layer.weight!.assign(Tensor([0.7, -1.2]))
        layer.bias!.assign(Tensor([0.3, 0.5]))
        let x = randomLeaf([3, 2, 2, 2], seed: 9)
        // The training forward depends only on the batch (the running statistics it updates are
        // not read), so repeated evaluations for the differences are consistent.
        #expect(maxGradientError(wrt: [x, layer.weight!, layer.bias!]) { layer(x) } < 1e-6)
        layer.eval()
        #expect(maxGradientError(wrt: [x, layer.weight!, layer.bias!]) { layer(x) } < 1e-7)
    }

    @Test func layerNormMatchesLoopsAndGradients() {
        let layer = LayerNorm<Double>(normalizedShape: [2, 3])
        layer.weight!.assign(try! Tensor(rows: [[1, 2, 0.5], [-1, 1, 3]]))
        layer.bias!.assign(try! Tensor(rows: [[0, 0.1, 0.2], [0.3, 0.4, 0.5]]))
        let x = randomLeaf([4, 2, 3], seed: 12)
        let y = layer(x)
        let (xs, ys, g, b) = (x.scalars, y.scalars, layer.weight!.scalars, layer.bias!.scalars)
        for sample in 0..<4 {
            let values = Array(xs[(sample * 6)..<(sample * 6 + 6)])
            let (mu, variance) = (mean(values), populationVariance(values))
            for k in 0..<6 {
                #expect(isClose(ys[sample * 6 + k], (values[k] - mu) / (variance + 1e-5).squareRoot() * g[k] + b[k],
                                tolerance: 1e-10))
            }
        }
        #expect(layer.namedParameters.map(\.name) == ["weight", "bias"])
        #expect(maxGradientError(wrt: [x, layer.weight!, layer.bias!]) { layer(x) } < 1e-6)
        // The same in eval: layer norm has no mode.
        layer.eval()
        #expect(layer(x).scalars == ys)
    }

    @Test func batchNormWrongChannelsTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BatchNorm2d<Float>(numFeatures: 3)(.zeros([2, 4, 5, 5]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("BatchNorm2d(3): expects input [N, C, H, W] with C = 3, got [2, 4, 5, 5] "
                                + "(called from LayersTests/NormalizationTests.swift:"))
    }
}
