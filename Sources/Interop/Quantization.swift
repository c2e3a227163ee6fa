// Quantization.swift — `lumen quantize CHECKPOINT --int8`: a trained model's weights stored as
// 8-bit integers, about a quarter of the size, for deployment.
//
// Symmetric, per output channel: every weight tensor W of two or more axes (Linear's
// [out, in], Conv2d's [out, in, kh, kw], the embedding tables, the LSTM and attention
// matrices) is cut into its rows along axis 0, and row r gets its own scale
//
//     s_r = max_j |W[r, j]| / 127        (1 when the row is all zeros)
//     q[r, j] = round(W[r, j] / s_r)      an integer in −127 … 127, stored as I8
//     Ŵ[r, j] = q[r, j] · s_r             what the model computes with (dequantized on load)
//
// so |W − Ŵ| ≤ s_r / 2 in every entry. Biases, norms and the other one-axis tensors stay F32.
// In the file, W becomes "NAME.int8" (I8, W's shape) and "NAME.scale" (F32, [rows]), and the
// metadata says "lumen.quantization": "int8-symmetric-per-channel"; a reader that does not
// know this misses NAME and says so, rather than computing with the integers.
//
// Read next: Tests/InteropTests/QuantizationTests.swift.

import Checkpoints
import Files
import Foundation
import Tensors
import Training

/// Int8 weight quantization of saved models.
public enum Quantization {
    /// The metadata key of a quantized checkpoint and its one value.
    public static let metadataKey = Trainer.MetadataKey.quantization
    public static let scheme = "int8-symmetric-per-channel"

    /// The integers and the per-row scales of `values`, a tensor of `rows` rows (row-major).
    /// Computed in Double; the scales are rounded to Float, as they are stored, before dividing.
    public static func quantize(_ values: [Float], rows: Int) -> (integers: [Int8], scales: [Float]) {
        let width = values.count / max(1, rows)
        var integers: [Int8] = [], scales: [Float] = []
        integers.reserveCapacity(values.count)
        for row in 0 ..< rows {
            let slice = values[row * width ..< (row + 1) * width]
            let largest = slice.reduce(0.0) { max($0, abs(Double($1))) }
            let scale = largest > 0 ? Float(largest / 127) : 1
            scales.append(scale)
            for value in slice {
                let q = (Double(value) / Double(scale)).rounded()
                integers.append(Int8(min(127, max(-127, q))))
            }
        }
        return (integers, scales)
    }

    /// Ŵ = q · s, row by row.
    public static func dequantize(_ integers: [Int8], scales: [Float]) -> [Float] {
        let width = integers.count / max(1, scales.count)
        return integers.enumerated().map { index, q in Float(q) * scales[index / max(1, width)] }
    }

    /// The tensors of `saved`'s model as a quantized file holds them.
    static func quantizedTensors(_ saved: SavedModel) -> [(name: String, tensor: SafetensorsTensor)] {
        saved.model.namedState.flatMap { name, tensor -> [(name: String, tensor: SafetensorsTensor)] in
            guard tensor.rank >= 2, tensor.shape[0] > 0 else { return [(name, SafetensorsTensor(tensor))] }
            let (integers, scales) = quantize(tensor.scalars, rows: tensor.shape[0])
            return [(name + ".int8", SafetensorsTensor(int8: integers, shape: tensor.shape)),
                    (name + ".scale", SafetensorsTensor(try! Tensor<Float>(shape: [scales.count], elements: scales)))]
        }
    }

    /// Writes `saved` quantized to `path` (atomically), keeping its metadata (the model's
    /// description, its recipe) and leaving out any optimizer state.
    ///
    /// - Returns: the number of bytes written.
    /// - Throws: `InteropError.writeFailed`.
    @discardableResult
    public static func write(_ saved: SavedModel, to path: String) throws(InteropError) -> Int {
        var metadata = saved.metadata
        metadata[metadataKey] = scheme
        let bytes: [UInt8]
        do {
            bytes = try Safetensors.encode(quantizedTensors(saved), metadata: metadata, file: path)
        } catch {
            throw .checkpoint(error)
        }
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
        return bytes.count
    }

    /// A quantized file with its int8 tensors turned back into F32 ones under their own names
    /// (so that it loads like any checkpoint); any other file as it is.
    ///
    /// - Throws: `CheckpointError.corruptHeader` for an unknown scheme, `.missingTensors` for
    ///   an int8 tensor without its scale, `.shapeMismatch` for a scale of the wrong length,
    ///   `.badEntry` for a scale that is not a finite number > 0.
    static func dequantized(_ file: SafetensorsFile) throws(CheckpointError) -> SafetensorsFile {
        guard let scheme = file.metadata[metadataKey] else { return file }
        guard scheme == Self.scheme else {
            throw .corruptHeader(file: file.path, problem: "its \(metadataKey) is '\(scheme)'; Lumen reads '\(Self.scheme)'")
        }
        var tensors: [(name: String, tensor: SafetensorsTensor)] = []
        for entry in file.entries where !entry.name.hasSuffix(".scale") || file[String(entry.name.dropLast(6)) + ".int8"] == nil {
            guard entry.name.hasSuffix(".int8") else {
                tensors.append((entry.name, SafetensorsTensor(try file.tensor(entry.name, as: Float.self))))
                continue
            }
            let name = String(entry.name.dropLast(5))
            guard entry.dtype == .i8, entry.shape.count >= 2 else {
                throw .dtypeMismatch(file: file.path, tensor: entry.name, expected: "I8 of two or more axes", found: entry.dtype.rawValue)
            }
            guard let scaleEntry = file[name + ".scale"] else { throw .missingTensors(file: file.path, names: [name + ".scale"]) }
            guard scaleEntry.shape == [entry.shape[0]] else {
                throw .shapeMismatch(file: file.path, tensor: name + ".scale", expected: [entry.shape[0]], found: scaleEntry.shape)
            }
            let scales = try file.tensor(scaleEntry.name, as: Float.self)
            guard scales.scalars.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw .badEntry(file: file.path, tensor: scaleEntry.name, problem: "its scales must be finite numbers greater than 0")
            }
            let integers = try file.tensor(entry.name, as: Float.self).scalars.map { Int8($0) }
            let values = dequantize(integers, scales: scales.scalars)
            tensors.append((name, SafetensorsTensor(try! Tensor<Float>(shape: entry.shape, elements: values))))
        }
        var metadata = file.metadata
        metadata[metadataKey] = nil
        return try Safetensors.decode(try Safetensors.encode(tensors, metadata: metadata, file: file.path), file: file.path)
    }
}
