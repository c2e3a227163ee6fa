// LaterLessonsTests.swift — lessons 13–16 (network health, a character model, attention and a
// tiny GPT, a GAN): their printed numbers against values computed here independently, in
// plain Double loops, finite differences, or from the raw data.
//
// Read next: Lessons/13-health-of-a-network/Lesson13.swift.

import Datasets
import Engine
import Foundation
import Layers
import LessonKit
import Optimizers
import Plots
import Tensors
import Testing
@testable import Lessons

/// One run of a lesson: its transcript and the folder its pictures went to.
struct LessonRun: Sendable {
    let text: String
    let frames: String
    init(_ id: Int) {
        frames = makeTempDirectory()
        text = transcript(of: id, frames: frames)
    }
}

// Lessons 13–16 train small models and take seconds each, so each runs once per test
// process (a global is initialized once, on first use) and its tests share that run.
let run13 = LessonRun(13), run14 = LessonRun(14), run15 = LessonRun(15), run16 = LessonRun(16)

/// The shared run of lesson `id` (13–17; lesson 17's is in TransferLessonTests.swift).
func laterRun(_ id: Int) -> LessonRun {
    switch id {
    case 13: run13
    case 14: run14
    case 15: run15
    case 16: run16
    default: run17
    }
}

/// The lines of a transcript, trimmed.
private func lines(_ text: String) -> [String] {
    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
}

/// The numbers in a line (words, units and punctuation skipped).
private func numbers(_ line: String?) -> [Double] {
    (line ?? "").split(whereSeparator: { " ,()%:=".contains($0) }).compactMap { Double($0) }
}

/// The text of the transcript's step `index` (1-based), up to the next step's header.
private func step(_ text: String, _ index: Int, of total: Int) -> String {
    guard let start = text.range(of: "Step \(index) of \(total)") else { return "" }
    let rest = text[start.upperBound...]
    let end = rest.range(of: "Step \(index + 1) of \(total)")?.lowerBound ?? rest.endIndex
    return String(rest[..<end])
}

/// The plain-Double tanh tower of lesson 13 on its 256 digits: the tanh outputs of each of
/// the five layers, with weights N(0, 1)·scale drawn row-major from SplitMix64(13), and
/// optional per-column standardization (batch normalization with γ = 1, β = 0, ε = 1e-5).
private func plainTower(scale: Double, batchNorm: Bool) throws -> [[Double]] {
    let split = try InMemoryDataset<Double>.digitsSplit()
    var x = (0..<256).map { r in (0..<64).map { split.train.features[r * 64 + $0] } }
    var rng = SplitMix64(seed: 13)
    var layers: [[Double]] = []
    for _ in 1...5 {
        let w = (0..<64).map { _ in (0..<64).map { _ in rng.nextGaussian() * scale } }   // w[in][out]
        var h = x.map { row in (0..<64).map { o in dot(row, ArraySlice(w.map { $0[o] })) } }
        if batchNorm {
            for o in 0..<64 {
                let column = h.map { $0[o] }
                let m = total(column) / 256
                let v = total(column.map { ($0 - m) * ($0 - m) }) / 256
                for r in 0..<256 { h[r][o] = (h[r][o] - m) / (v + 1e-5).squareRoot() }
            }
        }
        x = h.map { $0.map { Foundation.tanh($0) } }
        layers.append(x.flatMap { $0 })
    }
    return layers
}

/// Σ values, as a plain loop.
private func total(_ values: [Double]) -> Double {
    var sum = 0.0
    for v in values { sum += v }
    return sum
}

/// Σ_i a[i]·b[i].
private func dot(_ a: [Double], _ b: ArraySlice<Double>) -> Double {
    var sum = 0.0
    for (x, y) in zip(a, b) { sum += x * y }
    return sum
}

