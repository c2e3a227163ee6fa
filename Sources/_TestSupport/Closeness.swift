// Closeness.swift — shared helpers for Lumen's tests. Not public API (hence the underscore).

import Engine

/// |a − b| ≤ tolerance · max(1, |a|, |b|): absolute near zero, relative for large numbers.
public func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    if a.isNaN || b.isNaN { return false }
    if a == b { return true }
    return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}
