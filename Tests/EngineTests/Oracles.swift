// Oracles.swift — the independent answers the engine's tests compare against.
//
// Two ways to get a gradient that do not go through Lumen's backward: Swift's own
// reverse-mode differentiation (`_Differentiation`, the compiler differentiates a plain
// `Double` function) and central finite differences (`gradientCheck`, which only uses the
// forward pass). `lumenGradient` is the thing under test, written once here.
//
// Read next: PrimitivesTests.swift.

import _Differentiation
import Engine
import _TestSupport

/// ∇f at `point`, computed by the Swift compiler's reverse mode on a `Double` function.
func swiftGradient(at point: [Double], of f: @differentiable(reverse) ([Double]) -> Double) -> [Double] {
    let tangent = gradient(at: point, of: f).base
    // An array's zero tangent is the empty array: that is what comes back when f ignores
    // all of its inputs.
    return tangent.isEmpty ? Array(repeating: 0, count: point.count) : tangent
}

/// Lumen's answer: one leaf per coordinate, f built on them, `backward()` from the result.
/// A leaf that backward never reached reports `nil`.
func lumenGradient(at point: [Double], of f: ([Value]) -> Value) -> (value: Double, gradient: [Double?]) {
    let leaves = point.map { Value($0) }
    let root = f(leaves)
    root.backward()
    return (root.data, leaves.map(\.grad))
}

/// True when both gradients have the same length and agree entry by entry, reading an
/// unreached leaf (`nil`) as 0.
func gradientsAgree(_ lumen: [Double?], _ oracle: [Double], tolerance: Double) -> Bool {
    lumen.count == oracle.count
        && zip(lumen, oracle).allSatisfy { isClose($0 ?? 0, $1, tolerance: tolerance) }
}
