// Lesson14.swift — the code that lesson 14's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson14+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Datasets/Names+Examples.swift and ../../Sources/Layers/LSTM.swift, then ../15-attention-and-a-tiny-gpt.

import Datasets
import Engine
import Foundation
import LessonKit
import Layers
import Optimizers
import Tensors

enum Lesson14 {
    static let lesson = Lesson(id: 14, markdown: markdown, code: [
        "bigram": bigram, "nll": nll, "sample": sample, "mlp": mlp, "lstm": lstm, "bptt": bptt,
    ])

    static let bigram: StepCode = { out in
        // lesson-code: bigram
        let split = try Names.split()
        out.print("names:", split.train.count, "train,", split.validation.count, "validation,", split.test.count, "test")
        let letters = CharacterVocabulary.lowercaseLetters             // "." = 0, a = 1, …, z = 26
        var counts = [[Double]](repeating: [Double](repeating: 0, count: 27), count: 27)
        for name in split.train {
            let ids = [0] + (try letters.encode(name)) + [0]             // . e m m a .
            for (a, b) in zip(ids, ids.dropFirst()) { counts[a][b] += 1 }
        }
        out.print("bigrams counted:", Int(counts.joined().reduce(0, +)))
        let pairs = (0..<27).flatMap { a in (0..<27).map { (a, $0) } }.sorted { counts[$0.0][$0.1] > counts[$1.0][$1.1] }
        out.print("most common:", pairs.prefix(5).map { "\(characters[$0.0])\(characters[$0.1]) \(Int(counts[$0.0][$0.1]))" }.joined(separator: ", "))
        out.shadedGrids([ShadedGrid(title: "count(row → column)", rowLabels: characters, columnLabels: characters, values: counts)],
                        title: "bigram counts of the training names")
        // end lesson-code
    }

    static let nll: StepCode = { out in
        // lesson-code: nll
        let p = bigramProbabilities(try bigramCounts())               // (count + 1) / (row total + 27)
        let emma = [0, 5, 13, 13, 1, 0]                                 // . e m m a .
        var total = 0.0
        for (a, b) in zip(emma, emma.dropFirst()) {
            out.print("p(\(characters[a]) → \(characters[b])) = \(num(p[a][b]))    −log p = \(num(-log(p[a][b])))")
            total += -log(p[a][b])
        }
        out.print("NLL of emma:", num(total / 5), "nats per character")
        func setNLL(_ names: [String]) throws -> Double {
            var (sum, n) = (0.0, 0)
            for name in names {
                let ids = [0] + (try CharacterVocabulary.lowercaseLetters.encode(name)) + [0]
                for (a, b) in zip(ids, ids.dropFirst()) { sum += -log(p[a][b]); n += 1 }
            }
            return sum / Double(n)
        }
        let split = try Names.split()
        out.print("bigram NLL:  train \(num(try setNLL(split.train)))   validation \(num(try setNLL(split.validation)))   uniform log 27 = \(num(log(27.0)))")
        // end lesson-code
    }

    static let sample: StepCode = { out in
        // lesson-code: sample
        let p = bigramProbabilities(try bigramCounts())
        for temperature in [0.5, 1, 2] {
            var rng = SplitMix64(seed: 14)
            func next(after a: Int) -> Int {
                let w = p[a].map { pow($0, 1 / temperature) }           // softmax(log p / T), unnormalized
                var u = rng.nextUnit() * w.reduce(0, +)
                for (b, weight) in w.enumerated() { u -= weight; if u < 0 { return b } }
                return 0
            }
            var names: [String] = []
            for _ in 0..<6 {
                var (name, id) = ("", next(after: 0))
                while id != 0 && name.count < 12 { name += characters[id]; id = next(after: id) }
                names.append(name)
            }
            let first = p[0].map { pow($0, 1 / temperature) }
            let q = first.map { $0 / first.reduce(0, +) }
            let entropy = -q.reduce(0) { $0 + $1 * log($1) }
            out.print("T = \(num(temperature)):  entropy of the first letter \(num(entropy)) nats   ", names.joined(separator: ", "))
        }
        // end lesson-code
    }

