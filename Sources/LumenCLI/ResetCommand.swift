// ResetCommand.swift — `lumen reset 1.3`: put a task's stub back, as it was in a fresh checkout.
//
// Only the task's own functions change; the rest of the file keeps the learner's work. The
// task is no longer recorded as passed.
//
// Read next: SolutionCommand.swift.

import ArgumentParser
import ExerciseGraders
import Foundation
import Grading

struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Put a task's stub back, as in a fresh checkout (lumen reset 1.3)."
    )

    @Argument(help: "A task id such as 1.3.")
    var task: String

    @Option(help: "The Exercises folder (found from the current folder when omitted).")
    var exercises: String?

    func run() throws {
        do {
            let task = try ExerciseTask.selected(by: task)[0]
            let folder = try ExercisesFolder.locate(explicit: exercises)
            try ResetCommand.reset(task, in: folder)
            print("Task \(task.id) (\(task.title)) is a stub again in Sources/Exercises/\(task.file).")
        } catch {
            printError(error)
            throw ExitCode.failure
        }
    }

    static func reset(_ task: ExerciseTask, in folder: URL) throws(GradingError) {
        try ExerciseSources.reset(task, in: folder)
        var progress = Progress.load(from: folder)
        progress.passed.remove(task.id)
        try progress.save(to: folder)
    }
}
