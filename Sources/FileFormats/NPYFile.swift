// NPYFile.swift — reading numpy's .npy arrays (numpy.save), the simplest way to hand Lumen a
// batch of inputs from Python.
//
// The format (numpy's NEP 1): the magic bytes \x93NUMPY, a major and minor version, the
// header's length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), then the
// header, a Python dict literal padded with spaces to a multiple of 64 bytes:
//
//     {'descr': '<f4', 'fortran_order': False, 'shape': (3, 64), }
//
// then the values, row-major, with nothing after them. Every size is checked against the
// file's length before anything is allocated, and every problem is an `FileFormatError.npy`
// naming the file and the place.
//
// Read next: CSVFile.swift.

import Foundation

/// A numeric array read from a .npy file, converted to Float.
public struct NPYArray: Equatable, Sendable {
    public let shape: [Int]
    /// The values, row-major.
    public let values: [Float]
}

/// The .npy reader.
public enum NPYFile {
    /// The largest header accepted (numpy writes a few hundred bytes).
    static let maximumHeaderLength = 65_536
    /// The largest number of axes accepted (numpy's own limit is 64).
    static let maximumRank = 32

    /// Reads the array at `path`.
    ///
    /// - Throws: `FileFormatError.unreadable` when the file cannot be read, `.npy` when it is
    ///   not a .npy array of a kind Lumen reads.
    public static func read(_ path: String) throws(FileFormatError) -> NPYArray {
        try decode(try InputFile.bytes(path), path: path)
    }

    /// Decodes the bytes of a .npy file; `path` is only for messages.
    public static func decode(_ bytes: [UInt8], path: String) throws(FileFormatError) -> NPYArray {
        func fail(_ problem: String) -> FileFormatError { .npy(path: path, problem: problem) }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("it does not start with the .npy magic bytes \\x93NUMPY (write it with numpy.save)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the file ends inside its header length (\(bytes.count) bytes)") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw fail("its format version is \(major).\(bytes[7]); Lumen reads versions 1, 2 and 3")
        }
        guard headerLength <= maximumHeaderLength else {
            throw fail("its header claims \(headerLength) bytes, more than the \(maximumHeaderLength) Lumen accepts")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw fail("its header claims \(headerLength) bytes, but only \(bytes.count - headerStart) follow")
        }
        let header = try NPYHeader(parsing: Array(bytes[headerStart ..< headerStart + headerLength]), path: path)
        let dataStart = headerStart + headerLength
        var count = 1
        for size in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= bytes.count else {
                throw fail("its shape \(header.shape) holds more values than its \(bytes.count) bytes can")
            }
            count = product
        }
        let expectedBytes = count * header.kind.size
        guard bytes.count - dataStart == expectedBytes else {
            throw fail("its header declares shape \(header.shape) of \(header.descr), which is \(expectedBytes) bytes of data, "
                       + "but the file holds \(bytes.count - dataStart) bytes after the header")
        }
        let values = bytes.withUnsafeBytes { raw in
            (0..<count).map { header.kind.value(raw, at: dataStart + $0 * header.kind.size) }
        }
        return NPYArray(shape: header.shape, values: values)
    }
}

/// The dict of a .npy header: `descr`, `fortran_order` and `shape`.
struct NPYHeader {
    let descr: String
    let kind: NPYKind
    let shape: [Int]

    /// Parses the header's Python dict literal: single- or double-quoted keys, the values a
    /// quoted string, True or False, and a tuple of integers.
    init(parsing bytes: [UInt8], path: String) throws(FileFormatError) {
        func fail(_ problem: String) -> FileFormatError { .npy(path: path, problem: "its header \(problem)") }
        guard let text = String(bytes: bytes, encoding: .utf8) else { throw fail("is not text") }
        var scanner = DictScanner(text: Array(text))
        var fields: [String: DictScanner.Value] = [:]
        do throws(DictScanner.Problem) {
            fields = try scanner.dict()
        } catch {
            throw fail("is not the dict numpy writes: \(error.text) at character \(error.offset + 1)")
        }
        guard case let .string(descr)? = fields["descr"] else { throw fail("has no 'descr' string") }
        guard case let .bool(fortran)? = fields["fortran_order"] else { throw fail("has no 'fortran_order' True or False") }
        guard case let .tuple(shape)? = fields["shape"] else { throw fail("has no 'shape' tuple") }
        guard !fortran else {
            throw FileFormatError.npy(path: path, problem: "it is in Fortran (column-major) order; save numpy.ascontiguousarray(x) instead")
        }
        guard shape.count <= NPYFile.maximumRank, shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("has the shape \(shape); expected at most \(NPYFile.maximumRank) sizes, none negative")
        }
        guard let kind = NPYKind(descr: descr) else {
            throw FileFormatError.npy(path: path, problem: "its dtype '\(descr)' is not one Lumen reads; expected little-endian "
                                   + "float32 ('<f4'), float64 ('<f8'), float16 ('<f2'), or integers ('|u1', '|i1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8')")
        }
        self.descr = descr
        self.kind = kind
        self.shape = shape
    }
}

