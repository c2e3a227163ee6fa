// GraderMistakeTests.swift — deliberately wrong solutions fail, each with a useful message.
//
// Each test takes the reference solution and replaces one function with a classic mistake
// (an off-by-one, `=` for `+=`, a missing bias correction, a naive softmax), then checks that
// its grader fails and says something the learner can act on.
//
// Read next: TaskRunnerTests.swift (crash and hang isolation).

import ExerciseGraders
import ExerciseSolutions
import Foundation
import Testing

/// Grades `id` with one function of the reference solution replaced, on several seeds, and
/// returns the failure messages (recording an issue if any seed passes).
func failures(_ id: String, seeds: ClosedRange<UInt64> = 1...3, sourceLocation: SourceLocation = #_sourceLocation,
              _ break: (inout ExerciseSolution<ExerciseSolutions.Scalar>) -> Void) -> [String] {
    var solution = ExerciseSolutions.learnerSolution()
    `break`(&solution)
    return seeds.compactMap { seed in
        let report = Grader.grade(id, solution, seed: seed)
        guard case .failed(let message) = report.outcome else {
            Issue.record("task \(id) with a deliberate mistake was graded \(report.outcome) for seed \(seed)", sourceLocation: sourceLocation)
            return nil
        }
        return message
    }
}

