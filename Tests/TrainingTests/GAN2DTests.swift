// GAN2DTests.swift — the GAN of `lumen train gan-2d`: the ring's samples and the mode-coverage
// count against hand-placed points, `detach` keeping the generator out of the discriminator's
// backward, and a short run that pulls the generated points toward the ring.

import Engine
import Foundation
import Tensors
import Testing
@testable import Training

@Suite struct GAN2DTests {
    @Test func theRingHasEightModesOfSigmaPointOne() {
        #expect(abs(GaussianRing.centre(0).x - 2) < 1e-12 && abs(GaussianRing.centre(0).y) < 1e-12)
        #expect(abs(GaussianRing.centre(2).x) < 1e-12 && abs(GaussianRing.centre(2).y - 2) < 1e-12)
        #expect(abs(GaussianRing.centre(1).x - 2.0.squareRoot()) < 1e-12)
        var rng = SplitMix64(seed: 1)
        let points = GaussianRing.sample(8000, using: &rng)
        let counts = GaussianRing.countsNearModes(points)
        // Within 3σ of a 2-D Gaussian's centre: 1 − e^(−9/2) ≈ 98.9 % of its points; 1,000 per mode expected.
        #expect(counts.allSatisfy { $0 > 900 && $0 < 1100 }, "\(counts)")
        #expect(Double(counts.reduce(0, +)) / 8000 > 0.98)
        #expect(GaussianRing.coveredModes(points) == 8)
    }

    @Test func coverageCountsModesWithTwoPercent() {
        // 100 points: 97 at centre 0, 2 at centre 2 (exactly 2 %), 1 at centre 4 (1 %), none elsewhere.
        var points: [Float] = []
        for _ in 0..<97 { points += [2, 0] }
        for _ in 0..<2 { points += [0, 2.25] }          // 0.25 from the centre: within 3σ = 0.3
        points += [-2, 0.35]                            // 0.35 from centre 4: outside
        #expect(GaussianRing.countsNearModes(points) == [97, 0, 2, 0, 0, 0, 0, 0])
        #expect(GaussianRing.coveredModes(points) == 2)
    }

    @Test func detachKeepsTheGeneratorOutOfTheDiscriminatorsBackward() throws {
        let gan = try GAN2D(seed: 3, batchSize: 16)
        var rng = SplitMix64(seed: 4)
        let real = try Tensor<Float>(shape: [16, 2], elements: GaussianRing.sample(16, using: &rng))
        gan.discriminatorLoss(real: real, noise: gan.noise(16)).backward()
        #expect(gan.generator.parameters.allSatisfy { $0.grad == nil || $0.grad!.scalars.allSatisfy { $0 == 0 } })
        #expect(gan.discriminator.parameters.contains { $0.grad?.scalars.contains { $0 != 0 } == true })
        gan.generatorLoss(noise: gan.noise(16)).backward()
        #expect(gan.generator.parameters.allSatisfy { $0.grad?.scalars.contains { $0 != 0 } == true })
    }

    @Test func aShortRunPullsTheSamplesTowardTheRing() throws {
        // Small, for a debug build: 150 steps of 32 points.
        let gan = try GAN2D(seed: 0, batchSize: 32)
        func ringError() -> Double {
            let points = gan.samples(500, seed: 9)
            var total = 0.0
            for i in stride(from: 0, to: points.count, by: 2) {
                let (x, y) = (Double(points[i]), Double(points[i + 1]))
                total += Swift.abs((x * x + y * y).squareRoot() - 2)
            }
            return total / 500
        }
        let before = ringError()
        for _ in 0..<150 { gan.step() }
        let after = ringError()
        #expect(after < 0.5 * before, "mean distance to the circle \(before) → \(after)")
        #expect(gan.steps == 150)
    }

    @Test func theSameSeedTrainsTheSameGenerator() throws {
        let (a, b) = (try GAN2D(seed: 5, batchSize: 16), try GAN2D(seed: 5, batchSize: 16))
        for _ in 0..<10 { a.step(); b.step() }
        #expect(a.samples(10, seed: 9) == b.samples(10, seed: 9))
        let c = try GAN2D(seed: 6, batchSize: 16)
        for _ in 0..<10 { c.step() }
        #expect(c.samples(10, seed: 9) != a.samples(10, seed: 9))
    }
}