/// The element types Lumen reads, all little-endian, each converted to Float.
enum NPYKind {
    case f2, f4, f8, i1, u1, i2, u2, i4, u4, i8, u8

    init?(descr: String) {
        // '<' is little-endian, '|' means byte order does not apply, '=' is the writer's own
        // order (little-endian on every machine numpy runs on today).
        guard let order = descr.first, "<|=".contains(order) else { return nil }
        switch descr.dropFirst() {
        case "f2": self = .f2
        case "f4": self = .f4
        case "f8": self = .f8
        case "i1": self = .i1
        case "u1": self = .u1
        case "i2": self = .i2
        case "u2": self = .u2
        case "i4": self = .i4
        case "u4": self = .u4
        case "i8": self = .i8
        case "u8": self = .u8
        default: return nil
        }
    }

    var size: Int {
        switch self {
        case .i1, .u1: 1
        case .f2, .i2, .u2: 2
        case .f4, .i4, .u4: 4
        case .f8, .i8, .u8: 8
        }
    }

    /// The element at byte `offset` as a Float.
    func value(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Float {
        func load<T: FixedWidthInteger>(_: T.Type) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        switch self {
        case .f2: return Float(Float16(bitPattern: load(UInt16.self)))
        case .f4: return Float(bitPattern: load(UInt32.self))
        case .f8: return Float(Double(bitPattern: load(UInt64.self)))
        case .i1: return Float(load(Int8.self))
        case .u1: return Float(load(UInt8.self))
        case .i2: return Float(load(Int16.self))
        case .u2: return Float(load(UInt16.self))
        case .i4: return Float(load(Int32.self))
        case .u4: return Float(load(UInt32.self))
        case .i8: return Float(load(Int64.self))
        case .u8: return Float(load(UInt64.self))
        }
    }
}

/// A scanner for the small part of Python's literal syntax that .npy headers use.
struct DictScanner {
    enum Value { case string(String), bool(Bool), tuple([Int]) }
    struct Problem: Error {
        let text: String
        let offset: Int
    }

    let text: [Character]
    var offset = 0

    private mutating func skipSpace() {
        while offset < text.count, text[offset].isWhitespace { offset += 1 }
    }

    private mutating func expect(_ character: Character) throws(Problem) {
        skipSpace()
        guard offset < text.count, text[offset] == character else {
            throw Problem(text: "expected '\(character)'", offset: offset)
        }
        offset += 1
    }

    private mutating func peek() -> Character? {
        skipSpace()
        return offset < text.count ? text[offset] : nil
    }

    /// { key: value, … } with an optional trailing comma; then only spaces and newlines.
    mutating func dict() throws(Problem) -> [String: Value] {
        try expect("{")
        var fields: [String: Value] = [:]
        while peek() != "}" {
            let key = try string()
            try expect(":")
            guard fields[key] == nil else { throw Problem(text: "the key '\(key)' appears twice", offset: offset) }
            fields[key] = try value()
            if peek() == "," { offset += 1 } else { break }
        }
        try expect("}")
        skipSpace()
        guard offset == text.count else { throw Problem(text: "unexpected text after the dict", offset: offset) }
        return fields
    }

    private mutating func value() throws(Problem) -> Value {
        switch peek() {
        case "'", "\"": return .string(try string())
        case "(": return .tuple(try tuple())
        case "T", "F":
            for (word, value) in [("True", true), ("False", false)] where String(text[offset...].prefix(word.count)) == word {
                offset += word.count
                return .bool(value)
            }
            throw Problem(text: "expected True or False", offset: offset)
        default: throw Problem(text: "expected a string, a tuple, True or False", offset: offset)
        }
    }

    private mutating func string() throws(Problem) -> String {
        guard let quote = peek(), quote == "'" || quote == "\"" else { throw Problem(text: "expected a quoted key", offset: offset) }
        offset += 1
        let start = offset
        while offset < text.count, text[offset] != quote {
            if text[offset] == "\\" { throw Problem(text: "escapes are not expected in a .npy header", offset: offset) }
            offset += 1
        }
        guard offset < text.count else { throw Problem(text: "a string is not closed", offset: start - 1) }
        offset += 1
        return String(text[start ..< offset - 1])
    }

    /// (), (3,), (3, 4) or (3, 4,): non-negative integers of at most 18 digits.
    private mutating func tuple() throws(Problem) -> [Int] {
        try expect("(")
        var sizes: [Int] = []
        while peek() != ")" {
            let start = offset
            while offset < text.count, text[offset].isASCII, text[offset].isNumber { offset += 1 }
            // A trailing 'L' is how Python 2 wrote long integers.
            if offset < text.count, text[offset] == "L" { offset += 1 }
            let digits = String(text[start ..< offset]).filter(\.isNumber)
            guard !digits.isEmpty, digits.count <= 18, let size = Int(digits) else {
                throw Problem(text: "expected a size of at most 18 digits", offset: start)
            }
            sizes.append(size)
            guard sizes.count <= NPYFile.maximumRank else { throw Problem(text: "too many sizes", offset: start) }
            if peek() == "," { offset += 1 } else { break }
        }
        try expect(")")
        return sizes
    }
}
