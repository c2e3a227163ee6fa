// TrainCommandTests.swift — `lumen train moons` end to end, and its bad inputs.

import Foundation
import XCTest

final class TrainCommandTests: XCTestCase {
    func testMoonsPrintsEveryStepAndWritesTheSixPictures() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--steps", "3", "--output", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let stepLines = run.stdout.split(separator: "\n").filter { $0.hasPrefix("step ") }
        XCTAssertEqual(stepLines.count, 3, run.stdout)
        XCTAssertTrue(stepLines[0].hasPrefix("step 1/3  loss "), String(stepLines[0]))
        for name in ["loss", "accuracy", "decision-boundary"] {
            let png = try Data(contentsOf: folder.appendingPathComponent("out/\(name).png"))
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], name)
            let svg = try String(contentsOf: folder.appendingPathComponent("out/\(name).svg"), encoding: .utf8)
            XCTAssertTrue(svg.contains("<svg"), name)
        }
    }

    func testBadRecipeAndStepsAreRejected() throws {
        for (arguments, message) in [(["train", "sprials"], "unknown recipe 'sprials'"),
                                     (["train", "moons", "--steps", "0"], "--steps must be at least 1")] {
            let run = try LumenRun(arguments, in: try temporaryFolder())
            XCTAssertNotEqual(run.status, 0)
            XCTAssertTrue(run.stderr.contains(message), run.stderr)
        }
    }
}
