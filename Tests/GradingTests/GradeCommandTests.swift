// GradeCommandTests.swift — the real `lumen grade`, end to end, on fresh copies of the learner's
// folder: the scoreboard, the exit status, the progress file, and the things a learner's code
// must not be able to change.
//
// Each test builds its own scratch runner (LUMEN_CACHE points into its temporary folder):
//   gradeEndToEnd  the untouched stubs (all not started, exit 1); forbidden imports and a
//                  compile error (exit 2, quoted once with a caret); the reference solutions
//                  (all pass, exit 0, recorded); one task; a LUMEN_SEED replay (not recorded).
//   forgeryAndIsolation  a learner folder that tries every forgery the issue lists and
//                  every way to take a task down with it (see `adversarialFolder`), then
//                  Ctrl-C in the middle of a hanging task, then a `lumen grade` killed outright.
// Cost: two cold builds of the small scratch package (about 45 s each on 2 cores), a few
// incremental ones, and about 130 task runs.
//
// Read next: GradeIsolationFixtures.swift.

import ExerciseGraders
import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The Lumen checkout this test file belongs to.
let lumenCheckout = exercisesFolder.deletingLastPathComponent()

func task(_ id: String) -> ExerciseTask { ExerciseTask.named(id)! }

/// A fresh temporary folder for one test.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-grading-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

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

