// GradientCheck.swift — checking backward against the definition of a derivative.
//
// For each input xᵢ, the central difference
//
//     ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h
//
// approximates the derivative with an error of order h² and needs nothing but the forward
// pass. Lessons, exercises and tests all use this one function to catch a wrong backward.
//
// Read next: SplitMix64.swift.

/// The outcome of `gradientCheck(at:step:_:)`: both gradients, input by input.
public struct GradientCheck: Sendable {
    /// ∂f/∂xᵢ from `backward()`.
    public let analytic: [Double]
    /// ∂f/∂xᵢ from central differences.
    public let numeric: [Double]

    /// For each input, |analytic − numeric| / max(1, |analytic|, |numeric|): an absolute
    /// error for small gradients and a relative one for large gradients.
    public var errors: [Double] {
        zip(analytic, numeric).map { a, n in
            abs(a - n) / max(1, abs(a), abs(n))
        }
    }

    /// The largest entry of `errors` (0 when there are no inputs).
    public var maxError: Double { errors.max() ?? 0 }

    /// The index of the worst input, or `nil` when there are no inputs.
    public var worstInput: Int? { errors.indices.max { errors[$0] < errors[$1] } }

    /// True when every input's error is within `tolerance`. NaN never passes.
    public func passes(tolerance: Double = 1e-5) -> Bool {
        errors.allSatisfy { $0 <= tolerance }
    }
}

/// Compares the gradient that `backward()` computes for `f` at `point` with central
/// finite differences.
///
/// ```swift
/// let check = gradientCheck(at: [2, -3]) { x in tanh(x[0] * x[1]) }
/// check.passes()   // true
/// ```
/// - Parameters:
///   - point: where to differentiate; `f` receives one leaf `Value` per coordinate.
///   - step: the finite-difference step `h`. 1e-6 balances truncation error (∝ h²)
///     against rounding error (∝ ε/h) for `Double` and well-scaled functions.
///   - f: builds a scalar from the leaves. It is called `2n + 1` times.
public func gradientCheck(at point: [Double], step: Double = 1e-6, _ f: ([Value]) -> Value) -> GradientCheck {
    let leaves = point.map { Value($0) }
    f(leaves).backward()
    let analytic = leaves.map { $0.grad ?? 0 }

    let numeric = point.indices.map { i -> Double in
        var plus = point, minus = point
        plus[i] += step
        minus[i] -= step
        let fPlus = f(plus.map { Value($0) }).data
        let fMinus = f(minus.map { Value($0) }).data
        return (fPlus - fMinus) / (2 * step)
    }
    return GradientCheck(analytic: analytic, numeric: numeric)
}
