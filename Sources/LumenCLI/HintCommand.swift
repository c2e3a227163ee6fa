// HintCommand.swift — `lumen hint 1.3`: progressive hints, one more each time it is asked.
//
// The first hint is a nudge, the last nearly the answer. How many have been shown is kept in
// Exercises/.lumen-progress, so the next `lumen hint 1.3` goes one step further.
//
// Read next: ResetCommand.swift, SolutionCommand.swift.

import ArgumentParser
import ExerciseGraders
import Foundation
import Grading

struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "A hint for a task; ask again for a stronger one (lumen hint 1.3)."
    )

    @Argument(help: "A task id such as 1.3.")
    var task: String

    @Flag(help: "Forget the hints shown for this task and start again from the first.")
    var reset = false

    @Option(help: "The Exercises folder (found from the current folder when omitted).")
    var exercises: String?

    func run() throws {
        do {
            let task = try ExerciseTask.selected(by: task)[0]
            let folder = try ExercisesFolder.locate(explicit: exercises)
            var progress = Progress.load(from: folder)
            if reset { progress.hintsShown[task.id] = nil }
            let hint = progress.nextHint(for: task)
            try progress.save(to: folder)
            print("Task \(task.id): \(task.title)  (\(task.file), \(task.lesson))")
            print("Hint \(hint.number) of \(task.hints.count): \(hint.text)")
            if hint.number < task.hints.count {
                print("Run `lumen hint \(task.id)` again for a stronger hint.")
            } else {
                print("That was the last hint. Once the task passes, `lumen solution \(task.id)` shows Lumen's version to compare with yours.")
            }
        } catch {
            printError(error)
            throw ExitCode.failure
        }
    }
}
