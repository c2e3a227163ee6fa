// SplitMix64Tests.swift — the seeded generator (SplitMix64.swift).
//
// The bit-exact outputs come from ../shared/bench/WORKLOADS.md (the peers' check values) and
// from that document's counter-based definition out(seed, i), which is a different way of
// writing the same sequence. The derived doubles are checked against their definitions and,
// for the Gaussian, against the normal distribution's moments.
//
// Read next: ShapeRulesTests.swift.

import Basics
import Foundation
import Testing

/// WORKLOADS.md's definition: the i-th output for a seed, computed directly from i.
private func out(_ seed: UInt64, _ i: UInt64) -> UInt64 {
    var z = seed &+ (i &+ 1) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("WORKLOADS.md check values: out(0, 0..2) and out(4001, 0..2)")
    func checkValues() {
        var zero = SplitMix64(seed: 0)
        let fromZero: [UInt64] = [zero.next(), zero.next(), zero.next()]
        #expect(fromZero == [0xe220_a839_7b1d_cdaf, 0x6e78_9e6a_a1b9_65f4, 0x06c4_5d18_8009_454f])
        var w4 = SplitMix64(seed: 4001)
        let fromW4: [UInt64] = [w4.next(), w4.next(), w4.next()]
        #expect(fromW4 == [0xa34a_81ff_2388_2bc1, 0x4d93_1163_91b6_a63b, 0x94e3_9fad_5be0_9ec3])
    }

    @Test("the sequence equals the counter form out(seed, i)", arguments: [0, 1, 42, 4001, UInt64.max])
    func counterForm(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for i in 0..<1000 as Range<UInt64> {
            let value = rng.next()
            #expect(value == out(seed, i), "seed \(seed), i \(i)")
            if value != out(seed, i) { break }
        }
    }

    @Test("nextUnit is out >> 11 scaled by 2⁻⁵³, in [0, 1)")
    func unit() {
        var rng = SplitMix64(seed: 7)
        for i in 0..<1000 as Range<UInt64> {
            let u = rng.nextUnit()
            #expect(u == Double(out(7, i) >> 11) / 9_007_199_254_740_992)  // 2⁵³
            #expect(u >= 0 && u < 1)
        }
    }

    @Test("nextUniform stays in [lower, upper) and averages to the midpoint")
    func uniform() {
        var rng = SplitMix64(seed: 11)
        let n = 100_000
        var sum = 0.0
        for _ in 0..<n {
            let x = rng.nextUniform(-3, 5)
            #expect(x >= -3 && x < 5)
            sum += x
        }
        // The mean of U(−3, 5) is 1, its standard deviation 8/√12; allow 5 standard errors.
        let standardError = 8 / 12.0.squareRoot() / Double(n).squareRoot()
        #expect(abs(sum / Double(n) - 1) < 5 * standardError)
    }

    @Test("nextGaussian has mean 0, variance 1 and 68.27% of its mass within ±1")
    func gaussian() {
        var rng = SplitMix64(seed: 2024)
        let n = 200_000
        var sum = 0.0, sumOfSquares = 0.0, withinOne = 0
        for _ in 0..<n {
            let z = rng.nextGaussian()
            #expect(z.isFinite)
            sum += z
            sumOfSquares += z * z
            if abs(z) < 1 { withinOne += 1 }
        }
        let mean = sum / Double(n)
        let variance = sumOfSquares / Double(n) - mean * mean
        let fraction = Double(withinOne) / Double(n)
        // Standard errors: 1/√n for the mean, √(2/n) for the variance, √(p(1−p)/n) for p.
        let p = erf(1 / 2.0.squareRoot())  // P(|Z| < 1) = 0.6827
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
        #expect(abs(fraction - p) < 5 * (p * (1 - p) / Double(n)).squareRoot())
    }

    @Test("the same seed gives the same stream; a copy continues independently")
    func determinism() {
        var a = SplitMix64(seed: 99), b = SplitMix64(seed: 99)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        var copy = a
        let fromCopy = copy.next()
        #expect(a.next() == fromCopy)
        #expect(SplitMix64(seed: 5).state == 5)
    }

    @Test("works as a RandomNumberGenerator for the standard library")
    func standardLibrary() {
        var rng = SplitMix64(seed: 3)
        let rolls = (0..<1000).map { _ in Int.random(in: 1...6, using: &rng) }
        #expect(rolls.allSatisfy { (1...6).contains($0) })
        #expect(Set(rolls).count == 6)
    }
}
