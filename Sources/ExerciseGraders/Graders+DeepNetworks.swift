// Graders+DeepNetworks.swift — tasks 4.1–4.9 (lessons 13–16): BatchNorm's backward, Kaiming's
// scale, an embedding's backward, an LSTM cell's backward, causal attention and its backward,
// sampling at a temperature, a GAN discriminator's step and mode coverage.
//
// These are array tasks: each grader gets the learner's function as an `ArrayFunction` (their
// typed function behind its line in Hookup.swift) and checks it against an oracle written
// here: central differences of a forward written here for the gradients (Lumen's engine for
// attention's, whose sharp scores would make a difference quotient inexact), plain Double loops
// for forward values, and for mode coverage an answer known by construction.
//
// Read next: ExerciseTask+DeepNetworks.swift (their rows in the catalogue).

import Engine
import Foundation

// MARK: - Calling an array task, and the oracles

/// Calls `function` and checks that it gave back `count` arrays (else its hookup line is wrong).
func call(_ function: ArrayFunction, _ numbers: [[Double]], _ integers: [Int], returns count: Int, _ name: String) throws -> [[Double]] {
    let arrays = try function(numbers, integers)
    guard arrays.count == count else {
        throw GradeFailure("\(name) came back as \(arrays.count) arrays through Hookup.swift, expected \(count): has its line in `arrayTasks` been edited?")
    }
    return arrays
}

/// An integer a function returned as one number (a sampled index, a count).
func returnedInteger(_ arrays: [[Double]], _ name: String) throws -> Int {
    guard arrays[0].count == 1, let value = Int(exactly: arrays[0][0]) else {
        throw GradeFailure("\(name) did not return one integer.")
    }
    return value
}

/// ∂f/∂xᵢ for every i by central differences, with a step scaled to each entry.
func centralDifferences(_ f: ([Double]) -> Double, at x: [Double]) -> [Double] {
    x.indices.map { i in
        let h = 1e-5 * max(1, abs(x[i]))
        var up = x, down = x
        up[i] += h
        down[i] -= h
        return (f(up) - f(down)) / (2 * h)
    }
}

func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

/// Small matrices in full; larger ones by their size.
func show(_ name: String, _ values: [Double], _ shape: [Int]) -> String {
    "\(name) \(shape) = " + (values.count <= 12 ? format(values) : "(\(values.count) numbers)")
}

extension Grader {
    // MARK: - 4.1 BatchNorm backward

    /// y = γ·(x − μ)/√(σ² + ε) + β over the rows of x [rows, features], written here for the oracle.
    static func batchNorm(_ x: [Double], _ gamma: [Double], _ beta: [Double], rows: Int, features: Int, epsilon: Double) -> [Double] {
        var y = x
        for j in 0..<features {
            var mean = 0.0, square = 0.0
            for r in 0..<rows { mean += x[r * features + j] / Double(rows) }
            for r in 0..<rows { square += (x[r * features + j] - mean) * (x[r * features + j] - mean) / Double(rows) }
            for r in 0..<rows { y[r * features + j] = gamma[j] * (x[r * features + j] - mean) / (square + epsilon).squareRoot() + beta[j] }
        }
        return y
    }

