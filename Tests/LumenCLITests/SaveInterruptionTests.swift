// SaveInterruptionTests.swift — a checkpoint save killed at each step of AtomicFile.write
// (through its test hook LUMEN_TEST_EXIT_AT, which makes `lumen` _exit(86) there): after a
// kill mid-write or after the fsync, the old checkpoint is intact, byte for byte, and a
// hidden temporary file is left; after the rename, the new checkpoint is whole. Each save
// into the folder first removes what an earlier interrupted one left.

import Foundation
import XCTest

final class SaveInterruptionTests: XCTestCase {
    func contents(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func leftovers(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".model.safetensors.") }
    }

    func testASaveKilledAtWriteFsyncOrRenameNeverLosesTheCheckpoint() throws {
        let folder = try temporaryFolder()
        let checkpoint = folder.path + "/model.safetensors"
        let first = try LumenRun(["train", "moons", "--epochs", "1", "-o", folder.path], in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        let saved = try contents(checkpoint)

        var leftoverSizes: [Int] = []
        for point in ["write", "fsync"] {
            let killed = try LumenRun(["train", "moons", "--epochs", "2", "--resume", checkpoint], in: folder,
                                      environment: ["LUMEN_TEST_EXIT_AT": point])
            XCTAssertEqual(killed.status, 86, "\(point): \(killed.stderr)")
            XCTAssertEqual(try contents(checkpoint), saved, "killed at \(point), the old checkpoint changed")
            // One hidden temporary file: the one this save left (it removed the previous save's).
            let temporary = try leftovers(folder.path)
            XCTAssertEqual(temporary.count, 1, "killed at \(point): \(temporary)")
            leftoverSizes += try temporary.map { try contents(folder.path + "/" + $0).count }
        }
        // Killed mid-write, the temporary file holds half the new bytes; after fsync, all of them.
        XCTAssertEqual(leftoverSizes.count, 2)
        // (The two saves' histories hold different timings, so their lengths differ by a few bytes.)
        XCTAssertEqual(Double(leftoverSizes[0]), Double(leftoverSizes[1]) / 2, accuracy: 64)

        // Killed after the rename: the new checkpoint (2 epochs) is in place, whole.
        let renamed = try LumenRun(["train", "moons", "--epochs", "2", "--resume", checkpoint], in: folder,
                                   environment: ["LUMEN_TEST_EXIT_AT": "rename"])
        XCTAssertEqual(renamed.status, 86, renamed.stderr)
        XCTAssertNotEqual(try contents(checkpoint), saved)
        // That save removed the leftover before writing its own file, which it renamed.
        XCTAssertEqual(try leftovers(folder.path), [])
        let resumed = try LumenRun(["train", "moons", "--epochs", "3", "--resume", checkpoint], in: folder)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("resuming from \(checkpoint) after epoch 2"), resumed.stdout)
        XCTAssertEqual(try leftovers(folder.path), [])
    }
}
