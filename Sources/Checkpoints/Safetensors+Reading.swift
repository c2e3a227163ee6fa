// Safetensors+Reading.swift — the safetensors format, and reading it without trusting it: every
// number is checked against the file before use, so a bad file gives a `CheckpointError`,
// never a crash, an out-of-bounds read or a huge allocation.
// Read next: SafetensorsFile.swift (the checked result), then Safetensors+Writing.swift.

import Files
import Tensors

/// Reading and writing safetensors files (Hugging Face's format for named tensors).
///
/// The layout of a file:
///
///     bytes 0..<8        N, the header's length, an unsigned 64-bit little-endian integer
///     bytes 8..<8+N      the header: UTF-8 JSON, one object
///     bytes 8+N...       the data buffer: every tensor's elements, little-endian, row-major
///
/// The header maps each tensor's name to its element type, shape and byte range in the buffer:
///
///     {"__metadata__": {"epoch": "3"},
///      "fc.weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
///      "fc.bias":   {"dtype": "F32", "shape": [2],    "data_offsets": [24, 32]}}
///
/// `data_offsets` are [begin, end) relative to the start of the buffer, and
/// end − begin = (product of the shape) · (bytes per element). A shape of `[]` is a scalar
/// (one element); a shape with a 0 is an empty tensor with no bytes. The optional
/// `__metadata__` entry is a map of strings to strings. The rules a reader checks:
/// names are unique, the ranges do not overlap, and together they cover the buffer
/// exactly, with no gap and nothing after the last tensor. The header may end with spaces;
/// the reference writer adds them so that the buffer starts at a multiple of 8 bytes.
public enum Safetensors {
    /// The largest header accepted, as in the reference implementation: 100 MB.
    public static let maximumHeaderLength = 100_000_000

    /// The key of the metadata entry in the header.
    public static let metadataKey = "__metadata__"

    /// Reads and checks the file at `path`, reading no more than the header says is there.
    ///
    /// The order keeps a bad file cheap: the file's kind and size first (a FIFO, device or
    /// folder is refused without blocking; a file above `ReadLimit.maximumBytes` without
    /// reading it), then the 8-byte length, then the header alone, whose layout must account
    /// for exactly the rest of the file; only then is the data buffer read.
    ///
    /// - Throws: `CheckpointError` naming the file: not found, unreadable (not a regular file),
    ///   too large, or any problem with its header or layout (see `decode(_:file:)`).
    public static func read(from path: String) throws(CheckpointError) -> SafetensorsFile {
        func reading<T>(_ body: () throws(FileReadError) -> T) throws(CheckpointError) -> T {
            do {
                return try body()
            } catch {
                switch error {
                case .notFound: throw .fileNotFound(file: path)
                case let .tooLarge(size, limit): throw .tooLarge(file: path, size: size, limit: limit)
                default: throw .unreadable(file: path, reason: error.reason)
                }
            }
        }
        let file = try reading { () throws(FileReadError) in try ReadableFile(path: path) }
        let prefix = try reading { () throws(FileReadError) in try file.read(8) }
        let headerLength = try checkedHeaderLength(prefix, fileSize: file.size, file: path)
        let header = try reading { () throws(FileReadError) in try file.read(headerLength) }
        guard header.count == headerLength else {
            throw .headerBeyondFile(file: path, headerLength: UInt64(headerLength), fileSize: 8 + header.count)
        }
        let bufferLength = file.size - 8 - headerLength
        let (metadata, entries) = try decodeHeader(header, bufferLength: bufferLength, file: path)
        let buffer = try reading { () throws(FileReadError) in try file.read(bufferLength) }
        // The file shrank or grew since it was measured: the checks above no longer hold.
        guard buffer.count == bufferLength, try reading({ () throws(FileReadError) in try file.isAtEnd() }) else {
            throw .unreadable(file: path, reason: "it changed size while being read")
        }
        return SafetensorsFile(path: path, metadata: metadata, entries: entries, bytes: buffer, bufferStart: 0)
    }

