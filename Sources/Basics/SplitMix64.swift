// SplitMix64.swift — a tiny, seeded random number generator.
//
// Every random choice in Lumen (initial weights, data sets, shuffles) comes from a seed, so
// a run can be repeated exactly. SplitMix64 is ten lines, passes BigCrush, and is the
// generator that ../shared/bench/WORKLOADS.md uses for the peer benchmarks, so Lumen can
// reproduce their data and weights bit for bit.

import Foundation

/// Sebastiano Vigna's SplitMix64: a 64-bit state advanced by a constant and then scrambled.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A `Double` in [0, 1) from the top 53 bits: every value is a multiple of 2⁻⁵³.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A `Double` uniformly distributed in [lower, upper).
    public mutating func nextUniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnit()
    }

    /// A standard normal sample, by the Box–Muller transform.
    public mutating func nextGaussian() -> Double {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        let u1 = 1 - nextUnit(), u2 = nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }
}
