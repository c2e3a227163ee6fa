// Graders+Tensors.swift — tasks 2.1–2.8: strides, broadcasting, reduction and matmul
// backward, softmax and cross-entropy, all on flat row-major arrays.
//
// Gradients are checked against Lumen's scalar engine (each array element a `Value`) or
// against central differences; forward results against plain Double loops written here,
// independently of the learner's code.
//
// Read next: Graders+Training.swift.

import Engine
import Foundation

// MARK: - Oracles

/// Row-major strides of `shape`, as a running product from the last axis.
func referenceStrides(_ shape: [Int]) -> [Int] {
    var strides = Array(repeating: 1, count: shape.count)
    var running = 1
    for axis in shape.indices.reversed() {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}

/// Every index of `shape` in row-major order, by counting like an odometer.
func allIndices(_ shape: [Int]) -> [[Int]] {
    let count = shape.reduce(1, *)
    guard count > 0 else { return [] }
    var index = Array(repeating: 0, count: shape.count)
    var result: [[Int]] = []
    for _ in 0..<count {
        result.append(index)
        var axis = shape.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < shape[axis] { break }
            index[axis] = 0
            axis -= 1
        }
    }
    return result
}

/// For each element of the broadcast result `big`, the position in `small` it was copied from.
func broadcastSources(from small: [Int], to big: [Int]) -> [Int] {
    let strides = referenceStrides(small)
    let offset = big.count - small.count
    return allIndices(big).map { index in
        small.indices.reduce(0) { sum, axis in
            sum + (small[axis] == 1 ? 0 : index[axis + offset]) * strides[axis]
        }
    }
}

/// A broadcast-compatible pair and their result. `a` is a suffix of the result with some
/// sizes replaced by 1; `b` has the result's rank and is 1 only where `a` has the full size,
/// so every axis of the result is the larger of the two.
func randomBroadcastPair(_ rng: inout SplitMix64) -> (a: [Int], b: [Int], result: [Int]) {
    let result = (0..<rng.nextInt(1, 4)).map { _ in rng.nextInt(2, 4) }
    let offset = rng.nextInt(0, result.count - 1)
    let a = result.dropFirst(offset).map { rng.nextInt(0, 2) == 0 ? 1 : $0 }
    let b = result.indices.map { axis in
        axis >= offset && a[axis - offset] != 1 && rng.nextInt(0, 1) == 0 ? 1 : result[axis]
    }
    return rng.nextInt(0, 1) == 0 ? (a, b, result) : (b, a, result)
}

/// Lumen `Value`s for an array.
func values(_ xs: [Double]) -> [Value] { xs.map { Value($0) } }

/// Σ w · out, the scalar whose gradient with respect to `out` is `w`: the standard way to
/// turn an upstream gradient into a loss for the engine.
func weightedSum(_ out: [Value], _ weights: [Double]) -> Value {
    zip(out, weights).map { $0 * $1 }.reduce(Value(0), +)
}

/// C = A·B over `Value`s, A [m, k], B [k, n].
func matmulValues(_ a: [Value], _ b: [Value], _ m: Int, _ k: Int, _ n: Int) -> [Value] {
    (0..<m * n).map { ij in
        let (i, j) = (ij / n, ij % n)
        return (0..<k).map { p in a[i * k + p] * b[p * n + j] }.reduce(Value(0), +)
    }
}

