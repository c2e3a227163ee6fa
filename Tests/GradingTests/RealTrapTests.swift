// RealTrapTests.swift — crash and hang isolation with real Swift code: the runner starts this
// very test binary as its child, asking it (through an environment variable) to run a test
// that traps on an index out of range, or one that never ends.
//
// The two child tests below do nothing in a normal run: they are enabled only inside that
// child. The runner must report the trap as a crash quoting Swift's "Fatal error", stop the
// loop at its time limit, and still grade the task between them.
//
// Read next: ScoreboardTests.swift.

import ExerciseGraders
import Foundation
import Grading
import Testing

/// What the child run of this binary should do: "trap", "hang" or "pass".
let childBehaviour = ProcessInfo.processInfo.environment["LUMEN_GRADING_CHILD"]

@Suite struct RealTrapTests {
    @Test("a real Swift trap and a real endless loop each cost only their task")
    func realTrapAndHang() throws {
        let binary = CommandLine.arguments[0]
        try #require(FileManager.default.isExecutableFile(atPath: binary), "cannot find this test binary at \(binary)")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = TaskRunner(folder: folder, timeout: 10, parallelism: 2) { task in
            let behaviour = ["1.1": "trap", "1.2": "hang"][task.id] ?? "pass"
            return ["/usr/bin/env", "LUMEN_GRADING_CHILD=\(behaviour)", binary,
                    "--testing-library", "swift-testing", "--filter", "RealTrapTests.childRun"]
        }
        let results = runner.grade(["1.1", "1.2", "1.3"].map(task))
        guard case .crashed(let why) = results[0].status else { Issue.record("1.1: \(results[0].status)"); return }
        #expect(why.contains("Fatal error: Index out of range"))
        #expect(results[1].status == .timedOut(10))
        #expect(results[2].status == .passed)
    }

    /// Runs only in the child: traps, loops, or prints a passing grade line for task 1.3.
    @Test(.enabled(if: childBehaviour != nil))
    func childRun() {
        switch childBehaviour {
        case "trap":
            let empty: [Int] = []
            print(empty[Int.random(in: 0...1)])
        case "hang":
            var x = 0.0
            while x.isFinite { x = x.nextUp.nextDown }
        default:
            print(GradeLine.text(for: GradeReport(task: task("1.3"), outcome: .passed, seed: 1)))
        }
    }
}
