// HostileFileTests.swift — the reproducers through the real `lumen`, each in a child
// process whose peak memory is measured (MeasuredRun): a 50 GB sparse checkpoint, a FIFO,
// and gzip bombs (generated here, never committed) as MNIST files. Each must end at once with
// its clear error and a peak under 96 MiB; `lumen` itself starts at about 28 MiB. Before,
// the 50 GB file trapped allocating 50 GB and the bombs took gigabytes.

import Foundation
import Glibc
import _TestSupport
import XCTest

final class HostileFileTests: XCTestCase {
    /// The stated bound on a refused file's peak memory.
    static let peakBoundMiB = 96.0

    func testA50GBSparseCheckpointIsRefusedWithoutReadingIt() throws {
        let folder = try temporaryFolder().path
        let path = folder + "/model.safetensors"
        let descriptor = open(path, O_CREAT | O_WRONLY, 0o600)
        XCTAssertEqual(ftruncate(descriptor, 50 << 30), 0)
        close(descriptor)

        let run = try MeasuredRun(["train", "moons", "--resume", path])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "error: \(path): the file is 50 GiB, above the limit of 1 GiB that Lumen reads. If it really "
                       + "is a checkpoint that large, raise the limit with --max-data-size; otherwise it is not a checkpoint.\n")
        XCTAssertLessThan(run.peakMiB, Self.peakBoundMiB)

        // With the limit raised past it, the header (all zeros: length 0) is refused; the data is never read.
        let raised = try MeasuredRun(["train", "moons", "--resume", path, "--max-data-size", "64G"])
        XCTAssertEqual(raised.status, 1)
        XCTAssertTrue(raised.stderr.hasPrefix("error: \(path): the header is corrupt"), raised.stderr)
        XCTAssertLessThan(raised.peakMiB, Self.peakBoundMiB)
    }

    func testAFIFOGivenToResumeIsRefusedInsteadOfHanging() throws {
        let path = try temporaryFolder().path + "/model.safetensors"
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        let run = try MeasuredRun(["train", "moons", "--resume", path])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "error: \(path): cannot be read (it is a FIFO (named pipe), not a regular file). "
                       + "Check that it is a file and that you may read it.\n")
    }

    func testAGzipBombClaiming2To31ImagesIsRefusedAtItsHeader() throws {
        let folder = try temporaryFolder().path
        try Data(try gzipBomb(header: idxHeader([1 << 31, 28, 28]), mebibytes: 8))
            .write(to: URL(fileURLWithPath: folder + "/train-images-idx3-ubyte.gz"))
        try Data(idxHeader([1]) + [0]).write(to: URL(fileURLWithPath: folder + "/train-labels-idx1-ubyte"))
        let run = try MeasuredRun(["train", "mnist", "--data", folder, "-o", folder + "/out"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.hasPrefix("error: \(folder)/train-images-idx3-ubyte.gz declares shape [2147483648, 28, 28], 1568 GiB of data, above the limit of 1 GiB"), run.stderr)
        XCTAssertLessThan(run.peakMiB, Self.peakBoundMiB)
    }

    func testAGzipBombOfTrailingZerosIsCountedInConstantMemory() throws {
        let folder = try temporaryFolder().path
        // 100 sound images, then 512 MiB of zeros the header does not declare.
        let images = idxHeader([100, 28, 28]) + [UInt8](repeating: 7, count: 100 * 784)
        try Data(try gzipBomb(header: images, mebibytes: 512))
            .write(to: URL(fileURLWithPath: folder + "/train-images-idx3-ubyte.gz"))
        try Data(idxHeader([100]) + [UInt8](repeating: 1, count: 100)).write(to: URL(fileURLWithPath: folder + "/train-labels-idx1-ubyte"))

        // Counted to the end within the default limit: 512 MiB inflated, 64 KiB at a time.
        let run = try MeasuredRun(["train", "mnist", "--data", folder, "-o", folder + "/out"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("has extra data: its header declares shape [100, 28, 28], 78400 bytes of data, but \(78400 + (512 << 20)) follow"), run.stderr)
        XCTAssertLessThan(run.peakMiB, Self.peakBoundMiB)

        // Under a lower limit the inflation stops at the limit.
        let limited = try MeasuredRun(["train", "mnist", "--data", folder, "-o", folder + "/out", "--max-data-size", "32M"])
        XCTAssertEqual(limited.status, 1)
        XCTAssertTrue(limited.stderr.contains("holds more than 32 MiB, above the limit of 32 MiB Lumen reads"), limited.stderr)
        XCTAssertLessThan(limited.peakMiB, Self.peakBoundMiB)
    }
}

