// Initialization.swift — where a layer's first weights come from: PyTorch's default uniform
// ranges, drawn from a seeded SplitMix64 so that a run can be repeated exactly.
//
// Read next: Linear.swift.

import Basics
import Tensors

/// PyTorch's default initial ranges, and the draws that fill a tensor from them.
///
/// PyTorch initializes Linear and Conv weights with kaiming_uniform_(a = √5). Its gain is
/// √(2 / (1 + a²)) = √(1/3), its std gain/√fan_in, and a uniform range with that std has bound
/// √3 · std = 1/√fan_in. The bias is uniform on the same ±1/√fan_in. So both are
///
/// ```
/// U(−1/√fan_in, 1/√fan_in),     fan_in = inputs per output (in, or in·kh·kw for a conv)
/// ```
/// Lumen draws them as (2u − 1) · bound with u = rng.nextUnit(), the weight in row-major order
/// first and then the bias, which is exactly `linear_init(seed, fan_in, fan_out)` of
/// ../shared/bench/WORKLOADS.md when the generator starts at `seed`. (Engine's SplitMix64 is
/// WORKLOADS.md's generator; LinearTests checks its published outputs.)
public enum Initialization {
    /// 1/√fan_in: the bound of PyTorch's kaiming_uniform_(a = √5) for weights, and of its
    /// default bias range, for Linear and Conv layers.
    public static func kaimingUniformBound(fanIn: Int) -> Double {
        1 / Double(fanIn).squareRoot()
    }

    /// √(6 / (fan_in + fan_out)): the bound of Glorot's (Xavier's) uniform initialization,
    /// which PyTorch uses for the attention input projection.
    public static func xavierUniformBound(fanIn: Int, fanOut: Int) -> Double {
        (6 / Double(fanIn + fanOut)).squareRoot()
    }

    /// A trainable leaf of `shape`, each element (2u − 1) · bound for u = `rng.nextUnit()`,
    /// drawn in row-major order (uniform on [−bound, bound)).
    public static func uniform<Scalar: TensorScalar>(_ shape: [Int], bound: Double,
                                                     using rng: inout SplitMix64) -> Tensor<Scalar> {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ in Scalar((2 * rng.nextUnit() - 1) * bound) }
        return try! Tensor(shape: shape, elements: values, requiresGrad: true)
    }

    /// A trainable leaf of `shape` with every element equal to `value` (norm layers start
    /// at γ = 1, β = 0).
    public static func constant<Scalar: TensorScalar>(_ shape: [Int], _ value: Scalar) -> Tensor<Scalar> {
        Tensor(repeating: value, shape: shape, requiresGrad: true)
    }
}