    static let mlp: StepCode = { out in
        // lesson-code: mlp
        let split = try Names.split()
        let train = try InMemoryDataset<Float>.nextCharacterExamples(split.train, vocabulary: .lowercaseLetters, blockSize: 3)
        let validation = try InMemoryDataset<Float>.nextCharacterExamples(split.validation, vocabulary: .lowercaseLetters, blockSize: 3)
        var rng = SplitMix64(seed: 14)
        let table = Embedding<Float>(vocabularySize: 27, dimension: 10, using: &rng)
        let hidden = Linear<Float>(in: 30, out: 128, using: &rng)
        let scores = Linear<Float>(in: 128, out: 27, using: &rng)
        func model(_ contexts: Tensor<Float>) throws -> Tensor<Float> {
            let vectors = try table(contexts.scalars.map { Int($0) }, shape: contexts.shape)   // [N, 3, 10]
            return scores(hidden(vectors.reshape([contexts.shape[0], 30])).tanh())
        }
        out.print("examples:", train.count, "train,", validation.count, "validation")
        out.print("validation NLL before training:", num(try setNLL(validation, model)))
        let optimizer = try Adam(table.parameters + hidden.parameters + scores.parameters, learningRate: 0.01)
        let loader = try DataLoader(train, batchSize: 64, ordering: .shuffled(seed: 14))
        var losses: [Double] = []
        for batch in loader.batches(epoch: 1).prefix(200) {
            optimizer.zeroGrad()
            let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
            loss.backward()
            optimizer.step()
            losses.append(Double(loss.item()))
        }
        out.print("validation NLL after 200 steps:", num(try setNLL(validation, model)))
        out.plotLines(title: "MLP on 3 letters: training loss per batch", xLabel: "step", yLabel: "NLL (nats per character)",
                      series: [("batch loss", losses.indices.map(Double.init), losses)])
        // end lesson-code
    }

    static let lstm: StepCode = { out in
        // lesson-code: lstm
        let split = try Names.split()
        let train = try InMemoryDataset<Float>.nextCharacterExamples(split.train, vocabulary: .lowercaseLetters, blockSize: 8)
        let validation = try InMemoryDataset<Float>.nextCharacterExamples(split.validation, vocabulary: .lowercaseLetters, blockSize: 8)
        var rng = SplitMix64(seed: 14)
        let table = Embedding<Float>(vocabularySize: 27, dimension: 16, using: &rng)
        let recurrent = LSTM<Float>(inputSize: 16, hiddenSize: 32, batchFirst: true, using: &rng)
        let scores = Linear<Float>(in: 32, out: 27, using: &rng)
        func model(_ contexts: Tensor<Float>) throws -> Tensor<Float> {
            let vectors = try table(contexts.scalars.map { Int($0) }, shape: contexts.shape)   // [N, 8, 16]
            let states = recurrent(vectors)                                                    // [N, 8, 32]
            return scores(states.slice(axis: 1, 7, 8).squeeze(1))                              // after the 8th letter
        }
        out.print("validation NLL before training:", num(try setNLL(validation, model)))
        let optimizer = try Adam(table.parameters + recurrent.parameters + scores.parameters, learningRate: 0.01)
        let loader = try DataLoader(train, batchSize: 64, ordering: .shuffled(seed: 14))
        var losses: [Double] = []
        for batch in loader.batches(epoch: 1).prefix(60) {
            optimizer.zeroGrad()
            let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
            loss.backward()
            optimizer.step()
            losses.append(Double(loss.item()))
        }
        out.print("validation NLL after 60 steps:", num(try setNLL(validation, model)))
        var sampler = SplitMix64(seed: 14)
        var names: [String] = []
        for _ in 0..<6 {
            var context = [Float](repeating: 0, count: 8), name = ""
            while name.count < 12 {
                let logits = try withoutGradients { try model(try Tensor<Float>(shape: [1, 8], elements: context)) }.scalars
                let weights = logits.map { exp(Double($0)) }
                var u = sampler.nextUnit() * weights.reduce(0, +), id = 0
                for (b, w) in weights.enumerated() { u -= w; if u < 0 { id = b; break } }
                if id == 0 { break }
                name += characters[id]
                context = Array(context.dropFirst()) + [Float(id)]
            }
            names.append(name)
        }
        out.print("samples:", names.joined(separator: ", "))
        out.plotLines(title: "LSTM on 8 letters: training loss per batch", xLabel: "step", yLabel: "NLL (nats per character)",
                      series: [("batch loss", losses.indices.map(Double.init), losses)])
        // end lesson-code
    }

    static let bptt: StepCode = { out in
        // lesson-code: bptt
        var rng = SplitMix64(seed: 14)
        let cell = LSTMCell<Double>(inputSize: 2, hiddenSize: 2, using: &rng)
        var state: (hidden: Tensor<Double>, cell: Tensor<Double>)? = nil
        for (t, x) in [[1.0, 0.0], [0.0, 1.0]].enumerated() {
            state = cell(try Tensor<Double>(shape: [1, 2], elements: x), state: state)
            state!.hidden.label = "h\(t + 1)"
            state!.cell.label = "c\(t + 1)"
        }
        let loss = state!.hidden.sum()
        out.print("loss = h₂[0] + h₂[1] =", num(loss.item()))
        let steps = out.walkBackward(from: loss, title: "backprop through time: 2 steps of one LSTMCell")
        out.print("backward steps:", steps)
        for (name, tensor) in cell.namedParameters where name.hasPrefix("weight_hh") {
            out.print("∂loss/∂W_hh row 0:", tensor.grad!.scalars.prefix(2).map { num($0) }.joined(separator: ", "))
        }
        // end lesson-code
    }
}
