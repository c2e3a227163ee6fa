// SafetensorsDType.swift — the element types a safetensors file can name, their sizes, and
// which of them Lumen converts into its `Float`/`Double` tensors.
//
// Read next: CheckpointError.swift.

import Tensors

/// An element type, spelled as in the header's `"dtype"` field.
///
/// Lumen writes `F32` (for `Tensor<Float>`) and `F64` (for `Tensor<Double>`). It reads and
/// converts `F64`, `F32`, `F16`, `BF16`, the signed and unsigned integers of 8 to 64 bits,
/// and `BOOL` (as 0 and 1). The remaining types (`C64`, the 8-, 6- and 4-bit floats) are
/// understood well enough to check a file's layout, but reading one of them as numbers
/// throws `CheckpointError.unsupportedDType`, naming the tensor.
///
/// The cases are declared in the reference implementation's order, from the smallest
/// alignment to the largest; its writer stores the tensors of the largest first.
public enum SafetensorsDType: String, CaseIterable, Sendable, Comparable {
    case bool = "BOOL"
    case f4 = "F4"
    case f6e2m3 = "F6_E2M3"
    case f6e3m2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case f8e8m0 = "F8_E8M0"
    case f8e4m3fnuz = "F8_E4M3FNUZ"
    case f8e5m2fnuz = "F8_E5M2FNUZ"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bits per element.
    public var bitWidth: Int {
        switch self {
        case .f4: return 4
        case .f6e2m3, .f6e3m2: return 6
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3, .f8e8m0, .f8e4m3fnuz, .f8e5m2fnuz: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .c64, .f64, .i64, .u64: return 64
        }
    }

    /// Whether Lumen can read this type's elements as numbers.
    public var isConvertible: Bool {
        switch self {
        case .f64, .f32, .f16, .bf16, .i64, .i32, .i16, .i8, .u64, .u32, .u16, .u8, .bool: return true
        case .f4, .f6e2m3, .f6e3m2, .f8e5m2, .f8e4m3, .f8e8m0, .f8e4m3fnuz, .f8e5m2fnuz, .c64: return false
        }
    }

    /// The type Lumen stores a `Tensor<Scalar>` as: `F32` for `Float`, `F64` for `Double`.
    public static func of<Scalar: TensorScalar>(_ scalar: Scalar.Type) -> SafetensorsDType {
        if scalar == Float.self { return .f32 }
        if scalar == Double.self { return .f64 }
        fatalError("Checkpoints: no safetensors dtype for \(scalar); Lumen stores Float as F32 and Double as F64")
    }

    /// The order of declaration above (the reference's alignment order).
    public static func < (lhs: SafetensorsDType, rhs: SafetensorsDType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The number of bytes `count` elements take: count · bitWidth / 8, or `nil` when that
    /// overflows or is not a whole number of bytes.
    func byteCount(elements count: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        guard !overflow, bits % 8 == 0 else { return nil }
        return bits / 8
    }
}
