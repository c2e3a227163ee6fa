// ExerciseSources.swift — the stubs and the reference solutions, as text: `lumen reset` puts a
// stub back, `lumen solution` shows a solution once its task has passed.
//
// The reference solutions live in Lumen's Sources/ExerciseSolutions, outside the learner's
// folder. Each body a learner writes starts there with `// SOLUTION(Task x.y): goal`; its stub
// is the same function with the body replaced by `// TODO(Task x.y): goal` and
// `throw Unimplemented("Task x.y")`. GradingTests checks that Exercises/Sources is exactly that.
//
// Read next: Progress.swift.

import ExerciseGraders
import Foundation

public enum ExerciseSources {
    /// Lumen's reference solutions.
    public static var solutionsFolder: URL { RunnerBuild.lumenRoot.appendingPathComponent("Sources/ExerciseSolutions") }

    /// The stub text for a solution file: each `// SOLUTION(Task x.y): goal` line and the rest of
    /// its top-level function body become the TODO line and the throw.
    public static func stubText(fromSolution text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result: [String] = []
        var k = 0
        while k < lines.count {
            let line = lines[k]
            if let range = line.range(of: "// SOLUTION(Task ") {
                let indent = String(line[..<range.lowerBound])
                let rest = line[range.upperBound...]
                let id = String(rest.prefix { $0 != ")" })
                let goal = rest.drop { $0 != ":" }.dropFirst(2)
                result.append("\(indent)// TODO(Task \(id)): \(goal)")
                result.append("\(indent)throw Unimplemented(\"Task \(id)\")")
                k += 1
                while k < lines.count && !lines[k].hasPrefix("}") { k += 1 }
                continue
            }
            result.append(line)
            k += 1
        }
        return result.joined(separator: "\n")
    }

    /// The functions of `task` in `text` (solution or stub): for each, its doc comment, signature
    /// and body through the closing brace at the start of a line, with its first line's index.
    static func functions(of task: ExerciseTask, in text: String, marker: String) -> [(start: Int, end: Int, lines: [String])] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [(Int, Int, [String])] = []
        for (k, line) in lines.enumerated() where line.contains("// \(marker)(Task \(task.id))") {
            // Up to the signature, then up over its doc comment.
            var start = k
            while start > 0 && !lines[start].hasPrefix("public func") { start -= 1 }
            var end = k
            while end < lines.count - 1 && !lines[end].hasPrefix("}") { end += 1 }
            var top = start
            while top > 0 && lines[top - 1].hasPrefix("///") { top -= 1 }
            found.append((start, end, Array(lines[top...end])))
        }
        return found
    }

    /// The reference solution of `task`: its functions, as they are written in Lumen.
    public static func solution(of task: ExerciseTask) throws(GradingError) -> String {
        let url = solutionsFolder.appendingPathComponent(task.file)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw .kitNotFound(path: url.path) }
        return functions(of: task, in: text, marker: "SOLUTION").map { $0.lines.joined(separator: "\n") }.joined(separator: "\n\n")
    }

    /// Puts `task`'s stub back in the learner's file, leaving every other function as it is; a
    /// missing file is written whole, every task of it a stub.
    public static func reset(_ task: ExerciseTask, in exercises: URL) throws(GradingError) {
        let solutionURL = solutionsFolder.appendingPathComponent(task.file)
        let learnerURL = exercises.appendingPathComponent("Sources/Exercises/\(task.file)")
        guard let solution = try? String(contentsOf: solutionURL, encoding: .utf8) else { throw .kitNotFound(path: solutionURL.path) }
        // A file the learner's folder lacks (deleted, or a task's new file) comes back whole, as stubs.
        if !FileManager.default.fileExists(atPath: learnerURL.path) {
            do {
                try stubText(fromSolution: solution).write(to: learnerURL, atomically: true, encoding: .utf8)
                return
            } catch {
                throw .cannotReset(task: task.id, reason: "\(learnerURL.path) could not be written: \(error)")
            }
        }
        guard let learnerText = try? String(contentsOf: learnerURL, encoding: .utf8) else {
            throw .cannotReset(task: task.id, reason: "\(learnerURL.path) cannot be read")
        }
        let stubs = functions(of: task, in: stubText(fromSolution: solution), marker: "TODO")
        var lines = learnerText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Later functions first, so that earlier line numbers stay right.
        for stub in stubs.reversed() {
            let signature = stub.lines.first { $0.hasPrefix("public func") }!
            guard let start = lines.firstIndex(of: signature) else {
                throw .cannotReset(task: task.id, reason: "the line `\(signature)` is not in \(task.file) any more; put it back, or copy the stub from `lumen reset` in a fresh checkout")
            }
            var end = start
            while end < lines.count - 1 && !lines[end].hasPrefix("}") { end += 1 }
            let body = Array(stub.lines.drop { $0 != signature })
            lines.replaceSubrange(start...end, with: body)
        }
        do {
            try lines.joined(separator: "\n").write(to: learnerURL, atomically: true, encoding: .utf8)
        } catch {
            throw .cannotReset(task: task.id, reason: "\(learnerURL.path) could not be written: \(error)")
        }
    }
}
