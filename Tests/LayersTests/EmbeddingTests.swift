// EmbeddingTests.swift — Embedding picks rows by id, arranges them in the ids' shape, adds
// the gradients of repeated ids, reports bad ids as typed errors, and is initialized N(0, 1).

import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct EmbeddingTests {
    @Test func looksUpRowsInTheIdsShape() throws {
        let table = try Tensor<Double>(rows: [[0, 1], [10, 11], [20, 21]])
        let embedding = Embedding(weight: table)
        let out = try embedding([2, 0, 2, 1], shape: [2, 2])
        #expect(out.shape == [2, 2, 2])
        #expect(out.scalars == [20, 21, 0, 1, 20, 21, 10, 11])
        #expect(embedding.namedParameters.map(\.name) == ["weight"])
    }

    @Test func repeatedIdsAddTheirGradients() throws {
        var rng = SplitMix64(seed: 1)
        let embedding = Embedding<Double>(vocabularySize: 4, dimension: 3, using: &rng)
        let upstream = Tensor<Double>.randomUniform([3, 3], -1, 1, using: &rng)
        (try embedding([1, 3, 1]) * upstream).sum().backward()
        let grad = embedding.weight.grad!.scalars, u = upstream.scalars
        for k in 0..<3 {
            #expect(grad[k] == 0 && grad[2 * 3 + k] == 0)   // rows 0 and 2: never picked
            #expect(isClose(grad[1 * 3 + k], u[k] + u[2 * 3 + k], tolerance: 1e-15))
            #expect(grad[3 * 3 + k] == u[3 + k])
        }
    }

    @Test func badIdsAreTypedErrors() {
        let embedding = Embedding<Float>(weight: .zeros([5, 2]))
        #expect(throws: NNError.tokenOutOfRange(id: 5, index: 1, vocabularySize: 5)) { try embedding([0, 5]) }
        #expect(throws: NNError.idCountMismatch(ids: 3, shape: [2, 2])) { try embedding([0, 1, 2], shape: [2, 2]) }
    }

    @Test func initializationIsStandardNormalAndSeeded() {
        var rng = SplitMix64(seed: 5)
        let e = Embedding<Double>(vocabularySize: 100, dimension: 50, using: &rng)
        let v = e.weight.scalars
        let mean: Double = v.reduce(0.0) { $0 + $1 } / 5000
        let variance: Double = v.map { ($0 - mean) * ($0 - mean) }.reduce(0.0) { $0 + $1 } / 5000
        // 5000 draws: the sample mean's sd is 0.014, the sample variance's about 0.02.
        #expect(abs(mean) < 0.06 && abs(variance - 1) < 0.08)
        var again = SplitMix64(seed: 5)
        #expect(Embedding<Double>(vocabularySize: 100, dimension: 50, using: &again).weight.scalars == v)
        #expect(e.weight.requiresGrad && e.summaryName == "Embedding(100, 50)")
    }
}
