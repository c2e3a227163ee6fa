// TaskRunner.swift — build the exercises once, then grade each task in its own process.
//
// `swift build --build-tests` compiles the learner's code and the graders; then each task
// runs as `swift test --skip-build --filter Task1_3_` with a time limit. The child prints a
// grade line (GradeLine.swift) that says what happened; a child that died or hung has no
// grade line, and its ending says why.
//
// Read next: Scoreboard.swift.

import ExerciseGraders
import Foundation
import Synchronization

/// One task's result as `lumen grade` reports it.
public struct TaskResult: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case passed
        case notStarted
        /// A wrong answer, explained.
        case failed(String)
        /// The process died (a trap or a crash), explained.
        case crashed(String)
        /// The task ran past the limit (seconds) and was stopped.
        case timedOut(Double)
    }

    public let task: ExerciseTask
    public let status: Status
    /// The seed of the random inputs, when the grader got far enough to report it.
    public let seed: UInt64?

    public init(task: ExerciseTask, status: Status, seed: UInt64? = nil) {
        self.task = task
        self.status = status
        self.seed = seed
    }

    public var points: Int { status == .passed ? task.points : 0 }
}

public struct TaskRunner: Sendable {
    /// The Exercises package.
    public var folder: URL
    /// Seconds one task may take before it is stopped.
    public var timeout: Double
    /// Seconds the one build may take.
    public var buildTimeout: Double = 1800
    /// The command that runs one task's tests; replaceable so tests can run something else.
    public var testCommand: @Sendable (ExerciseTask) -> [String]
    /// How many tasks run at once.
    public var parallelism: Int

    public init(folder: URL, timeout: Double = 120, parallelism: Int = 2,
                testCommand: @escaping @Sendable (ExerciseTask) -> [String] = TaskRunner.swiftTestCommand) {
        self.folder = folder
        self.timeout = timeout
        self.parallelism = max(1, parallelism)
        self.testCommand = testCommand
    }

    /// `swift test --skip-build --filter Task1_3_`.
    public static let swiftTestCommand: @Sendable (ExerciseTask) -> [String] = { task in
        ["swift", "test", "--skip-build", "--filter", task.suiteName]
    }

    /// Compiles the exercises and their tests once.
    public func build() throws(GradingError) {
        let result = try ChildProcess.run(["swift", "build", "--build-tests"], in: folder, timeout: buildTimeout)
        guard result.ending == .exited(0) else {
            let errors = result.output.split(separator: "\n").filter { $0.contains("error:") }
            throw .buildFailed(output: (errors.isEmpty ? result.output.split(separator: "\n").suffix(20) : errors.prefix(20))
                .joined(separator: "\n"))
        }
    }

    /// Grades `tasks`, `parallelism` at a time; results come back in the order of `tasks`.
    public func grade(_ tasks: [ExerciseTask]) -> [TaskResult] {
        let results = Mutex<[TaskResult?]>(Array(repeating: nil, count: tasks.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(parallelism, tasks.count)) { _ in
            while true {
                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard k < tasks.count else { return }
                let result = grade(tasks[k])
                results.withLock { $0[k] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Grades one task in its own process.
    public func grade(_ task: ExerciseTask) -> TaskResult {
        do {
            // Swift's crash backtracer can stall for minutes in a child without a terminal;
            // the runtime's one-line "Fatal error: … file:line" is all the scoreboard needs.
            let child = try ChildProcess.run(testCommand(task), in: folder, timeout: timeout,
                                             environment: ["SWIFT_BACKTRACE": "enable=no"])
            return TaskRunner.interpret(child, task: task, timeout: timeout)
        } catch {
            return TaskResult(task: task, status: .crashed(error.description))
        }
    }

    /// What a finished child says about its task.
    public static func interpret(_ child: ChildResult, task: ExerciseTask, timeout: Double) -> TaskResult {
        if let report = GradeLine.parse(child.output, taskID: task.id) {
            switch report.outcome {
            case .passed: return TaskResult(task: task, status: .passed, seed: report.seed)
            case .notStarted: return TaskResult(task: task, status: .notStarted, seed: report.seed)
            case .failed(let why): return TaskResult(task: task, status: .failed(why), seed: report.seed)
            }
        }
        // The runtime's own words for a trap ("Fatal error: Index out of range", with file and
        // line) say more than any tail of the output.
        let lines = child.output.split(separator: "\n")
        let tail = (lines.filter { $0.contains("Fatal error") }.first.map { [$0] } ?? Array(lines.suffix(6)))
            .joined(separator: "\n")
        switch child.ending {
        case .timedOut:
            return TaskResult(task: task, status: .timedOut(timeout))
        case .signaled(let signal):
            return TaskResult(task: task, status: .crashed(trapExplanation(signal: signal, tail: tail)))
        case .exited:
            // `swift test` reports a test binary that died as "unexpected signal code N".
            if let range = child.output.range(of: #"signal code (\d+)"#, options: .regularExpression),
               let signal = Int32(child.output[range].split(separator: " ").last!) {
                return TaskResult(task: task, status: .crashed(trapExplanation(signal: signal, tail: tail)))
            }
            return TaskResult(task: task, status: .crashed(
                "the test run ended without grading Task \(task.id) (no test suite \(task.suiteName)…?). Its last lines:\n\(tail)"))
        }
    }

    static func trapExplanation(signal: Int32, tail: String) -> String {
        let name: String
        switch signal {
        case 4: name = "SIGILL, a Swift trap"
        case 5: name = "SIGTRAP, a Swift trap"
        case 6: name = "SIGABRT"
        case 11: name = "SIGSEGV"
        default: name = "signal \(signal)"
        }
        return """
            your code crashed (\(name)): an array index out of range, a nil force-unwrapped with !, \
            an integer overflow, or fatalError/precondition. Run `swift test --filter Task…` in Exercises/ \
            to see where. It said:
            \(tail)
            """
    }
}
