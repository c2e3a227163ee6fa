// Safetensors+Conversion.swift — a tensor's elements to little-endian bytes and back, and the
// conversions from the other element types (F16, BF16, integers, BOOL) into Float or Double.
//
// Read next: Safetensors+Writing.swift.

import Tensors

/// Elements ↔ bytes. Every stored number is little-endian; on a little-endian machine
/// (x86-64, ARM64) `F32` into `Float` and `F64` into `Double` are plain copies.
enum SafetensorsConversion {
    /// `Tensor<Float>` as `F32` bytes or `Tensor<Double>` as `F64` bytes, row-major.
    static func encode<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) -> [UInt8] {
        let elements = tensor.scalars
        let width = MemoryLayout<Scalar>.size
        let bytes = elements.withUnsafeBytes { Array($0) }
        #if _endian(big)
        return stride(from: 0, to: bytes.count, by: width).flatMap { bytes[$0..<$0 + width].reversed() }
        #else
        precondition(bytes.count == elements.count * width)
        return bytes
        #endif
    }

    /// `count` elements of `dtype` from `bytes` (already checked to hold exactly that many),
    /// converted to `Scalar`.
    ///
    /// - F64, F32: IEEE binary64/binary32; narrowing F64 to Float rounds to nearest.
    /// - F16 (IEEE binary16): sign s, 5-bit exponent e, 10-bit fraction f:
    ///   (−1)ˢ · 2^(e−15) · (1 + f/1024) for 0 < e < 31, (−1)ˢ · 2^(−14) · f/1024 for e = 0,
    ///   ±∞ or NaN for e = 31.
    /// - BF16: the upper 16 bits of a binary32, so it widens exactly to Float.
    /// - Integers: exact up to 2²⁴ (Float) or 2⁵³ (Double), rounded beyond.
    /// - BOOL: one byte, 0 → 0, anything else → 1.
    static func decode<Scalar: TensorScalar>(_ bytes: ArraySlice<UInt8>, dtype: SafetensorsDType, count: Int) -> [Scalar] {
        #if _endian(little)
        if dtype == SafetensorsDType.of(Scalar.self) {
            return [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
                bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                }
                initialized = count
            }
        }
        #endif
        return bytes.withUnsafeBytes { raw in
            func word<T: FixedWidthInteger>(_ index: Int, _ type: T.Type) -> T {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
            }
            return (0..<count).map { index -> Scalar in
                switch dtype {
                case .f64: return Scalar(Double(bitPattern: word(index, UInt64.self)))
                case .f32: return Scalar(Float(bitPattern: word(index, UInt32.self)))
                case .f16: return Scalar(halfToFloat(word(index, UInt16.self)))
                case .bf16: return Scalar(Float(bitPattern: UInt32(word(index, UInt16.self)) << 16))
                case .i64: return Scalar(word(index, Int64.self))
                case .i32: return Scalar(word(index, Int32.self))
                case .i16: return Scalar(word(index, Int16.self))
                case .i8: return Scalar(Int8(bitPattern: raw[index]))
                case .u64: return Scalar(word(index, UInt64.self))
                case .u32: return Scalar(word(index, UInt32.self))
                case .u16: return Scalar(word(index, UInt16.self))
                case .u8: return Scalar(raw[index])
                case .bool: return raw[index] == 0 ? 0 : 1
                case .f4, .f6e2m3, .f6e3m2, .f8e5m2, .f8e4m3, .f8e8m0, .f8e4m3fnuz, .f8e5m2fnuz, .c64:
                    fatalError("Checkpoints: \(dtype.rawValue) is not convertible; callers check isConvertible first")
                }
            }
        }
    }

    /// IEEE binary16 bits to the Float of the same value (every half is exactly a Float).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x03FF)
        switch exponent {
        case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
