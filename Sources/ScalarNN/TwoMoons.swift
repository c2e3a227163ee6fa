// TwoMoons.swift — the "two moons" toy data set: two interleaving half circles.
//
// The first moon is the upper half of the unit circle, (cos t, sin t) for t in [0, π],
// labelled -1. The second is the lower half of a unit circle centred at (1, 0.5),
// (1 − cos t, 0.5 − sin t), labelled +1: flipped and shifted so that each moon's tip
// reaches into the other's hollow. No straight line separates them, which is why the
// classifier needs hidden layers. Each point then gets Gaussian noise on both coordinates.
//
// Read next: MoonsTraining.swift.

import Basics
import Engine
import Foundation

/// `count` points on two interleaving half circles, with labels ±1.
public struct TwoMoons: Sendable {
    /// The seed `init()` uses when none is given.
    public static let defaultSeed: UInt64 = 1

    /// Each point as `[x, y]`. The first moon's points come first, in order of their angle.
    public let points: [[Double]]
    /// -1 for the first (upper) moon, +1 for the second (lower) moon.
    public let labels: [Double]

    /// Generates the data set.
    ///
    /// The first moon gets ⌊count/2⌋ points and the second the rest. On each moon the angles
    /// are evenly spaced, tₖ = π·k/(m − 1) for k = 0 … m − 1 (t = 0 when m = 1). Then, point by
    /// point, `noise · N(0, 1)` is added to x and then to y, drawn from `SplitMix64(seed:)`.
    /// With `noise: 0` the points lie exactly on the two circles.
    public init(count: Int = 100, noise: Double = 0.1, seed: UInt64 = TwoMoons.defaultSeed,
                file: StaticString = #fileID, line: UInt = #line) {
        trapUnless(count >= 0, "TwoMoons(count: \(count)): the count must not be negative", file: file, line: line)
        trapUnless(noise >= 0 && noise.isFinite, "TwoMoons(noise: \(noise)): the noise must be finite and ≥ 0",
                   file: file, line: line)
        let firstCount = count / 2
        let secondCount = count - firstCount
        var points: [[Double]] = []
        var labels: [Double] = []
        points.reserveCapacity(count)
        labels.reserveCapacity(count)

        for t in TwoMoons.angles(firstCount) {
            points.append([cos(t), sin(t)])
            labels.append(-1)
        }
        for t in TwoMoons.angles(secondCount) {
            points.append([1 - cos(t), 0.5 - sin(t)])
            labels.append(1)
        }

        var rng = SplitMix64(seed: seed)
        for i in points.indices {
            points[i][0] += noise * rng.nextGaussian()
            points[i][1] += noise * rng.nextGaussian()
        }
        self.points = points
        self.labels = labels
    }

    /// `m` evenly spaced angles from 0 to π inclusive.
    private static func angles(_ m: Int) -> [Double] {
        guard m > 1 else { return Array(repeating: 0, count: m) }
        return (0..<m).map { k in Double.pi * Double(k) / Double(m - 1) }
    }
}
