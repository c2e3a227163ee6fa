// MoreLossesTests.swift — cross-entropy with label smoothing and the two hinge losses against
// plain Double loops written from their definitions, their gradients against central
// differences and against the analytic forms, and the typed errors for bad labels.

import Testing
import Foundation
import Engine
import _TestSupport
@testable import Tensors

@Suite struct MoreLossesTests {
    /// The rows of a [rows, columns] tensor as arrays.
    func rows(_ x: Tensor<Double>) -> [[Double]] {
        (0..<x.shape[0]).map { r in (0..<x.shape[1]).map { c in x[r, c] } }
    }

    /// softmax of one row, directly.
    func softmax(_ row: [Double]) -> [Double] {
        let e = row.map { Foundation.exp($0) }
        var total = 0.0
        for value in e { total += value }
        return e.map { $0 / total }
    }

    /// −(1/N) Σ_n Σ_c q[n, c] log p[n, c] with the smoothed targets q written out.
    func smoothedCrossEntropy(_ logits: [[Double]], _ labels: [Int], _ epsilon: Double) -> Double {
        var loss = 0.0
        for (row, label) in zip(logits, labels) {
            let p = softmax(row)
            for c in row.indices {
                let onLabel: Double = c == label ? 1 - epsilon : 0
                let q: Double = onLabel + epsilon / Double(row.count)
                loss -= q * Foundation.log(p[c])
            }
        }
        return loss / Double(logits.count)
    }

    @Test(arguments: [0.0, 0.1, 0.5, 1.0])
    func labelSmoothingMatchesTheDefinition(epsilon: Double) throws {
        var rng = SplitMix64(seed: 310)
        let logits = Tensor<Double>.randomUniform([5, 4], -3, 3, using: &rng)
        let labels = [3, 0, 1, 1, 2]
        let loss = try logits.crossEntropy(labels: labels, labelSmoothing: epsilon)
        #expect(isClose(loss.item(), smoothedCrossEntropy(rows(logits), labels, epsilon), tolerance: 1e-12))
        if epsilon == 0 {
            #expect(isClose(loss.item(), try logits.crossEntropy(labels: labels).item(), tolerance: 1e-15))
        }
    }

    @Test func labelSmoothingGradient() throws {
        let labels = [2, 0, 2]
        // Against central differences, on a transposed (non-contiguous) view.
        let check = checkGradients(leaves([[4, 3]], seed: 311)) {
            try! $0[0].transposed().crossEntropy(labels: labels, labelSmoothing: 0.2)
        }
        #expect(check.maxError < 1e-7 && check.shapesMatch)
        #expect(check.ops.isSuperset(of: [.indexSelect, .logSoftmax, .sum]))
        // Against the analytic form (p − q) / N.
        let x = try Tensor<Double>(shape: [3, 4], elements: (0..<12).map { Double($0 % 5) - 1.5 }, requiresGrad: true)
        try x.crossEntropy(labels: [1, 3, 0], labelSmoothing: 0.3).backward()
        for (n, (row, label)) in zip(rows(x.detach()), [1, 3, 0]).enumerated() {
            let p = softmax(row)
            for c in 0..<4 {
                let onLabel: Double = c == label ? 0.7 : 0
                let q: Double = onLabel + 0.3 / 4
                #expect(isClose(x.grad![n, c], (p[c] - q) / 3, tolerance: 1e-12))
            }
        }
    }

    @Test func hingeLossMatchesTheDefinition() {
        var rng = SplitMix64(seed: 312)
        let scores = Tensor<Double>.randomUniform([3, 4], -2, 2, using: &rng)
        let targets = try! Tensor<Double>(shape: [3, 4], elements: (0..<12).map { $0 % 3 == 0 ? 1 : -1 })
        var expected = 0.0
        for (x, y) in zip(scores.scalars, targets.scalars) { expected += Swift.max(0, 1 - y * x) }
        #expect(isClose(scores.hingeLoss(targets: targets).item(), expected / 12, tolerance: 1e-12))

        // Gradient −y/count inside the margin, 0 outside it, by hand: y·x = 2 (outside),
        // 0.5 and −1 (inside).
        let x = Tensor<Double>([2, 0.5, 1], requiresGrad: true)
        x.hingeLoss(targets: Tensor<Double>([1, 1, -1])).backward()
        let third: Double = 1.0 / 3
        let expectedGradient: [Double] = [0, -third, third]
        #expect(x.grad!.scalars == expectedGradient)
        let check = checkGradients(leaves([[3, 4]], seed: 313)) { $0[0].hingeLoss(targets: targets) }
        #expect(check.maxError < 1e-7 && check.shapesMatch)
    }

    @Test(arguments: [1.0, 0.25])
    func multiClassHingeLossMatchesTheDefinition(margin: Double) throws {
        var rng = SplitMix64(seed: 314)
        let scores = Tensor<Double>.randomUniform([4, 3], -1, 1, using: &rng)
        let labels = [0, 2, 2, 1]
        var expected = 0.0
        for (row, label) in zip(rows(scores), labels) {
            for c in row.indices where c != label { expected += Swift.max(0, margin - row[label] + row[c]) / 3 }
        }
        expected /= 4
        let loss = try scores.multiClassHingeLoss(labels: labels, margin: margin)
        #expect(isClose(loss.item(), expected, tolerance: 1e-12))
        let check = checkGradients(leaves([[3, 4]], seed: 315)) {
            try! $0[0].transposed().multiClassHingeLoss(labels: labels, margin: margin)
        }
        #expect(check.maxError < 1e-7 && check.shapesMatch)
    }

    /// One row, label 0, scores (2, 1.5, −1), margin 1, by hand: class 1 falls short by
    /// 1 − 2 + 1.5 = 0.5, class 2 clears the margin (1 − 2 − 1 < 0). loss = 0.5 / 3; the
    /// gradient is −1/3 for the label, +1/3 for class 1, 0 for class 2.
    @Test func multiClassHingeByHand() throws {
        let x = try Tensor<Double>(shape: [1, 3], elements: [2, 1.5, -1], requiresGrad: true)
        let loss = try x.multiClassHingeLoss(labels: [0])
        #expect(isClose(loss.item(), 0.5 / 3, tolerance: 1e-15))
        loss.backward()
        let third: Double = 1.0 / 3
        #expect(allEqual(x.grad!.scalars, [-third, third, 0]))
    }

    func allEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance: 1e-15) }
    }

    @Test func badLabelsAreTypedErrors() {
        let logits = Tensor<Float>.zeros([2, 3])
        #expect(throws: NNError.labelOutOfRange(label: 3, index: 1, classCount: 3)) {
            try logits.crossEntropy(labels: [0, 3], labelSmoothing: 0.1)
        }
        #expect(throws: NNError.labelCountMismatch(labels: 1, batch: 2)) {
            try logits.multiClassHingeLoss(labels: [0])
        }
        #expect(throws: NNError.labelOutOfRange(label: -1, index: 0, classCount: 3)) {
            try logits.multiClassHingeLoss(labels: [-1, 2])
        }
    }
}
