// DropoutTests.swift — Dropout in training (zeros about p of the elements, scales survivors by
// 1/(1 − p), reproducible from its seed, gradient = the mask) and in eval (the identity).

import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct DropoutTests {
    @Test func trainingDropsAndRescales() {
        let layer = Dropout<Double>(probability: 0.25, seed: 7)
        let x = Tensor<Double>.ones([4000])
        let y = layer(x).scalars
        #expect(y.allSatisfy { $0 == 0 || isClose($0, 1 / 0.75, tolerance: 1e-15) })
        let dropped = Double(y.filter { $0 == 0 }.count) / 4000
        // Binomial(4000, 0.25): standard deviation ≈ 0.0068 in the fraction; 0.03 is > 4σ.
        #expect(abs(dropped - 0.25) < 0.03)
        // Each call draws a new mask.
        #expect(layer(x).scalars != y)
    }

    @Test func sameSeedSameMaskAndMatchesTheGenerator() {
        let x = Tensor<Double>.ones([50])
        let a = Dropout<Double>(probability: 0.5, seed: 3)(x).scalars
        #expect(a == Dropout<Double>(probability: 0.5, seed: 3)(x).scalars)
        #expect(a != Dropout<Double>(probability: 0.5, seed: 4)(x).scalars)
        var rng = SplitMix64(seed: 3)
        #expect(a == (0..<50).map { _ in rng.nextUnit() < 0.5 ? 0 : 2 })
    }

    @Test func evalIsIdentityAndDrawsNothing() {
        let layer = Dropout<Double>(probability: 0.9, seed: 1)
        layer.eval()
        let x = randomLeaf([3, 4], seed: 2)
        #expect(layer(x).scalars == x.scalars)
        #expect(layer.generator.state == SplitMix64(seed: 1).state)
        layer.train()
        #expect(layer(x).scalars != x.scalars)
    }

    @Test func gradientIsTheMask() {
        let layer = Dropout<Double>(probability: 0.5, seed: 11)
        let x = randomLeaf([20], seed: 1)
        let y = layer(x)
        y.sum().backward()
        let mask = zip(y.scalars, x.scalars).map { $0.0 / $0.1 }   // 0 or 2
        #expect(mask.allSatisfy { $0 == 0 || isClose($0, 2, tolerance: 1e-12) })
        #expect(zip(x.grad!.scalars, mask).allSatisfy { isClose($0, $1, tolerance: 1e-12) })
    }
}