    /// Checks `bytes` as a safetensors file. `file` only names it in errors.
    ///
    /// The checks, in order: 8 bytes for the length; the length at most 100 MB and within the
    /// file; the header is JSON and an object; each entry has a known dtype, a shape of
    /// non-negative integers and two offsets; each range begins before it ends and holds
    /// exactly shape × dtype bytes; the ranges, sorted, neither overlap nor leave gaps; and
    /// the last one ends exactly at the end of the file.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(CheckpointError) -> SafetensorsFile {
        let headerLength = try checkedHeaderLength(Array(bytes.prefix(8)), fileSize: bytes.count, file: file)
        let bufferStart = 8 + headerLength
        let (metadata, entries) = try decodeHeader(Array(bytes[8..<bufferStart]), bufferLength: bytes.count - bufferStart,
                                                   file: file)
        return SafetensorsFile(path: file, metadata: metadata, entries: entries, bytes: bytes, bufferStart: bufferStart)
    }

    /// N, the header's length, from the file's first 8 bytes (`prefix`), checked against the
    /// 100 MB cap and the file's size.
    static func checkedHeaderLength(_ prefix: [UInt8], fileSize: Int, file: String) throws(CheckpointError) -> Int {
        guard prefix.count == 8, fileSize >= 8 else { throw .tooShortForHeaderLength(file: file, fileSize: min(fileSize, prefix.count)) }
        let headerLength = prefix.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(maximumHeaderLength) else {
            throw .headerTooLarge(file: file, headerLength: headerLength, limit: maximumHeaderLength)
        }
        guard headerLength <= UInt64(fileSize - 8) else {
            throw .headerBeyondFile(file: file, headerLength: headerLength, fileSize: fileSize)
        }
        return Int(headerLength)
    }

    /// The header's metadata and entries (in buffer order), checked against a data buffer of
    /// `bufferLength` bytes: the entries' ranges must tile it exactly.
    static func decodeHeader(_ header: [UInt8], bufferLength: Int,
                             file: String) throws(CheckpointError) -> (metadata: [String: String], entries: [SafetensorsEntry]) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(header)
        } catch {
            throw .corruptHeader(file: file, problem: "it is not valid JSON (\(error.problem), at header byte \(error.offset))")
        }
        guard case .object(let members) = json else {
            throw .corruptHeader(file: file, problem: "it is \(json.kindDescription), not a JSON object")
        }

        var metadata: [String: String] = [:]
        var entries: [SafetensorsEntry] = []
        var claimed: [(name: String, begin: UInt64, end: UInt64)] = []
        for (name, value) in members {
            if name == metadataKey {
                metadata = try parseMetadata(value, file: file)
                continue
            }
            let (dtype, shape, begin, end) = try parseEntry(value, name: name, file: file)
            guard begin <= end else { throw .offsetsOutOfRange(file: file, tensor: name, begin: begin, end: end) }
            let (elements, overflow) = shape.reduce((1, false)) { partial, extent in
                let (product, overflowed) = partial.0.multipliedReportingOverflow(by: extent)
                return (product, partial.1 || overflowed)
            }
            guard !overflow, let byteCount = dtype.byteCount(elements: elements), UInt64(byteCount) == end - begin else {
                throw .sizeMismatch(file: file, tensor: name, dtype: dtype.rawValue, shape: shape, byteCount: end - begin)
            }
            claimed.append((name, begin, end))
            entries.append(SafetensorsEntry(name: name, dtype: dtype, shape: shape,
                                            byteRange: Int(begin)..<Int(end)))
        }

        // The ranges in buffer order must tile [0, buffer length) exactly.
        let order = claimed.indices.sorted { (claimed[$0].begin, claimed[$0].end, $0) < (claimed[$1].begin, claimed[$1].end, $1) }
        var cursor: UInt64 = 0
        var previous: String?
        for index in order {
            let range = claimed[index]
            if range.begin < cursor, let previous {
                throw .overlappingTensors(file: file, first: previous, second: range.name)
            }
            if range.begin > cursor { throw .uncoveredBytes(file: file, start: cursor, end: range.begin) }
            cursor = range.end
            previous = range.name
        }
        if cursor > UInt64(bufferLength) { throw .truncated(file: file, expectedBytes: cursor, actualBytes: bufferLength) }
        if cursor < UInt64(bufferLength) {
            throw .uncoveredBytes(file: file, start: cursor, end: UInt64(bufferLength))
        }
        return (metadata, order.map { entries[$0] })
    }

    /// `__metadata__` must be an object whose values are all strings.
    private static func parseMetadata(_ value: JSONValue, file: String) throws(CheckpointError) -> [String: String] {
        guard case .object(let members) = value else {
            throw .badEntry(file: file, tensor: metadataKey, problem: "it is \(value.kindDescription), not an object of strings")
        }
        var metadata: [String: String] = [:]
        for (key, item) in members {
            guard case .string(let text) = item else {
                throw .badEntry(file: file, tensor: metadataKey,
                                problem: "the value of '\(key)' is \(item.kindDescription), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// One tensor's entry: `{"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}`.
    /// Other fields are ignored, as the reference reader ignores them.
    private static func parseEntry(_ value: JSONValue, name: String, file: String)
        throws(CheckpointError) -> (SafetensorsDType, [Int], UInt64, UInt64) {
        guard case .object(let fields) = value else {
            throw .badEntry(file: file, tensor: name, problem: "it is \(value.kindDescription), not an object")
        }
        func field(_ key: String) throws(CheckpointError) -> JSONValue {
            guard let found = fields.first(where: { $0.key == key }) else {
                throw .badEntry(file: file, tensor: name, problem: "it has no \"\(key)\" field")
            }
            return found.value
        }
        guard case .string(let dtypeName) = try field("dtype") else {
            throw .badEntry(file: file, tensor: name, problem: "\"dtype\" is not a string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw .badEntry(file: file, tensor: name, problem: "\"dtype\" is \"\(dtypeName)\", which is no safetensors dtype")
        }
        let shapeValues = try integers(try field("shape"), key: "shape", name: name, file: file)
        guard shapeValues.allSatisfy({ $0 <= UInt64(Int.max) }) else {
            throw .badEntry(file: file, tensor: name, problem: "\"shape\" has an extent too large to address")
        }
        let offsets = try integers(try field("data_offsets"), key: "data_offsets", name: name, file: file)
        guard offsets.count == 2 else {
            throw .badEntry(file: file, tensor: name, problem: "\"data_offsets\" has \(offsets.count) numbers, not 2")
        }
        // Offsets beyond any file that could be held in memory are a layout error later;
        // keep them within Int so that ranges can be formed once they are checked.
        guard offsets[1] <= UInt64(Int.max) else {
            throw .badEntry(file: file, tensor: name, problem: "\"data_offsets\" [\(offsets[0]), \(offsets[1])] lie beyond any file")
        }
        return (dtype, shapeValues.map { Int($0) }, offsets[0], offsets[1])
    }

    /// An array of non-negative integers.
    private static func integers(_ value: JSONValue, key: String, name: String, file: String) throws(CheckpointError) -> [UInt64] {
        guard case .array(let items) = value else {
            throw .badEntry(file: file, tensor: name, problem: "\"\(key)\" is \(value.kindDescription), not an array")
        }
        var result: [UInt64] = []
        for item in items {
            guard case .unsignedInteger(let number) = item else {
                throw .badEntry(file: file, tensor: name,
                                problem: "\"\(key)\" holds \(item.kindDescription), not a non-negative integer")
            }
            result.append(number)
        }
        return result
    }
}
