// ScheduleOptionsCommandTests.swift — `lumen train --schedule/--warmup/--clip-norm` on the built
// binary: a run that uses all three says so, and bad values or a clash with --resume are typed
// errors. (The schedules' numbers are tested in Tests/TrainingTests/ScheduleOptionTests.swift.)

import Foundation
import XCTest

final class ScheduleOptionsCommandTests: XCTestCase {
    func testAScheduledRunSaysWhatItUses() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--epochs", "2", "--schedule", "cosine", "--warmup", "3",
                                "--clip-norm", "1", "-o", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("\nschedule cosine · warm-up 3 batches · clip-norm 1.0\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("done: 2 epochs"), run.stdout)
        let resumed = try LumenRun(["train", "moons", "--epochs", "3", "--resume", "out/model.safetensors",
                                    "--schedule", "step"], in: folder)
        XCTAssertNotEqual(resumed.status, 0)
        XCTAssertTrue(resumed.stderr.contains("--schedule (given) is not allowed: --schedule must be left out with --resume"),
                      resumed.stderr)
    }

    func testBadValuesAreTypedErrors() throws {
        let folder = try temporaryFolder()
        let cases: [([String], String)] = [
            (["train", "moons", "--schedule", "linear"], "--schedule linear is not allowed: --schedule must be one of constant, step, cosine"),
            (["train", "moons", "--warmup=-2"], "--warmup -2 is not allowed: --warmup must be at least 0"),
            (["train", "moons", "--clip-norm", "0"], "--clip-norm 0.0 is not allowed: --clip-norm must be a number greater than 0"),
            (["train", "moons", "--clip-norm", "nan"], "--clip-norm nan is not allowed"),
            (["train", "scalar-moons", "--warmup", "2"], "--warmup does not apply to scalar-moons"),
        ]
        for (arguments, message) in cases {
            let run = try LumenRun(arguments, in: folder)
            XCTAssertNotEqual(run.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(message), "\(arguments.joined(separator: " ")): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("Fatal error"), run.stderr)
        }
    }
}
