// TwoMoonsTests.swift — the moons generator: sizes, labels, determinism, geometry, noise.

import Engine
import Foundation
import Testing
import _TestSupport
@testable import ScalarNN

@Suite struct TwoMoonsTests {
    @Test(arguments: [(100, 50, 50), (7, 3, 4), (2, 1, 1), (0, 0, 0)])
    func countsAndBalancedLabels(count: Int, first: Int, second: Int) {
        let data = TwoMoons(count: count, noise: 0.1, seed: 5)
        #expect(data.points.count == count)
        #expect(data.labels.count == count)
        #expect(data.labels.filter { $0 == -1 }.count == first)
        #expect(data.labels.filter { $0 == 1 }.count == second)
        #expect(data.points.allSatisfy { $0.count == 2 })
    }

    @Test func theSameSeedGivesTheSameDataAndAnotherSeedDoesNot() {
        let a = TwoMoons(count: 100, noise: 0.1, seed: 9)
        let b = TwoMoons(count: 100, noise: 0.1, seed: 9)
        let c = TwoMoons(count: 100, noise: 0.1, seed: 10)
        #expect(a.points == b.points)
        #expect(a.labels == b.labels)
        #expect(a.points != c.points)
        #expect(TwoMoons().points == TwoMoons(count: 100, noise: 0.1, seed: TwoMoons.defaultSeed).points)
    }

    @Test func withoutNoiseThePointsLieOnTheTwoHalfCircles() {
        let data = TwoMoons(count: 41, noise: 0, seed: 1)
        for (p, label) in zip(data.points, data.labels) {
            let (x, y) = (p[0], p[1])
            if label == -1 {
                // Upper half of the unit circle around (0, 0).
                #expect(isClose(x * x + y * y, 1, tolerance: 1e-12))
                #expect(y >= 0)
            } else {
                // Lower half of the unit circle around (1, 0.5).
                #expect(isClose((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 1, tolerance: 1e-12))
                #expect(y <= 0.5 + 1e-12)
            }
        }
        // Each moon runs from one end of its half circle to the other.
        #expect(isClose(data.points[0][0], 1) && isClose(data.points[0][1], 0))
        #expect(isClose(data.points[19][0], -1) && abs(data.points[19][1]) < 1e-12)
        #expect(isClose(data.points[20][0], 0) && isClose(data.points[20][1], 0.5))
        #expect(isClose(data.points[40][0], 2) && abs(data.points[40][1] - 0.5) < 1e-12)
    }

    @Test func theNoiseIsGaussianWithTheRequestedSpread() {
        // The noisy points minus the clean ones are the noise: mean ≈ 0, standard deviation ≈ σ.
        let sigma = 0.1, count = 20_000
        let clean = TwoMoons(count: count, noise: 0, seed: 3)
        let noisy = TwoMoons(count: count, noise: sigma, seed: 3)
        let residuals = zip(noisy.points, clean.points).flatMap { n, c in [n[0] - c[0], n[1] - c[1]] }
        let mean = residuals.reduce(0, +) / Double(residuals.count)
        let variance = residuals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(residuals.count - 1)
        // Standard errors: σ/√n ≈ 0.0005 for the mean, about σ/√(2n) ≈ 0.0004 for the deviation.
        #expect(abs(mean) < 0.002)
        #expect(abs(variance.squareRoot() - sigma) < 0.002)
        // About 68% of normal samples lie within one σ.
        let within = Double(residuals.filter { abs($0) < sigma }.count) / Double(residuals.count)
        #expect(abs(within - 0.6827) < 0.01)
    }
}
