// MNISTTests.swift — the IDX loader on small files these tests write themselves, plain and
// compressed by the `gzip` program: read back exactly, and every malformed file a typed
// error naming the file. Each test works in its own temporary directory.

import Datasets
import Foundation
import Testing
import _TestSupport

/// The bytes of an IDX file: 0, 0, the type code, the rank, the extents big-endian, the payload.
private func idx(type: UInt8 = 0x08, shape: [UInt32], payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
    for extent in shape {
        bytes += [UInt8(extent >> 24), UInt8(extent >> 16 & 0xFF), UInt8(extent >> 8 & 0xFF), UInt8(extent & 0xFF)]
    }
    return bytes + payload
}

/// `bytes` compressed by the system's gzip program (`gzip -n -c`).
private func gzipped(_ bytes: [UInt8], in directory: String) throws -> [UInt8] {
    let input = directory + "/gzip-input-\(UUID().uuidString)"
    try Data(bytes).write(to: URL(fileURLWithPath: input))
    defer { try? FileManager.default.removeItem(atPath: input) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-n", "-c", input]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let compressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return [UInt8](compressed)
}

private func write(_ bytes: [UInt8], _ directory: String, _ name: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
}

/// Three 2 × 3 images with pixels 0, 10, 20, … and labels 7, 0, 9.
private let pixels: [UInt8] = (0..<18).map { UInt8($0 * 10) }
private let imagesFile = idx(shape: [3, 2, 3], payload: pixels)
private let labelsFile = idx(shape: [3], payload: [7, 0, 9])

/// The error `body` throws, which must be a `DataFileError`.
private func fileError(_ body: () throws -> Void) -> DataFileError? {
    do {
        try body()
    } catch let error as DataFileError {
        return error
    } catch {
        Issue.record("expected a DataFileError, got \(error)")
        return nil
    }
    Issue.record("expected a DataFileError, but nothing was thrown")
    return nil
}

@Suite struct MNISTTests {
    let folder: String

    init() throws {
        folder = try makeTemporaryDirectory()
    }

    private func load(_ part: MNIST.Part = .train, variant: MNIST.Variant = .digits,
                      layout: ImageLayout = .flat) throws -> InMemoryDataset<Double> {
        try InMemoryDataset<Double>.mnist(directory: folder, part: part, variant: variant, layout: layout)
    }

    private func path(_ name: String) -> String { URL(fileURLWithPath: folder).appendingPathComponent(name).path }

    @Test func plainFilesReadBackExactly() throws {
        try write(imagesFile, folder, "train-images-idx3-ubyte")
        try write(labelsFile, folder, "train-labels-idx1-ubyte")
        let data = try load()
        #expect(data.count == 3 && data.exampleShape == [6] && data.classCount == 10)
        #expect(data.labels == [7, 0, 9])
        let expected: [Double] = (0..<18).map { (i: Int) -> Double in Double(i * 10) / 255 }
        #expect(data.features == expected)
        let images = try load(layout: .image)
        #expect(images.exampleShape == [1, 2, 3])
        let fashion = try load(variant: .fashion)
        #expect(fashion.classNames?[9] == "Ankle boot" && fashion.classNames?[0] == "T-shirt/top")
    }

    @Test func gzipFilesAndTheOtherNamesReadBackExactly() throws {
        try write(try gzipped(imagesFile, in: folder), folder, "t10k-images-idx3-ubyte.gz")
        try write(try gzipped(labelsFile, in: folder), folder, "t10k-labels.idx1-ubyte.gz")
        let data = try load(.test)
        #expect(data.labels == [7, 0, 9])
        #expect(data.features == pixels.map { Double($0) / 255 })
    }

    @Test func aGzipFileOfTwoMembersReadsAsOne() throws {
        let first = try gzipped(Array(imagesFile.prefix(11)), in: folder)
        let second = try gzipped(Array(imagesFile.dropFirst(11)), in: folder)
        try write(first + second, folder, "images.gz")
        let array = try IDXFile.read(path: path("images.gz"))
        #expect(array.shape == [3, 2, 3] && Array(array.data) == pixels)
    }

    @Test func otherIDXTypesParseWithTheirWidths() throws {
        // Two 32-bit floats, 1.0 and −2.0, big-endian.
        let array = try IDXFile.parse(idx(type: 0x0D, shape: [2], payload: [0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0]), path: "f")
        #expect(array.dataType == .float32 && array.shape == [2] && array.data.count == 8)
    }

    @Test func aMissingFileListsTheNamesLookedFor() throws {
        try write(labelsFile, folder, "train-labels-idx1-ubyte")
        #expect(throws: DataFileError.missingFile(directory: folder, expected: [
            "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
            "train-images.idx3-ubyte", "train-images.idx3-ubyte.gz",
        ])) { try load() }
        let text = DataFileError.missingFile(directory: folder, expected: ["a", "a.gz"]).description
        #expect(text.contains("a or a.gz") && text.contains(folder))
    }

    @Test func aBadHeaderIsATypedError() throws {
        let file = path("train-images-idx3-ubyte")
        try write(labelsFile, folder, "train-labels-idx1-ubyte")

        try write([1, 0, 8, 3] + Array(imagesFile.dropFirst(4)), folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.badMagic(path: file, found: [1, 0, 8, 3])) { try load() }

        try write([0, 0, 0x07, 3] + Array(imagesFile.dropFirst(4)), folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.unknownDataType(path: file, code: 0x07)) { try load() }

        try write(idx(type: 0x0D, shape: [3, 2, 3], payload: [UInt8](repeating: 0, count: 72)),
                  folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.wrongDataType(path: file, expected: .unsignedByte, found: .float32)) {
            try load()
        }

        try write(idx(shape: [3, 6], payload: pixels), folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.wrongRank(path: file, expected: 3, found: 2)) { try load() }

        try write([0, 0], folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.truncatedHeader(path: file, needed: 4, available: 2)) { try load() }

        try write(Array(imagesFile.prefix(9)), folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.truncatedHeader(path: file, needed: 16, available: 9)) { try load() }

        try write(idx(shape: [3, 0, 3], payload: []), folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.wrongShape(path: file, expected: "count × rows × columns with rows, columns ≥ 1",
                                                 found: [3, 0, 3])) {
            try load()
        }
    }

    @Test func sizesThatDoNotAddUpAreTypedErrors() throws {
        let file = path("train-images-idx3-ubyte")
        try write(labelsFile, folder, "train-labels-idx1-ubyte")

        try write(Array(imagesFile.prefix(16 + 10)), folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.truncatedData(path: file, shape: [3, 2, 3], expectedBytes: 18, actualBytes: 10)) {
            try load()
        }

        try write(imagesFile + [1, 2, 3], folder, "train-images-idx3-ubyte")
        #expect(throws: DataFileError.trailingData(path: file, shape: [3, 2, 3], expectedBytes: 18, actualBytes: 21)) {
            try load()
        }

        try write(imagesFile, folder, "train-images-idx3-ubyte")
        try write(idx(shape: [2], payload: [1, 2]), folder, "train-labels-idx1-ubyte")
        #expect(throws: DataFileError.countMismatch(imagesPath: file, images: 3,
                                                    labelsPath: path("train-labels-idx1-ubyte"), labels: 2)) {
            try load()
        }

        try write(idx(shape: [3], payload: [1, 10, 2]), folder, "train-labels-idx1-ubyte")
        #expect(throws: DataFileError.labelOutOfRange(path: path("train-labels-idx1-ubyte"), index: 1, label: 10,
                                                      classCount: 10)) {
            try load()
        }
    }

    @Test func aHostileHeaderIsCheckedAgainstTheBytesPresent() throws {
        // 4 billion cubed bytes overflow; 60 000 × 28 × 28 over a 16-byte payload is truncated
        // (a byte source hands over only the bytes really there, so no 47 MB buffer is made).
        let huge = idx(shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [1, 2, 3])
        #expect(throws: DataFileError.sizeOverflow(path: "h", shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF])) {
            try IDXFile.parse(huge, path: "h")
        }
        let claimsMNIST = idx(shape: [60000, 28, 28], payload: [UInt8](repeating: 0, count: 16))
        #expect(throws: DataFileError.truncatedData(path: "m", shape: [60000, 28, 28], expectedBytes: 47_040_000,
                                                    actualBytes: 16)) {
            try IDXFile.parse(claimsMNIST, path: "m")
        }
        // Compressed, the parser inflates only what is there.
        try write(try gzipped(claimsMNIST, in: folder), folder, "claims.gz")
        #expect(throws: DataFileError.truncatedData(path: path("claims.gz"), shape: [60000, 28, 28],
                                                    expectedBytes: 47_040_000, actualBytes: 16)) {
            try IDXFile.read(path: path("claims.gz"))
        }
    }

    @Test func corruptGzipIsATypedError() throws {
        let compressed = try gzipped(imagesFile, in: folder)
        let file = path("train-images-idx3-ubyte.gz")
        try write(labelsFile, folder, "train-labels-idx1-ubyte")

        // Cut short: the stream ends before its end-of-data marker and checksum.
        try write(Array(compressed.dropLast(6)), folder, "train-images-idx3-ubyte.gz")
        let truncated = fileError { _ = try load() }
        guard case let .gzipCorrupt(truncatedPath, reason)? = truncated else {
            Issue.record("expected gzipCorrupt, got \(String(describing: truncated))")
            return
        }
        #expect(truncatedPath == file && reason.contains("truncated"))

        // A flipped bit in the CRC-32 of the trailer: the data inflates, the check fails.
        var flipped = compressed
        flipped[flipped.count - 8] ^= 0x01
        try write(flipped, folder, "train-images-idx3-ubyte.gz")
        guard case let .gzipCorrupt(flippedPath, flippedReason)? = fileError({ _ = try load() }) else {
            Issue.record("expected gzipCorrupt for a bad checksum")
            return
        }
        #expect(flippedPath == file && flippedReason.contains("check"))

        // Not gzip at all, under a .gz name.
        try write(imagesFile, folder, "train-images-idx3-ubyte.gz")
        #expect(throws: DataFileError.gzipCorrupt(path: file,
                                                  reason: "it does not start with the gzip magic bytes 1f 8b")) {
            try load()
        }

        // Garbage after the end of the gzip data.
        try write(compressed + [0x41, 0x42, 0x43], folder, "train-images-idx3-ubyte.gz")
        #expect(throws: DataFileError.gzipCorrupt(path: file,
                                                  reason: "3 bytes of unexpected data follow the end of the gzip data")) {
            try load()
        }
    }

    @Test func anUnreadableFileIsATypedError() throws {
        let directory = path("train-images-idx3-ubyte")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try write(labelsFile, folder, "train-labels-idx1-ubyte")
        let error = fileError { _ = try load() }
        guard case let .unreadable(unreadablePath, _)? = error else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
        #expect(unreadablePath == directory)
        #expect(throws: DataFileError.unreadable(path: path("nothing"), reason: "no such file")) {
            try IDXFile.read(path: path("nothing"))
        }
    }
}
