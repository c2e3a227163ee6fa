// Scoreboard.swift — the table `lumen grade` prints: each task, its points, the tier totals,
// and why a task failed, in plain words.
//
// Read next: Progress.swift.

import ExerciseGraders

public enum Scoreboard {
    /// The scoreboard for `results` (any subset of the tasks, in catalogue order).
    public static func render(_ results: [TaskResult]) -> String {
        var lines: [String] = []
        for tier in Tier.allCases {
            let inTier = results.filter { $0.task.tier == tier }
            guard !inTier.isEmpty else { continue }
            lines.append("\(tier) (tier \(tier.rawValue))")
            for result in inTier {
                let task = result.task
                let mark: String
                let note: String?
                switch result.status {
                case .passed: (mark, note) = ("✓", nil)
                case .notStarted: (mark, note) = ("·", "not started (TODO(Task \(task.id)) in \(task.file))")
                case .failed(let why): (mark, note) = ("✗", "failed: " + why)
                case .crashed(let why): (mark, note) = ("✗", "crashed: " + why)
                case .timedOut(let limit): (mark, note) = ("✗", "stopped after \(Int(limit)) s: an endless loop? The other tasks were still graded.")
                }
                let title = "\(task.id)  \(task.title)".padding(toLength: 44, withPad: " ", startingAt: 0)
                lines.append("  \(mark) \(title) \(result.points)/\(task.points)")
                if let note {
                    let seedNote = result.seed.map { " (seed \($0))" } ?? ""
                    lines.append(contentsOf: (note + (result.status == .notStarted ? "" : seedNote))
                        .split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 })
                }
            }
            lines.append("  \(tier): \(inTier.map(\.points).reduce(0, +))/\(inTier.map(\.task.points).reduce(0, +)) points")
            lines.append("")
        }
        let passed = results.filter { $0.status == .passed }.count
        lines.append("Total: \(results.map(\.points).reduce(0, +))/\(results.map(\.task.points).reduce(0, +)) points, \(passed) of \(results.count) tasks passed.")
        if let next = results.first(where: { $0.status != .passed }) {
            lines.append("Next: Task \(next.task.id) (\(next.task.title)) in Exercises/Sources/Exercises/\(next.task.file); `lumen hint \(next.task.id)` if stuck.")
        }
        return lines.joined(separator: "\n")
    }
}
