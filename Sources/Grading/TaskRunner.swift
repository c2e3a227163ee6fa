// TaskRunner.swift — build the learner's code once, then grade each task in its own child.
//
// For each task: start a child (ChildConnection), run the task's grader here on a stand-in
// solution that asks the child for the learner's values (RemoteSolution), then end the child.
// The verdict is the grader's, decided in this process; the child can only fail its own task
// by dying, hanging past the time limit or running out of memory. No lock is held while the
// learner's code runs, so tasks cannot wait on each other.
//
// Read next: Scoreboard.swift.

import ExerciseGraders
import ExerciseKit
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One task's result as `lumen grade` reports it.
public struct TaskResult: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case passed
        case notStarted
        /// A wrong answer, explained.
        case failed(String)
        /// The process died (a trap, a crash, out of memory), explained.
        case crashed(String)
        /// The task ran past the limit (seconds) and was stopped.
        case timedOut(Double)
    }

    public let task: ExerciseTask
    public let status: Status
    /// The seed of the random inputs.
    public let seed: UInt64?

    public init(task: ExerciseTask, status: Status, seed: UInt64? = nil) {
        self.task = task
        self.status = status
        self.seed = seed
    }

    public var points: Int { status == .passed ? task.points : 0 }
}

public struct TaskRunner: Sendable {
    /// The scratch build of the learner's code.
    public var build: RunnerBuild
    /// The time and memory limits of one task.
    public var limits: TaskLimits
    /// How many tasks run at once.
    public var parallelism: Int

    /// The Exercises folder.
    public var folder: URL { build.exercises }

    public init(folder: URL, limits: TaskLimits = TaskLimits(), parallelism: Int = 2, scratch: URL? = nil) {
        build = RunnerBuild(exercises: folder, scratch: scratch)
        self.limits = limits
        self.parallelism = max(1, parallelism)
    }

    /// Ends runners left by an earlier `lumen grade` that was killed, then builds.
    public func prepare() throws(GradingError) {
        TaskRunner.killLeftovers(of: build.runner)
        try build.build()
    }

