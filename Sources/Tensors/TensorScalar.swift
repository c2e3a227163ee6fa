// TensorScalar.swift — the element types a `Tensor` can hold: `Float` for training, `Double`
// for gradient checks (finite differences need the extra precision).
//
// The protocol names the handful of math functions the kernels call, so that generic kernel
// code can write `S.exp(x)` and still compile to `expf` for Float and `exp` for Double.
//
// Read next: TensorStorage.swift, then Tensor.swift.

import Foundation

/// A floating-point type that tensors can store and differentiate.
public protocol TensorScalar: BinaryFloatingPoint, Sendable, CustomStringConvertible {
    /// eˣ
    static func exp(_ x: Self) -> Self
    /// ln x
    static func log(_ x: Self) -> Self
    /// ln(1 + x), accurate for small x.
    static func log1p(_ x: Self) -> Self
    /// tanh x
    static func tanh(_ x: Self) -> Self
    /// The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt.
    static func erf(_ x: Self) -> Self
    /// sin x
    static func sin(_ x: Self) -> Self
    /// cos x
    static func cos(_ x: Self) -> Self
    /// xʸ
    static func pow(_ x: Self, _ y: Self) -> Self
}

extension Float: TensorScalar {
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    @inlinable public static func erf(_ x: Float) -> Float { Foundation.erf(x) }
    @inlinable public static func sin(_ x: Float) -> Float { Foundation.sin(x) }
    @inlinable public static func cos(_ x: Float) -> Float { Foundation.cos(x) }
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: TensorScalar {
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func erf(_ x: Double) -> Double { Foundation.erf(x) }
    @inlinable public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}
