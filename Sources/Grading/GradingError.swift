// GradingError.swift — what can go wrong before any task is graded, in words a learner can act on.
//
// Read next: ExercisesFolder.swift.

/// A typed error of `lumen grade` and `lumen hint`; its description says how to fix it.
public enum GradingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The id names no task.
    case unknownTask(String)
    /// No Exercises folder (with its Package.swift) was found from this directory.
    case exercisesNotFound(searchedFrom: String)
    /// Compiling the learner's code into the runner failed; `output` holds the compiler's errors.
    case buildFailed(output: String)
    /// A child process could not be started.
    case cannotRun(command: String, reason: String)
    /// The progress file could not be written.
    case progressNotSaved(path: String, reason: String)
    /// The learner's code imports a module it may not use.
    case forbiddenImport(file: String, line: Int, text: String, allowed: [String])
    /// Lumen's Sources/ExerciseKit, which the runner is built with, is missing.
    case kitNotFound(path: String)
    /// A command-line value is out of range.
    case invalidOption(String)
    /// `lumen reset` could not put the stub back.
    case cannotReset(task: String, reason: String)
    /// `lumen solution` before the task has passed.
    case solutionLocked(task: String)

    public var description: String {
        switch self {
        case .unknownTask(let id):
            "There is no task \"\(id)\". Task ids look like 1.3; run `lumen grade` to list them all."
        case .exercisesNotFound(let start):
            "No Exercises folder found from \(start) or any folder above it. Run this inside a Lumen checkout, or pass --exercises <path to Exercises>."
        case .buildFailed(let output):
            "The exercises do not compile, so nothing could be graded. Fix the first error below, then grade again.\n\(output)"
        case .cannotRun(let command, let reason):
            "Could not run `\(command)`: \(reason)."
        case .progressNotSaved(let path, let reason):
            "Could not save progress to \(path): \(reason)."
        case .forbiddenImport(let file, let line, let text, let allowed):
            "\(file):\(line): `\(text)` is not allowed. Your exercises may import only \(allowed.joined(separator: " and ")) (Exercises/README.md, \"What your code may import\"); the rest of Lumen is what you are building. Remove the import, then grade again."
        case .kitNotFound(let path):
            "Lumen's ExerciseKit sources are not at \(path); run `lumen grade` from the checkout it was built from."
        case .invalidOption(let text):
            text
        case .cannotReset(let task, let reason):
            "Could not reset task \(task): \(reason)."
        case .solutionLocked(let task):
            "Task \(task) has not passed yet, so its solution stays hidden. Try `lumen hint \(task)`; once `lumen grade \(task)` passes, `lumen solution \(task)` shows Lumen's version to compare with yours."
        }
    }
}

import ExerciseGraders

extension ExerciseTask {
    /// The tasks an optional id selects: every task for nil, else the one it names.
    public static func selected(by id: String?) throws(GradingError) -> [ExerciseTask] {
        guard let id else { return all }
        guard let task = named(id) else { throw .unknownTask(id) }
        return [task]
    }
}
