// CheckpointError.swift — everything that can be wrong with a checkpoint file or a load, each
// case naming the file (and the tensor, when there is one) and saying how to fix it.
//
// Start reading at Checkpoint.swift; Safetensors+Reading.swift throws most of these, in order.

import Files

/// A checkpoint could not be read, written or loaded. `description` is a full sentence for
/// the user: what was wrong, in which file and tensor, and what to do about it.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    // Reading and writing the file itself.
    case fileNotFound(file: String)
    case unreadable(file: String, reason: String)
    case writeFailed(file: String, reason: String)
    /// The file is larger than `ReadLimit.maximumBytes` (raised by `--max-data-size`).
    case tooLarge(file: String, size: Int, limit: Int)

    // The 8-byte length and the header.
    /// The file is shorter than the 8 bytes that hold the header's length.
    case tooShortForHeaderLength(file: String, fileSize: Int)
    /// The header length is above the reference implementation's cap (100 MB).
    case headerTooLarge(file: String, headerLength: UInt64, limit: Int)
    /// The header length points past the end of the file.
    case headerBeyondFile(file: String, headerLength: UInt64, fileSize: Int)
    /// The header is not UTF-8 JSON, or not a JSON object (`problem` says which).
    case corruptHeader(file: String, problem: String)
    /// One header entry is malformed: not an object, no dtype, a bad shape or offsets, or
    /// `__metadata__` not a map of strings to strings.
    case badEntry(file: String, tensor: String, problem: String)

    // The byte buffer after the header.
    /// `data_offsets` with begin after end.
    case offsetsOutOfRange(file: String, tensor: String, begin: UInt64, end: UInt64)
    /// The byte range does not hold exactly shape × dtype bytes.
    case sizeMismatch(file: String, tensor: String, dtype: String, shape: [Int], byteCount: UInt64)
    /// Two tensors claim some of the same bytes.
    case overlappingTensors(file: String, first: String, second: String)
    /// Some bytes of the buffer belong to no tensor (`start..<end`, relative to the buffer).
    case uncoveredBytes(file: String, start: UInt64, end: UInt64)
    /// The header describes more data than the file holds: the file was cut short.
    case truncated(file: String, expectedBytes: UInt64, actualBytes: Int)

    // Reading the tensors into a model.
    case missingTensors(file: String, names: [String])
    case unexpectedTensors(file: String, names: [String])
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    case dtypeMismatch(file: String, tensor: String, expected: String, found: String)
    case unsupportedDType(file: String, tensor: String, dtype: String)
    case noSuchTensor(file: String, tensor: String)
    /// Initializing a model from another file (`lumen train --init-from`) in strict mode: every
    /// way the file's tensors and the model's differ, in one list each (`misShaped` as
    /// "name: [file's shape] for [model's shape]").
    case doesNotMatch(file: String, missing: [String], unexpected: [String], misShaped: [String])
    /// A tensor holds NaN or ±∞ (`nanCount` NaNs, `infiniteCount` infinities): loading it
    /// would poison every later result.
    case nonFiniteValues(file: String, tensor: String, nanCount: Int, infiniteCount: Int)

    // Writing.
    /// Two tensors to be written share a name.
    case duplicateName(file: String, name: String)
    /// A tensor may not be called `__metadata__`: that key holds the metadata.
    case reservedName(file: String, name: String)

    public var description: String {
        switch self {
        case .fileNotFound(let file):
            return "\(file): no such file. Check the path (a checkpoint is written as model.safetensors in the output folder)."
        case let .unreadable(file, reason):
            return "\(file): cannot be read (\(reason)). Check that it is a file and that you may read it."
        case let .tooLarge(file, size, limit):
            return "\(file): the file is \(ReadLimit.describe(size)), above the limit of \(ReadLimit.describe(limit)) that Lumen reads. If it really is a checkpoint that large, raise the limit with --max-data-size; otherwise it is not a checkpoint."
        case let .nonFiniteValues(file, tensor, nanCount, infiniteCount):
            let counts = [nanCount > 0 ? "\(nanCount) NaN" : nil, infiniteCount > 0 ? "\(infiniteCount) infinite" : nil]
                .compactMap { $0 }.joined(separator: " and ")
            return "\(file): tensor '\(tensor)' holds \(counts) value\(nanCount + infiniteCount == 1 ? "" : "s"). The run that saved it had diverged, or the file is damaged; resume from an earlier checkpoint or train afresh. Nothing was loaded."
        case let .writeFailed(file, reason):
            return "\(file): cannot be written (\(reason)). Check that the folder exists and is writable; nothing was changed."
        case let .tooShortForHeaderLength(file, fileSize):
            return "\(file): the file is \(fileSize) bytes, too short for the 8-byte header length that begins a safetensors file. It is truncated or not a safetensors file; write it again."
        case let .headerTooLarge(file, headerLength, limit):
            return "\(file): the header length is \(headerLength) bytes, above the limit of \(limit) that safetensors readers accept. The file is corrupt or not a safetensors file; write it again."
        case let .headerBeyondFile(file, headerLength, fileSize):
            return "\(file): the header claims \(headerLength) bytes but the file has only \(fileSize) bytes in all. The file is truncated or not a safetensors file; write it again."
        case let .corruptHeader(file, problem):
            return "\(file): the header is corrupt: \(problem). The file is damaged or not a safetensors file; write it again."
        case let .badEntry(file, tensor, problem):
            return "\(file): the header entry for '\(tensor)' is malformed: \(problem). The file is damaged; write it again."
        case let .offsetsOutOfRange(file, tensor, begin, end):
            return "\(file): tensor '\(tensor)' has data_offsets [\(begin), \(end)], which end before they begin. The file is damaged; write it again."
        case let .sizeMismatch(file, tensor, dtype, shape, byteCount):
            return "\(file): tensor '\(tensor)' is \(dtype) of shape \(shape) but its data_offsets span \(byteCount) bytes. The file is damaged; write it again."
        case let .overlappingTensors(file, first, second):
            return "\(file): tensors '\(first)' and '\(second)' overlap in the data buffer, which the format forbids. The file is damaged; write it again."
        case let .uncoveredBytes(file, start, end):
            return "\(file): bytes \(start)..<\(end) of the data buffer belong to no tensor, which the format forbids. The file is damaged; write it again."
        case let .truncated(file, expectedBytes, actualBytes):
            return "\(file): the header describes \(expectedBytes) bytes of tensor data but the file holds \(actualBytes). The file was cut short; copy or write it again."
        case let .missingTensors(file, names):
            return "\(file): the model has tensors the file lacks: \(names.joined(separator: ", ")). Is this a checkpoint of the same model (same recipe and layer sizes)? Nothing was loaded."
        case let .unexpectedTensors(file, names):
            return "\(file): the file has tensors the model lacks: \(names.joined(separator: ", ")). Is this a checkpoint of the same model? Load with strict: false to ignore them. Nothing was loaded."
        case let .shapeMismatch(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has shape \(found) in the file but \(expected) in the model. Was the checkpoint written by a model with other layer sizes? Nothing was loaded."
        case let .dtypeMismatch(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' is \(found) in the file but the model holds \(expected). Load it into a model of the matching scalar type, or load with convertingDTypes: true. Nothing was loaded."
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' is \(dtype), which Lumen cannot convert (it reads F64, F32, F16, BF16, integers and BOOL). Convert it in Python first, e.g. tensor.float(). Nothing was loaded."
        case let .doesNotMatch(file, missing, unexpected, misShaped):
            let parts = [missing.isEmpty ? nil : "the model has tensors the file lacks: " + missing.joined(separator: ", "),
                         unexpected.isEmpty ? nil : "the file has tensors the model lacks: " + unexpected.joined(separator: ", "),
                         misShaped.isEmpty ? nil : "tensors of other shapes: " + misShaped.joined(separator: "; ")]
            return "\(file) does not fit the model: " + parts.compactMap { $0 }.joined(separator: "; and ")
                + ". Names are the model's state names (a PyTorch nn.Sequential with the same layers in the same order has the same ones: "
                + "0.weight, 0.bias, …). Load what matches with --strict false. Nothing was loaded."
        case let .noSuchTensor(file, tensor):
            return "\(file): there is no tensor named '\(tensor)' in the file."
        case let .duplicateName(file, name):
            return "\(file): two tensors are named '\(name)'; safetensors names must be unique. Nothing was written."
        case let .reservedName(file, name):
            return "\(file): a tensor may not be named '\(name)', the key that holds a file's metadata. Nothing was written."
        }
    }
}
