// IDXFile.swift — reading the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed,
// without trusting its header: the declared sizes are checked against the bytes actually
// there before anything the header's size is allocated.
//
// Read next: Gzip.swift (the decompressing byte source), then MNIST.swift.

import Files

/// The element type an IDX file declares in its third byte.
public enum IDXDataType: UInt8, Sendable, CustomStringConvertible {
    case unsignedByte = 0x08
    case signedByte = 0x09
    case int16 = 0x0B
    case int32 = 0x0C
    case float32 = 0x0D
    case float64 = 0x0E

    /// Bytes per element (stored big-endian).
    public var byteWidth: Int {
        switch self {
        case .unsignedByte, .signedByte: 1
        case .int16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }

    public var description: String {
        switch self {
        case .unsignedByte: "unsigned byte (0x08)"
        case .signedByte: "signed byte (0x09)"
        case .int16: "16-bit integer (0x0B)"
        case .int32: "32-bit integer (0x0C)"
        case .float32: "32-bit float (0x0D)"
        case .float64: "64-bit float (0x0E)"
        }
    }
}

/// The contents of an IDX file: the declared type and shape, and the raw big-endian data.
///
/// The layout is: two zero bytes; the type code; the number of dimensions r; r extents as
/// big-endian 32-bit unsigned integers; then the elements in row-major order, each
/// `dataType.byteWidth` bytes, big-endian, and nothing after them.
public struct IDXArray: Sendable {
    public let dataType: IDXDataType
    public let shape: [Int]
    /// The element bytes, exactly shape.product · byteWidth of them.
    public let data: ArraySlice<UInt8>
}

/// Reads IDX files.
public enum IDXFile {
    /// Reads the IDX file at `path`, decompressing it first when its name ends in ".gz" or it
    /// starts with gzip's magic bytes 1f 8b.
    ///
    /// Bounded: the file must be a regular file (a FIFO, device or folder is refused without
    /// blocking) of at most `ReadLimit.maximumBytes`, and the data its header declares, once
    /// decompressed, at most that limit too (`lumen train --max-data-size` raises it). A gzip
    /// file is inflated only as far as the header asks, so a "gzip bomb" costs no more memory
    /// than the limit, and a header that claims more is refused before anything is inflated.
    ///
    /// - Throws: `DataFileError` naming `path` and the problem: unreadable, too large, bad
    ///   magic, unknown type, truncated header or data, trailing data, corrupt gzip.
    public static func read(path: String) throws(DataFileError) -> IDXArray {
        let limit = ReadLimit.maximumBytes
        let bytes: [UInt8], complete: Bool
        do {
            let file = try ReadableFile(path: path, limit: limit)
            bytes = try file.read(file.size)
            let atEnd = try file.isAtEnd()
            complete = atEnd && bytes.count == file.size
        } catch {
            if case let .tooLarge(size, limit) = error { throw .tooLarge(path: path, bytes: size, limit: limit) }
            throw .unreadable(path: path, reason: error.reason)
        }
        guard complete else { throw .unreadable(path: path, reason: "it changed size while being read") }
        if path.hasSuffix(".gz") || bytes.starts(with: [0x1F, 0x8B]) {
            let source = try GzipSource(compressed: bytes, path: path)
            return try parse(source, path: path, limit: limit)
        }
        return try parse(PlainSource(bytes: bytes), path: path, limit: limit)
    }

    /// Parses IDX bytes already in memory (`path` only names them in errors).
    public static func parse(_ bytes: [UInt8], path: String) throws(DataFileError) -> IDXArray {
        try parse(PlainSource(bytes: bytes), path: path, limit: .max)
    }

    /// Parses gzip-compressed IDX bytes already in memory, decompressing at most `limit`
    /// bytes (`path` only names them in errors).
    public static func parseGzip(_ bytes: [UInt8], path: String,
                                 limit: Int = ReadLimit.maximumBytes) throws(DataFileError) -> IDXArray {
        try parse(GzipSource(compressed: bytes, path: path), path: path, limit: limit)
    }

