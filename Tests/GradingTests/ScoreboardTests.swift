// ScoreboardTests.swift — the scoreboard's table, the progress file, hints, finding the
// Exercises folder, and the typed errors for bad input.
//
// Read next: Sources/Grading/Scoreboard.swift.

import ExerciseGraders
import Foundation
import Grading
import Testing

@Suite struct ScoreboardTests {
    @Test("each task's mark and points, tier totals, the total, failure messages and the next task")
    func table() {
        let results = [
            TaskResult(task: task("1.1"), status: .passed, seed: 1),
            TaskResult(task: task("1.2"), status: .failed("powBackward is wrong\nsecond line"), seed: 77),
            TaskResult(task: task("1.3"), status: .notStarted),
            TaskResult(task: task("2.1"), status: .passed),
            TaskResult(task: task("2.2"), status: .timedOut(120)),
            TaskResult(task: task("3.6"), status: .crashed("your code crashed (SIGILL)")),
        ]
        let text = Scoreboard.render(results)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Points by hand from the catalogue: 1.1 is worth 2, 1.2 2, 1.3 2; 2.1 1, 2.2 2; 3.6 2.
        #expect(lines.contains { $0.hasPrefix("  ✓ 1.1") && $0.hasSuffix(" 2/2") })
        #expect(lines.contains { $0.hasPrefix("  ✗ 1.2") && $0.hasSuffix(" 0/2") })
        #expect(lines.contains { $0.hasPrefix("  · 1.3") && $0.hasSuffix(" 0/2") })
        #expect(lines.contains("      failed: powBackward is wrong"))
        #expect(lines.contains("      second line (seed 77)"))
        #expect(lines.contains("  Scalars: 2/6 points"))
        #expect(lines.contains("  Tensors: 1/3 points"))
        #expect(lines.contains("  Training: 0/2 points"))
        #expect(lines.contains { $0.contains("stopped after 120 s") })
        #expect(lines.contains("      crashed: your code crashed (SIGILL)"))
        #expect(lines.contains("Total: 3/11 points, 2 of 6 tasks passed."))
        #expect(lines.last!.hasPrefix("Next: Task 1.2"))
    }

    @Test("the progress file round-trips, skips lines it cannot read, and is plain text")
    func progressFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Progress.load(from: folder) == Progress())
        var progress = Progress()
        progress.hintsShown["1.3"] = 2
        progress.passed = ["1.1", "2.4"]
        try progress.save(to: folder)
        let text = try String(contentsOf: folder.appendingPathComponent(".lumen-progress"), encoding: .utf8)
        #expect(text.contains("\n1.3 hints=2 passed=no\n"))
        #expect(text.contains("\n1.1 hints=0 passed=yes\n"))
        #expect(Progress.load(from: folder) == progress)
        try (text + "garbage line\n9.9 hints=3\n1.5 hints=x passed=yes\n").write(
            to: folder.appendingPathComponent(".lumen-progress"), atomically: true, encoding: .utf8)
        var expected = progress
        expected.passed.insert("1.5")
        #expect(Progress.load(from: folder) == expected)
    }

    @Test("hints get stronger one at a time and stop at the last")
    func progressiveHints() {
        var progress = Progress()
        let tanh = task("1.3")
        let shown = (0..<tanh.hints.count + 2).map { _ in progress.nextHint(for: tanh) }
        #expect(shown.map(\.number) == Array(1...tanh.hints.count) + [tanh.hints.count, tanh.hints.count])
        #expect(shown.map(\.text) == tanh.hints + [tanh.hints.last!, tanh.hints.last!])
        #expect(progress.hintsShown == ["1.3": tanh.hints.count])
    }

    @Test("task ids: 1.3, Task 1.3 and 1_3 name the same task; unknown ids are a typed error")
    func taskSelection() throws {
        #expect(try ExerciseTask.selected(by: "1.3") == [task("1.3")])
        #expect(try ExerciseTask.selected(by: "Task 1.3") == [task("1.3")])
        #expect(try ExerciseTask.selected(by: "1_3") == [task("1.3")])
        #expect(try ExerciseTask.selected(by: nil) == ExerciseTask.all)
        #expect(throws: GradingError.unknownTask("9.1")) { try ExerciseTask.selected(by: "9.1") }
        #expect(GradingError.unknownTask("9.1").description.contains("lumen grade"))
    }

    @Test("the Exercises folder is found from the checkout and from inside it; elsewhere it is a typed error")
    func locatingExercises() throws {
        let root = exercisesFolder.deletingLastPathComponent()
        #expect(try ExercisesFolder.locate(from: root).standardizedFileURL == exercisesFolder.standardizedFileURL)
        #expect(try ExercisesFolder.locate(from: exercisesFolder.appendingPathComponent("Sources/Exercises")).path
                == exercisesFolder.standardizedFileURL.path)
        let elsewhere = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        #expect(throws: GradingError.exercisesNotFound(searchedFrom: elsewhere.standardizedFileURL.path)) {
            try ExercisesFolder.locate(from: elsewhere.standardizedFileURL)
        }
        #expect(throws: GradingError.exercisesNotFound(searchedFrom: elsewhere.standardizedFileURL.path)) {
            try ExercisesFolder.locate(explicit: elsewhere.path)
        }
    }

    @Test("watch mode sees a saved file: its modification date changes")
    func watchSeesSaves() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sources = folder.appendingPathComponent("Sources/Exercises")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        let file = sources.appendingPathComponent("Scalars.swift")
        try "a".write(to: file, atomically: true, encoding: .utf8)
        let before = ExercisesFolder.sourceDates(folder)
        #expect(before.keys.sorted() == ["Scalars.swift"])
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: file.path)
        #expect(ExercisesFolder.sourceDates(folder) != before)
    }
}
