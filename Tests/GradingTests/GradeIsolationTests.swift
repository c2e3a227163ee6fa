// GradeIsolationTests.swift — a learner's code cannot forge a verdict or take other tasks down.
//
// One learner folder tries everything at once (`adversarialFolder`): pass lines printed from
// the hookup and from a task, an edited test file, a write to the progress file, LUMEN_SEED
// set from the code, exit() in the middle of a task, an endless loop, a trap and a runaway
// allocation, beside correct tasks. `lumen grade` must give exactly the verdicts that the
// returned values earn, record exactly those, and finish. Then Ctrl-C in the middle of a
// hanging task must leave no process behind, and after a `lumen grade` killed outright the
// next one must not wait on what it left.
//
// Read next: GraderSweepTests.swift.

import ExerciseGraders
import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Replaces the body of `public func <name>(` in a Swift source text with `body`.
func replacingBody(of name: String, in text: String, with body: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(where: { $0.hasPrefix("public func \(name)(") }),
          let end = lines[start...].firstIndex(where: { $0.hasPrefix("}") }) else { return text }
    lines.replaceSubrange(start + 1..<end, with: body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    return lines.joined(separator: "\n")
}

/// The reference solution of tiers 1 and 2 with these tasks broken on purpose:
///   1.4 loops forever, 1.6 traps (index out of range), 2.1 allocates without end,
///   2.2 prints pass lines and returns a wrong answer (its index() also calls 2.1), 2.3 writes the progress file,
///   2.4 sets LUMEN_SEED and returns a wrong answer of the right size (drawn), 2.5 calls exit(0);
/// the hookup prints a pass line for every task; the test file prints pass lines too.
func adversarialFolder(in folder: URL) throws -> URL {
    let copy = try makeExercisesCopy(in: folder)
    let sources = copy.appendingPathComponent("Sources/Exercises")
    try solve("Scalars.swift", in: copy)
    try solve("Tensors.swift", in: copy)
    let progressPath = copy.appendingPathComponent(Progress.fileName).path
    let allPassed = ExerciseTask.all.map { "\($0.id) hints=0 passed=yes" }.joined(separator: "\\n")
    let forgedLines = ExerciseTask.all.map { "lumen-grade: \($0.id) passed seed=1 :: " }.joined(separator: "\\n")

    let scalarsURL = sources.appendingPathComponent("Scalars.swift")
    var scalars = try String(contentsOf: scalarsURL, encoding: .utf8)
    scalars = replacingBody(of: "expBackward", in: scalars, with: "    var x = output\n    while x.isFinite { x = x.nextUp.nextDown }\n    return x * upstream")
    scalars = replacingBody(of: "backward", in: scalars, with: "    let empty: [Double] = []\n    root.grad = empty[Int(root.data.magnitude) + 1]")
    try scalars.write(to: scalarsURL, atomically: true, encoding: .utf8)

    let tensorsURL = sources.appendingPathComponent("Tensors.swift")
    var tensors = try String(contentsOf: tensorsURL, encoding: .utf8)
    tensors = replacingBody(of: "contiguousStrides", in: tensors, with: """
            var hoard: [[Double]] = []
            while hoard.count >= 0 { hoard.append(Array(repeating: Double(hoard.count), count: 1 << 20)) }
            return []
        """)
    tensors = replacingBody(of: "position", in: tensors, with: "    print(\"\(forgedLines)\")\n    return 0")
    tensors = replacingBody(of: "broadcastShape", in: tensors, with: """
            try "\(allPassed)\\n".write(toFile: "\(progressPath)", atomically: false, encoding: .utf8)
            return a
        """)
    tensors = replacingBody(of: "sumToShape", in: tensors, with: "    setenv(\"LUMEN_SEED\", \"1\", 1)\n    return Array(repeating: 1, count: small.reduce(1, *))")
    tensors = replacingBody(of: "reductionBackward", in: tensors, with: "    print(\"\(forgedLines)\")\n    exit(0)")
    try tensors.write(to: tensorsURL, atomically: true, encoding: .utf8)

    let hookupURL = sources.appendingPathComponent("Hookup.swift")
    let hookup = try String(contentsOf: hookupURL, encoding: .utf8).replacingOccurrences(
        of: "public func learnerSolution() -> ExerciseSolution<Scalar> {\n",
        with: "public func learnerSolution() -> ExerciseSolution<Scalar> {\n    print(\"\(forgedLines)\")\n    return ")
    try hookup.write(to: hookupURL, atomically: true, encoding: .utf8)

    let gradeURL = copy.appendingPathComponent("Tests/ExercisesTests/Grade.swift")
    try """
        import Exercises
        func gradeTask(_ id: String) { print("lumen-grade: \\(id) passed seed=1 :: ") }
        """.write(to: gradeURL, atomically: true, encoding: .utf8)
    return copy
}

/// Processes whose executable is `path`.
func processes(running path: String) -> [pid_t] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
        guard let pid = pid_t(entry),
              let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe"),
              exe == path || exe == path + " (deleted)" else { return nil }
        return pid
    }
}

/// Waits up to `seconds` for `condition`.
func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let until = Date().addingTimeInterval(seconds)
    while Date() < until {
        if condition() { return true }
        usleep(100_000)
    }
    return condition()
}

/// Starts the built `lumen` in the background (posix_spawn, so that nothing else reaps it).
func startLumen(_ arguments: [String], cache: URL) throws -> pid_t {
    let argv = [try builtLumen()] + arguments
    let environment = ProcessInfo.processInfo.environment.merging(["LUMEN_CACHE": cache.path]) { $1 }.map { "\($0)=\($1)" }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = environment.map { strdup($0) } + [nil]
    defer { (cArgv + cEnv).forEach { free($0) } }
    let status = posix_spawn(&pid, argv[0], &actions, nil, cArgv, cEnv)
    try #require(status == 0, "could not start lumen: \(status)")
    return pid
}