    /// The one parser, over plain or decompressing bytes. It asks the source for the 4-byte
    /// prefix, then for the extents, then for exactly the declared data plus one byte (to
    /// notice trailing data). A gzip source inflates only as far as asked, so a header that
    /// claims terabytes costs no more memory than the data really there; a header that claims
    /// more than `limit` bytes is refused before any of the data is read, and trailing data
    /// is counted only up to `limit`.
    static func parse(_ source: some ByteSource, path: String, limit: Int) throws(DataFileError) -> IDXArray {
        var bytes = [UInt8]()
        try source.fill(&bytes, upTo: 4)
        guard bytes.count == 4 else { throw .truncatedHeader(path: path, needed: 4, available: bytes.count) }
        guard bytes[0] == 0 && bytes[1] == 0 else { throw .badMagic(path: path, found: Array(bytes[0..<4])) }
        guard let dataType = IDXDataType(rawValue: bytes[2]) else { throw .unknownDataType(path: path, code: bytes[2]) }
        let rank = Int(bytes[3])
        let headerLength = 4 + 4 * rank
        try source.fill(&bytes, upTo: headerLength)
        guard bytes.count == headerLength else {
            throw .truncatedHeader(path: path, needed: headerLength, available: bytes.count)
        }
        let shape = (0..<rank).map { axis in
            bytes[4 + 4 * axis ..< 8 + 4 * axis].reduce(0) { $0 << 8 | Int($1) }   // big-endian UInt32
        }
        var dataLength = dataType.byteWidth
        for extent in shape {
            let (product, overflow) = dataLength.multipliedReportingOverflow(by: extent)
            // Keep headerLength + dataLength + 1 representable too.
            guard !overflow, product < Int.max - headerLength - 1 else { throw .sizeOverflow(path: path, shape: shape) }
            dataLength = product
        }
        guard dataLength <= limit else { throw .dataTooLarge(path: path, shape: shape, bytes: dataLength, limit: limit) }
        try source.fill(&bytes, upTo: headerLength + dataLength + 1)
        let actual = bytes.count - headerLength
        if actual < dataLength {
            throw .truncatedData(path: path, shape: shape, expectedBytes: dataLength, actualBytes: actual)
        }
        if actual > dataLength {
            let remaining = try source.countRemaining(upTo: limit - actual)
            guard let remaining else { throw .tooLarge(path: path, bytes: limit + 1, limit: limit) }
            throw .trailingData(path: path, shape: shape, expectedBytes: dataLength, actualBytes: actual + remaining)
        }
        return IDXArray(dataType: dataType, shape: shape, data: bytes[headerLength...])
    }
}

/// Where the parser's bytes come from: a file in memory, or a gzip stream inflated on demand.
protocol ByteSource {
    /// Appends bytes to `buffer` until it holds `total` bytes or the source is exhausted.
    func fill(_ buffer: inout [UInt8], upTo total: Int) throws(DataFileError)
    /// Consumes the rest of the source and returns how many bytes it held (for error
    /// messages), or `nil` once it has seen more than `limit` of them.
    func countRemaining(upTo limit: Int) throws(DataFileError) -> Int?
}

/// Bytes already in memory. The parser's buffer is always `bytes[0 ..< position]`.
final class PlainSource: ByteSource {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func fill(_ buffer: inout [UInt8], upTo total: Int) throws(DataFileError) {
        let taken = min(bytes.count - position, max(0, total - buffer.count))
        if position + taken == bytes.count {
            buffer = bytes   // the whole file: share the array instead of copying it
        } else {
            buffer.append(contentsOf: bytes[position ..< position + taken])
        }
        position += taken
    }

    func countRemaining(upTo limit: Int) throws(DataFileError) -> Int? {
        defer { position = bytes.count }
        return bytes.count - position <= limit ? bytes.count - position : nil
    }
}
