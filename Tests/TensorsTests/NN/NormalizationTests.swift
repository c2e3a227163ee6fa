// NormalizationTests.swift — layer norm and batch norm (training and eval, running
// statistics) against plain Double loops, and their gradients against central differences.

import Testing
import Foundation
import Engine
import _TestSupport
@testable import Tensors

@Suite struct NormalizationTests {
    /// (v − mean) / √(var + ε) for one group of values, population variance.
    func standardized(_ v: [Double], epsilon: Double) -> [Double] {
        var mean = 0.0
        for x in v { mean += x }
        mean /= Double(v.count)
        var variance = 0.0
        for x in v { variance += (x - mean) * (x - mean) }
        variance /= Double(v.count)
        return v.map { ($0 - mean) / Foundation.sqrt(variance + epsilon) }
    }

    @Test func layerNormMatchesLoops() {
        var rng = SplitMix64(seed: 301)
        // [2, 3, 4], normalized over the last two axes, read through a permuted view.
        let stored = Tensor<Double>.randomUniform([4, 2, 3], -2, 2, using: &rng)
        let x = stored.permute([1, 2, 0])
        let gamma = Tensor<Double>.randomUniform([3, 4], 0.5, 1.5, using: &rng)
        let beta = Tensor<Double>.randomUniform([3, 4], -1, 1, using: &rng)
        let out = x.layerNorm(normalizedAxes: 2, weight: gamma, bias: beta, epsilon: 1e-5)
        #expect(out.shape == [2, 3, 4])
        for n in 0..<2 {
            var group: [Double] = []
            for i in 0..<3 { for j in 0..<4 { group.append(x[n, i, j]) } }
            let z = standardized(group, epsilon: 1e-5)
            for i in 0..<3 { for j in 0..<4 {
                #expect(isClose(out[n, i, j], z[i * 4 + j] * gamma[i, j] + beta[i, j], tolerance: 1e-12))
            } }
        }
        let check = checkGradients(leaves([[4, 2, 3], [4], [4]], seed: 302)) { v in
            v[0].permute([1, 2, 0]).layerNorm(weight: v[1], bias: v[2])
        }
        #expect(check.maxError < 1e-6 && check.shapesMatch, "layerNorm gradient error \(check.maxError)")
    }

    @Test func batchNormTrainingUpdatesRunningStatisticsAndEvalUsesThem() {
        var rng = SplitMix64(seed: 303)
        let (n, c, h, w) = (3, 2, 2, 3)
        let x = Tensor<Double>.randomUniform([n, c, h, w], -2, 2, using: &rng)
        let gamma = Tensor<Double>([1.5, 0.5]), beta = Tensor<Double>([0.25, -1])
        let runningMean = Tensor<Double>([0.1, -0.2]), runningVariance = Tensor<Double>([1, 2])
        let out = x.batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: gamma, bias: beta,
                              training: true, momentum: 0.2, epsilon: 1e-5)
        var expectedMean: [Double] = [], expectedVariance: [Double] = []
        for ci in 0..<c {
            var group: [Double] = []
            for ni in 0..<n { for y in 0..<h { for xo in 0..<w { group.append(x[ni, ci, y, xo]) } } }
            let z = standardized(group, epsilon: 1e-5)
            var k = 0
            for ni in 0..<n { for y in 0..<h { for xo in 0..<w {
                #expect(isClose(out[ni, ci, y, xo], z[k] * gamma[ci] + beta[ci], tolerance: 1e-12))
                k += 1
            } } }
            let m = Double(group.count)
            var mean = 0.0
            for v in group { mean += v }
            mean /= m
            var squares = 0.0
            for v in group { squares += (v - mean) * (v - mean) }
            expectedMean.append(mean)
            expectedVariance.append(squares / (m - 1))
        }
        let oldMean: [Double] = [0.1, -0.2], oldVariance: [Double] = [1, 2]
        for ci in 0..<c {
            #expect(isClose(runningMean[ci], 0.8 * oldMean[ci] + 0.2 * expectedMean[ci], tolerance: 1e-12))
            #expect(isClose(runningVariance[ci], 0.8 * oldVariance[ci] + 0.2 * expectedVariance[ci], tolerance: 1e-12))
        }
        // Eval: the running statistics, not the batch's, and they do not change.
        let before = (runningMean.scalars, runningVariance.scalars)
        let evaluated = x.batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: gamma,
                                    bias: beta, training: false)
        for ni in 0..<n { for ci in 0..<c { for y in 0..<h { for xo in 0..<w {
            let want = (x[ni, ci, y, xo] - runningMean[ci]) / Foundation.sqrt(runningVariance[ci] + 1e-5) * gamma[ci] + beta[ci]
            #expect(isClose(evaluated[ni, ci, y, xo], want, tolerance: 1e-12))
        } } } }
        #expect(runningMean.scalars == before.0 && runningVariance.scalars == before.1)
    }

    @Test func batchNormGradients() {
        let train = checkGradients(leaves([[3, 2, 2, 2], [2], [2]], seed: 304)) { v in
            let stats = (Tensor<Double>.zeros([2]), Tensor<Double>.ones([2]))
            return v[0].transpose(2, 3).batchNorm(runningMean: stats.0, runningVariance: stats.1,
                                                 weight: v[1], bias: v[2], training: true)
        }
        #expect(train.maxError < 1e-6 && train.shapesMatch, "batchNorm training gradient \(train.maxError)")
        let eval = checkGradients(leaves([[4, 3], [3], [3]], seed: 305)) { v in
            v[0].batchNorm(runningMean: Tensor([0.5, -0.5, 0]), runningVariance: Tensor([2, 0.5, 1]),
                           weight: v[1], bias: v[2], training: false)
        }
        #expect(eval.maxError < 1e-7 && eval.shapesMatch)
    }
}
