// FileReadingTests.swift — opening a file someone else made: a FIFO, a device or a folder is
// refused at once (a FIFO with no writer would block a plain open forever), a file above the
// limit is refused before it is read, and reads return exactly what is there.

import Files
import Foundation
import Glibc
import Testing

@Suite struct FileReadingTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-read-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func openError(_ path: String, limit: Int = ReadLimit.maximumBytes) -> FileReadError? {
        do {
            _ = try ReadableFile(path: path, limit: limit)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFIFOWithNoWriterIsRefusedWithoutBlocking() throws {
        let path = folder + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        // Were the open to block, this test would hang; the suite's time limit would show it.
        #expect(openError(path) == .notRegularFile(kind: "a FIFO (named pipe)"))
        #expect(FileReadError.notRegularFile(kind: "a FIFO (named pipe)").reason
                == "it is a FIFO (named pipe), not a regular file")
    }

    @Test func aFolderADeviceAndAMissingFileAreRefused() {
        #expect(openError(folder) == .notRegularFile(kind: "a folder"))
        #expect(openError("/dev/zero") == .notRegularFile(kind: "a character device"))
        #expect(openError(folder + "/absent") == .notFound)
        #expect(openError(folder + "/absent/deeper") == .notFound)
    }

    @Test func aFileAboveTheLimitIsRefusedBeforeReading() throws {
        let path = folder + "/big"
        // A sparse file: 3 GiB long, no disk used, and it is never read.
        let descriptor = open(path, O_CREAT | O_WRONLY, 0o600)
        #expect(descriptor >= 0)
        #expect(ftruncate(descriptor, 3 << 30) == 0)
        close(descriptor)
        #expect(openError(path) == .tooLarge(size: 3 << 30, limit: 1 << 30))
        #expect(openError(path, limit: 4 << 30) == nil)
        // The task-local limit is the default of every open.
        ReadLimit.$maximumBytes.withValue(3 << 30) {
            #expect(openError(path) == nil)
        }
        #expect(FileReadError.tooLarge(size: 3 << 30, limit: 1 << 30).reason
                == "it is 3 GiB, above the limit of 1 GiB Lumen reads (raise it with --max-data-size)")
    }

    @Test func readsReturnWhatIsThereAndNoMore() throws {
        let path = folder + "/five"
        try Data([1, 2, 3, 4, 5]).write(to: URL(fileURLWithPath: path))
        let file = try ReadableFile(path: path)
        #expect(file.size == 5)
        #expect(try file.read(2) == [1, 2])
        #expect(try !file.isAtEnd())   // reads (and so consumes) byte 3
        #expect(try file.read(10) == [4, 5])
        #expect(try file.isAtEnd())
        #expect(try file.read(0) == [])
    }

    @Test func sizesAreDescribedInBinaryUnits() {
        #expect(ReadLimit.describe(1 << 30) == "1 GiB")
        #expect(ReadLimit.describe(3 << 29) == "1.5 GiB")
        #expect(ReadLimit.describe(300 << 20) == "300 MiB")
        #expect(ReadLimit.describe(1536) == "1.5 KiB")
        #expect(ReadLimit.describe(100) == "100 bytes")
    }
}
