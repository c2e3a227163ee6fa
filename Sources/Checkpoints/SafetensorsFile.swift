// SafetensorsFile.swift — a checked safetensors file in memory: its entries, its metadata,
// and its tensors converted to Lumen's Float or Double on request.
//
// Read next: Safetensors+Conversion.swift (how the bytes become numbers).

import Tensors

/// One tensor as the header describes it.
public struct SafetensorsEntry: Equatable, Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    /// The extents; `[]` for a scalar.
    public let shape: [Int]
    /// Where its bytes lie in the data buffer (after the header).
    public let byteRange: Range<Int>

    /// The number of elements: the product of the extents.
    public var count: Int { shape.reduce(1, *) }
}

/// A checked safetensors file in memory: its metadata, its entries, and its bytes.
/// Made by `Safetensors.read(from:)` or `Safetensors.decode(_:file:)`, so every entry's
/// range is known to lie inside the bytes and to hold exactly shape × dtype bytes.
public struct SafetensorsFile: Sendable {
    /// The path it was read from (or the name given to `decode`), used in errors.
    public let path: String
    /// The `__metadata__` strings; empty when the file has none.
    public let metadata: [String: String]
    /// The tensors, in the order their bytes appear in the buffer.
    public let entries: [SafetensorsEntry]

    let bytes: [UInt8]
    let bufferStart: Int
    private let indexByName: [String: Int]

    init(path: String, metadata: [String: String], entries: [SafetensorsEntry], bytes: [UInt8], bufferStart: Int) {
        self.path = path
        self.metadata = metadata
        self.entries = entries
        self.bytes = bytes
        self.bufferStart = bufferStart
        self.indexByName = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    /// The tensors' names, in buffer order.
    public var names: [String] { entries.map(\.name) }

    /// The entry called `name`, or `nil`.
    public subscript(name: String) -> SafetensorsEntry? {
        indexByName[name].map { entries[$0] }
    }

    /// The tensor called `name`, converted to `Scalar` (see `SafetensorsDType` for which
    /// types convert; `F32` into `Float` and `F64` into `Double` are exact copies).
    ///
    /// - Throws: `.noSuchTensor`, or `.unsupportedDType` for a type Lumen cannot convert.
    public func tensor<Scalar: TensorScalar>(_ name: String, as scalar: Scalar.Type = Scalar.self) throws(CheckpointError) -> Tensor<Scalar> {
        guard let entry = self[name] else { throw .noSuchTensor(file: path, tensor: name) }
        return try tensor(entry, as: scalar)
    }

    /// Every tensor, in buffer order, converted to `Scalar`.
    ///
    /// - Throws: `.unsupportedDType` naming the first tensor Lumen cannot convert; then
    ///   nothing is returned.
    public func tensors<Scalar: TensorScalar>(as scalar: Scalar.Type = Scalar.self) throws(CheckpointError) -> [(name: String, tensor: Tensor<Scalar>)] {
        for entry in entries where !entry.dtype.isConvertible {
            throw .unsupportedDType(file: path, tensor: entry.name, dtype: entry.dtype.rawValue)
        }
        var result: [(name: String, tensor: Tensor<Scalar>)] = []
        for entry in entries { result.append((entry.name, try tensor(entry, as: scalar))) }
        return result
    }

    func tensor<Scalar: TensorScalar>(_ entry: SafetensorsEntry, as: Scalar.Type) throws(CheckpointError) -> Tensor<Scalar> {
        guard entry.dtype.isConvertible else {
            throw .unsupportedDType(file: path, tensor: entry.name, dtype: entry.dtype.rawValue)
        }
        let start = bufferStart + entry.byteRange.lowerBound
        let elements: [Scalar] = SafetensorsConversion.decode(bytes[start..<start + entry.byteRange.count],
                                                               dtype: entry.dtype, count: entry.count)
        return try! Tensor(shape: entry.shape, elements: elements)
    }
}
