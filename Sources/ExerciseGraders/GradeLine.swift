// GradeLine.swift — one line of output that `lumen grade` reads back from a task's test run.
//
// The Exercises tests print `lumen-grade: <id> <outcome> seed=<seed> :: <explanation>` with
// the explanation's newlines written as `\n`, so that the parent process, which only sees
// the child's text output, recovers the outcome and the message exactly.
//
// Read next: Sources/Grading/TaskRunner.swift.

public enum GradeLine {
    public static let prefix = "lumen-grade: "

    /// The line for `report`.
    public static func text(for report: GradeReport) -> String {
        let outcome: String
        switch report.outcome {
        case .passed: outcome = "passed"
        case .notStarted: outcome = "not-started"
        case .failed: outcome = "failed"
        }
        let message: String
        if case .failed(let why) = report.outcome { message = why } else { message = "" }
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
        return "\(prefix)\(report.task.id) \(outcome) seed=\(report.seed) :: \(escaped)"
    }

    /// The report in the first grade line of `output` for `taskID`, or nil if there is none.
    public static func parse(_ output: String, taskID: String) -> GradeReport? {
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let start = line.range(of: prefix) else { continue }
            let rest = line[start.upperBound...]
            guard let separator = rest.range(of: " :: ") else { continue }
            let fields = rest[..<separator.lowerBound].split(separator: " ")
            guard fields.count == 3, fields[0] == taskID, let task = ExerciseTask.named(taskID),
                  fields[2].hasPrefix("seed="), let seed = UInt64(fields[2].dropFirst(5)) else { continue }
            let message = unescape(String(rest[separator.upperBound...]))
            switch fields[1] {
            case "passed": return GradeReport(task: task, outcome: .passed, seed: seed)
            case "not-started": return GradeReport(task: task, outcome: .notStarted, seed: seed)
            case "failed": return GradeReport(task: task, outcome: .failed(message), seed: seed)
            default: continue
            }
        }
        return nil
    }

    private static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
