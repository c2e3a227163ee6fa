// ReduceTests.swift — reductions against plain loops over the row-major elements.

import Testing
import Foundation
import Engine
import _TestSupport
@testable import Tensors

@Suite struct ReduceTests {
    /// For random shapes and axis sets, sum/max/mean/variance/logsumexp against a loop that
    /// groups elements by their index with the reduced axes removed.
    @Test(arguments: 0..<8)
    func reductionsMatchLoops(seed: Int) {
        var rng = SplitMix64(seed: UInt64(100 + seed))
        let rank = 1 + Int(rng.next() % 3)
        let shape = (0..<rank).map { _ in 1 + Int(rng.next() % 4) }
        let axes = (0..<rank).filter { _ in rng.next() % 2 == 0 }
        let x = Tensor<Double>.randomUniform(shape, -3, 3, using: &rng)
        let values = x.scalars
        var groups: [[Int]: [Double]] = [:]
        for (index, v) in zip(multiIndices(shape), values) {
            let key = index.indices.map { axes.contains($0) ? 0 : index[$0] }
            groups[key, default: []].append(v)
        }
        let keptShape = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
        let results: [(String, Tensor<Double>, ([Double]) -> Double)] = [
            ("sum", x.sum(axes: axes, keepDims: true), { $0.reduce(0, +) }),
            ("max", x.max(axes: axes, keepDims: true), { $0.max()! }),
            ("mean", x.mean(axes: axes, keepDims: true), { $0.reduce(0, +) / Double($0.count) }),
            ("variance", x.variance(axes: axes, keepDims: true), { g in
                let m = g.reduce(0, +) / Double(g.count)
                return g.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(g.count) }),
            ("logsumexp", x.logsumexp(axes: axes, keepDims: true), { Foundation.log($0.map(Foundation.exp).reduce(0, +)) }),
        ]
        for (name, result, fold) in results {
            #expect(result.shape == keptShape, "\(name) shape for axes \(axes) of \(shape)")
            for (key, got) in zip(multiIndices(keptShape), result.scalars) {
                #expect(isClose(got, fold(groups[key]!), tolerance: 1e-12), "\(name) at \(key)")
            }
        }
        // Without keepDims, the reduced axes are gone and the values are the same.
        let dropped = x.sum(axes: axes)
        #expect(dropped.shape == shape.indices.filter { !axes.contains($0) }.map { shape[$0] })
        #expect(dropped.scalars == x.sum(axes: axes, keepDims: true).scalars)
    }

    @Test func logsumexpIsStableForLargeInputs() {
        let x = Tensor<Float>([1000, 1000])
        // log(2·e^1000) = 1000 + ln 2; the naive formula gives +∞.
        #expect(Swift.abs(x.logsumexp(axis: 0).item() - (1000 + Float(M_LN2))) < 1e-3)
    }

    @Test func maxGradientGoesToTheArgMaxAndTiesShare() {
        let x = Tensor<Double>([1, 5, 3, 5], requiresGrad: true)
        x.max().backward()
        #expect(x.grad!.scalars == [0, 0.5, 0, 0.5])
        let y = try! Tensor<Double>(shape: [2, 3], elements: [1, 9, 2, 7, 0, 3], requiresGrad: true)
        y.max(axis: 1).backward(gradient: Tensor([10, 20]))
        #expect(y.grad!.scalars == [0, 10, 0, 20, 0, 0])
    }

    @Test func emptyReductions() {
        let e = Tensor<Double>.zeros([0, 3])
        #expect(e.sum(axis: 0).scalars == [0, 0, 0])
        #expect(e.sum(axis: 1).shape == [0])
        let minusInfinities: [Double] = [-.infinity, -.infinity, -.infinity]
        #expect(e.max(axis: 0).scalars == minusInfinities)
        #expect(e.sum().item() == 0)
    }

    @Test func varianceCorrection() {
        let x = Tensor<Double>([1, 2, 3, 4])
        #expect(x.variance().item() == 1.25)            // Σ(x − 2.5)² / 4
        #expect(isClose(x.variance(correction: 1).item(), 5.0 / 3, tolerance: 1e-15))
    }
}
