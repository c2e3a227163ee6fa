// Histogram.swift — values counted into equal-width bins: what a histogram picture draws. The
// lessons draw one per layer (LessonKit's StepContext+Grids.swift) and `lumen train
// --diagnostics` one per layer and epoch (Sources/Training/Diagnostics.swift).
//
// Read next: LinePlot.swift, which draws them as step-shaped lines.

import Basics

/// Counts of values in equal-width bins over [low, high]. A value below `low` counts in the
/// first bin and one above `high` in the last, so the counts always add up to the number of
/// values (NaN is counted nowhere and reported in `nanCount`).
///
///     bin(x) = clamp(⌊(x − low) / (high − low) · bins⌋, 0, bins − 1)
public struct Histogram: Sendable, Equatable {
    public let low: Double
    public let high: Double
    public let counts: [Int]
    public let nanCount: Int

    public init(_ values: [Double], bins: Int, low: Double, high: Double) {
        trapUnless(bins > 0 && high > low, "Histogram: needs bins > 0 and high > low, got \(bins), \(low)...\(high)")
        var counts = [Int](repeating: 0, count: bins)
        var nans = 0
        for x in values {
            guard !x.isNaN else { nans += 1; continue }
            let position = (x - low) / (high - low) * Double(bins)
            let bin = position.isFinite ? min(bins - 1, max(0, Int(position.rounded(.down)))) : (x > 0 ? bins - 1 : 0)
            counts[bin] += 1
        }
        self.low = low
        self.high = high
        self.counts = counts
        nanCount = nans
    }

    /// The centre of each bin.
    public var centres: [Double] {
        let width = (high - low) / Double(counts.count)
        return counts.indices.map { low + (Double($0) + 0.5) * width }
    }
}
