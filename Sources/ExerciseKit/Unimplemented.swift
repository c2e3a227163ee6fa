// Unimplemented.swift — the error every exercise stub throws until the learner fills it in.
//
// A stub throws instead of calling fatalError: a trap would end the whole test run, while a
// thrown error fails only its own task. The graders report it as "not started".
//
// Read next: ExerciseTask.swift (the catalogue of tasks).

/// Thrown by an exercise stub: `throw Unimplemented("Task 1.3")`.
public struct Unimplemented: Error, Equatable, Sendable, CustomStringConvertible {
    /// The task named in the stub, for example `"Task 1.3"`.
    public let task: String

    public init(_ task: String) {
        self.task = task
    }

    public var description: String { "\(task) is not implemented yet" }
}

/// An array task with no line in Hookup.swift's `arrayTasks`: Lumen's mistake or an edited hookup.
public struct MissingHookup: Error, Equatable, Sendable, CustomStringConvertible {
    /// The task's id, for example `"4.1"`.
    public let task: String

    public init(task: String) {
        self.task = task
    }

    public var description: String {
        "Hookup.swift hands no function for task \(task) to the graders: its line in `arrayTasks` is missing (`lumen reset` of the file's tasks does not restore it; copy Hookup.swift from a fresh checkout)"
    }
}
