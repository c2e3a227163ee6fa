// SolutionCommand.swift — `lumen solution 1.3`: Lumen's own version of a task, once it has passed.
//
// As in rustlings, the reference is a thing to compare with after the work, not a way round
// it: it is shown only when the progress file records the task as passed by `lumen grade`.
//
// Read next: WatchCommand.swift.

import ArgumentParser
import ExerciseGraders
import Foundation
import Grading

struct SolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution",
        abstract: "Lumen's solution of a task you have passed (lumen solution 1.3)."
    )

    @Argument(help: "A task id such as 1.3.")
    var task: String

    @Option(help: "The Exercises folder (found from the current folder when omitted).")
    var exercises: String?

    func run() throws {
        do {
            let task = try ExerciseTask.selected(by: task)[0]
            let folder = try ExercisesFolder.locate(explicit: exercises)
            guard Progress.load(from: folder).passed.contains(task.id) else { throw GradingError.solutionLocked(task: task.id) }
            print("Task \(task.id): \(task.title). Lumen's solution, to compare with yours:\n")
            print(try ExerciseSources.solution(of: task))
        } catch let error as GradingError {
            printError(error)
            throw ExitCode.failure
        }
    }
}
