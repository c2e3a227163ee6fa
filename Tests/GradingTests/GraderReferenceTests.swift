// GraderReferenceTests.swift — every grader passes on the reference solution, in-process.
//
// The reference solutions (Exercises/Solutions) are compiled into this package as the module
// ExerciseSolutions. The learner's stubs (Exercises/Sources/Exercises) are not: a learner's
// half-written edit must never break Lumen's own build. GradeCommandTests.swift proves that
// every untouched stub is reported as not started, by building a copy of the Exercises package.
//
// Read next: GraderMistakeTests.swift (deliberately wrong solutions must fail).

import ExerciseGraders
import ExerciseSolutions
import Foundation
import Testing

/// Exercises/ at the root of this checkout, found from this file's path.
let exercisesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Exercises")

@Suite struct GraderReferenceTests {
    @Test("the catalogue has 20–30 tasks with unique ids in three tiers, each with hints", .tags())
    func catalogue() {
        let ids = ExerciseTask.all.map(\.id)
        #expect((20...30).contains(ids.count))
        #expect(Set(ids).count == ids.count)
        #expect(Set(ExerciseTask.all.map(\.tier)) == Set(Tier.allCases))
        for task in ExerciseTask.all {
            #expect(task.hints.count >= 2, "task \(task.id) needs a nudge and a stronger hint")
            #expect(task.points > 0)
        }
    }

    @Test("Exercises/README.md maps each task to its file, test suite and lesson as the catalogue does")
    func readmeMatchesTheCatalogue() throws {
        let readme = try String(contentsOf: exercisesFolder.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").map(String.init).filter { $0.hasPrefix("| ") }
        for task in ExerciseTask.all {
            let row = rows.first { $0.hasPrefix("| \(task.id) | ") }
            let expectedStart = "| \(task.id) | \(task.title) | \(task.points) | `Sources/Exercises/\(task.file)` | `\(task.suiteName)"
            #expect(row?.hasPrefix(expectedStart) == true, "README row for \(task.id): \(row ?? "missing")")
            #expect(row?.hasSuffix("| \(task.lesson) |") == true, "README row for \(task.id) names another lesson")
        }
    }

    @Test("the reference solution passes", arguments: ExerciseTask.all.map(\.id))
    func referencePasses(id: String) {
        let report = Grader.grade(id, ExerciseSolutions.learnerSolution())
        #expect(report.outcome == .passed, "\(report.explanation)")
    }

    @Test("the same seed draws the same inputs; a different seed different ones")
    func seedsReplay() {
        // A solution that records what it was asked.
        final class Log: @unchecked Sendable { var inputs: [[Double]] = [] }
        func run(seed: UInt64) -> [[Double]] {
            let log = Log()
            var solution = ExerciseSolutions.learnerSolution()
            solution.logSumExp = { x in log.inputs.append(x); return try ExerciseSolutions.logSumExp(x) }
            _ = Grader.grade("2.7", solution, seed: seed)
            return log.inputs
        }
        #expect(run(seed: 7) == run(seed: 7))
        #expect(run(seed: 7) != run(seed: 8))
    }
}
