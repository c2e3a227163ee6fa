// EmbeddingDropoutAttentionTests.swift — embedding lookup, seeded dropout and scaled
// dot-product attention against plain Double loops, their gradients against central
// differences, and the typed errors for bad token ids.

import Testing
import Foundation
import Engine
import _TestSupport
@testable import Tensors

@Suite struct EmbeddingDropoutAttentionTests {
    @Test func embeddingPicksRowsAndAccumulatesRepeatedIds() throws {
        var rng = SplitMix64(seed: 401)
        let table = Tensor<Double>.randomUniform([5, 3], -1, 1, using: &rng).requiringGrad()
        let ids = [4, 0, 4, 2, 4, 1]
        let out = try table.embedding(ids, shape: [2, 3])
        #expect(out.shape == [2, 3, 3])
        for (p, id) in ids.enumerated() {
            for d in 0..<3 { #expect(out[p / 3, p % 3, d] == table[id, d]) }
        }
        out.backward(gradient: Tensor.ones([2, 3, 3]))
        // Row r receives one gradient per occurrence of r: id 4 three times, 3 never.
        let counts: [Double] = [1, 1, 1, 0, 3]
        for r in 0..<5 { for d in 0..<3 { #expect(table.grad![r, d] == counts[r]) } }
        let check = checkGradients(leaves([[5, 3]], seed: 402)) { v in try! v[0].embedding([1, 3, 1]).tanh() }
        #expect(check.maxError < 1e-7 && check.shapesMatch)
    }

    @Test func embeddingRejectsBadIds() {
        let table = Tensor<Float>.zeros([4, 2])
        #expect(throws: NNError.tokenOutOfRange(id: 4, index: 2, vocabularySize: 4)) { try table.embedding([0, 1, 4]) }
        #expect(throws: NNError.tokenOutOfRange(id: -2, index: 0, vocabularySize: 4)) { try table.embedding([-2]) }
        #expect(throws: NNError.idCountMismatch(ids: 3, shape: [2, 2])) { try table.embedding([0, 1, 2], shape: [2, 2]) }
        #expect(NNError.tokenOutOfRange(id: 4, index: 2, vocabularySize: 4).description.contains("0..<4"))
    }

    @Test func dropoutIsSeededInvertedAndIdentityInEval() {
        let x = Tensor<Double>.ones([40, 50]).requiringGrad()
        var rng = SplitMix64(seed: 7)
        let out = x.dropout(probability: 0.3, training: true, using: &rng)
        // The same seed draws the same mask: element i is dropped where the i-th draw < p.
        var replay = SplitMix64(seed: 7)
        let scale: Double = Double(1) / (Double(1) - Double(0.3))
        for got in out.scalars {
            let want = replay.nextUnit() < 0.3 ? 0 : scale
            #expect(got == want)
        }
        let kept = out.scalars.filter { $0 != 0 }.count
        #expect(kept > 1300 && kept < 1500)   // 2000 · 0.7 = 1400, ± ~5 standard deviations
        out.backward(gradient: Tensor.ones([40, 50]))
        #expect(x.grad!.scalars == out.scalars)   // ∂out/∂x = mask, and x = 1
        // Eval: the identity, drawing nothing.
        var evalRng = SplitMix64(seed: 9)
        let y = Tensor<Double>([1, 2, 3])
        #expect(y.dropout(probability: 0.5, training: false, using: &evalRng) === y)
        var fresh = SplitMix64(seed: 9)
        #expect(evalRng.next() == fresh.next())
        var allRng = SplitMix64(seed: 1)
        #expect(y.dropout(probability: 1, training: true, using: &allRng).scalars == [0, 0, 0])
    }

    /// softmax(Q·Kᵀ/√d + mask)·V for one [L, d] slice, by loops.
    func referenceAttention(_ q: [[Double]], _ k: [[Double]], _ v: [[Double]], causal: Bool) -> [[Double]] {
        let d = Double(q[0].count)
        return q.indices.map { i in
            var scores: [Double] = k.indices.map { j in
                var dot = 0.0
                for t in q[i].indices { dot += q[i][t] * k[j][t] }
                return dot / Foundation.sqrt(d)
            }
            if causal { for j in scores.indices where j > i { scores[j] = -Double.infinity } }
            let top = scores.max()!
            let e = scores.map { Foundation.exp($0 - top) }
            var z = 0.0
            for x in e { z += x }
            return v[0].indices.map { c in
                var total = 0.0
                for j in k.indices { total += e[j] / z * v[j][c] }
                return total
            }
        }
    }

    @Test(arguments: [false, true])
    func attentionMatchesLoopsAndDifferences(causal: Bool) {
        var rng = SplitMix64(seed: causal ? 411 : 412)
        let (b, l, d, dv) = (2, 4, 3, 2)
        let q = Tensor<Double>.randomUniform([b, l, d], -1, 1, using: &rng)
        // Keys as a transposed view of [b, d, l] storage: non-contiguous.
        let kStored = Tensor<Double>.randomUniform([b, d, l], -1, 1, using: &rng)
        let k = kStored.transposed()
        let v = Tensor<Double>.randomUniform([b, l, dv], -1, 1, using: &rng)
        let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: causal)
        #expect(out.shape == [b, l, dv])
        func rows(_ t: Tensor<Double>, _ n: Int) -> [[Double]] {
            (0..<t.shape[1]).map { i in (0..<t.shape[2]).map { j in t[n, i, j] } }
        }
        for n in 0..<b {
            let expected = referenceAttention(rows(q, n), rows(k, n), rows(v, n), causal: causal)
            for i in 0..<l { for c in 0..<dv { #expect(isClose(out[n, i, c], expected[i][c], tolerance: 1e-12)) } }
        }
        if causal {
            // Query 0 sees only key 0: its output is exactly value row 0.
            for n in 0..<b { for c in 0..<dv { #expect(isClose(out[n, 0, c], v[n, 0, c], tolerance: 1e-12)) } }
        }
        let check = checkGradients(leaves([[b, l, d], [b, d, l], [b, l, dv]], seed: 413)) { t in
            Tensor.scaledDotProductAttention(query: t[0], key: t[1].transposed(), value: t[2], causal: causal)
        }
        #expect(check.maxError < 1e-7 && check.shapesMatch, "attention gradient error \(check.maxError)")
    }
}
