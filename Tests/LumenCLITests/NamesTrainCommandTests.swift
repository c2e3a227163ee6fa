// NamesTrainCommandTests.swift — `lumen train`'s options for the character models: the recipes
// are listed, and --temperature is checked (only for names-lstm and names-gpt, only > 0)
// before anything is trained or written. (Their training, report and samples are tested in
// Tests/TrainingTests/NamesRecipeTests.swift: a full run is too slow for a debug build.)

import Foundation
import XCTest

final class NamesTrainCommandTests: XCTestCase {
    func testTheHelpListsTheCharacterModels() throws {
        let run = try LumenRun(["train", "--help"], in: try temporaryFolder())
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("names-lstm") && run.stdout.contains("names-gpt"), run.stdout)
        XCTAssertTrue(run.stdout.contains("--temperature <t>"), run.stdout)
    }

    func testTemperatureIsCheckedBeforeTraining() throws {
        let folder = try temporaryFolder()
        let cases: [([String], String)] = [
            (["train", "moons", "--temperature", "0.8"],
             "--temperature 0.8 is not allowed: --temperature must be left out: it applies only to names-lstm and names-gpt"),
            (["train", "names-gpt", "--temperature", "0"],
             "--temperature 0.0 is not allowed: --temperature must be a number greater than 0"),
            (["train", "names-lstm", "--temperature=-1"], "--temperature -1.0 is not allowed"),
            (["train", "names-lstm", "--temperature", "inf"], "--temperature inf is not allowed"),
            (["train", "scalar-moons", "--temperature", "1"], "--temperature does not apply to scalar-moons"),
        ]
        for (arguments, message) in cases {
            let run = try LumenRun(arguments, in: folder)
            XCTAssertNotEqual(run.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(message), "\(arguments.joined(separator: " ")): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("Fatal error"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lumen-out").path))
        }
    }
}