    /// Grades `tasks`, `parallelism` at a time, calling `reported` as each finishes; results
    /// come back in the order of `tasks`. `seed` fixes the inputs (a replay); nil draws fresh ones.
    public func grade(_ tasks: [ExerciseTask], seed: UInt64? = nil, reported: (@Sendable (TaskResult) -> Void)? = nil) -> [TaskResult] {
        let results = Mutex<[TaskResult?]>(Array(repeating: nil, count: tasks.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(parallelism, tasks.count)) { _ in
            while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < tasks.count else { return }
                let result = grade(tasks[k], seed: seed)
                results.withLock { $0[k] = result }
                reported?(result)
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Grades one task in its own child.
    public func grade(_ task: ExerciseTask, seed: UInt64? = nil) -> TaskResult {
        let seed = seed ?? Grader.clockSeed()
        let child = ChildConnection(runner: build.runner.path, limits: limits)
        let report = Grader.grade(task, RemoteSolution.make(child), seed: seed)
        child.finish()
        guard let failure = child.failure else {
            switch report.outcome {
            case .passed: return TaskResult(task: task, status: .passed, seed: seed)
            case .notStarted: return TaskResult(task: task, status: .notStarted, seed: seed)
            case .failed(let why) where why.contains("File too large"):
                return TaskResult(task: task, status: .failed(TaskRunner.fileWriteExplanation), seed: seed)
            case .failed(let why): return TaskResult(task: task, status: .failed(why), seed: seed)
            }
        }
        switch failure {
        case .timedOut:
            return TaskResult(task: task, status: .timedOut(limits.seconds), seed: seed)
        case .died(let signal, let status, let output):
            return TaskResult(task: task, status: .crashed(explainDeath(signal: signal, status: status, output: output)), seed: seed)
        case .garbled(let text):
            return TaskResult(task: task, status: .crashed("its answer could not be read (\(text)). Does your code write to file descriptor 4?"), seed: seed)
        case .cannotStart(let text):
            return TaskResult(task: task, status: .crashed("the runner could not be started: \(text)"), seed: seed)
        }
    }

    static let fileWriteExplanation = "your code tried to write to a file, which grading does not allow (so that nothing it does can change a verdict or the progress file). Print instead, or write files only when you run it yourself."

    /// Why the child died, in words: the runtime's message, the learner's file and line from
    /// the backtrace, or running out of memory.
    func explainDeath(signal: Int32?, status: Int32?, output: String) -> String {
        let exercisesInScratch = build.scratch.appendingPathComponent("Exercises").path + "/"
        let learnerSources = build.exercises.appendingPathComponent("Sources/Exercises").path + "/"
        let lines = output.split(separator: "\n").map { $0.replacingOccurrences(of: exercisesInScratch, with: learnerSources) }
        if signal == SIGXFSZ { return TaskRunner.fileWriteExplanation }
        if signal == SIGXCPU {
            return "it used more than its CPU time (\(Int(limits.seconds * 2) + 10) s): an endless loop? The other tasks were still graded."
        }
        if output.contains("allocate memory") || output.contains("ould not allocate") || output.contains("failed to allocate") || output.contains("out of memory") {
            return "it ran out of memory: it asked for more than the limit of \(limits.memoryMB) MB (`lumen grade --memory` changes it). Does a loop append to an array without end?"
        }
        let fatal = lines.first { $0.contains("Fatal error") }
        // Backtrace frames in the learner's files: "… at /…/Sources/Exercises/Tensors.swift:42:17".
        let frames = lines.filter { $0.contains(learnerSources) && !$0.contains("Hookup.swift") }
            .compactMap { line -> String? in
                guard let range = line.range(of: learnerSources) else { return nil }
                let place = line[range.lowerBound...].split(separator: " ").first.map(String.init) ?? ""
                // "2 [ra] 0x00005555 backward(_:) + 245 in ExerciseRunner at /…/Scalars.swift:66:27"
                let words = line.split(separator: " ")
                let function = words.firstIndex { $0.hasPrefix("0x") }.map { address in
                    words[(address + 1)...].prefix { $0 != "+" && $0 != "in" }.joined(separator: " ")
                }.flatMap { $0.isEmpty ? nil : $0 }
                return "  " + place.replacingOccurrences(of: build.exercises.path + "/", with: "") + (function.map { " (in \($0))" } ?? "")
            }
        var explanation: String
        if let signal {
            let name: String
            switch signal {
            case SIGILL, SIGTRAP: name = "a Swift trap"
            case SIGABRT: name = "SIGABRT"
            case SIGSEGV: name = "SIGSEGV, a bad memory access"
            case SIGKILL: name = "killed"
            default: name = "signal \(signal)"
            }
            explanation = "your code crashed (\(name)): an array index out of range, a nil force-unwrapped with !, an integer overflow, or fatalError/precondition."
        } else {
            explanation = "the runner exited (status \(status.map(String.init) ?? "?")) in the middle of the task: does your code call exit()?"
        }
        if let fatal { explanation += "\n" + fatal.trimmingCharacters(in: .whitespaces) }
        if let place = Array(NSOrderedSet(array: frames)).first as? String {
            explanation += "\nIt happened at\n" + place
        } else if fatal == nil {
            explanation += "\nIts last lines:\n" + lines.suffix(6).joined(separator: "\n")
        }
        return explanation
    }

    /// Kills every process running `runner` (left by a `lumen grade` that was itself killed), so
    /// that nothing of theirs lingers and the runner can be rebuilt.
    static func killLeftovers(of runner: URL) {
        let target = runner.resolvingSymlinksInPath().path
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), pid != getpid(),
                  let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe"),
                  exe == target || exe == target + " (deleted)" else { continue }
            kill(-getpgid(pid), SIGKILL)
            kill(pid, SIGKILL)
        }
    }
}