/// Makes `<folder>/Exercises`: a learner's folder as a fresh checkout has it (the manifest, the
/// tests, and the stubs derived from Lumen's reference solutions).
func makeExercisesCopy(in folder: URL) throws -> URL {
    let manager = FileManager.default
    let copy = folder.appendingPathComponent("Exercises")
    let sources = copy.appendingPathComponent("Sources/Exercises")
    try manager.createDirectory(at: sources, withIntermediateDirectories: true)
    try manager.copyItem(at: exercisesFolder.appendingPathComponent("Tests"), to: copy.appendingPathComponent("Tests"))
    try manager.copyItem(at: exercisesFolder.appendingPathComponent("Package.swift"), to: copy.appendingPathComponent("Package.swift"))
    for file in try manager.contentsOfDirectory(atPath: solutionsFolder.path) where file.hasSuffix(".swift") {
        let solution = try String(contentsOf: solutionsFolder.appendingPathComponent(file), encoding: .utf8)
        try stubText(fromSolution: solution).write(to: sources.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    return copy
}

/// Copies the reference solution of `file` over the learner's copy.
func solve(_ file: String, in copy: URL) throws {
    let target = copy.appendingPathComponent("Sources/Exercises/\(file)")
    try? FileManager.default.removeItem(at: target)
    try FileManager.default.copyItem(at: solutionsFolder.appendingPathComponent(file), to: target)
}

/// Runs the built `lumen` with `arguments` (stdout and stderr together), its scratch builds in
/// `cache`, stopping it after `timeout` seconds.
func lumen(_ arguments: [String], cache: URL, environment: [String: String] = [:], timeout: Double) throws -> ChildResult {
    var environment = environment
    environment["LUMEN_CACHE"] = cache.path
    let result = try ChildProcess.run([try builtLumen()] + arguments, in: lumenCheckout, timeout: timeout, environment: environment)
    try #require(result.ending != .timedOut, "lumen \(arguments.joined(separator: " ")) ran past \(Int(timeout)) s")
    return result
}

/// How many times `needle` occurs in `text`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

@Suite struct GradeCommandTests {
    @Test("lumen grade: stubs not started (exit 1); forbidden imports and compile errors stop it (exit 2); the reference solutions pass (exit 0) and are recorded; a replay is not")
    func gradeEndToEnd() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = try makeExercisesCopy(in: folder)
        let cache = folder.appendingPathComponent("cache")
        let sources = copy.appendingPathComponent("Sources/Exercises")
        let grade = ["grade", "--exercises", copy.path, "--timeout", "120"]
        let tasks = ExerciseTask.all
        let total = tasks.map(\.points).reduce(0, +)

        // 1. Untouched stubs: every grader reports its task as not started.
        let stubs = try lumen(grade, cache: cache, timeout: 1800)
        #expect(stubs.ending == .exited(1), "\(stubs.output)")
        for task in tasks {
            #expect(stubs.output.contains("  · \(task.id)  \(task.title)"), "task \(task.id) is not listed as not started")
            #expect(stubs.output.contains("not started (TODO(Task \(task.id)) in \(task.file))"))
        }
        #expect(stubs.output.contains("Total: 0/\(total) points, 0 of \(tasks.count) tasks passed."))
        #expect(stubs.output.contains("Building your code"), "no progress shown")
        #expect(stubs.output.contains("[\(tasks.count)/\(tasks.count)]"), "no per-task progress shown")
        // No solution before the task has passed.
        let locked = try lumen(["solution", "1.1", "--exercises", copy.path], cache: cache, timeout: 60)
        #expect(locked.ending == .exited(1) && locked.output.contains("has not passed yet"), "\(locked.output)")
        #expect(!locked.output.contains("public func"))

        // 2. Imports outside ExerciseKit and Foundation, and testable imports, are refused by name.
        let scalars = sources.appendingPathComponent("Scalars.swift")
        let pristine = try String(contentsOf: scalars, encoding: .utf8)
        for line in ["import Tensors", "@testable import ExerciseKit", "import struct ExerciseGraders.Grader", "import Engine"] {
            try (line + "\n" + pristine).write(to: scalars, atomically: true, encoding: .utf8)
            let refused = try lumen(grade + ["1.1"], cache: cache, timeout: 600)
            #expect(refused.ending == .exited(2), "\(line): \(refused.output)")
            #expect(refused.output.contains("Sources/Exercises/Scalars.swift:1: `\(line)` is not allowed"), "\(refused.output)")
            #expect(refused.output.contains("may import only ExerciseKit and Foundation"))
        }

        // 3. A learner's edit that does not compile: nothing is graded; the error is quoted once,
        // in the learner's own file, with its source line and a caret.
        try (pristine + "\nlet halfWritten: Int = \"not a number\"\n").write(to: scalars, atomically: true, encoding: .utf8)
        let broken = try lumen(grade + ["1.1"], cache: cache, timeout: 900)
        #expect(broken.ending == .exited(2), "\(broken.output)")
        #expect(broken.output.contains("The exercises do not compile"))
        #expect(occurrences(of: "\(scalars.path):", in: broken.output) == 1, "\(broken.output)")
        #expect(broken.output.contains("let halfWritten: Int = \"not a number\""), "the source line is not quoted")
        #expect(broken.output.contains("`- error:"), "no caret under the error")
        #expect(!broken.output.contains("Total:"))

        // 4. The reference solutions: every task passes, and the progress file says so.
        for file in try FileManager.default.contentsOfDirectory(atPath: solutionsFolder.path) where file.hasSuffix(".swift") {
            try solve(file, in: copy)
        }
        let solved = try lumen(grade, cache: cache, timeout: 900)
        #expect(solved.ending == .exited(0), "\(solved.output)")
        for task in tasks {
            #expect(solved.output.contains("  ✓ \(task.id)  \(task.title)"), "task \(task.id) did not pass")
        }
        #expect(solved.output.contains("Total: \(total)/\(total) points, \(tasks.count) of \(tasks.count) tasks passed."))
        #expect(Progress.load(from: copy).passed == Set(tasks.map(\.id)))

        // After a pass, `lumen solution` shows Lumen's version; `lumen reset` puts the stub back.
        let shown = try lumen(["solution", "2.7", "--exercises", copy.path], cache: cache, timeout: 60)
        #expect(shown.ending == .exited(0) && shown.output.contains("public func logSumExp("), "\(shown.output)")
        let reset = try lumen(["reset", "2.8", "--exercises", copy.path], cache: cache, timeout: 60)
        #expect(reset.ending == .exited(0), "\(reset.output)")
        #expect(try String(contentsOf: sources.appendingPathComponent("Tensors.swift"), encoding: .utf8).contains("throw Unimplemented(\"Task 2.8\")"))
        #expect(!Progress.load(from: copy).passed.contains("2.8"))
        try solve("Tensors.swift", in: copy)

        // 5. One task by id: only that task is graded and listed.
        let one = try lumen(grade + ["2.3"], cache: cache, timeout: 900)
        #expect(one.ending == .exited(0), "\(one.output)")
        #expect(tasks.filter { one.output.contains(" \($0.id)  \($0.title)") }.map(\.id) == ["2.3"])

        // 6. A fixed seed is a replay: shown as one, and never recorded.
        try FileManager.default.removeItem(at: copy.appendingPathComponent(Progress.fileName))
        let replay = try lumen(grade + ["2.3"], cache: cache, environment: ["LUMEN_SEED": "4242"], timeout: 900)
        #expect(replay.output.contains("Replaying seed 4242"), "\(replay.output)")
        #expect(replay.output.contains("not recorded"))
        #expect(Progress.load(from: copy).passed.isEmpty)

        // 7. `lumen watch` starts while the code does not compile, shows the error, and quits on q.
        try (pristine + "\nlet halfWritten: Int = \"not a number\"\n").write(to: scalars, atomically: true, encoding: .utf8)
        let watch = try ChildProcess.run(["/bin/sh", "-c", "(sleep 45; printf q) | \"$0\" watch --exercises \"$1\"", try builtLumen(), copy.path],
                                         in: lumenCheckout, timeout: 300, environment: ["LUMEN_CACHE": cache.path])
        #expect(watch.ending == .exited(0), "\(watch.output)")
        #expect(watch.output.contains("do not compile") && watch.output.contains("\u{1B}[2J"), "\(watch.output)")
        #expect(watch.output.contains("Keys: h hint"))

        // 8. The keys, in order (each is read once the screen before it is done): h a hint, l the
        // list, n the next task (1.2, whose body here is wrong), r reset it to its stub, q quit.
        let wrongPow = pristine.replacingOccurrences(of: "throw Unimplemented(\"Task 1.2\")", with: "return 0")
        try #require(wrongPow != pristine)
        try wrongPow.write(to: scalars, atomically: true, encoding: .utf8)
        let keys = try ChildProcess.run(["/bin/sh", "-c", "printf hlnrq | \"$0\" watch 1.1 --exercises \"$1\"", try builtLumen(), copy.path],
                                        in: lumenCheckout, timeout: 300, environment: ["LUMEN_CACHE": cache.path])
        #expect(keys.ending == .exited(0), "\(keys.output)")
        let screens = keys.output.components(separatedBy: "\u{1B}[2J")
        #expect(screens.contains { $0.contains("Task 1.1: backward of multiplication") && $0.contains("Hint 1 of \(task("1.1").hints.count): \(task("1.1").hints[0])") },
                "h showed no hint: \(keys.output)")
        #expect(screens.contains { $0.contains("1.1  backward of multiplication   ← current") && $0.contains("· 3.8  ") }, "l showed no list")
        let onPow = screens.filter { $0.contains("Task 1.2: backward of pow") }
        #expect(onPow.contains { $0.contains("✗ 1.2") && $0.contains("powBackward is wrong") }, "n did not move to 1.2 and grade it: \(keys.output)")
        #expect(onPow.last?.contains("not started (TODO(Task 1.2)") == true, "r did not put 1.2's stub back: \(onPow.last ?? "")")
        let afterReset = try String(contentsOf: scalars, encoding: .utf8)
        #expect(afterReset.contains("throw Unimplemented(\"Task 1.2\")") && afterReset == pristine, "r left Scalars.swift other than its stub")
    }

    @Test("--timeout refuses NaN, 0 and negative values, and --memory too little, with a clear message", arguments: [
        "--timeout=nan", "--timeout=0", "--timeout=-5", "--timeout=inf", "--memory=1",
    ])
    func badLimitsAreRefused(option: String) throws {
        let result = try lumen(["grade", "1.1", "--exercises", exercisesFolder.path, option],
                               cache: FileManager.default.temporaryDirectory, timeout: 60)
        #expect(result.ending == .exited(2), "\(result.output)")
        #expect(result.output.contains(option.prefix { $0 != "=" } + " must be"), "\(result.output)")
        #expect(!result.output.contains("Building"))
    }

    @Test("Lumen's own package compiles the reference solutions from outside the learner's folder, and never the learner's files")
    func solutionsLiveOutsideTheLearnersFolder() throws {
        let manifest = try String(contentsOf: lumenCheckout.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(!manifest.contains("Exercises/Solutions"))
        #expect(!manifest.contains("path: \"Exercises/Sources"))
        #expect(!FileManager.default.fileExists(atPath: exercisesFolder.appendingPathComponent("Solutions").path))
        // The learner's package depends on ExerciseKit alone.
        let learnerManifest = try String(contentsOf: exercisesFolder.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(learnerManifest.contains("dependencies: [.product(name: \"ExerciseKit\", package: lumen)]"))
    }
}
