// Safetensors+Writing.swift — named tensors to a safetensors file, byte for byte as the
// reference implementation (Python's `safetensors`) lays it out, written atomically.
//
// Read next: JSON.swift, the header's parser and writer.

import Files
import Tensors

/// A tensor ready to be written: its element type, shape and little-endian bytes.
/// Several of these with different dtypes can go into one file.
public struct SafetensorsTensor: Sendable {
    public let dtype: SafetensorsDType
    public let shape: [Int]
    public let bytes: [UInt8]

    /// A `Tensor<Float>` as `F32`, or a `Tensor<Double>` as `F64` (any view: the elements are
    /// written in row-major order).
    public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        dtype = SafetensorsDType.of(Scalar.self)
        shape = tensor.shape
        bytes = SafetensorsConversion.encode(tensor)
    }

    /// Signed bytes as `I8` (int8-quantized weights).
    public init(int8 values: [Int8], shape: [Int]) {
        dtype = .i8
        self.shape = shape
        bytes = values.map { UInt8(bitPattern: $0) }
    }
}

extension Safetensors {
    /// The bytes of a safetensors file holding `tensors` and `metadata`.
    ///
    /// The layout matches the reference writer's, so that the same tensors give the same bytes:
    /// - tensors sorted by dtype, largest alignment first (F64 before F32), then by name
    ///   (comparing UTF-8 bytes), each tensor's bytes following the previous one's;
    /// - the header as compact JSON: `__metadata__` first (only when `metadata` is not
    ///   empty), then the tensors in that order, each as
    ///   `{"dtype":…,"shape":[…],"data_offsets":[begin,end]}`;
    /// - spaces after the header up to a multiple of 8 bytes, so the buffer is aligned.
    ///
    /// The reference writes metadata keys in hash-map order, which changes from run to run;
    /// Lumen sorts them, so its files are identical to the reference's when there is at most
    /// one metadata key.
    ///
    /// - Parameter file: names the destination in errors.
    /// - Throws: `.duplicateName` or `.reservedName` (`__metadata__`), or `.headerTooLarge`.
    public static func encode(_ tensors: [(name: String, tensor: SafetensorsTensor)],
                              metadata: [String: String] = [:], file: String = "<memory>") throws(CheckpointError) -> [UInt8] {
        var seen = Set<String>()
        for (name, _) in tensors {
            if name == metadataKey { throw .reservedName(file: file, name: name) }
            guard seen.insert(name).inserted else { throw .duplicateName(file: file, name: name) }
        }
        let ordered = tensors.sorted { left, right in
            if left.tensor.dtype != right.tensor.dtype { return left.tensor.dtype > right.tensor.dtype }
            return left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
        }

        var header = Array("{".utf8)
        if !metadata.isEmpty {
            JSONWriter.appendString(metadataKey, to: &header)
            header += Array(":{".utf8)
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { header.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(key, to: &header)
                header.append(UInt8(ascii: ":"))
                JSONWriter.appendString(metadata[key]!, to: &header)
            }
            header.append(UInt8(ascii: "}"))
            if !ordered.isEmpty { header.append(UInt8(ascii: ",")) }
        }
        var offset = 0
        for (index, (name, tensor)) in ordered.enumerated() {
            if index > 0 { header.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(name, to: &header)
            header += Array(":{\"dtype\":".utf8)
            JSONWriter.appendString(tensor.dtype.rawValue, to: &header)
            header += Array(",\"shape\":".utf8)
            JSONWriter.appendIntegers(tensor.shape, to: &header)
            header += Array(",\"data_offsets\":".utf8)
            JSONWriter.appendIntegers([offset, offset + tensor.bytes.count], to: &header)
            header.append(UInt8(ascii: "}"))
            offset += tensor.bytes.count
        }
        header.append(UInt8(ascii: "}"))
        header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        guard header.count <= maximumHeaderLength else {
            throw .headerTooLarge(file: file, headerLength: UInt64(header.count), limit: maximumHeaderLength)
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        bytes += header
        for (_, tensor) in ordered { bytes += tensor.bytes }
        return bytes
    }

    /// The bytes of a safetensors file holding `tensors` (all `F32` or all `F64`).
    public static func encode<Scalar: TensorScalar>(_ tensors: [(name: String, tensor: Tensor<Scalar>)],
                                                    metadata: [String: String] = [:],
                                                    file: String = "<memory>") throws(CheckpointError) -> [UInt8] {
        try encode(tensors.map { ($0.name, SafetensorsTensor($0.tensor)) }, metadata: metadata, file: file)
    }

    /// Writes `tensors` and `metadata` to `path` atomically: a temporary file in the same
    /// folder, then a rename, so `path` holds either the old file or the whole new one.
    public static func write(_ tensors: [(name: String, tensor: SafetensorsTensor)],
                             metadata: [String: String] = [:], to path: String) throws(CheckpointError) {
        let bytes = try encode(tensors, metadata: metadata, file: path)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .writeFailed(file: path, reason: error.reason)
        }
    }

    /// Writes `tensors` (all `F32` or all `F64`) and `metadata` to `path` atomically.
    public static func write<Scalar: TensorScalar>(_ tensors: [(name: String, tensor: Tensor<Scalar>)],
                                                   metadata: [String: String] = [:], to path: String) throws(CheckpointError) {
        try write(tensors.map { ($0.name, SafetensorsTensor($0.tensor)) }, metadata: metadata, to: path)
    }
}
