// GradeCommandTests.swift — the real `lumen grade`, end to end, on a fresh copy of the
// Exercises package: the scoreboard it prints and the exit status it returns.
//
// Lumen's own package never compiles the learner's working files (Exercises/Sources), so that
// a half-written exercise cannot break `swift build` or `./lumen`. This test therefore builds
// the exercises the way a learner does, as a package of their own, in a temporary folder:
//   1. the untouched stubs, derived from Exercises/Solutions exactly as StubDerivationTests
//      checks them (so this holds even after a learner has started in this checkout):
//      every task is "not started", 0 points, exit status 1;
//   2. one stub file with a compile error: "do not compile", the file named, exit status 2;
//   3. the reference solutions copied in: every task passes, full points, exit status 0,
//      and the progress file records them; `lumen grade 2.3` grades that task alone.
// Cost: one cold debug build of the Exercises package and the Lumen targets it uses (about a
// minute on 2 idle cores), two incremental rebuilds, and 2 × 24 + 1 task runs.
//
// Read next: TaskRunnerTests.swift (crash and hang isolation).

import ExerciseGraders
import Foundation
import Grading
import Testing

/// The Lumen checkout this test file belongs to.
let lumenCheckout = exercisesFolder.deletingLastPathComponent()

/// The `lumen` executable built beside this test bundle (GradingTests depends on LumenCLI).
func builtLumen() throws -> String {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("lumen").path)
    }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("lumen").path)
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                        "no built `lumen` beside the test bundle; looked at \(candidates)")
}

/// Makes `<folder>/Exercises`: the checkout's Exercises package with its dependency pointed back
/// at this checkout, the graders' tests, and stubs derived from the reference solutions.
func makeExercisesCopy(in folder: URL) throws -> URL {
    let manager = FileManager.default
    let copy = folder.appendingPathComponent("Exercises")
    let sources = copy.appendingPathComponent("Sources/Exercises")
    try manager.createDirectory(at: sources, withIntermediateDirectories: true)
    try manager.copyItem(at: exercisesFolder.appendingPathComponent("Tests"), to: copy.appendingPathComponent("Tests"))

    let manifest = try String(contentsOf: exercisesFolder.appendingPathComponent("Package.swift"), encoding: .utf8)
    let lumenLine = "let lumenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()"
    try #require(manifest.contains(lumenLine), "Exercises/Package.swift no longer says where Lumen is in the expected line")
    let pointed = manifest.replacingOccurrences(
        of: lumenLine, with: "let lumenFolder = URL(fileURLWithPath: \"\(lumenCheckout.standardizedFileURL.path)\")")
    try pointed.write(to: copy.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
    // The same pinned dependency versions as the checkout, so nothing needs the network.
    for resolved in [exercisesFolder, lumenCheckout].map({ $0.appendingPathComponent("Package.resolved") })
    where manager.fileExists(atPath: resolved.path) {
        try manager.copyItem(at: resolved, to: copy.appendingPathComponent("Package.resolved"))
        break
    }

    for file in try manager.contentsOfDirectory(atPath: exercisesFolder.appendingPathComponent("Solutions").path)
    where file.hasSuffix(".swift") {
        let solution = try String(contentsOf: exercisesFolder.appendingPathComponent("Solutions/\(file)"), encoding: .utf8)
        try stubText(fromSolution: solution).write(to: sources.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    return copy
}

/// Runs the built `lumen` with `arguments` (stdout and stderr together), stopping it after `timeout` seconds.
func lumen(_ arguments: [String], timeout: Double) throws -> ChildResult {
    let result = try ChildProcess.run([try builtLumen()] + arguments, in: lumenCheckout, timeout: timeout)
    try #require(result.ending != .timedOut, "lumen \(arguments.joined(separator: " ")) ran past \(Int(timeout)) s")
    return result
}

@Suite struct GradeCommandTests {
    @Test("lumen grade on a fresh Exercises package: stubs not started (exit 1), a compile error (exit 2), the reference solutions full marks (exit 0)")
    func gradeEndToEnd() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = try makeExercisesCopy(in: folder)
        let sources = copy.appendingPathComponent("Sources/Exercises")
        let grade = ["grade", "--exercises", copy.path, "--timeout", "300"]
        let tasks = ExerciseTask.all
        let total = tasks.map(\.points).reduce(0, +)

        // 1. Untouched stubs: every grader reports its task as not started.
        let stubs = try lumen(grade, timeout: 1800)
        #expect(stubs.ending == .exited(1), "\(stubs.output)")
        for task in tasks {
            #expect(stubs.output.contains("  · \(task.id)  \(task.title)"), "task \(task.id) is not listed as not started")
            #expect(stubs.output.contains("not started (TODO(Task \(task.id)) in \(task.file))"))
        }
        for tier in Tier.allCases {
            let points = tasks.filter { $0.tier == tier }.map(\.points).reduce(0, +)
            #expect(stubs.output.contains("  \(tier): 0/\(points) points"))
        }
        #expect(stubs.output.contains("Total: 0/\(total) points, 0 of \(tasks.count) tasks passed."))
        #expect(stubs.output.contains("Next: Task \(tasks[0].id) (\(tasks[0].title))"))

        // 2. A learner's edit that does not compile: nothing is graded, the error names the file.
        let scalars = sources.appendingPathComponent("Scalars.swift")
        let pristine = try String(contentsOf: scalars, encoding: .utf8)
        try (pristine + "\nlet halfWritten: Int = \"not a number\"\n").write(to: scalars, atomically: true, encoding: .utf8)
        let broken = try lumen(grade + ["1.1"], timeout: 900)
        #expect(broken.ending == .exited(2), "\(broken.output)")
        #expect(broken.output.contains("The exercises do not compile"))
        #expect(broken.output.contains("Scalars.swift"))
        #expect(!broken.output.contains("Total:"))

        // 3. The reference solutions: every task passes, and the progress file says so.
        for file in try FileManager.default.contentsOfDirectory(atPath: exercisesFolder.appendingPathComponent("Solutions").path)
        where file.hasSuffix(".swift") {
            let solution = try String(contentsOf: exercisesFolder.appendingPathComponent("Solutions/\(file)"), encoding: .utf8)
            try solution.write(to: sources.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let solved = try lumen(grade, timeout: 900)
        #expect(solved.ending == .exited(0), "\(solved.output)")
        for task in tasks {
            #expect(solved.output.contains("  ✓ \(task.id)  \(task.title)"), "task \(task.id) did not pass")
        }
        #expect(solved.output.contains("Total: \(total)/\(total) points, \(tasks.count) of \(tasks.count) tasks passed."))
        #expect(!solved.output.contains("Next: Task"))
        #expect(Progress.load(from: copy).passed == Set(tasks.map(\.id)))

        // One task by id: only that task is graded and listed.
        let one = try lumen(grade + ["2.3"], timeout: 900)
        #expect(one.ending == .exited(0), "\(one.output)")
        let listed = tasks.filter { one.output.contains(" \($0.id)  \($0.title)") }.map(\.id)
        #expect(listed == ["2.3"])
        let points = try #require(ExerciseTask.named("2.3")).points
        #expect(one.output.contains("Total: \(points)/\(points) points, 1 of 1 tasks passed."))
    }

    @Test("Lumen's own package compiles the reference solutions but never the learner's working files")
    func rootPackageLeavesTheLearnersFilesAlone() throws {
        let manifest = try String(contentsOf: lumenCheckout.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains("path: \"Exercises/Solutions\""))
        #expect(!manifest.contains("path: \"Exercises/Sources"))
    }
}
