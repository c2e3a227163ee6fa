// Lesson15.swift — the code that lesson 15's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson15+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Layers/MultiheadAttention.swift and ../../Sources/Layers/TransformerBlock.swift, then ../16-a-gan.

import Datasets
import Engine
import Foundation
import LessonKit
import Layers
import Optimizers
import Tensors

enum Lesson15 {
    static let lesson = Lesson(id: 15, markdown: markdown, code: [
        "average": average, "head": head, "heads": heads, "backward": backward, "gpt": gpt, "scalar": scalar,
    ])

    /// 0 on and below the diagonal, −∞ above it: position i may look at positions j ≤ i only.
    static func causalMask(_ length: Int) -> Tensor<Double> {
        var mask = [Double](repeating: 0, count: length * length)
        for i in 0..<length { for j in 0..<length where j > i { mask[i * length + j] = -.infinity } }
        return try! Tensor<Double>(shape: [length, length], elements: mask)
    }

    /// The rows of a 2-D tensor as arrays of Double.
    static func rows<Scalar: TensorScalar>(_ t: Tensor<Scalar>) -> [[Double]] {
        (0..<t.shape[0]).map { i in (0..<t.shape[1]).map { Double(t[i, $0]) } }
    }

    static let average: StepCode = { out in
        // lesson-code: average
        let x = try Tensor<Double>(shape: [4, 2], elements: [1, 2, 3, 4, 5, 6, 7, 8])     // 4 positions, 2 features
        var mask = [Double](repeating: 0, count: 16)
        for i in 0..<4 { for j in 0..<4 where j > i { mask[i * 4 + j] = -.infinity } }  // the future: −∞
        let weights = try Tensor<Double>(shape: [4, 4], elements: mask).softmax(axis: -1)
        for (i, row) in rows(weights).enumerated() { out.print("weights row \(i):", row.map { num($0) }.joined(separator: ", ")) }
        out.print("weights · x:", weights.matmul(x).scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
    }

    static let head: StepCode = { out in
        // lesson-code: head
        var rng = SplitMix64(seed: 15)
        let x = Tensor<Double>.randomNormal([5, 8], using: &rng)                 // 5 positions, 8 features
        let wq = Tensor<Double>.randomNormal([8, 4], using: &rng) * (1 / 8.0.squareRoot())
        let wk = Tensor<Double>.randomNormal([8, 4], using: &rng) * (1 / 8.0.squareRoot())
        let wv = Tensor<Double>.randomNormal([8, 4], using: &rng) * (1 / 8.0.squareRoot())
        let (q, k, v) = (x.matmul(wq), x.matmul(wk), x.matmul(wv))              // each [5, 4]
        let scores = q.matmul(k.transposed()) * (1 / 4.0.squareRoot()) + causalMask(5)
        let weights = scores.softmax(axis: -1)
        let attended = weights.matmul(v)                                          // [5, 4]
        out.print("row 5 weights:", rows(weights)[4].map { num($0) }.joined(separator: ", "))
        let lumen = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
        out.print("largest difference from scaledDotProductAttention:", zip(attended.scalars, lumen.scalars).map { abs($0 - $1) }.max()!)
        let positions = (1...5).map(String.init)
        out.shadedGrids([ShadedGrid(title: "softmax(q·kᵀ/√4 + mask)", rowLabels: positions, columnLabels: positions, values: rows(weights))],
                        title: "one head's attention weights: row = query, column = key", numbers: true)
        // end lesson-code
    }

    static let heads: StepCode = { out in
        // lesson-code: heads
        var rng = SplitMix64(seed: 15)
        let x = Tensor<Double>.randomNormal([5, 8], using: &rng)
        let attention = MultiheadAttention<Double>(embedDim: 8, numHeads: 2, causal: true, using: &rng)
        let projected = x.matmul(attention.inProjWeight.transposed()) + attention.inProjBias!   // [5, 24]: q | k | v
        var grids: [ShadedGrid] = [], merged: [Tensor<Double>] = []
        for h in 0..<2 {                                                          // head h: columns h·4 ..< h·4 + 4
            let q = projected.slice(axis: 1, h * 4, h * 4 + 4)
            let k = projected.slice(axis: 1, 8 + h * 4, 8 + h * 4 + 4)
            let v = projected.slice(axis: 1, 16 + h * 4, 16 + h * 4 + 4)
            let weights = (q.matmul(k.transposed()) * (1 / 4.0.squareRoot()) + causalMask(5)).softmax(axis: -1)
            merged.append(weights.matmul(v))
            grids.append(ShadedGrid(title: "head \(h + 1)", rowLabels: (1...5).map(String.init), columnLabels: (1...5).map(String.init),
                                    values: rows(weights)))
        }
        let ours = attention.outProj(Tensor.concat(merged, axis: 1))            // heads side by side, then W_o
        let layer = attention(x.reshape([1, 5, 8])).reshape([5, 8])
        out.print("largest difference from MultiheadAttention:", zip(ours.scalars, layer.scalars).map { abs($0 - $1) }.max()!)
        out.shadedGrids(grids, title: "two heads, two patterns of attention", numbers: true)
        // end lesson-code
    }

    static let backward: StepCode = { out in
        // lesson-code: backward
        var rng = SplitMix64(seed: 15)
        let attention = MultiheadAttention<Double>(embedDim: 4, numHeads: 1, causal: true, using: &rng)
        let x = Tensor<Double>.randomNormal([1, 3, 4], using: &rng).requiringGrad()
        x.label = "x"
        let loss = attention(x).sum()
        out.print("loss:", num(loss.item()))
        let steps = out.walkBackward(from: loss, title: "one causal attention block, backward")
        out.print("backward steps:", steps)
        out.print("∂loss/∂x[0, 0, :]:", (0..<4).map { num(x.grad![0, 0, $0]) }.joined(separator: ", "))
        // end lesson-code
    }

    static let gpt: StepCode = { out in
        // lesson-code: gpt
        let split = try Names.split()
        let train = try InMemoryDataset<Float>.nextCharacterExamples(split.train, vocabulary: .lowercaseLetters, blockSize: 8)
        let validation = try InMemoryDataset<Float>.nextCharacterExamples(split.validation, vocabulary: .lowercaseLetters, blockSize: 8)
        let model = TinyGPT<Float>(width: 16, heads: 2, blocks: 2, context: 8, seed: 15)
        func nll(_ set: InMemoryDataset<Float>) throws -> Double {
            let inputs = try Tensor<Float>(shape: [set.count, 8], elements: set.features)
            return Double(try withoutGradients { try model(inputs).crossEntropy(labels: set.labels) }.item())
        }
        out.print("parameters:", model.parameters.map(\.count).reduce(0, +), "   validation NLL before:", num(try nll(validation)))
        let optimizer = try Adam(model.parameters, learningRate: 0.01)
        for batch in try DataLoader(train, batchSize: 64, ordering: .shuffled(seed: 15)).batches(epoch: 1).prefix(60) {
            optimizer.zeroGrad()
            let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
            loss.backward()
            optimizer.step()
        }
        out.print("validation NLL after 60 steps:", num(try nll(validation)))
        // end lesson-code
        // The picture: where each head looks when reading ". j o n a t h a" (predicting "n"),
        // recomputed from each block's norm1 and in-projection as in step 3.
        let ids = [0, 10, 15, 14, 1, 20, 8, 1]
        let labels = ids.map { Lesson14.characters[$0] }
        var x = try model.token(ids, shape: [1, 8]) + model.position.weight
        var grids: [ShadedGrid] = []
        withoutGradients {
            for (b, block) in model.blocks.enumerated() {
                let normed = block.norm1(x).reshape([8, 16])
                let projected = normed.matmul(block.selfAttention.inProjWeight.transposed()) + block.selfAttention.inProjBias!
                for h in 0..<2 {
                    let q = projected.slice(axis: 1, h * 8, h * 8 + 8), k = projected.slice(axis: 1, 16 + h * 8, 16 + h * 8 + 8)
                    let mask = causalMask(8).scalars.map { Float($0) }
                    let weights = (q.matmul(k.transposed()) * Float(1 / 8.0.squareRoot()) + (try! Tensor<Float>(shape: [8, 8], elements: mask)))
                        .softmax(axis: -1)
                    grids.append(ShadedGrid(title: "block \(b + 1), head \(h + 1)", rowLabels: labels, columnLabels: labels, values: rows(weights)))
                }
                x = block(x)
            }
        }
        out.shadedGrids(grids, title: "the trained tiny GPT's attention on \". j o n a t h a\"")
    }

    static let scalar: StepCode = { out in
        // lesson-code: scalar
        let tensors = TinyGPT<Double>(width: 4, heads: 2, blocks: 1, context: 3, seed: 15)
        let scalars = ScalarGPT(copying: tensors)                                 // the same numbers, as Values
        let contexts = [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]]  // . . . e m m a .
        let labels = [5, 13, 13, 1, 0]
        let inputs = try Tensor<Double>(shape: [5, 3], elements: contexts.joined().map(Double.init))
        out.print("parameters:", scalars.parameters.count, "Values, in", tensors.parameters.count, "tensors")
        let optimizer = try SGD(tensors.parameters, learningRate: 0.5)
        for step in 1...3 {
            optimizer.zeroGrad()
            let tensorLoss = try tensors(inputs).crossEntropy(labels: labels)
            tensorLoss.backward()
            optimizer.step()
            scalars.parameters.zeroGrad()
            let scalarLoss = scalars.loss(contexts, labels)
            scalarLoss.backward()
            for p in scalars.parameters { p.data -= 0.5 * (p.grad ?? 0) }     // rows of unused letters get none
            if step == 1 { out.print("scalar graph:", scalarLoss.topologicalOrder().count, "nodes") }
            out.print("step \(step):  tensors \(tensorLoss.item())   Values \(scalarLoss.data)   difference \(abs(tensorLoss.item() - scalarLoss.data))")
        }
        // end lesson-code
    }
}
