// GradingError.swift — what can go wrong before any task is graded, in words a learner can act on.
//
// Read next: ExercisesFolder.swift.

/// A typed error of `lumen grade` and `lumen hint`; its description says how to fix it.
public enum GradingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The id names no task.
    case unknownTask(String)
    /// No Exercises folder (with its Package.swift) was found from this directory.
    case exercisesNotFound(searchedFrom: String)
    /// `swift build` of the Exercises package failed; `output` holds the compiler's errors.
    case buildFailed(output: String)
    /// A child process could not be started.
    case cannotRun(command: String, reason: String)
    /// The progress file could not be written.
    case progressNotSaved(path: String, reason: String)

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
            "Could not save hint progress to \(path): \(reason)."
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