/// Deletes the pictures that failure messages point to (the last word of the message).
func removePictures(_ messages: [String]) {
    for message in messages {
        guard let path = message.split(separator: " ").last.map(String.init),
              path.hasSuffix(".svg") || path.hasSuffix(".dot") else { continue }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// `failures`, with the pictures removed afterwards (for tests that do not look at them).
func failuresWithoutPictures(_ id: String, seeds: ClosedRange<UInt64> = 1...3, sourceLocation: SourceLocation = #_sourceLocation,
                             _ break: (inout ExerciseSolution<ExerciseSolutions.Scalar>) -> Void) -> [String] {
    let messages = failures(id, seeds: seeds, sourceLocation: sourceLocation, `break`)
    removePictures(messages)
    return messages
}

@Suite struct GraderMistakeTests {
    @Test func mulBackwardWithSwappedInputsFails() {
        let messages = failuresWithoutPictures("1.1") { $0.mulBackward = { a, b, upstream in (a * upstream, b * upstream) } }
        // The message gives the learner's, the engine's and the numeric gradient, and a picture.
        #expect(messages.allSatisfy { $0.contains("yours") && $0.contains("numeric") && $0.contains("Lumen's engine") })
    }

    @Test func powBackwardOffByOneFails() {
        _ = failuresWithoutPictures("1.2") { $0.powBackward = { x, n, upstream in n * Foundation.pow(x, n) * upstream } }
    }

    @Test func tanhBackwardWithoutSquareFails() {
        _ = failuresWithoutPictures("1.3") { $0.tanhBackward = { output, upstream in (1 - output) * upstream } }
    }

    @Test func topologicalOrderWithoutVisitedSetFails() {
        let messages = failures("1.5") { solution in
            solution.topologicalOrder = { root in
                var order: [ExerciseSolutions.Scalar] = []
                func visit(_ node: ExerciseSolutions.Scalar) {
                    node.inputs.forEach(visit)
                    order.append(node)
                }
                visit(root)
                return order
            }
        }
        #expect(messages.allSatisfy { $0.contains("twice") })
    }

    @Test("backward with = instead of += fails, names the node used more than once and draws it in red")
    func backwardWithoutAccumulationFails() throws {
        let messages = failures("1.6") { solution in
            solution.backward = { root in
                root.grad = 1
                for node in try ExerciseSolutions.topologicalOrder(root).reversed() {
                    for (input, contribution) in zip(node.inputs, try node.contributions(upstream: node.grad)) {
                        input.grad = contribution
                    }
                }
            }
        }
        let message = try #require(messages.first)
        #expect(message.contains("times: does each use add (+=)"))
        #expect(message.contains("+="))
        // The picture: an SVG whose wrong node has Viz's red outline and the learner's number.
        let path = try #require(message.split(separator: " ").last.map(String.init))
        #expect(path.hasSuffix(".svg"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(svg.lowercased().contains("#c92a2a"))
        #expect(svg.contains("yours"))
        removePictures(messages)
    }

    @Test func zeroGradOnlyOnTheRootFails() {
        _ = failures("1.7") { $0.zeroGrad = { root in root.grad = 0 } }
    }

    @Test func forwardDifferenceInsteadOfCentralFails() {
        _ = failures("1.8") { solution in
            solution.numericalGradient = { f, point, step in
                point.indices.map { i in
                    var plus = point
                    plus[i] += step
                    return (f(plus) - f(point)) / step
                }
            }
        }
    }

    @Test func stridesOffByOneFails() {
        _ = failures("2.1") { solution in
            solution.contiguousStrides = { shape in shape.indices.map { shape[$0...].reduce(1, *) } }
        }
    }

    @Test func broadcastWithoutTheOneRuleFails() {
        _ = failures("2.3") { solution in
            solution.broadcastShape = { a, b in a.count == b.count ? zip(a, b).map { max($0, $1) } : nil }
        }
    }

    @Test func sumToShapeThatOverwritesFails() {
        _ = failures("2.4") { solution in
            solution.sumToShape = { gradient, big, small in
                let sources = ExerciseSolutions.learnerSolution()
                var result = Array(repeating: 0.0, count: small.reduce(1, *))
                let strides = try sources.contiguousStrides(small)
                for p in gradient.indices {
                    let index = try sources.index(p, big)
                    let offset = big.count - small.count
                    let target = small.indices.reduce(0) { $0 + (small[$1] == 1 ? 0 : index[$1 + offset]) * strides[$1] }
                    result[target] = gradient[p]
                }
                return result
            }
        }
    }

    @Test func meanBackwardWithoutDivisionFails() {
        _ = failures("2.5") { solution in
            solution.reductionBackward = { kind, input, rows, columns, axis, upstream in
                try ExerciseSolutions.reductionBackward(kind == .mean ? .sum : kind, input, rows: rows, columns: columns, axis: axis, upstream: upstream)
            }
        }
    }

    @Test func matmulBackwardWithSwappedGradientsFails() {
        _ = failures("2.6") { solution in
            solution.matmulBackward = { a, b, m, k, n, upstream in
                let (da, db) = try ExerciseSolutions.matmulBackward(a, b, m: m, k: k, n: n, upstream: upstream)
                return (da.reversed(), db)
            }
        }
    }

    @Test("a naive softmax overflows on large logits and fails")
    func naiveSoftmaxFails() {
        let messages = failures("2.7") { solution in
            solution.logSumExp = { x in Foundation.log(x.map { Foundation.exp($0) }.reduce(0, +)) }
        }
        #expect(messages.allSatisfy { $0.contains("logSumExp") })
    }

    @Test func crossEntropyNotAveragedFails() {
        _ = failures("2.8") { solution in
            solution.crossEntropy = { logits, rows, classes, labels in
                let (loss, gradient) = try ExerciseSolutions.crossEntropy(logits: logits, rows: rows, classes: classes, labels: labels)
                return (loss * Double(rows), gradient.map { $0 * Double(rows) })
            }
        }
    }

    @Test func linearBackwardWithoutBiasSumFails() {
        _ = failures("3.2") { solution in
            solution.linearBackward = { x, w, dy, rows, inputs, outputs in
                let (dx, dw, _) = try ExerciseSolutions.linearBackward(x: x, w: w, dy: dy, rows: rows, inputs: inputs, outputs: outputs)
                return (dx, dw, Array(dy.prefix(outputs)))
            }
        }
    }

    @Test func sgdThatMovesBeforeUpdatingVelocityFails() {
        _ = failures("3.3") { solution in
            solution.sgdMomentumStep = { parameters, gradients, velocity, learningRate, momentum in
                for i in parameters.indices {
                    parameters[i] -= learningRate * velocity[i]
                    velocity[i] = momentum * velocity[i] + gradients[i]
                }
            }
        }
    }

    @Test("Adam without bias correction fails, and the message asks about (1 − βᵗ)")
    func adamWithoutBiasCorrectionFails() {
        let messages = failures("3.4") { solution in
            solution.adamStep = { parameters, gradients, state, learningRate, beta1, beta2, epsilon in
                state.step += 1
                for i in parameters.indices {
                    state.m[i] = beta1 * state.m[i] + (1 - beta1) * gradients[i]
                    state.v[i] = beta2 * state.v[i] + (1 - beta2) * gradients[i] * gradients[i]
                    parameters[i] -= learningRate * state.m[i] / (state.v[i].squareRoot() + epsilon)
                }
            }
        }
        #expect(messages.allSatisfy { $0.contains("1 − βᵗ") })
    }

    @Test func aClassifierThatNeverLearnsFails() {
        _ = failures("3.5", seeds: 1...1) { $0.trainMoons = { _, _, _ in { _ in 0 } } }
    }

    @Test func col2imThatOverwritesFails() {
        _ = failures("3.8") { solution in
            solution.conv2dBackward = { input, weights, upstream, g in
                // Only correct when no two patches overlap; with kernel > stride they do.
                let (_, dWeights) = try ExerciseSolutions.conv2dBackward(input, weights: weights, upstream: upstream, g)
                let cols = try ExerciseSolutions.im2col(input, g)
                let (_, dCols) = try ExerciseSolutions.matmulBackward(weights, cols, m: g.filters, k: g.patchSize, n: g.outHeight * g.outWidth, upstream: upstream)
                var dInput = Array(repeating: 0.0, count: input.count)
                for c in 0..<g.channels { for ki in 0..<g.kernel { for kj in 0..<g.kernel {
                    let row = (c * g.kernel + ki) * g.kernel + kj
                    for oi in 0..<g.outHeight { for oj in 0..<g.outWidth {
                        if let p = ExerciseSolutions.inputPosition(g, channel: c, output: oi, oj, tap: ki, kj) {
                            dInput[p] = dCols[row * g.outHeight * g.outWidth + oi * g.outWidth + oj]
                        }
                    } }
                } } }
                return (dInput, dWeights)
            }
        }
    }

    @Test("answers hard-coded from one run fail on the next run's fresh inputs")
    func hardCodedAnswersFail() {
        // Record what the reference answers for seed 1, then replay those numbers whatever the input.
        final class Tape: @unchecked Sendable { var answers: [(Double, Double)] = [] }
        let tape = Tape()
        var recorder = ExerciseSolutions.learnerSolution()
        recorder.mulBackward = { a, b, upstream in
            let answer = try ExerciseSolutions.mulBackward(a, b, upstream: upstream)
            tape.answers.append(answer)
            return answer
        }
        #expect(Grader.grade("1.1", recorder, seed: 1).outcome == .passed)
        var replayer = ExerciseSolutions.learnerSolution()
        let answers = tape.answers
        final class Counter: @unchecked Sendable { var next = 0 }
        let counter = Counter()
        replayer.mulBackward = { _, _, _ in
            defer { counter.next += 1 }
            return answers[counter.next % answers.count]
        }
        if case .failed(let message) = Grader.grade("1.1", replayer, seed: 2).outcome {
            removePictures([message])
        } else {
            Issue.record("replayed answers passed on new inputs")
        }
    }
}
