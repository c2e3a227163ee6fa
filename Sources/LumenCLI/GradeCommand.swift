// GradeCommand.swift — `lumen grade`: grade the exercises and print the scoreboard.
//
// A thin layer over the Grading library: find Exercises/, build the learner's code into a
// runner of Lumen's own (once), grade each task in this process against the values the
// learner's functions return in a child (so a crash, an endless loop or a runaway allocation
// costs only that task), print the table, record what passed.
//
// A run with LUMEN_SEED set replays the inputs of that seed: it is shown as a replay and
// never recorded. The progress file is read before any learner code runs and written after
// the last child has ended, from this run's verdicts alone.
//
// Exit status: 0 when every task graded passed, 1 when any did not, 2 when nothing could be
// graded (the exercises do not compile, a forbidden import, no Exercises folder, an unknown
// task id, a bad option).
//
// Read next: WatchCommand.swift.

import ArgumentParser
import ExerciseGraders
import Foundation
import Grading

/// The options every grading command shares.
struct GradingOptions: ParsableArguments {
    @Option(help: "The Exercises folder (found from the current folder when omitted).")
    var exercises: String?

    @Option(help: "Seconds one task may run before it is stopped (a number above 0).")
    var timeout: Double = TaskLimits().seconds

    @Option(help: "Megabytes of memory one task may use.")
    var memory: Int = TaskLimits().memoryMB

    /// The limits, checked: a timeout must be a number above 0, memory at least 64 MB.
    func limits() throws(GradingError) -> TaskLimits {
        guard timeout.isFinite, timeout > 0 else {
            throw .invalidOption("--timeout must be a number of seconds above 0 (such as 60); \(timeout) is not.")
        }
        guard memory >= 64 else {
            throw .invalidOption("--memory must be at least 64 (megabytes); \(memory) is too little for a Swift program.")
        }
        return TaskLimits(seconds: timeout, memoryMB: memory)
    }

    func runner() throws(GradingError) -> TaskRunner {
        TaskRunner(folder: try ExercisesFolder.locate(explicit: exercises), limits: try limits())
    }
}

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade the exercises: every task, or one (lumen grade 1.3). The verdict that is recorded.",
        discussion: """
            Your code is built into a runner of Lumen's own and each task runs in its own process, \
            under a time limit (--timeout) and a memory limit (--memory), on fresh random inputs. \
            Lumen compares what your functions return with its own answers, in this process. \
            LUMEN_SEED=<seed> replays the inputs of an earlier run; a replay is never recorded.
            Exit status: 0 when every task graded passed, 1 when any did not, 2 when nothing \
            could be graded (a compile error, a forbidden import, no Exercises folder, an unknown \
            task id, a bad option).
            """
    )

    @Argument(help: "A task id such as 1.3 (all tasks when omitted).")
    var task: String?

    @Flag(help: "Watch the exercises: the current task only, graded again on every save (as `lumen watch`).")
    var watch = false

    @OptionGroup var options: GradingOptions

    func run() throws {
        if watch {
            var command = WatchCommand()
            command.options = options
            try command.run()
            return
        }
        let allPassed: Bool
        do {
            let tasks = try ExerciseTask.selected(by: task)
            let runner = try options.runner()
            ProcessGroups.installInterruptHandler()
            let replay = Grader.replaySeed()
            let results = try GradeCommand.gradeAndRecord(tasks, runner: runner, replay: replay)
            print(Scoreboard.render(results))
            if let replay {
                print("This was a replay of seed \(replay) (LUMEN_SEED), so nothing was recorded. Unset LUMEN_SEED for a verdict.")
            }
            allPassed = results.allSatisfy { $0.status == .passed }
        } catch {
            printError(error)
            throw GradeCommand.couldNotGrade
        }
        if !allPassed { throw ExitCode.failure }
    }

    /// The exit status when nothing could be graded (1 means some task did not pass).
    static let couldNotGrade = ExitCode(2)

    /// Builds, grades (showing progress on stderr) and records the verdicts, unless `replay`.
    static func gradeAndRecord(_ tasks: [ExerciseTask], runner: TaskRunner, replay: UInt64?,
                               quiet: Bool = false) throws(GradingError) -> [TaskResult] {
        // Read before any of the learner's code runs; written after the last child has ended.
        var progress = Progress.load(from: runner.folder)
        let started = Date()
        if !quiet { note("Building your code (Sources/Exercises) into Lumen's runner; the first build takes 10–20 s…") }
        try runner.prepare()
        if !quiet {
            note(String(format: "Built in %.0f s. Grading %d task%@…", Date().timeIntervalSince(started), tasks.count, tasks.count == 1 ? "" : "s"))
        }
        if let replay {
            note("Replaying seed \(replay) (LUMEN_SEED): the inputs of an earlier run. A replay is not recorded; unset LUMEN_SEED for a verdict.")
        }
        let done = Counter()
        let results = runner.grade(tasks, seed: replay) { result in
            guard !quiet else { return }
            let count = done.increment()
            note("  [\(count)/\(tasks.count)] \(result.task.id) \(result.status == .passed ? "passed" : "not passed")")
        }
        guard replay == nil else { return results }
        for result in results {
            if result.status == .passed {
                progress.passed.insert(result.task.id)
            } else {
                progress.passed.remove(result.task.id)
            }
        }
        try progress.save(to: runner.folder)
        return results
    }
}

/// A thread-safe count of finished tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// A progress line on stderr, so that stdout holds the scoreboard alone.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func printError(_ error: GradingError) {
    FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
}
