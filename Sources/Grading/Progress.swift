// Progress.swift — the learner's progress in a plain-text file: hints seen, tasks passed.
//
// The file is Exercises/.lumen-progress, one line per task (`1.3 hints=2 passed=yes`), easy
// to read and safe to delete. It is written to a temporary file first, then renamed.
//
// Read next: Sources/LumenCLI/GradeCommand.swift.

import ExerciseGraders
import Foundation

public struct Progress: Equatable, Sendable {
    /// How many hints of each task have been shown.
    public var hintsShown: [String: Int] = [:]
    /// Tasks that passed the last time they were graded.
    public var passed: Set<String> = []

    public init() {}

    public static let fileName = ".lumen-progress"

    /// Reads the file; a missing file is empty progress, and unreadable lines are skipped.
    public static func load(from folder: URL) -> Progress {
        var progress = Progress()
        guard let text = try? String(contentsOf: folder.appendingPathComponent(fileName), encoding: .utf8) else { return progress }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard let id = fields.first.map(String.init), ExerciseTask.named(id) != nil else { continue }
            for field in fields.dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                if pair[0] == "hints", let count = Int(pair[1]), count > 0 { progress.hintsShown[id] = count }
                if pair[0] == "passed", pair[1] == "yes" { progress.passed.insert(id) }
            }
        }
        return progress
    }

    /// The file's text: a comment, then one line per task with anything to record.
    public var text: String {
        var lines = ["# Lumen exercises: hints seen and tasks passed. Plain text; safe to edit or delete."]
        for task in ExerciseTask.all where hintsShown[task.id] != nil || passed.contains(task.id) {
            lines.append("\(task.id) hints=\(hintsShown[task.id] ?? 0) passed=\(passed.contains(task.id) ? "yes" : "no")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the file atomically.
    public func save(to folder: URL) throws(GradingError) {
        let url = folder.appendingPathComponent(Progress.fileName)
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw .progressNotSaved(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The next hint for `task` (the last one again once all were shown), and records it.
    /// Returns the hint and its number, counting from 1.
    public mutating func nextHint(for task: ExerciseTask) -> (text: String, number: Int) {
        let shown = hintsShown[task.id] ?? 0
        let number = min(shown + 1, task.hints.count)
        hintsShown[task.id] = number
        return (task.hints[number - 1], number)
    }
}
