// GANCommandTests.swift — `lumen train gan-2d` on the built binary: a one-step run prints its
// coverage line and writes its frames and final picture; options of other recipes are refused.

import Foundation
import XCTest

final class GANCommandTests: XCTestCase {
    func testAOneStepRunWritesFramesAndCoverage() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "gan-2d", "--steps", "1", "--batch-size", "8", "-o", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("gan-2d: generator 2 → 128 → 128 → 2"), run.stdout)
        XCTAssertTrue(run.stdout.contains("step     1/1  D loss "), run.stdout)
        XCTAssertTrue(run.stdout.contains("done: 1 steps in ") && run.stdout.contains("modes covered "), run.stdout)
        for name in ["frames/step-00000.png", "frames/step-00001.png", "samples.png", "samples.svg"] {
            XCTAssertTrue(run.stdout.contains("wrote out/\(name)"), name)
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/\(name)").path), name)
        }
    }

    func testOtherRecipesOptionsAreRefused() throws {
        let folder = try temporaryFolder()
        for (arguments, message) in [(["train", "gan-2d", "--temperature", "1"], "--temperature does not apply to gan-2d"),
                                     (["train", "gan-2d", "--epochs", "2"], "--epochs does not apply to gan-2d"),
                                     (["train", "gan-2d", "--steps", "0"], "--steps must be at least 1")] {
            let run = try LumenRun(arguments, in: folder)
            XCTAssertNotEqual(run.status, 0)
            XCTAssertTrue(run.stderr.contains(message), run.stderr)
        }
    }
}