    static func checkBatchNormBackward(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        // ε large enough that leaving it out shows; columns with offsets and spreads of their own.
        for epsilon in [0.5, 0.1, 0.02] {
            let rows = rng.nextInt(3, 6), features = rng.nextInt(2, 4)
            let offsets = rng.gaussians(features, scale: 3)
            let spreads = (0..<features).map { _ in rng.nextUniform(0.5, 2.5) }
            let x = (0..<rows * features).map { offsets[$0 % features] + spreads[$0 % features] * rng.nextGaussian() }
            let gamma = rng.gaussians(features), beta = rng.gaussians(features), dy = rng.gaussians(rows * features)
            let yours = try call(f, [x, gamma, dy, [epsilon]], [rows, features], returns: 3, "batchNormBackward")
            // The oracle: the gradient of L = Σ dy·y by central differences.
            let dx = centralDifferences({ dot(dy, batchNorm($0, gamma, beta, rows: rows, features: features, epsilon: epsilon)) }, at: x)
            let dGamma = centralDifferences({ dot(dy, batchNorm(x, $0, beta, rows: rows, features: features, epsilon: epsilon)) }, at: gamma)
            let dBeta = centralDifferences({ dot(dy, batchNorm(x, gamma, $0, rows: rows, features: features, epsilon: epsilon)) }, at: beta)
            let inputs = { [show("x", x, [rows, features]), show("γ", gamma, [features]), show("dy", dy, [rows, features]), "ε = \(epsilon)"].joined(separator: ", ") }
            let scene = { TensorScene("y = BatchNorm(x)·γ + β, ε = \(epsilon)", [Operand("x", x, [rows, features]), Operand("γ", gamma, [features])],
                                    upstream: [Operand("dy", dy, [rows, features])]) }
            try expectClose(yours[1], dGamma, "dγ", tolerance: 1e-5, inputs: inputs(), scene: scene())
            try expectClose(yours[2], dBeta, "dβ", tolerance: 1e-5, inputs: inputs(), scene: scene())
            do {
                try expectClose(yours[0], dx, "dx", tolerance: 1e-5, shape: [rows, features], inputs: inputs(), scene: scene())
            } catch let failure as GradeFailure {
                throw GradeFailure(failure.message + "\n  Each x of a column moves that column's mean and variance, so dx has three terms: dy, its column mean, and x̂ times the column mean of dy·x̂. Is the variance divided by N (not N − 1), with ε inside the root?")
            }
        }
    }

    // MARK: - 4.2 Kaiming's scale

    static func checkKaimingStd(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        for slope in [0, 1, rng.nextUniform(0.01, 0.3), rng.nextUniform(0.3, 3)] {
            let fanIn = rng.nextInt(3, 4096)
            let yours = try call(f, [[slope]], [fanIn], returns: 1, "kaimingStd")
            guard yours[0].count == 1 else { throw GradeFailure("kaimingStd did not return one number.") }
            // Var(w) = 2 / ((1 + a²)·fanIn) keeps E[y²] from layer to layer; the std is its root.
            let expected = (2 / ((1 + slope * slope) * Double(fanIn))).squareRoot()
            try expectClose(yours[0][0], expected, "the standard deviation", inputs: "fanIn = \(fanIn), negative slope a = \(format(slope))")
        }
    }

    // MARK: - 4.3 Embedding backward

    static func checkEmbeddingBackward(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        for _ in 0..<3 {
            let vocabulary = rng.nextInt(4, 9), dimension = rng.nextInt(2, 5), count = rng.nextInt(6, 12)
            var ids = (0..<count).map { _ in rng.nextInt(0, vocabulary - 1) }
            // A name repeats its letters: make sure an id comes back, three times.
            ids[count - 1] = ids[0]
            ids[count / 2] = ids[0]
            let upstream = rng.gaussians(count * dimension)
            let yours = try call(f, [upstream], [vocabulary, dimension] + ids, returns: 1, "embeddingBackward")
            // The oracle: row v gathers every output row whose id is v.
            let expected = (0..<vocabulary * dimension).map { k in
                ids.indices.filter { ids[$0] == k / dimension }.reduce(0) { $0 + upstream[$1 * dimension + k % dimension] }
            }
            let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            try expectClose(yours[0], expected, "The table's gradient", shape: [vocabulary, dimension],
                            inputs: "ids \(ids) (repeated: \(repeated)), " + show("upstream", upstream, [count, dimension]),
                            scene: TensorScene("look up rows \(ids)", [Operand("ids", ids.map(Double.init), [count])],
                                               upstream: [Operand("∂L/∂out", upstream, [count, dimension])]))
        }
    }

    // MARK: - 4.4 LSTM cell backward

