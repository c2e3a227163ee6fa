// AtomicFileCrashTests.swift — what a crashed save leaves behind, and what the next save does
// with it: a leftover temporary file no process holds is removed, one a live save holds
// (its flock) is kept. The kills themselves, at write, fsync and rename, run the real `lumen`
// in Tests/LumenCLITests/SaveInterruptionTests.swift.

import Files
import Foundation
import Glibc
import Testing

@Suite struct AtomicFileCrashTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-crash-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func listing() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    }

    @Test func theNextSaveRemovesLeftoversOfThatFileOnly() throws {
        // What kills at write or fsync leave: hidden temporary files with mkstemp's suffix.
        for name in [".model.safetensors.a1B2c3", ".model.safetensors.ZZZZZZ"] {
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        // Not leftovers of model.safetensors: another file's, a user's file, a wrong suffix.
        let others: Set = [".loss.png.abcdef", "model.safetensors.backup", ".model.safetensors.toolong7", ".model.safetensors.ab-cde"]
        for name in others { try Data([0]).write(to: URL(fileURLWithPath: folder + "/" + name)) }

        try AtomicFile.write([9, 9], to: folder + "/model.safetensors")
        #expect(try listing() == others.union(["model.safetensors"]))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/model.safetensors")) == Data([9, 9]))
    }

    @Test func aTemporaryFileThatASaveHoldsIsKept() throws {
        // A concurrent save holds its temporary file's lock until it renames it.
        let busy = folder + "/.out.bin.Busy01"
        let descriptor = open(busy, O_CREAT | O_RDWR, 0o600)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        try AtomicFile.write([1], to: folder + "/out.bin")
        #expect(try listing() == [".out.bin.Busy01", "out.bin"])
    }
}