extension Grader {
    static func checkStrides<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        try expectEqual(try s.contiguousStrides([]), [], "contiguousStrides", inputs: "shape [] (a scalar)")
        for _ in 0..<20 {
            let shape = (0..<rng.nextInt(1, 5)).map { _ in rng.nextInt(1, 6) }
            try expectEqual(try s.contiguousStrides(shape), referenceStrides(shape), "contiguousStrides", inputs: "shape \(shape)")
        }
    }

    static func checkIndexPosition<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let shape = (0..<rng.nextInt(1, 4)).map { _ in rng.nextInt(1, 5) }
            for (position, index) in allIndices(shape).enumerated() {
                try expectEqual(try s.position(index, referenceStrides(shape)), position, "position(index, strides)",
                                inputs: "index \(index) in shape \(shape), strides \(referenceStrides(shape))")
                try expectEqual(try s.index(position, shape), index, "index(position, shape)", inputs: "position \(position) in shape \(shape)")
            }
            // Non-contiguous strides, as a transposed view has: still the dot product.
            let strides = shape.map { _ in rng.nextInt(1, 30) }
            let index = shape.map { rng.nextInt(0, $0 - 1) }
            let expected = zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }
            try expectEqual(try s.position(index, strides), expected, "position(index, strides)", inputs: "index \(index), strides \(strides) (not contiguous)")
        }
    }

    static func checkBroadcastShape<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<20 {
            let (a, b, result) = randomBroadcastPair(&rng)
            try expectEqual(try s.broadcastShape(a, b), result, "broadcastShape", inputs: "\(a) and \(b)")
            // Make one axis clash: both sizes > 1 and different.
            var bad = result
            let axis = rng.nextInt(0, result.count - 1)
            bad[axis] += 1
            try expectEqual(try s.broadcastShape(bad, result), nil, "broadcastShape (incompatible shapes must give nil)", inputs: "\(bad) and \(result)")
        }
        try expectEqual(try s.broadcastShape([3, 1], [1, 4]), [3, 4], "broadcastShape", inputs: "[3, 1] and [1, 4]")
    }

    static func checkSumToShape<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for trial in 0..<15 {
            let (small, _, big) = randomBroadcastPair(&rng)
            let upstream = rng.gaussians(big.reduce(1, *))
            let leaves = rng.gaussians(small.reduce(1, *))
            let sources = broadcastSources(from: small, to: big)
            let yours = try s.sumToShape(upstream, big, small)
            let inputs = { "a gradient of shape \(big) summed back to \(small)" }
            let scene = { TensorScene("broadcast \(small) → \(big)", [Operand("a", leaves, small)], upstream: [Operand("∂L/∂out", upstream, big)]) }
            // Every trial against Lumen's Tensor autograd; the first three against Lumen's scalar
            // engine too (one Value per copy), whose graphs made this task a tenth of the sweep.
            try expectClose(yours, LumenTensors.broadcastGradient(leaves, from: small, to: big, upstream: upstream),
                            "sumToShape (checked with Lumen's Tensor autograd)", shape: small, inputs: inputs(), scene: scene())
            guard trial < 3 else { continue }
            let values = values(leaves)
            weightedSum(sources.map { values[$0] * 1 }, upstream).backward()
            try expectClose(yours, values.map { $0.grad ?? 0 }, "sumToShape (checked with Lumen's engine)", shape: small, inputs: inputs(), scene: scene())
        }
    }

    static func referenceReduce(_ kind: Reduction, _ x: [Double], _ rows: Int, _ columns: Int, _ axis: Int) -> [Double] {
        let lines = axis == 1 ? rows : columns, length = axis == 1 ? columns : rows
        return (0..<lines).map { line in
            let items = (0..<length).map { k in axis == 1 ? x[line * columns + k] : x[k * columns + line] }
            switch kind {
            case .sum: return items.reduce(0.0, +)
            case .mean: return items.reduce(0.0, +) / Double(length)
            case .max: return items.max()!
            }
        }
    }

    static func checkReductionBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for kind in Reduction.allCases {
            for trial in 0..<6 {
                // The first two trials of each kind are [2, 3], along each axis, so rows and columns
                // cannot be confused.
                let rows = trial < 2 ? 2 : rng.nextInt(1, 4), columns = trial < 2 ? 3 : rng.nextInt(1, 5)
                let axis = trial < 2 ? trial : rng.nextInt(0, 1)
                let input = rng.gaussians(rows * columns)
                let upstream = rng.gaussians(axis == 1 ? rows : columns)
                let loss = { (x: [Double]) in zip(referenceReduce(kind, x, rows, columns, axis), upstream).reduce(0) { $0 + $1.0 * $1.1 } }
                let numeric = input.indices.map { i -> Double in
                    var plus = input, minus = input
                    plus[i] += 1e-6
                    minus[i] -= 1e-6
                    return (loss(plus) - loss(minus)) / 2e-6
                }
                try expectClose(try s.reductionBackward(kind, input, rows, columns, axis, upstream), numeric,
                                "reductionBackward(.\(kind)) (checked with central differences)", tolerance: 1e-5, shape: [rows, columns],
                                inputs: "a [\(rows), \(columns)] input reduced along axis \(axis)",
                                scene: TensorScene("\(kind) along axis \(axis)", [Operand("x", input, [rows, columns])],
                                                   upstream: [Operand("∂L/∂out", upstream, [upstream.count])]))
            }
        }
    }

    static func checkMatmulBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let m = rng.nextInt(1, 4), k = rng.nextInt(1, 4), n = rng.nextInt(1, 4)
            let a = values(rng.gaussians(m * k)), b = values(rng.gaussians(k * n))
            let upstream = rng.gaussians(m * n)
            weightedSum(matmulValues(a, b, m, k, n), upstream).backward()
            let yours = try s.matmulBackward(a.map(\.data), b.map(\.data), m, k, n, upstream)
            let inputs = { "A [\(m), \(k)] = \(format(a.map(\.data))) · B [\(k), \(n)] = \(format(b.map(\.data))), upstream \(format(upstream))" }
            let scene = { TensorScene("C = A·B", [Operand("A", a.map(\.data), [m, k]), Operand("B", b.map(\.data), [k, n])],
                                    upstream: [Operand("∂L/∂C", upstream, [m, n])]) }
            try expectClose(yours.da, a.map { $0.grad ?? 0 }, "dA (checked with Lumen's engine)", shape: [m, k], inputs: inputs(), scene: scene())
            try expectClose(yours.db, b.map { $0.grad ?? 0 }, "dB (checked with Lumen's engine)", shape: [k, n], inputs: inputs(), scene: scene())
            let (da, db) = LumenTensors.matmulGradients(a.map(\.data), b.map(\.data), m: m, k: k, n: n, upstream: upstream)
            try expectClose(yours.da, da, "dA (checked with Lumen's Tensor autograd)", shape: [m, k], inputs: inputs(), scene: scene())
            try expectClose(yours.db, db, "dB (checked with Lumen's Tensor autograd)", shape: [k, n], inputs: inputs(), scene: scene())
        }
    }

    /// log Σ exp(xᵢ) the stable way, pivoting at the maximum: the grader's own formula.
    static func referenceLogSumExp(_ x: [Double]) -> Double {
        let top = x.max()!
        return top + Foundation.log(x.reduce(0) { $0 + Foundation.exp($1 - top) })
    }

    /// Logits for 2.7 and 2.8, in three kinds by `trial % 3`: small; shifted far out (±720 to
    /// ±1000, where exp overflows or underflows); spread apart, with x[0] the smallest and one
    /// other logit 1,500 to 2,000 above the rest (so even for two logits the mean is 750 below the top), so that a pivot at the minimum, the mean or x[0]
    /// overflows, and −log(softmax) of a low logit is −log 0 = ∞.
    static func testLogits(_ count: Int, trial: Int, _ rng: inout SplitMix64) -> [Double] {
        var logits = rng.gaussians(count, scale: 2)
        switch trial % 3 {
        case 0: break
        case 1:
            let shift = (rng.nextInt(0, 1) == 0 ? -1 : 1) * rng.nextUniform(720, 1000)
            logits = logits.map { $0 + shift }
        default:
            logits[0] = logits.min()! - 1
            logits[rng.nextInt(1, count - 1)] += rng.nextUniform(1500, 2000)
        }
        return logits
    }

    static func checkSoftmax<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for trial in 0..<12 {
            let logits = testLogits(rng.nextInt(2, 6), trial: trial, &rng)
            let inputs = { "logits \(format(logits))" }
            let expected = referenceLogSumExp(logits)
            let yours = try s.logSumExp(logits)
            let operands = [Operand("logits", logits, [logits.count])]
            try expectClose(yours, expected, "logSumExp", tolerance: 1e-9, inputs: inputs(), scene: TensorScene("logsumexp", operands))
            try expectClose(yours, LumenTensors.logSumExp(logits), "logSumExp (checked with Lumen's Tensor.logsumexp)", tolerance: 1e-9, inputs: inputs(),
                            scene: TensorScene("logsumexp", operands))
            try expectClose(try s.softmax(logits), logits.map { Foundation.exp($0 - expected) }, "softmax", tolerance: 1e-9, inputs: inputs(),
                            scene: TensorScene("softmax", operands))
        }
    }

    static func checkCrossEntropy<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for trial in 0..<9 {
            let rows = rng.nextInt(1, 4), classes = rng.nextInt(2, 5)
            let data = (0..<rows).flatMap { _ in testLogits(classes, trial: trial, &rng) }
            // In the spread kind, the label is the smallest logit in one row: its softmax is 0.
            let labels = (0..<rows).map { r in trial % 3 == 2 && r == 0 ? 0 : rng.nextInt(0, classes - 1) }
            let logits = values(data)
            // mean over rows of  m + log Σⱼ exp(zⱼ − m) − z_label  with m the row's maximum (a
            // constant, so the gradient is unchanged), in Lumen's engine.
            let perRow = (0..<rows).map { r -> Value in
                let row = Array(logits[r * classes..<(r + 1) * classes])
                let top = row.map(\.data).max()!
                return row.map { ($0 - top).exp() }.reduce(Value(0), +).log() + top - row[labels[r]]
            }
            let loss = perRow.reduce(Value(0), +) / Double(rows)
            loss.backward()
            let yours = try s.crossEntropy(data, rows, classes, labels)
            let inputs = { "\(rows) rows of \(classes) logits \(format(data)), labels \(labels)" }
            let oneHot = (0..<rows * classes).map { labels[$0 / classes] == $0 % classes ? 1.0 : 0.0 }
            let operands = [Operand("logits", data, [rows, classes]), Operand("labels, one-hot", oneHot, [rows, classes])]
            try expectClose(yours.loss, loss.data, "the cross-entropy loss (checked with Lumen's engine)", inputs: inputs(),
                            scene: TensorScene("mean cross-entropy", operands))
            try expectClose(yours.gradient, logits.map { $0.grad ?? 0 }, "the gradient of the loss (checked with Lumen's engine)",
                            shape: [rows, classes], inputs: inputs(), scene: TensorScene("L = mean cross-entropy", operands, upstream: [Operand("∂L/∂L", [1], [1])]))
        }
    }

}
