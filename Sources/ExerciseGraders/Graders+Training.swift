// Graders+Training.swift — tasks 3.1–3.8: the Linear layer, SGD with momentum, Adam, a
// training loop on two moons, and convolution through im2col.
//
// Forward results are checked against plain loops written here; gradients against Lumen's
// engine (and convolution's, on most trials, against its hand-derived adjoint); optimizers against their update formulas step by step; the training loop by its
// accuracy on fresh moons it never saw.
//
// Read next: Sources/Grading (running the graders as child processes, the scoreboard).

import Engine
import Foundation
import ScalarNN

extension Grader {
    static func checkLinearForward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let rows = rng.nextInt(1, 4), inputs = rng.nextInt(1, 4), outputs = rng.nextInt(1, 4)
            let x = rng.gaussians(rows * inputs), w = rng.gaussians(outputs * inputs), b = rng.gaussians(outputs)
            // W is [outputs, inputs], as Lumen's Linear keeps it: y[r][o] = b[o] + Σᵢ x[r][i]·W[o][i].
            var expected: [Double] = []
            for r in 0..<rows {
                for o in 0..<outputs {
                    expected.append(b[o] + (0..<inputs).reduce(0) { $0 + x[r * inputs + $1] * w[o * inputs + $1] })
                }
            }
            try expectClose(try s.linearForward(x, w, b, rows, inputs, outputs), expected, "linearForward", shape: [rows, outputs],
                            inputs: "x [\(rows), \(inputs)] = \(format(x)), W [\(outputs), \(inputs)] = \(format(w)), b = \(format(b))",
                            scene: TensorScene("y = x·Wᵀ + b", [Operand("x", x, [rows, inputs]), Operand("W", w, [outputs, inputs]), Operand("b", b, [outputs])]))
        }
    }

    static func checkLinearBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let rows = rng.nextInt(1, 4), inputs = rng.nextInt(1, 4), outputs = rng.nextInt(1, 4)
            let x = values(rng.gaussians(rows * inputs)), w = values(rng.gaussians(outputs * inputs)), b = values(rng.gaussians(outputs))
            // y = x·Wᵀ + b, in Lumen's engine.
            let y = (0..<rows * outputs).map { ro -> Value in
                let (r, o) = (ro / outputs, ro % outputs)
                return (0..<inputs).map { x[r * inputs + $0] * w[o * inputs + $0] }.reduce(b[o], +)
            }
            let dy = rng.gaussians(rows * outputs)
            weightedSum(y, dy).backward()
            let yours = try s.linearBackward(x.map(\.data), w.map(\.data), dy, rows, inputs, outputs)
            let shapes = { "x [\(rows), \(inputs)], W [\(outputs), \(inputs)] (out, in), dy [\(rows), \(outputs)]" }
            let scene = { TensorScene("y = x·Wᵀ + b", [Operand("x", x.map(\.data), [rows, inputs]), Operand("W", w.map(\.data), [outputs, inputs]),
                                                      Operand("b", b.map(\.data), [outputs])], upstream: [Operand("dy", dy, [rows, outputs])]) }
            try expectClose(yours.dx, x.map { $0.grad ?? 0 }, "dx (checked with Lumen's engine)", shape: [rows, inputs], inputs: shapes(), scene: scene())
            try expectClose(yours.dw, w.map { $0.grad ?? 0 }, "dW (checked with Lumen's engine)", shape: [outputs, inputs], inputs: shapes(), scene: scene())
            try expectClose(yours.db, b.map { $0.grad ?? 0 }, "db (checked with Lumen's engine)", inputs: shapes(), scene: scene())
        }
    }

    static func checkSGD<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        let count = rng.nextInt(2, 6)
        let learningRate = rng.nextUniform(0.01, 0.5), momentum = rng.nextUniform(0.5, 0.95)
        var yours = rng.gaussians(count), velocity = Array(repeating: 0.0, count: count)
        var expected = yours, expectedVelocity = velocity
        for step in 1...5 {
            let gradients = rng.gaussians(count)
            let scene = { TensorScene("one SGD step", [Operand("parameters before", yours, [count]), Operand("velocity before", velocity, [count]),
                                                     Operand("gradient", gradients, [count])]) }
            try s.sgdMomentumStep(&yours, gradients, &velocity, learningRate, momentum)
            for i in 0..<count {
                expectedVelocity[i] = momentum * expectedVelocity[i] + gradients[i]
                expected[i] -= learningRate * expectedVelocity[i]
            }
            let inputs = { "step \(step), learning rate \(format(learningRate)), momentum \(format(momentum))" }
            try expectClose(velocity, expectedVelocity, "the velocity (v ← μ·v + g)", tolerance: 1e-12, inputs: inputs(), scene: scene())
            try expectClose(yours, expected, "the parameters (p ← p − lr·v)", tolerance: 1e-12, inputs: inputs(), scene: scene())
        }
    }

    static func checkAdam<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        let count = rng.nextInt(2, 6)
        let learningRate = rng.nextUniform(0.001, 0.1), beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
        var yours = rng.gaussians(count), state = AdamState(count: count)
        var expected = yours, m = Array(repeating: 0.0, count: count), v = m
        for step in 1...6 {
            let gradients = rng.gaussians(count)
            let before = yours
            let scene = { TensorScene("one Adam step", [Operand("parameters before", before, [count]), Operand("m before", m, [count]),
                                                      Operand("v before", v, [count]), Operand("gradient", gradients, [count])]) }
            try s.adamStep(&yours, gradients, &state, learningRate, beta1, beta2, epsilon)
            let inputs = { "step \(step), learning rate \(format(learningRate))" }
            try expectEqual(state.step, step, "state.step (count the steps, starting at 1)", inputs: inputs())
            if step == 1 {
                // With bias correction, m̂ = g and v̂ = g², so the first step moves each parameter by
                // exactly lr·|g|/(|g| + ε): about lr, less for a gradient near ε.
                let moves = (0..<count).map { abs(yours[$0] - before[$0]) }
                let expectedMoves = gradients.map { learningRate * abs($0) / (abs($0) + epsilon) }
                let wrong = (0..<count).filter { !close(moves[$0], expectedMoves[$0], 1e-8) }
                if let i = wrong.first {
                    let picture = TensorExplanation.write(what: "the first step's move |Δp|", yours: moves, expected: expectedMoves, shape: [count],
                                                          wrong: wrong, scene: scene())
                    throw GradeFailure("Adam's first step should move parameter \(i) by lr·|g|/(|g| + ε) = \(format(expectedMoves[i], moves[i])) (about the learning rate \(format(learningRate))); yours moved it by \(format(moves[i], expectedMoves[i])). Did you divide m and v by (1 − βᵗ)?\n  \(picture)")
                }
            }
            for i in 0..<count {
                m[i] = beta1 * m[i] + (1 - beta1) * gradients[i]
                v[i] = beta2 * v[i] + (1 - beta2) * gradients[i] * gradients[i]
                let mHat = m[i] / (1 - Foundation.pow(beta1, Double(step)))
                let vHat = v[i] / (1 - Foundation.pow(beta2, Double(step)))
                expected[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
            }
            try expectClose(state.m, m, "the first moment m", tolerance: 1e-10, inputs: inputs(), scene: scene())
            try expectClose(state.v, v, "the second moment v", tolerance: 1e-10, inputs: inputs(), scene: scene())
            try expectClose(yours, expected, "the parameters", tolerance: 1e-10, inputs: inputs(), scene: scene())
        }
    }

    /// 3.5's setting: a small network, few full-batch steps, so that the run is short and the
    /// losses can be compared step by step with Lumen's own training of the same network.
    static let moonsHidden = 5, moonsSteps = 24, moonsLearningRate = 0.05, moonsPoints = 24

    static func checkTrainMoons<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        let moons = TwoMoons(count: moonsPoints, noise: 0.1, seed: rng.next())
        let labels = moons.labels.map { $0 > 0 ? 1 : 0 }
        let h = moonsHidden
        let start = MoonsNetwork(hidden: h, w1: rng.gaussians(h * 2, scale: 0.7), b1: rng.gaussians(h, scale: 0.1),
                                 w2: rng.gaussians(2 * h, scale: 0.5), b2: [0, 0])
        var yours = start
        let losses = try s.trainMoons(&yours, moons.points, labels, moonsSteps, moonsLearningRate)
        var lumen = start
        let expected = MoonsReference.train(&lumen, points: moons.points, labels: labels, steps: moonsSteps, learningRate: moonsLearningRate)
        let setting = { "\(moonsPoints) moons points, hidden size \(h), \(moonsSteps) steps at learning rate \(moonsLearningRate), the same starting weights for you and Lumen" }
        guard losses.count == moonsSteps else {
            throw GradeFailure("trainMoons returned \(losses.count) losses for \(moonsSteps) steps (\(setting())). Record the loss of every step, before its update.")
        }
        if let k = losses.indices.first(where: { !close(losses[$0], expected[$0], 1e-6) }) {
            let cause = k == 0
                ? "The first loss is the forward pass alone: check Linear (3.1, W is [out, in]), tanh and the cross-entropy (2.8)."
                : "The losses agree up to step \(k), so the forward pass is right; from step \(k + 1) on they depend on your gradients (backward through both Linear layers, 3.2, and tanh, whose derivative is 1 − h² at the output h) and on Adam (3.4, one fresh state per weight and bias)."
            let picture = TensorExplanation.write(
                what: "the loss at each step", yours: Array(losses.prefix(k + 2)), expected: Array(expected.prefix(k + 2)), shape: [min(k + 2, losses.count)],
                wrong: [k], scene: TensorScene("train the moons network", [Operand("starting w1", start.w1, [h, 2]), Operand("starting w2", start.w2, [2, h])]))
            throw GradeFailure("""
                trainMoons's loss at step \(k + 1) is \(format(losses[k], expected[k])); Lumen's training of the same network gives \(format(expected[k], losses[k])) (\(setting())).
                  \(cause)
                  Your losses: \(format(Array(losses.prefix(k + 2))))
                  Lumen's:     \(format(Array(expected.prefix(k + 2))))
                  \(picture)
                """)
        }
        let startingValues = ["w1": start.w1, "b1": start.b1, "w2": start.w2, "b2": start.b2]
        for (name, mine, reference) in [("w1", yours.w1, lumen.w1), ("b1", yours.b1, lumen.b1), ("w2", yours.w2, lumen.w2), ("b2", yours.b2, lumen.b2)] {
            try expectClose(mine, reference, "the trained network's \(name) (after the last step's update)", tolerance: 1e-6, inputs: setting(),
                            scene: TensorScene("\(moonsSteps) steps of training", [Operand("starting \(name)", startingValues[name]!, [mine.count])]))
        }
        // The training must train: the loss ends at least 2 % lower, and at least half of the steps
        // lower it. Lumen's own run does so on every seed (GraderSweepTests sweeps 2,000).
        let falling = zip(losses, losses.dropFirst()).filter { $1 < $0 }.count
        guard let first = losses.first, let last = losses.last, last < 0.98 * first, 2 * falling >= losses.count - 1 else {
            throw GradeFailure("the loss did not fall step by step: from \(format(losses.first ?? .nan)) to \(format(losses.last ?? .nan)) over \(moonsSteps) steps, lower after \(falling) of them (\(setting())).")
        }
    }

    // MARK: - Convolution

    /// A random geometry; trials 0 and 1 always have 2 channels, 2 filters, a kernel of 2 or 3
    /// and padding 1 (trial 0 with stride 2), so that padding, stride, the channel order, a
    /// flipped kernel and a transposed product all show.
    static func randomGeometry(_ rng: inout SplitMix64, trial: Int = 2) -> ConvGeometry {
        if trial < 2 {
            let kernel = rng.nextInt(2, 3)
            return ConvGeometry(channels: 2, height: rng.nextInt(kernel + 1, 6), width: rng.nextInt(kernel + 2, 7),
                                kernel: kernel, stride: trial == 0 ? 2 : 1, padding: 1, filters: 2)
        }
        let kernel = rng.nextInt(1, 3), padding = rng.nextInt(0, 1)
        return ConvGeometry(channels: rng.nextInt(1, 3), height: rng.nextInt(kernel, 6), width: rng.nextInt(kernel, 6),
                            kernel: kernel, stride: rng.nextInt(1, 2), padding: padding, filters: rng.nextInt(1, 3))
    }

    /// The input pixel under kernel tap (ki, kj) of output pixel (oi, oj), or nil in the padding.
    static func inputPosition(_ g: ConvGeometry, channel c: Int, _ oi: Int, _ oj: Int, _ ki: Int, _ kj: Int) -> Int? {
        let i = oi * g.stride + ki - g.padding, j = oj * g.stride + kj - g.padding
        guard (0..<g.height).contains(i), (0..<g.width).contains(j) else { return nil }
        return (c * g.height + i) * g.width + j
    }

    /// Direct convolution, one output pixel at a time, generic so it runs on `Double`s and `Value`s.
    static func directConvolution<T>(_ input: [T], _ weights: [T], _ g: ConvGeometry, zero: T, add: (T, T) -> T, mul: (T, T) -> T) -> [T] {
        var out: [T] = []
        for f in 0..<g.filters {
            for oi in 0..<g.outHeight {
                for oj in 0..<g.outWidth {
                    var sum = zero
                    for c in 0..<g.channels {
                        for ki in 0..<g.kernel {
                            for kj in 0..<g.kernel {
                                guard let p = inputPosition(g, channel: c, oi, oj, ki, kj) else { continue }
                                sum = add(sum, mul(weights[((f * g.channels + c) * g.kernel + ki) * g.kernel + kj], input[p]))
                            }
                        }
                    }
                    out.append(sum)
                }
            }
        }
        return out
    }

    static func checkIm2col<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for trial in 0..<10 {
            let g = randomGeometry(&rng, trial: trial)
            let input = rng.gaussians(g.channels * g.height * g.width)
            let columns = g.outHeight * g.outWidth
            var expected = Array(repeating: 0.0, count: g.patchSize * columns)
            for c in 0..<g.channels {
                for ki in 0..<g.kernel {
                    for kj in 0..<g.kernel {
                        let row = (c * g.kernel + ki) * g.kernel + kj
                        for oi in 0..<g.outHeight {
                            for oj in 0..<g.outWidth {
                                if let p = inputPosition(g, channel: c, oi, oj, ki, kj) {
                                    expected[row * columns + oi * g.outWidth + oj] = input[p]
                                }
                            }
                        }
                    }
                }
            }
            try expectClose(try s.im2col(input, g), expected, "im2col", tolerance: 0, shape: [g.patchSize, columns], inputs: g.description,
                            scene: TensorScene("im2col", [Operand("input", input, [g.channels, g.height, g.width])]))
        }
    }

    static func checkConvForward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for trial in 0..<10 {
            let g = randomGeometry(&rng, trial: trial)
            let input = rng.gaussians(g.channels * g.height * g.width), weights = rng.gaussians(g.filters * g.patchSize)
            let expected = directConvolution(input, weights, g, zero: 0.0, add: +, mul: *)
            try expectClose(try s.conv2dForward(input, weights, g), expected, "conv2dForward (checked with a direct convolution)",
                            shape: [g.filters, g.outHeight, g.outWidth], inputs: g.description,
                            scene: TensorScene("conv2d", [Operand("input", input, [g.channels, g.height, g.width]),
                                                          Operand("weights", weights, [g.filters, g.channels, g.kernel, g.kernel])]))
        }
    }

    /// The gradients of Σ upstream ⊙ conv(input, weights), by the direct convolution's adjoint
    /// (hand-derived): every product w·x in output pixel o sends upstream[o]·x to w and
    /// upstream[o]·w to x.
    static func directConvolutionGradients(_ input: [Double], _ weights: [Double], _ g: ConvGeometry, upstream: [Double]) -> (dInput: [Double], dWeights: [Double]) {
        var dInput = Array(repeating: 0.0, count: input.count), dWeights = Array(repeating: 0.0, count: weights.count)
        var o = 0
        for f in 0..<g.filters {
            for oi in 0..<g.outHeight {
                for oj in 0..<g.outWidth {
                    for c in 0..<g.channels {
                        for ki in 0..<g.kernel {
                            for kj in 0..<g.kernel {
                                guard let p = inputPosition(g, channel: c, oi, oj, ki, kj) else { continue }
                                let w = ((f * g.channels + c) * g.kernel + ki) * g.kernel + kj
                                dWeights[w] += upstream[o] * input[p]
                                dInput[p] += upstream[o] * weights[w]
                            }
                        }
                    }
                    o += 1
                }
            }
        }
        return (dInput, dWeights)
    }

    static func checkConvBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for trial in 0..<8 {
            let g = randomGeometry(&rng, trial: trial)
            let input = rng.gaussians(g.channels * g.height * g.width), weights = rng.gaussians(g.filters * g.patchSize)
            let upstream = rng.gaussians(g.filters * g.outHeight * g.outWidth)
            let yours = try s.conv2dBackward(input, weights, upstream, g)
            let scene = { TensorScene("conv2d", [Operand("input", input, [g.channels, g.height, g.width]),
                                                 Operand("weights", weights, [g.filters, g.channels, g.kernel, g.kernel])],
                                      upstream: [Operand("∂L/∂out", upstream, [g.filters, g.outHeight, g.outWidth])]) }
            let (inputShape, weightShape) = ([g.channels, g.height, g.width], [g.filters, g.channels, g.kernel, g.kernel])
            // Every trial against the adjoint; the first two geometries (padding, stride 2, two
            // channels and filters) against Lumen's engine too, which also checks the adjoint.
            // (The engine on all eight made this task a tenth of the reference sweep's time.)
            let adjoint = directConvolutionGradients(input, weights, g, upstream: upstream)
            try expectClose(yours.dInput, adjoint.dInput, "dInput (checked with the direct convolution's adjoint)",
                            shape: inputShape, inputs: g.description, scene: scene())
            try expectClose(yours.dWeights, adjoint.dWeights, "dWeights (checked with the direct convolution's adjoint)",
                            shape: weightShape, inputs: g.description, scene: scene())
            guard trial < 2 else { continue }
            let (x, w) = (values(input), values(weights))
            weightedSum(directConvolution(x, w, g, zero: Value(0), add: +, mul: *), upstream).backward()
            try expectClose(yours.dInput, x.map { $0.grad ?? 0 }, "dInput (checked with Lumen's engine)", shape: inputShape, inputs: g.description, scene: scene())
            try expectClose(yours.dWeights, w.map { $0.grad ?? 0 }, "dWeights (checked with Lumen's engine)", shape: weightShape, inputs: g.description, scene: scene())
        }
    }
}
