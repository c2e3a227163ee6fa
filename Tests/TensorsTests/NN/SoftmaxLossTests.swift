// SoftmaxLossTests.swift — softmax, logSoftmax and the losses against plain Double loops,
// their gradients against central differences, and the typed errors for bad labels.

import Testing
import Foundation
import Engine
import _TestSupport
@testable import Tensors

@Suite struct SoftmaxLossTests {
    func total(_ values: [Double]) -> Double {
        var sum = 0.0
        for v in values { sum += v }
        return sum
    }

    /// softmax_i = e^(x_i) / Σ_j e^(x_j) along the last axis of a [rows, n] array, directly.
    func referenceSoftmax(_ rows: [[Double]]) -> [[Double]] {
        rows.map { row in
            let e = row.map { Foundation.exp($0) }
            let sum = total(e)
            return e.map { $0 / sum }
        }
    }

    @Test(arguments: 0..<3)
    func softmaxAndLogSoftmaxMatchLoops(seed: Int) {
        var rng = SplitMix64(seed: UInt64(500 + seed))
        let rows = 1 + Int(rng.next() % 4), n = 2 + Int(rng.next() % 5)
        // A transposed view: softmax must read through the strides.
        let stored = Tensor<Double>.randomUniform([n, rows], -4, 4, using: &rng)
        let x = stored.transposed()
        let values = (0..<rows).map { r in (0..<n).map { c in stored[c, r] } }
        let expected = referenceSoftmax(values)
        let soft = x.softmax()
        let logSoft = x.logSoftmax(axis: 1)
        #expect(soft.shape == [rows, n] && logSoft.shape == [rows, n])
        for r in 0..<rows {
            for c in 0..<n {
                #expect(isClose(soft[r, c], expected[r][c], tolerance: 1e-12))
                #expect(isClose(logSoft[r, c], Foundation.log(expected[r][c]), tolerance: 1e-12))
            }
        }
        // Along axis 0 of the same tensor: columns sum to 1.
        let columns = x.softmax(axis: 0).sum(axis: 0)
        for c in 0..<n { #expect(isClose(columns[c], 1, tolerance: 1e-12)) }
    }

    @Test func softmaxIsStableForLargeLogits() {
        let x = Tensor<Float>([1000, 1000, -1000])
        #expect(x.softmax().scalars == [0.5, 0.5, 0])
        let logs = x.logSoftmax().scalars
        #expect(Swift.abs(logs[0] + Float(M_LN2)) < 1e-4)   // Float spacing at 1000 is 6e-5
        #expect(logs[2].isFinite && Swift.abs(logs[2] - (-2000 - Float(M_LN2))) < 1e-2)
    }

    @Test func crossEntropyMatchesLoopAndDifferences() throws {
        var rng = SplitMix64(seed: 77)
        let logits = Tensor<Double>.randomUniform([4, 3], -3, 3, using: &rng)
        let labels = [2, 0, 2, 1]
        var expected = 0.0
        for n in 0..<4 {
            let row = (0..<3).map { logits[n, $0] }
            let z = total(row.map { Foundation.exp($0) })
            expected -= Foundation.log(Foundation.exp(row[labels[n]]) / z)
        }
        expected /= 4
        #expect(isClose(try logits.crossEntropy(labels: labels).item(), expected, tolerance: 1e-12))

        // Gradient, on a non-contiguous (transposed) logits view.
        let check = checkGradients(leaves([[3, 4]], seed: 78)) { try! $0[0].transposed().crossEntropy(labels: labels) }
        #expect(check.maxError < 1e-7 && check.shapesMatch)
        #expect(check.ops.isSuperset(of: [.indexSelect, .logSoftmax, .sum]))
        // The analytic form: (softmax − onehot) / N.
        let x = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 0, 0, 0], requiresGrad: true)
        try x.crossEntropy(labels: [0, 2]).backward()
        let e: [Double] = [1, 2, 3].map { Foundation.exp(Double($0)) }
        let z = total(e)
        let p: [Double] = e.map { $0 / z }
        let third: Double = Double(1) / Double(3)
        let expectedGrad: [Double] = [(p[0] - 1) / 2, p[1] / 2, p[2] / 2, third / 2, third / 2, (third - 1) / 2]
        for (g, want) in zip(x.grad!.scalars, expectedGrad) { #expect(isClose(g, want, tolerance: 1e-12)) }
    }

