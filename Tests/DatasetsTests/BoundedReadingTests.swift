// BoundedReadingTests.swift — IDX files that try to make Lumen allocate what is not there:
// gzip bombs, generated here (never committed) from members of compressed zeros, a header that
// claims terabytes, and files of the wrong kind. Each gets its typed error, quickly. (The same
// bombs through `lumen train mnist`, with the memory measured in a child process, are in
// Tests/LumenCLITests/HostileFileTests.swift.)

import Datasets
import Files
import Foundation
import Glibc
import Testing
import _TestSupport


@Suite struct IDXBoundedReadingTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-idx-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func readError(_ path: String) -> DataFileError? {
        do {
            _ = try IDXFile.read(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func aBombWhoseHeaderClaimsTwoToThe31ImagesIsRefusedBeforeInflating() throws {
        let path = folder + "/train-images-idx3-ubyte.gz"
        // 2³¹ × 28 × 28 bytes = 1.5 TiB claimed; 8 MiB of zeros really there.
        try Data(try gzipBomb(header: idxHeader([1 << 31, 28, 28]), mebibytes: 8)).write(to: URL(fileURLWithPath: path))
        let clock = ContinuousClock()
        let start = clock.now
        #expect(readError(path) == .dataTooLarge(path: path, shape: [1 << 31, 28, 28], bytes: (1 << 31) * 784, limit: 1 << 30))
        #expect(clock.now - start < .seconds(5))
    }

    @Test func aHeaderJustAboveTheLimitIsRefusedAndJustBelowItIsRead() throws {
        let path = folder + "/labels.gz"
        try Data(try gzipBomb(header: idxHeader([3 << 20]), mebibytes: 3)).write(to: URL(fileURLWithPath: path))
        ReadLimit.$maximumBytes.withValue((3 << 20) - 1) {
            #expect(readError(path) == .dataTooLarge(path: path, shape: [3 << 20], bytes: 3 << 20, limit: (3 << 20) - 1))
        }
        let array = try ReadLimit.$maximumBytes.withValue(3 << 20) { try IDXFile.read(path: path) }
        #expect(array.shape == [3 << 20] && array.data.count == 3 << 20 && array.data.allSatisfy { $0 == 0 })
    }

    @Test func trailingZerosBeyondTheLimitStopTheInflationAtTheLimit() throws {
        let path = folder + "/trailing.gz"
        // A sound 1,000-label header and data, then 64 MiB more than it declares.
        try Data(try gzipBomb(header: idxHeader([1000]) + [UInt8](repeating: 1, count: 1000), mebibytes: 64))
            .write(to: URL(fileURLWithPath: path))
        let limit = 16 << 20
        let error = ReadLimit.$maximumBytes.withValue(limit) { readError(path) }
        #expect(error == .tooLarge(path: path, bytes: limit + 1, limit: limit))
        #expect(error?.description == "\(path) holds more than 16 MiB, above the limit of 16 MiB Lumen reads; "
                + "if the file is right, raise the limit with --max-data-size")
        // Within a larger limit the same file is counted to its end: trailing data, measured exactly.
        let counted = ReadLimit.$maximumBytes.withValue(128 << 20) { readError(path) }
        #expect(counted == .trailingData(path: path, shape: [1000], expectedBytes: 1000, actualBytes: 1000 + (64 << 20)))
    }

    @Test func aFIFOAFolderADeviceAndAnOversizedFileAreRefusedWithoutReading() throws {
        let fifo = folder + "/train-labels-idx1-ubyte"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(readError(fifo) == .unreadable(path: fifo, reason: "it is a FIFO (named pipe), not a regular file"))
        #expect(readError(folder) == .unreadable(path: folder, reason: "it is a folder, not a regular file"))
        #expect(readError("/dev/zero") == .unreadable(path: "/dev/zero", reason: "it is a character device, not a regular file"))

        let sparse = folder + "/sparse-idx"
        let descriptor = open(sparse, O_CREAT | O_WRONLY, 0o600)
        #expect(ftruncate(descriptor, 4 << 30) == 0)
        close(descriptor)
        #expect(readError(sparse) == .tooLarge(path: sparse, bytes: 4 << 30, limit: 1 << 30))
    }

    @Test func theParserOfBytesInMemoryAppliesTheLimitItIsGiven() throws {
        let bomb = try gzipBomb(header: idxHeader([2, 1 << 20]), mebibytes: 2)
        #expect(throws: DataFileError.dataTooLarge(path: "mem", shape: [2, 1 << 20], bytes: 2 << 20, limit: 1 << 20)) {
            try IDXFile.parseGzip(bomb, path: "mem", limit: 1 << 20)
        }
        #expect(try IDXFile.parseGzip(bomb, path: "mem", limit: 2 << 20).data.count == 2 << 20)
    }
}