private func plainStats(_ t: [Double]) -> (mean: Double, std: Double, saturated: Double) {
    let m = total(t) / Double(t.count)
    let s = (total(t.map { ($0 - m) * ($0 - m) }) / Double(t.count)).squareRoot()
    return (m, s, 100 * Double(t.filter { abs($0) > 0.97 }.count) / Double(t.count))
}

@Suite struct LaterLessonsTests {
    @Test func histogramCountsAddUpToTheElementCount() {
        let values = [-3.0, -1, -0.5, 0, 0.25, 0.999, 1, 7, .infinity, -.infinity, .nan]
        let h = Histogram(values, bins: 4, low: -1, high: 1)
        // Bins [-1, -0.5), [-0.5, 0), [0, 0.5), [0.5, 1]; values outside go to the end bins.
        #expect(h.counts == [3, 1, 2, 4])
        #expect(h.counts.reduce(0, +) + h.nanCount == values.count)
        #expect(h.centres == [-0.75, -0.25, 0.25, 0.75])
    }

    @Test func lesson13StatisticsMatchAPlainDoubleTower() throws {
        let text = run13.text
        let printed = lines(text).filter { $0.hasPrefix("layer ") && $0.contains("saturated") }
        try #require(printed.count == 15, "\(printed)")
        let configurations = [(1.0, false), ((5.0 / 3.0) / 8, false), (1.0, true)]
        for (c, (scale, batchNorm)) in configurations.enumerated() {
            for (k, layer) in try plainTower(scale: scale, batchNorm: batchNorm).enumerated() {
                let expected = plainStats(layer)
                let got = numbers(printed[c * 5 + k])
                try #require(got.count == 4, "\(printed[c * 5 + k])")   // k, mean, std, saturated
                #expect(abs(got[1] - expected.mean) < 2e-4 && abs(got[2] - expected.std) < 2e-4
                        && abs(got[3] - expected.saturated) < 2e-4, "\(printed[c * 5 + k]) vs \(expected)")
            }
        }
        // What the lesson says: careless weights saturate most units from layer 2 on; Kaiming
        // and BatchNorm keep the share small.
        let saturated = printed.map { numbers($0)[3] }
        #expect(saturated[1...4].allSatisfy { $0 > 50 })
        #expect(saturated[5...14].allSatisfy { $0 < 20 })
        // 15 histograms of activations and gradients, 3 ratio plots: every picture exists.
        #expect(text.components(separatedBy: "plot-").count > 10)
    }

    @Test func lesson14CountsAndLikelihoodsMatchTheRawNames() throws {
        let split = try Names.split()
        var counts = [[Double]](repeating: [Double](repeating: 0, count: 27), count: 27)
        func ids(_ name: String) -> [Int] {
            [0] + name.unicodeScalars.map { Int($0.value) - 96 } + [0]
        }
        for name in split.train {
            let i = ids(name)
            for t in 0..<(i.count - 1) { counts[i[t]][i[t + 1]] += 1 }
        }
        let bigramCount = split.train.map { $0.count + 1 }.reduce(0, +)
        let p = counts.map { row in row.map { ($0 + 1) / (total(row) + 27) } }
        func nll(_ names: [String]) -> Double {
            var (sum, n) = (0.0, 0.0)
            for name in names {
                let i = ids(name)
                for t in 0..<(i.count - 1) { sum -= Foundation.log(p[i[t]][i[t + 1]]); n += 1 }
            }
            return sum / n
        }
        let text = run14.text
        let all = lines(text)
        #expect(all.contains("bigrams counted: \(bigramCount)"))
        #expect(all.contains("names: 4131 train, 516 validation, 516 test"))
        let emma = nll(["emma"])
        #expect(numbers(all.first { $0.hasPrefix("NLL of emma:") }).first.map { abs($0 - emma) < 1e-4 } == true)
        let bigram = numbers(all.first { $0.hasPrefix("bigram NLL:") })
        try #require(bigram.count == 4, "\(bigram)")   // train, validation, 27, log 27
        #expect(abs(bigram[0] - nll(split.train)) < 1e-4 && abs(bigram[1] - nll(split.validation)) < 1e-4)
        // The entropy of the first letter at temperature T: q ∝ p^(1/T).
        for (t, line) in zip([0.5, 1, 2], all.filter { $0.hasPrefix("T = ") }) {
            let w = p[0].map { Foundation.pow($0, 1 / t) }
            let q = w.map { $0 / total(w) }
            let entropy = -total(q.map { $0 * Foundation.log($0) })
            #expect(abs(numbers(line)[1] - entropy) < 1e-4, "\(line) vs \(entropy)")
        }
        // Training lowers the validation NLL from about log 27 for the MLP and for the LSTM.
        let befores = all.filter { $0.hasPrefix("validation NLL before training:") }.map { numbers($0).last! }
        let afters = all.filter { $0.hasPrefix("validation NLL after") }.map { numbers($0).last! }
        try #require(befores.count == 2 && afters.count == 2)
        for (before, after) in zip(befores, afters) {
            #expect(abs(before - Foundation.log(27)) < 0.5)
            #expect(after < before - 0.5, "\(before) → \(after)")
        }
        #expect(afters[0] < bigram[1] + 0.1, "the MLP is about as good as the bigram table or better")
    }

    @Test func lesson14BackpropThroughTimeMatchesFiniteDifferences() throws {
        // The same cell (same seed), run here in plain Double: gates i, f, g, o from
        // x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, then c' = f·c + i·g, h' = o·tanh(c').
        var rng = SplitMix64(seed: 14)
        let cell = LSTMCell<Double>(inputSize: 2, hiddenSize: 2, using: &rng)
        let named = Dictionary(uniqueKeysWithValues: cell.namedParameters.map { ($0.name, $0.tensor.scalars) })
        func loss(_ whh: [Double]) -> Double {
            var (h, c) = ([0.0, 0.0], [0.0, 0.0])
            for x in [[1.0, 0.0], [0.0, 1.0]] {
                let gates = (0..<8).map { r in
                    named["weight_ih"]![r * 2] * x[0] + named["weight_ih"]![r * 2 + 1] * x[1] + named["bias_ih"]![r]
                        + whh[r * 2] * h[0] + whh[r * 2 + 1] * h[1] + named["bias_hh"]![r]
                }
                func σ(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }
                let newC = (0..<2).map { j in σ(gates[2 + j]) * c[j] + σ(gates[j]) * Foundation.tanh(gates[4 + j]) }
                h = (0..<2).map { j in σ(gates[6 + j]) * Foundation.tanh(newC[j]) }
                c = newC
            }
            return h[0] + h[1]
        }
        let whh = named["weight_hh"]!
        let text = run14.text
        let all = lines(text)
        #expect(numbers(all.first { $0.hasPrefix("loss = h₂[0] + h₂[1] =") }).last.map { abs($0 - loss(whh)) < 1e-4 } == true)
        let printed = numbers(all.first { $0.hasPrefix("∂loss/∂W_hh row 0:") })
        try #require(printed.count >= 2)
        for k in 0..<2 {
            var (up, down) = (whh, whh)
            up[k] += 1e-6
            down[k] -= 1e-6
            let slope = (loss(up) - loss(down)) / 2e-6
            #expect(abs(printed[printed.count - 2 + k] - slope) < 2e-4, "W_hh[0][\(k)]: \(printed) vs \(slope)")
        }
        #expect(text.contains("Backward step 1 of"))
    }

    @Test func lesson15AttentionMatchesPlainDouble() throws {
        let text = run15.text
        let all = lines(text)
        // Step 1: the causal average. Row i of the weights is 1/(i+1) on columns 0…i.
        #expect(all.contains("weights row 2: 0.3333, 0.3333, 0.3333, 0"))
        #expect(all.contains("weights · x: 1, 2, 2, 3, 3, 4, 4, 5"))
        // Step 2: one head, recomputed from the same draws.
        var rng = SplitMix64(seed: 15)
        let x = (0..<5).map { _ in (0..<8).map { _ in rng.nextGaussian() } }
        let projections = (0..<3).map { _ in (0..<8).map { _ in (0..<4).map { _ in rng.nextGaussian() / 8.0.squareRoot() } } }
        func project(_ w: [[Double]]) -> [[Double]] { x.map { row in (0..<4).map { j in dot(row, ArraySlice(w.map { $0[j] })) } } }
        let (q, k) = (project(projections[0]), project(projections[1]))
        let scores = (0..<5).map { j in dot(q[4], k[j][...]) / 2 }
        let e = scores.map { Foundation.exp($0) }
        let expected = e.map { $0 / total(e) }
        let printed = numbers(all.first { $0.hasPrefix("row 5 weights:") })
        try #require(printed.count == 6, "\(printed)")   // "5", then the five weights
        for j in 0..<5 { #expect(abs(printed[j + 1] - expected[j]) < 1e-4) }
        for prefix in ["largest difference from scaledDotProductAttention:", "largest difference from MultiheadAttention:"] {
            let difference = numbers(all.first { $0.hasPrefix(prefix) }).last
            #expect(difference != nil && difference! < 1e-12, "\(prefix) \(String(describing: difference))")
        }
        #expect(text.contains("Backward step 1 of"))
        // The tiny GPT learns: its validation NLL falls from about log 27.
        let before = numbers(all.first { $0.hasPrefix("parameters:") && $0.contains("before") }).last!
        let after = numbers(all.first { $0.hasPrefix("validation NLL after") }).last!
        #expect(abs(before - Foundation.log(27)) < 0.7 && after < before - 0.5, "\(before) → \(after)")
        // The scalar engine's losses equal the tensor engine's.
        let steps = all.filter { $0.hasPrefix("step ") && $0.contains("Values") }
        #expect(steps.count == 3)
        for line in steps { #expect(numbers(line).last! < 1e-9, "\(line)") }
    }

    @Test func lesson15AttentionBackwardMatchesFiniteDifferences() throws {
        // One causal head, E = 4: out = W_o · (softmax(q kᵀ/2 + M) v) + b_o, loss = Σ out.
        var rng = SplitMix64(seed: 15)
        let attention = MultiheadAttention<Double>(embedDim: 4, numHeads: 1, causal: true, using: &rng)
        let x0 = Tensor<Double>.randomNormal([1, 3, 4], using: &rng).scalars
        let (w, b) = (attention.inProjWeight.scalars, attention.inProjBias!.scalars)
        let (wo, bo) = (attention.outProj.weight.scalars, attention.outProj.bias!.scalars)
        func loss(_ x: [Double]) -> Double {
            var p = [[Double]](repeating: [Double](repeating: 0, count: 12), count: 3)   // q | k | v per position
            for t in 0..<3 {
                for r in 0..<12 { p[t][r] = b[r] + dot(Array(x[t * 4 ..< t * 4 + 4]), w[r * 4 ..< r * 4 + 4]) }
            }
            var sum = 0.0
            for i in 0..<3 {
                let e = (0...i).map { j in Foundation.exp(dot(Array(p[i][0..<4]), p[j][4..<8]) / 2) }
                let weights = e.map { $0 / total(e) }
                let a = (0..<4).map { d in total((0...i).map { weights[$0] * p[$0][8 + d] }) }
                for o in 0..<4 { sum += bo[o] + dot(a, wo[o * 4 ..< o * 4 + 4]) }
            }
            return sum
        }
        let all = lines(run15.text)
        #expect(numbers(all.first { $0.hasPrefix("loss:") }).last.map { abs($0 - loss(x0)) < 1e-4 } == true)
        let printed = numbers(all.first { $0.hasPrefix("∂loss/∂x[0, 0, :]:") })
        try #require(printed.count >= 4)
        for k in 0..<4 {
            var (up, down) = (x0, x0)
            up[k] += 1e-6
            down[k] -= 1e-6
            #expect(abs(printed[printed.count - 4 + k] - (loss(up) - loss(down)) / 2e-6) < 2e-4)
        }
    }

    @Test func theTinyGPTOnScalarValuesTrainsExactlyAsOnTensors() throws {
        // One engine from micrograd to GPT: the same model, weights and data, three SGD steps.
        let tensors = TinyGPT<Double>(width: 4, heads: 2, blocks: 1, context: 3, seed: 42)
        let scalars = ScalarGPT(copying: tensors)
        #expect(scalars.parameters.count == tensors.parameters.map(\.count).reduce(0, +))
        let contexts = [[0, 0, 0], [0, 0, 1], [0, 1, 14], [1, 14, 14], [14, 14, 1], [0, 0, 2], [0, 2, 15]]  // ann, bo
        let labels = [1, 14, 14, 1, 0, 15, 0]
        let inputs = try Tensor<Double>(shape: [7, 3], elements: contexts.joined().map(Double.init))
        let optimizer = try SGD(tensors.parameters, learningRate: 0.3)
        var first: Double?
        for _ in 1...4 {
            optimizer.zeroGrad()
            let tensorLoss = try tensors(inputs).crossEntropy(labels: labels)
            tensorLoss.backward()
            optimizer.step()
            scalars.parameters.zeroGrad()
            let scalarLoss = scalars.loss(contexts, labels)
            scalarLoss.backward()
            for p in scalars.parameters { p.data -= 0.3 * (p.grad ?? 0) }
            #expect(abs(tensorLoss.item() - scalarLoss.data) < 1e-9, "\(tensorLoss.item()) vs \(scalarLoss.data)")
            first = first ?? scalarLoss.data
        }
        // The losses moved (the comparison is not of two untouched models).
        #expect(abs(try tensors(inputs).crossEntropy(labels: labels).item() - first!) > 1e-3)
    }

    @Test func lesson16RingCountsDetachAndCollapse() throws {
        // The ring's counts recomputed from the same draws.
        var rng = SplitMix64(seed: 16)
        var counts = [Int](repeating: 0, count: 8)
        for _ in 0..<1000 {
            let k = Int(rng.next() % 8)
            let angle = 2 * Double.pi * Double(k) / 8
            let (x, y) = (Float(2 * Foundation.cos(angle) + 0.1 * rng.nextGaussian()), Float(2 * Foundation.sin(angle) + 0.1 * rng.nextGaussian()))
            for m in 0..<8 {
                let a = 2 * Double.pi * Double(m) / 8
                if Foundation.hypot(Double(x) - 2 * Foundation.cos(a), Double(y) - 2 * Foundation.sin(a)) <= 0.3 { counts[m] += 1 }
            }
        }
        let text = run16.text
        let all = lines(text)
        #expect(all.contains("points within 3σ of each centre: " + counts.map(String.init).joined(separator: ", ")))
        #expect(all.contains("modes covered: 8 of 8"))
        #expect(all.contains("after L_D's backward, the generator's first weight has a gradient: false"))
        #expect(all.first { $0.hasPrefix("without detach, it has one: true") } != nil)
        let collapsed = numbers(all.first { $0.hasPrefix("generator trained alone:") })
        try #require(!collapsed.isEmpty)
        #expect(collapsed[0] <= 2, "\(collapsed)")
        let rounds = all.filter { $0.hasPrefix("round ") }.map { numbers($0)[1] }
        #expect(rounds.last.map { $0 > collapsed[0] } == true, "\(rounds)")
        let trained = all.filter { $0.hasPrefix("step ") && $0.contains("modes covered") }.map { numbers($0).dropLast().last! }
        #expect(trained.last.map { $0 >= 5 } == true, "\(trained)")
    }
}