    @Test func crossEntropyRejectsBadLabels() {
        let logits = Tensor<Float>.zeros([2, 3])
        #expect(throws: NNError.labelOutOfRange(label: 3, index: 1, classCount: 3)) {
            try logits.crossEntropy(labels: [0, 3])
        }
        #expect(throws: NNError.labelOutOfRange(label: -1, index: 0, classCount: 3)) {
            try logits.crossEntropy(labels: [-1, 0])
        }
        #expect(throws: NNError.labelCountMismatch(labels: 3, batch: 2)) {
            try logits.crossEntropy(labels: [0, 1, 2])
        }
        let message = NNError.labelOutOfRange(label: 3, index: 1, classCount: 3).description
        #expect(message.contains("label 3 at position 1") && message.contains("0..<3"))
    }

    @Test func binaryCrossEntropyMatchesNaiveFormulaAndIsStable() {
        var rng = SplitMix64(seed: 91)
        let x = Tensor<Double>.randomUniform([3, 4], -5, 5, using: &rng)
        let y = Tensor<Double>.randomUniform([3, 4], 0, 1, using: &rng)
        var expected = 0.0
        for (xi, yi) in zip(x.scalars, y.scalars) {
            let s = 1 / (1 + Foundation.exp(-xi))
            expected -= yi * Foundation.log(s) + (1 - yi) * Foundation.log(1 - s)
        }
        expected /= 12
        #expect(isClose(x.binaryCrossEntropy(logitsAgainst: y).item(), expected, tolerance: 1e-12))

        // Where σ rounds to 0 or 1 in Float, the naive formula gives ∞; the stable one gives
        // the exact loss: x = 100, y = 0 costs 100; x = −100, y = 1 costs 100.
        let big = Tensor<Float>([100, -100]).binaryCrossEntropy(logitsAgainst: Tensor<Float>([0, 1])).item()
        #expect(Swift.abs(big - 100) < 1e-3)

        let check = checkGradients(leaves([[3, 4], [3, 4]], seed: 92)) { t in
            t[0].binaryCrossEntropy(logitsAgainst: t[1].sigmoid())
        }
        #expect(check.maxError < 1e-7 && check.shapesMatch)
        // ∂loss/∂x = (σ(x) − y) / count, by hand.
        let xs = Tensor<Double>([0.5, -1], requiresGrad: true)
        xs.binaryCrossEntropy(logitsAgainst: Tensor<Double>([1, 0.25])).backward()
        let sig = { (v: Double) in 1 / (1 + Foundation.exp(-v)) }
        #expect(isClose(xs.grad![0], (sig(0.5) - 1) / 2, tolerance: 1e-12))
        #expect(isClose(xs.grad![1], (sig(-1) - 0.25) / 2, tolerance: 1e-12))
    }

    @Test func meanSquaredErrorMatchesLoopAndDifferences() {
        var rng = SplitMix64(seed: 93)
        let p = Tensor<Double>.randomUniform([2, 5], -2, 2, using: &rng)
        let t = Tensor<Double>.randomUniform([5, 2], -2, 2, using: &rng).transposed()
        var expected = 0.0
        for i in 0..<2 { for j in 0..<5 { expected += (p[i, j] - t[i, j]) * (p[i, j] - t[i, j]) } }
        #expect(isClose(p.meanSquaredError(t).item(), expected / 10, tolerance: 1e-12))
        let check = checkGradients(leaves([[2, 5], [5, 2]], seed: 94)) { $0[0].meanSquaredError($0[1].transposed()) }
        #expect(check.maxError < 1e-7 && check.shapesMatch)
    }

    /// The logSoftmax primitive against the composed x − logsumexp(x) it replaced (built
    /// here from logsumexp, add and mul): the same numbers, bit for bit, forward and backward,
    /// in Float on both backends, on a contiguous batch and on a transposed view. (Its values
    /// are checked against loops and finite differences above and in GradientTests.)
    @Test(arguments: [false, true])
    func logSoftmaxPrimitiveRoundsAsTheComposedForm(transposed: Bool) {
        var backends: [any Backend] = [ReferenceBackend()]
        #if BLAS
        backends.append(BLASBackend())
        #endif
        for backend in backends {
            func run(_ f: (Tensor<Float>) -> Tensor<Float>) -> (out: [Float], grad: [Float], usedPrimitive: Bool) {
                Backends.$scoped.withValue(backend) {
                    var rng = SplitMix64(seed: 97)
                    let x = Tensor<Float>.randomUniform(transposed ? [10, 6] : [6, 10], -8, 8, using: &rng).requiringGrad()
                    let weights = Tensor<Float>.randomUniform([6, 10], -1, 1, using: &rng)
                    let out = f(transposed ? x.transposed() : x)
                    (out * weights).sum().backward()
                    return (out.scalars, x.grad!.scalars, out.topologicalOrder().contains { $0.op == .logSoftmax })
                }
            }
            let primitive = run { $0.logSoftmax(axis: 1) }
            let composed = run { Tensor.add($0, -$0.logsumexp(axis: 1, keepDims: true)) }
            #expect(primitive.usedPrimitive && !composed.usedPrimitive)
            #expect(primitive.out == composed.out, "\(type(of: backend))")
            #expect(primitive.grad == composed.grad, "\(type(of: backend))")
        }
    }

    @Test func softmaxGradients() {
        let soft = checkGradients(leaves([[3, 4]], seed: 95)) { $0[0].softmax(axis: 0) }
        #expect(soft.maxError < 1e-7 && soft.shapesMatch)
        let logSoft = checkGradients(leaves([[2, 3, 4]], seed: 96)) { $0[0].permute([2, 0, 1]).logSoftmax() }
        #expect(logSoft.maxError < 1e-7 && logSoft.shapesMatch)
    }
}
