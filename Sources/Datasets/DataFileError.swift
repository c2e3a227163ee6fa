// DataFileError.swift — what can be wrong with a data file: missing, unreadable, a bad IDX
// header, sizes that do not add up, a corrupt gzip stream, a malformed CSV line. Every case
// names the file, and the description says how to fix it.
//
// Read next: IDXFile.swift (the format these checks guard).

import Files

/// A data file that could not be loaded. Thrown, never trapped: the files come from users.
public enum DataFileError: Error, Equatable, CustomStringConvertible {
    /// None of the accepted names for a file was found in `directory`.
    case missingFile(directory: String, expected: [String])
    /// The file exists but could not be read (`reason` is the system's message).
    case unreadable(path: String, reason: String)
    /// A resource bundled with Lumen is missing from its resource bundle (a broken install).
    case missingResource(name: String)
    /// The file ends inside the IDX header: `needed` bytes were required, `available` exist.
    case truncatedHeader(path: String, needed: Int, available: Int)
    /// The first two bytes of an IDX file must be zero.
    case badMagic(path: String, found: [UInt8])
    /// The IDX type byte (the third) is none of the six the format defines.
    case unknownDataType(path: String, code: UInt8)
    /// The IDX type byte is valid but not the one this file must have.
    case wrongDataType(path: String, expected: IDXDataType, found: IDXDataType)
    /// The IDX file has `found` dimensions where `expected` are needed.
    case wrongRank(path: String, expected: Int, found: Int)
    /// The IDX header declares a shape with a different size than this file must have
    /// (e.g. images that are not 28 × 28).
    case wrongShape(path: String, expected: String, found: [Int])
    /// The file is larger than `ReadLimit.maximumBytes`, or (`bytes` = limit + 1) it
    /// decompresses to more than that.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// The header declares more data than `ReadLimit.maximumBytes`.
    case dataTooLarge(path: String, shape: [Int], bytes: Int, limit: Int)
    /// The declared shape's byte count does not fit in memory's address range.
    case sizeOverflow(path: String, shape: [Int])
    /// The data ends before the declared shape is filled.
    case truncatedData(path: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// More bytes follow the data the header declares.
    case trailingData(path: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// The gzip stream is corrupt or cut short (`reason` from zlib, or "truncated").
    case gzipCorrupt(path: String, reason: String)
    /// The image and label files hold different numbers of examples.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// A label outside 0..<classCount at example `index`.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// A line of a CSV (or list) file that does not parse; `line` counts from 1.
    case malformedText(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(directory, expected):
            "no file named \(expected.joined(separator: " or ")) in \(directory); "
                + "download the data set's files into that folder (plain or .gz)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        case let .missingResource(name):
            "the bundled resource \(name) was not found: keep the folder Lumen_Datasets.resources next to the "
                + "lumen executable when you copy it, or rebuild Lumen with `swift build`"
        case let .truncatedHeader(path, needed, available):
            "\(path) is too short for an IDX header: it needs \(needed) bytes and has \(available); "
                + "the file is cut short or is not an IDX file"
        case let .badMagic(path, found):
            "\(path) is not an IDX file: it must start with two zero bytes, but starts with "
                + found.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
        case let .unknownDataType(path, code):
            "\(path) has the unknown IDX type code 0x\(String(code, radix: 16)); IDX defines 0x08 (unsigned byte), "
                + "0x09, 0x0B, 0x0C, 0x0D and 0x0E"
        case let .wrongDataType(path, expected, found):
            "\(path) holds \(found) values, but this data set needs \(expected); check that it is the right file"
        case let .wrongRank(path, expected, found):
            "\(path) has \(found) dimensions, but this file needs \(expected) (images: count × rows × columns, "
                + "labels: count); check that the image and label files are not swapped"
        case let .wrongShape(path, expected, found):
            "\(path) declares shape \(found), but this data set needs \(expected)"
        case let .tooLarge(path, bytes, limit):
            (bytes > limit + 1 ? "\(path) is \(ReadLimit.describe(bytes)), " : "\(path) holds more than \(ReadLimit.describe(limit)), ")
                + "above the limit of \(ReadLimit.describe(limit)) Lumen reads; if the file is right, raise the limit "
                + "with --max-data-size"
        case let .dataTooLarge(path, shape, bytes, limit):
            "\(path) declares shape \(shape), \(ReadLimit.describe(bytes)) of data, above the limit of "
                + "\(ReadLimit.describe(limit)) Lumen reads; the header is corrupt, or, if the file is right, "
                + "raise the limit with --max-data-size"
        case let .sizeOverflow(path, shape):
            "\(path) declares shape \(shape), whose size overflows; the header is corrupt"
        case let .truncatedData(path, shape, expectedBytes, actualBytes):
            "\(path) is truncated: its header declares shape \(shape), \(expectedBytes) bytes of data, "
                + "but only \(actualBytes) follow; download the file again"
        case let .trailingData(path, shape, expectedBytes, actualBytes):
            "\(path) has extra data: its header declares shape \(shape), \(expectedBytes) bytes of data, "
                + "but \(actualBytes) follow; the header or the file is corrupt"
        case let .gzipCorrupt(path, reason):
            "\(path) is not a valid gzip file (\(reason)); download it again, or decompress it with gunzip "
                + "to see what is wrong"
        case let .countMismatch(imagesPath, images, labelsPath, labels):
            "\(imagesPath) holds \(images) images but \(labelsPath) holds \(labels) labels; "
                + "use the image and label files of the same part (train or t10k)"
        case let .labelOutOfRange(path, index, label, classCount):
            "\(path): label \(label) of example \(index) is out of range; labels must be in 0..<\(classCount)"
        case let .malformedText(path, line, reason):
            "\(path), line \(line): \(reason)"
        }
    }
}