    /// One LSTM step (gate order i, f, g, o), written here for the oracle: h' and c', side by side.
    static func lstmStep(_ p: [[Double]], rows: Int, inputs: Int, hidden: Int) -> (h: [Double], c: [Double]) {
        let (x, h, c, wIH, wHH, bias) = (p[0], p[1], p[2], p[3], p[4], p[5])
        var hNext = Array(repeating: 0.0, count: rows * hidden), cNext = hNext
        func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }
        for r in 0..<rows {
            for u in 0..<hidden {
                var z = [0.0, 0.0, 0.0, 0.0]
                for gate in 0..<4 {
                    let row = gate * hidden + u
                    z[gate] = bias[row]
                    for i in 0..<inputs { z[gate] += x[r * inputs + i] * wIH[row * inputs + i] }
                    for j in 0..<hidden { z[gate] += h[r * hidden + j] * wHH[row * hidden + j] }
                }
                let cell = sigmoid(z[1]) * c[r * hidden + u] + sigmoid(z[0]) * Foundation.tanh(z[2])
                cNext[r * hidden + u] = cell
                hNext[r * hidden + u] = sigmoid(z[3]) * Foundation.tanh(cell)
            }
        }
        return (hNext, cNext)
    }

    static func checkLSTMCellBackward(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        for _ in 0..<2 {
            let rows = rng.nextInt(1, 3), inputs = rng.nextInt(2, 3), hidden = rng.nextInt(1, 3)
            let parameters = [rng.gaussians(rows * inputs), rng.gaussians(rows * hidden, scale: 0.8), rng.gaussians(rows * hidden),
                              rng.gaussians(4 * hidden * inputs, scale: 0.7), rng.gaussians(4 * hidden * hidden, scale: 0.7),
                              rng.gaussians(4 * hidden, scale: 0.5)]
            let dhNext = rng.gaussians(rows * hidden), dcNext = rng.gaussians(rows * hidden)
            let yours = try call(f, parameters + [dhNext, dcNext], [rows, inputs, hidden], returns: 6, "lstmCellBackward")
            // The oracle: L = Σ dh'·h' + Σ dc'·c', differentiated numerically in each argument.
            func loss(_ p: [[Double]]) -> Double {
                let (h, c) = lstmStep(p, rows: rows, inputs: inputs, hidden: hidden)
                return dot(dhNext, h) + dot(dcNext, c)
            }
            let names = ["dx", "dh", "dc", "dW_ih", "dW_hh", "db"]
            let shapes = [[rows, inputs], [rows, hidden], [rows, hidden], [4 * hidden, inputs], [4 * hidden, hidden], [4 * hidden]]
            let scene = { TensorScene("one LSTM step", zip(["x", "h", "c", "W_ih", "W_hh", "b"], zip(parameters, shapes)).map { Operand($0, $1.0, $1.1) },
                                    upstream: [Operand("dh'", dhNext, [rows, hidden]), Operand("dc'", dcNext, [rows, hidden])]) }
            let described = { "rows = \(rows), inputs = \(inputs), hidden = \(hidden), " + show("dh'", dhNext, [rows, hidden]) + ", " + show("dc'", dcNext, [rows, hidden]) }
            for k in 0..<6 {
                let expected = centralDifferences({ var p = parameters; p[k] = $0; return loss(p) }, at: parameters[k])
                do {
                    try expectClose(yours[k], expected, names[k], tolerance: 1e-5, shape: shapes[k], inputs: described(), scene: scene())
                } catch let failure as GradeFailure {
                    let advice = k == 2
                        ? "c' reaches the loss twice, through dc' and through h' = o·Foundation.tanh(c'); dc is their sum times f."
                        : "Check each gate's derivative at its output (σ' = s(1 − s), tanh' = 1 − t²), and tanh' of the new cell c'."
                    throw GradeFailure(failure.message + "\n  " + advice)
                }
            }
        }
    }

    // MARK: - 4.5 Causal attention

    static func checkCausalAttention(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        // Plain scores, then sharp ones (hundreds apart) where the first position scores 1600,
        // which overflows an exp that does not subtract the row's maximum first.
        for sharpness in [1.0, 1.0, 9.0] {
            let time = rng.nextInt(2, 6), dimension = rng.nextInt(2, 5)
            var q = rng.gaussians(time * dimension, scale: sharpness), k = rng.gaussians(time * dimension, scale: sharpness)
            let v = rng.gaussians(time * dimension)
            if sharpness > 1 {
                for e in 0..<dimension { (q[e], k[e]) = (e == 0 ? 40 : 0, e == 0 ? 40 * Double(dimension).squareRoot() : 0) }
            }
            let yours = try call(f, [q, k, v], [time, dimension], returns: 1, "causalAttention")
            // The oracle: row i mixes the value rows 0…i only, weighted by Foundation.exp(score − logsumexp).
            var expected = Array(repeating: 0.0, count: time * dimension)
            for i in 0..<time {
                let scores = (0...i).map { j in (0..<dimension).reduce(0) { $0 + q[i * dimension + $1] * k[j * dimension + $1] } / Foundation.sqrt(Double(dimension)) }
                let top = scores.max()!
                let lse = top + Foundation.log(scores.reduce(0) { $0 + Foundation.exp($1 - top) })
                for j in 0...i {
                    for e in 0..<dimension { expected[i * dimension + e] += Foundation.exp(scores[j] - lse) * v[j * dimension + e] }
                }
            }
            try expectClose(yours[0], expected, "The attention output", shape: [time, dimension],
                            inputs: [show("q", q, [time, dimension]), show("k", k, [time, dimension]), show("v", v, [time, dimension])].joined(separator: ", ")
                                + "\n  Row i may look at rows 0…i only (scores over j > i are −∞ before the softmax), scores are divided by √d, and the softmax subtracts the row's maximum",
                            scene: TensorScene("causal attention", [Operand("q", q, [time, dimension]), Operand("k", k, [time, dimension]), Operand("v", v, [time, dimension])]))
        }
    }

    // MARK: - 4.9 Causal attention's backward

    /// Causal attention in Lumen's engine, the oracle of 4.9: row i of out mixes the value rows
    /// 0…i, weighted by a softmax of the scores that subtracts its maximum (a constant).
    static func attentionValues(_ q: [Value], _ k: [Value], _ v: [Value], time: Int, dimension: Int) -> [Value] {
        let scale = 1 / Foundation.sqrt(Double(dimension))
        var out: [Value] = []
        for i in 0..<time {
            var scores: [Value] = []
            for j in 0...i {
                var score = Value(0)
                for e in 0..<dimension { score = score + q[i * dimension + e] * k[j * dimension + e] }
                scores.append(score * scale)
            }
            let top: Double = scores.map { $0.data }.max()!
            let weights: [Value] = scores.map { ($0 - top).exp() }
            let total: Value = weights.reduce(Value(0), +)
            for e in 0..<dimension {
                var mixed = Value(0)
                for j in 0...i { mixed = mixed + weights[j] / total * v[j * dimension + e] }
                out.append(mixed)
            }
        }
        return out
    }

    static func checkCausalAttentionBackward(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        // Plain scores twice, then sharp ones as in 4.5 (the first key scores 1600 against the
        // first query), where an exp that does not subtract the row's maximum overflows.
        for sharpness in [1.0, 1.0, 9.0] {
            let time = rng.nextInt(2, 5), dimension = rng.nextInt(2, 4)
            var q = rng.gaussians(time * dimension, scale: sharpness), k = rng.gaussians(time * dimension, scale: sharpness)
            let v = rng.gaussians(time * dimension), dOut = rng.gaussians(time * dimension)
            if sharpness > 1 {
                for e in 0..<dimension { (q[e], k[e]) = (e == 0 ? 40 : 0, e == 0 ? 40 * Double(dimension).squareRoot() : 0) }
            }
            let yours = try call(f, [q, k, v, dOut], [time, dimension], returns: 3, "causalAttentionBackward")
            // The oracle: Lumen's engine differentiates L = Σ dOut ⊙ out.
            let (qs, ks, vs) = (values(q), values(k), values(v))
            weightedSum(attentionValues(qs, ks, vs, time: time, dimension: dimension), dOut).backward()
            let shape = [time, dimension]
            let inputs = { [show("q", q, shape), show("k", k, shape), show("v", v, shape), show("dOut", dOut, shape)].joined(separator: ", ") }
            let scene = { TensorScene("out = softmax(q·kᵀ/√d, j ≤ i)·v", [Operand("q", q, shape), Operand("k", k, shape), Operand("v", v, shape)],
                                    upstream: [Operand("dOut", dOut, shape)]) }
            let advice = [
                "dv = Pᵀ·dOut, with P the masked softmax of the forward: row i of P is zero beyond column i.",
                "dS = P ⊙ (dP − Σⱼ P·dP) row by row, dP = dOut·vᵀ, then dq = dS·k/√d.",
                "dk = dSᵀ·q/√d: key j collects from every query i ≥ j that looked at it.",
            ]
            for (index, (name, oracle)) in [("dv", vs), ("dq", qs), ("dk", ks)].enumerated() {
                do {
                    try expectClose(yours[[2, 0, 1][index]], oracle.map { $0.grad ?? 0 }, name + " (checked with Lumen's engine)",
                                    tolerance: 1e-8, shape: shape, inputs: inputs(), scene: scene())
                } catch let failure as GradeFailure {
                    throw GradeFailure(failure.message + "\n  " + advice[index])
                }
            }
        }
    }

    // MARK: - 4.6 Sampling at a temperature

    static func checkSampleWithTemperature(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        func ask(_ logits: [Double], _ temperature: Double, _ u: Double) throws {
            // The oracle: the cumulative distribution of softmax(logits / T), through logsumexp.
            let scaled = logits.map { $0 / temperature }
            let top = scaled.max()!
            let lse = top + Foundation.log(scaled.reduce(0) { $0 + Foundation.exp($1 - top) })
            var cumulative = 0.0
            var expected = logits.count - 1
            for (i, s) in scaled.enumerated() {
                cumulative += Foundation.exp(s - lse)
                if u < cumulative { expected = i; break }
            }
            let yours = try returnedInteger(try call(f, [logits, [temperature], [u]], [], returns: 1, "sampleWithTemperature"), "sampleWithTemperature")
            try expectEqual(yours, expected, "The sampled index",
                            inputs: "logits \(format(logits)), temperature \(format(temperature)), u = \(String(format: "%.12g", u)) (p = \(format(scaled.map { Foundation.exp($0 - lse) })))")
        }
        // Ordinary logits: u just below and just above each boundary of the cumulative distribution.
        for temperature in [[0.25, 0.5][rng.nextInt(0, 1)], [2.0, 4.0][rng.nextInt(0, 1)]] {
            let logits = rng.gaussians(rng.nextInt(3, 7), scale: 2)
            let p: [Double] = logits.map { Foundation.exp($0 / temperature) }
            let total: Double = p.reduce(0.0) { $0 + $1 }
            var cumulative = 0.0
            for i in 0..<logits.count - 1 {
                cumulative += p[i] / total
                guard p[i] / total > 1e-4, p[i + 1] / total > 1e-4 else { continue }
                try ask(logits, temperature, cumulative - 1e-9)
                try ask(logits, temperature, cumulative + 1e-9)
            }
            try ask(logits, temperature, rng.nextUnit())
        }
        // Logits spread by 800: Foundation.exp(800 / T) overflows unless the maximum is subtracted first.
        var spread = rng.gaussians(rng.nextInt(3, 6), scale: 3)
        spread[rng.nextInt(0, spread.count - 2)] = 800 + rng.nextUniform(0, 100)
        try ask(spread, 0.5, rng.nextUniform(0.1, 0.9))
    }

    // MARK: - 4.7 The discriminator's step

    static func checkDiscriminatorStep(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        // An ordinary step, then a confident discriminator whose logits reach ±800.
        for confidence in [1.0, 400.0] {
            let rows = rng.nextInt(3, 6)
            let real = (0..<2 * rows).map { _ in 2 + rng.nextGaussian() }
            let noise = rng.gaussians(2 * rows)
            let wg = rng.gaussians(4), bg = rng.gaussians(2)
            let wd = rng.gaussians(2, scale: confidence)
            var fake: [Double] = []
            for r in 0..<rows {
                for o in 0..<2 {
                    let fromNoise: Double = noise[2 * r] * wg[2 * o] + noise[2 * r + 1] * wg[2 * o + 1]
                    fake.append(bg[o] + fromNoise)
                }
            }
            // The confident discriminator is fooled by the first fake point: its logit is 800.
            let bd = confidence > 1 ? [800 - fake[0] * wd[0] - fake[1] * wd[1]] : [rng.nextGaussian()]
            let learningRate = rng.nextUniform(0.05, 0.5)
            let yours = try call(f, [real, noise, wd, bd, wg, bg, [learningRate]], [rows], returns: 5, "discriminatorStep")
            // The oracle: the loss written here (Foundation.log(1 + eᶻ) through its stable form), and its
            // gradient in (wd, bd) by central differences.
            func loss(_ d: [Double]) -> Double {
                func softplus(_ z: Double) -> Double { max(z, 0) + Foundation.log(1 + Foundation.exp(-abs(z))) }
                var total = 0.0
                for r in 0..<rows {
                    let realLogit: Double = real[2 * r] * d[0] + real[2 * r + 1] * d[1] + d[2]
                    let fakeLogit: Double = fake[2 * r] * d[0] + fake[2 * r + 1] * d[1] + d[2]
                    total += (softplus(-realLogit) + softplus(fakeLogit)) / Double(rows)
                }
                return total
            }
            let gradient = centralDifferences(loss, at: wd + bd)
            let inputs = { [show("real", real, [rows, 2]), show("fake", fake, [rows, 2]), show("wd", wd, [2]), "bd = \(format(bd[0])), lr = \(format(learningRate))"].joined(separator: ", ") }
            let scene = { TensorScene("one discriminator step", [Operand("real", real, [rows, 2]), Operand("fake", fake, [rows, 2]), Operand("wd", wd, [2]), Operand("bd", bd, [1])]) }
            try expectClose(yours[4][0], loss(wd + bd), "The loss before the step", inputs: inputs() + "\n  It is the mean of −log D(real) plus the mean of −Foundation.log(1 − D(fake)); Foundation.log(1 + eᶻ) must stay finite for z = ±800", scene: scene())
            guard yours[2] == wg && yours[3] == bg else {
                throw GradeFailure("The generator changed in the discriminator's step (wg \(format(wg)) became \(format(yours[2]))): the fake points must be detached, so that this step moves the discriminator alone.")
            }
            try expectClose(yours[0], (0..<2).map { wd[$0] - learningRate * gradient[$0] }, "The new wd", inputs: inputs(), scene: scene())
            try expectClose(yours[1], [bd[0] - learningRate * gradient[2]], "The new bd", inputs: inputs() + "\n  Real points are labelled 1, generated ones 0, and each batch's loss is a mean", scene: scene())
        }
    }

    // MARK: - 4.8 Mode coverage

    static func checkModesCovered(_ f: ArrayFunction, _ rng: inout SplitMix64) throws {
        for _ in 0..<2 {
            // Modes on a ring of radius 3.5, at least 2.6 apart, so a sample within 1.3 of a centre is nearest to it.
            let modes = rng.nextInt(4, 8)
            let centres = (0..<modes).flatMap { m -> [Double] in
                let angle = 2 * Double.pi * Double(m) / Double(modes) + rng.nextUniform(-0.05, 0.05)
                return [3.5 * Foundation.cos(angle), 3.5 * Foundation.sin(angle)]
            }
            let radius = rng.nextUniform(0.4, 0.8), minimum = rng.nextInt(3, 5)
            var samples: [[Double]] = []
            func place(_ mode: Int, _ distance: Double) {
                let angle = rng.nextUniform(0, 2 * Double.pi)
                samples.append([centres[2 * mode] + distance * Foundation.cos(angle), centres[2 * mode + 1] + distance * Foundation.sin(angle)])
            }
            func inside() -> Double { rng.nextUniform(0, 0.9 * radius * radius) }
            // The kinds of mode, the first four always present: exactly `minimum` samples, one of
            // them between r² and r (covered); one short, plus one just outside r but within √r
            // (not covered); plenty (covered); a few (not covered).
            var expected = 0
            for mode in 0..<modes {
                switch mode < 4 ? mode : rng.nextInt(0, 3) {
                case 0:
                    for _ in 0..<minimum - 1 { place(mode, inside()) }
                    place(mode, radius * radius + rng.nextUniform(0.2, 0.9) * (radius - radius * radius))
                    expected += 1
                case 1:
                    for _ in 0..<minimum - 1 { place(mode, inside()) }
                    place(mode, rng.nextUniform(1.05 * radius, 0.95 * min(radius.squareRoot(), 1.3)))
                case 2:
                    for _ in 0..<minimum + rng.nextInt(2, 5) { place(mode, inside()) }
                    expected += 1
                default:
                    for _ in 0..<rng.nextInt(0, minimum - 2) { place(mode, inside()) }
                }
            }
            samples.append([0, 0])  // far from every mode
            for k in stride(from: samples.count - 1, to: 0, by: -1) { samples.swapAt(k, rng.nextInt(0, k)) }
            let flat = samples.flatMap { $0 }
            let yours = try returnedInteger(try call(f, [flat, centres, [radius]], [minimum], returns: 1, "modesCovered"), "modesCovered")
            try expectEqual(yours, expected, "The number of covered modes",
                            inputs: "\(modes) modes on a ring of radius 3.5, radius \(format(radius)), minimum \(minimum), \(samples.count) samples (a sample counts for its nearest centre only when within the radius, distance ≤ radius; a mode needs at least `minimum`)")
        }
    }
}
