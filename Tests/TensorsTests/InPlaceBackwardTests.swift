// InPlaceBackwardTests.swift — `backward()`'s in-place sums (FastPath/Tensor+InPlaceBackward.swift)
// give what the readable pass gives: on random graphs full of slices (several of one tensor,
// overlapping, with steps, of views, of leaves, of slices), every node's gradient has the same
// values as the step-by-step `TensorBackwardPass`, which builds each slice's zero-filled
// gradient and adds the contributions one new tensor at a time. And the in-place sums never
// write into a gradient that someone else may hold.
//
// Read next: ParityTests.swift.

import Testing
@testable import Tensors

@Suite struct InPlaceBackwardTests {
    /// A random graph over [4, 6] tensors: leaves, then `steps` ops, each taking its operands
    /// from everything made so far (so most tensors are used several times), then a weighted
    /// sum of every tensor as the loss. The ops cut tensors into slices in the ways models do.
    struct RandomGraph {
        var leaves: [Tensor<Double>] = []
        var nodes: [Tensor<Double>] = []
        var loss: Tensor<Double>

        init(seed: UInt64, steps: Int = 14) {
            var rng = SplitMix64(seed: seed)
            func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
            for _ in 0..<3 {
                leaves.append(Tensor.randomUniform([4, 6], -1, 1, using: &rng).requiringGrad())
            }
            var pool = leaves
            for _ in 0..<steps {
                let a = pool[pick(pool.count)], b = pool[pick(pool.count)]
                let made: Tensor<Double>
                switch pick(9) {
                case 0:  // rows one by one and stacked again, as a sequence is cut into steps
                    made = Tensor.stack((0..<4).map { a.slice(axis: 0, $0, $0 + 1).squeeze(0) }, axis: 0)
                case 1:  // column blocks through different functions, as an LSTM's gates
                    made = Tensor.concat([a.slice(axis: 1, 0, 2).sigmoid(), a.slice(axis: 1, 2, 4).tanh(),
                                          b.slice(axis: 1, 4, 6) * a.slice(axis: 1, 0, 2)], axis: 1)
                case 2:  // every other column, from two tensors
                    made = Tensor.concat([a.slice(axis: 1, 0, 6, step: 2), b.slice(axis: 1, 1, 6, step: 2)], axis: 1)
                case 3:  // overlapping slices of one tensor, summed
                    made = Tensor.concat([a.slice(axis: 0, 0, 3) + a.slice(axis: 0, 1, 4), a.slice(axis: 0, -1, 4)], axis: 0)
                case 4:  // slices of transposed views (not contiguous)
                    made = Tensor.concat([a.transposed().slice(axis: 1, 0, 2), b.transposed().slice(axis: 1, 2, 4)],
                                         axis: 1).transposed() * b
                case 5:  // a slice of a slice, then a product
                    made = a.slice(axis: 1, 1, 6).slice(axis: 1, 0, 4).matmul(b.slice(axis: 0, 0, 4))
                case 6:
                    made = a * b + a
                case 7:
                    made = (a - b).tanh()
                default:  // a slice of a broadcast view
                    made = a.slice(axis: 0, 2, 3).expand([4, 6]).slice(axis: 1, 0, 6) * b
                }
                pool.append(made)
                nodes.append(made)
            }
            var total = pool[0].sum()
            for tensor in pool.dropFirst() {
                total = total + (tensor * Tensor.randomUniform([4, 6], -1, 1, using: &rng)).sum()
            }
            loss = total
        }
    }

    /// Equal values, NaN where NaN (the signs of zeros may differ: 0 + (−0) is +0).
    static func sameValues(_ a: Tensor<Double>?, _ b: Tensor<Double>?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test("the same gradient at every node as the step-by-step pass, on 200 random graphs")
    func sameGradients() {
        for seed in UInt64(0)..<200 {
            let readable = RandomGraph(seed: seed), fast = RandomGraph(seed: seed)
            var pass = TensorBackwardPass(from: readable.loss)
            while pass.next() != nil {}
            #expect(Tensor<Double>.backwardAddsInPlace)
            fast.loss.backward()
            for (x, y) in zip(readable.leaves + readable.nodes, fast.leaves + fast.nodes) {
                #expect(Self.sameValues(x.grad, y.grad), "seed \(seed), node \(x.id)")
            }
            // Every node of the graph, the slices included.
            let a = readable.loss.topologicalOrder(), b = fast.loss.topologicalOrder()
            let same = a.count == b.count && zip(a, b).allSatisfy { Self.sameValues($0.grad, $1.grad) }
            #expect(same, "seed \(seed)")
        }
    }

    @Test("a leaf sliced in pieces accumulates over two passes, and the first gradient is left as it was")
    func leavesAccumulateWithoutTouchingOldGradients() {
        let x = Tensor<Double>([1, 2, 3, 4], requiresGrad: true)
        func loss() -> Tensor<Double> {
            // 2 (x₀ + x₁) + (x₁² + x₂² + x₃²) + 3 Σ x, so ∂/∂x = [2 + 3, 2 + 2x₁ + 3, 2x₂ + 3, 2x₃ + 3]
            (x.slice(axis: 0, 0, 2) * 2).sum() + (x.slice(axis: 0, 1, 4) * x.slice(axis: 0, 1, 4)).sum() + (x * 3).sum()
        }
        loss().backward()
        let first = x.grad!
        let expected: [Double] = [5, 9, 9, 11]
        #expect(first.scalars == expected)
        loss().backward()
        #expect(x.grad!.scalars == expected.map { 2 * $0 })
        #expect(first.scalars == expected, "the first pass's gradient tensor must not change")
    }

    @Test("a slice's gradient does not write into a gradient another node holds")
    func sharedGradientsStayIntact() {
        // y = a + 0 hands its gradient on unchanged: a's gradient is y's own tensor at first.
        // The slices of a then add more; y's gradient must stay what it was.
        let a = Tensor<Double>([1, 2, 3], requiresGrad: true)
        let y = a * 1
        let z = y + 0
        let loss = (z * Tensor([1, 10, 100])).sum() + (y.slice(axis: 0, 0, 2) * 7).sum() + y.slice(axis: 0, 2, 3).sum()
        loss.backward()
        let upstream: [Double] = [1, 10, 100], total: [Double] = [8, 17, 101]
        #expect(z.grad!.scalars == upstream)
        #expect(y.grad!.scalars == total)
        #expect(a.grad!.scalars == total)
    }
}