/// Waits up to `seconds` for `pid` to end, reaping it; false if it is still running.
func waitForExit(_ pid: pid_t, _ seconds: Double) -> Bool {
    eventually(seconds) {
        var status: Int32 = 0
        let done = waitpid(pid, &status, WNOHANG)
        return done == pid || (done < 0 && errno == ECHILD)
    }
}

@Suite struct GradeIsolationTests {
    @Test("forged pass lines, edited tests, file writes, LUMEN_SEED and exit() change nothing; a hang, a trap and a runaway allocation fail only their task; Ctrl-C and a killed lumen leave nothing behind")
    func forgeryAndIsolation() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = try adversarialFolder(in: folder)
        let cache = folder.appendingPathComponent("cache")
        let result = try lumen(["grade", "--exercises", copy.path, "--timeout", "8", "--memory", "512"], cache: cache, timeout: 1800)
        let output = result.output
        #expect(result.ending == .exited(1), "\(output)")

        let honest = ["1.1", "1.2", "1.3", "1.5", "1.7", "1.8", "2.6", "2.7", "2.8"]
        for id in honest {
            #expect(output.contains("  ✓ \(task(id).id)  \(task(id).title)"), "task \(id) should pass:\n\(output)")
        }
        #expect(Progress.load(from: copy).passed == Set(honest), "the progress file records exactly the earned passes")
        let allPoints = ExerciseTask.all.map(\.points).reduce(0, +)
        #expect(output.contains("Total: \(honest.map { task($0).points }.reduce(0, +))/\(allPoints) points, \(honest.count) of \(ExerciseTask.all.count) tasks passed."),
                "\(output)")

        func note(_ id: String) -> String {
            // The lines under the task's row, up to the next task.
            guard let row = output.range(of: "  ✗ \(id)  ") else { return "" }
            return String(output[row.upperBound...].prefix(700))
        }
        #expect(note("1.4").contains("stopped after 8 s"), "1.4: \(note("1.4"))")
        #expect(note("1.6").contains("Fatal error: Index out of range"), "1.6: \(note("1.6"))")
        #expect(note("1.6").contains("Sources/Exercises/Scalars.swift:"), "the crash names the learner's file and line: \(note("1.6"))")
        #expect(note("2.1").contains("ran out of memory") && note("2.1").contains("512 MB"), "2.1: \(note("2.1"))")
        // 2.2 prints pass lines, returns a wrong position, and its index() calls 2.1's hog: not passed either way.
        #expect(output.contains("  ✗ 2.2  "), "2.2: \(note("2.2"))")
        #expect(note("2.3").contains("write to a file"), "2.3: \(note("2.3"))")
        #expect(note("2.4").contains("failed:"), "2.4: \(note("2.4"))")
        // The wrong tensor is drawn by the real `lumen grade`: its message names an SVG that
        // exists and names the message's first wrong cell.
        let wrongTensor = String(output[(output.range(of: "  ✗ 2.4  ")?.upperBound ?? output.endIndex)...].prefix(4000))
        let svgPath = wrongTensor.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("/") && $0.hasSuffix(".svg") }
        let svg = svgPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        #expect(svg?.lowercased().contains("#c92a2a") == true, "2.4 draws no picture: \(wrongTensor)")
        if let svg, let range = wrongTensor.range(of: #"is wrong at (\([^)]*\)|element \d+) for"#, options: .regularExpression) {
            let cell = String(wrongTensor[range].dropFirst("is wrong at ".count).dropLast(" for".count))
            #expect(svg.contains(cell), "the picture does not name \(cell)")
        }
        if let svgPath { try? FileManager.default.removeItem(atPath: svgPath) }
        #expect(note("2.5").contains("exit"), "2.5: \(note("2.5"))")

        // Ctrl-C in the middle of a hanging task: lumen ends, and so does every child it started.
        let scratch = try #require(try FileManager.default.contentsOfDirectory(atPath: cache.path).first { $0.hasPrefix("grade-") })
        let runner = cache.appendingPathComponent(scratch).appendingPathComponent("bin/ExerciseRunner").resolvingSymlinksInPath().path
        #expect(processes(running: runner).isEmpty, "a runner outlived lumen grade")
        let interrupted = try startLumen(["grade", "1.4", "--exercises", copy.path, "--timeout", "300"], cache: cache)
        try #require(eventually(120) { !processes(running: runner).isEmpty }, "the hanging task never started")
        kill(interrupted, SIGINT)
        #expect(waitForExit(interrupted, 20), "lumen grade did not end on Ctrl-C")
        #expect(eventually(5) { processes(running: runner).isEmpty }, "Ctrl-C left a runner behind")

        // A lumen grade killed outright leaves its child; the next one does not wait on it.
        let killed = try startLumen(["grade", "1.4", "--exercises", copy.path, "--timeout", "300"], cache: cache)
        try #require(eventually(120) { !processes(running: runner).isEmpty }, "the hanging task never started")
        kill(killed, SIGKILL)
        #expect(waitForExit(killed, 20))
        let started = Date()
        let next = try lumen(["grade", "1.1", "--exercises", copy.path, "--timeout", "30"], cache: cache, timeout: 300)
        #expect(next.ending == .exited(0), "\(next.output)")
        #expect(Date().timeIntervalSince(started) < 120)
        #expect(eventually(5) { processes(running: runner).isEmpty }, "the leftover runner is still running")
    }
}
