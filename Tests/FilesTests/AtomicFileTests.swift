// AtomicFileTests.swift — a file appears whole or not at all, and failures name the path.

import Files
import Foundation
import Testing

@Suite struct AtomicFileTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-files-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test func writesAndReplacesWithNoTemporaryFileLeft() throws {
        let path = folder + "/out.txt"
        try AtomicFile.write(Array("first".utf8), to: path)
        try AtomicFile.write(Array("second".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.txt"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test func aMissingFolderIsATypedErrorAndNothingIsWritten() {
        let path = folder + "/no-such-folder/out.txt"
        #expect(throws: FileWriteError(path: path, reason: "No such file or directory")) {
            try AtomicFile.write([1, 2, 3], to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFailedWriteLeavesTheOldFileAsItWas() throws {
        let path = folder + "/keep.txt"
        try AtomicFile.write(Array("old".utf8), to: path)
        // Writing over a directory fails at the rename; the temporary file is removed.
        let directory = folder + "/dir"
        try FileManager.default.createDirectory(atPath: directory + "/inside", withIntermediateDirectories: true)
        #expect(throws: FileWriteError.self) { try AtomicFile.write([0], to: directory) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == ["keep.txt", "dir"])
    }
}
