// GradeCommand.swift — `lumen grade`: grade the exercises and print the scoreboard.
//
// A thin layer over the Grading library: find Exercises/, build it once, grade each task in
// its own process (so a crash or an endless loop costs only that task), print the table,
// remember what passed. `--watch` grades again whenever an exercise file is saved.
//
// Exit status: 0 when every task graded passed, 1 when any did not, 2 when nothing could be
// graded (the exercises do not compile, no Exercises folder, an unknown task id).
//
// Read next: HintCommand.swift.

import ArgumentParser
import ExerciseGraders
import Foundation
import Grading

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade the exercises: every task, or one (lumen grade 1.3).",
        discussion: """
            Each task runs in its own process with fresh random inputs, so a crash or an endless \
            loop fails only that task. Run it from the Lumen checkout or from inside Exercises/.
            Exit status: 0 when every task graded passed, 1 when any did not, 2 when nothing             could be graded (a compile error, no Exercises folder, an unknown task id).
            """
    )

    @Argument(help: "A task id such as 1.3 (all tasks when omitted).")
    var task: String?

    @Flag(help: "Grade again whenever an exercise file is saved (Ctrl-C to stop).")
    var watch = false

    @Option(help: "The Exercises folder (found from the current folder when omitted).")
    var exercises: String?

    @Option(help: "Seconds one task may run before it is stopped.")
    var timeout: Double = 120

    func run() throws {
        let allPassed: Bool
        do {
            let tasks = try ExerciseTask.selected(by: task)
            let folder = try ExercisesFolder.locate(explicit: exercises)
            let runner = TaskRunner(folder: folder, timeout: timeout)
            let results = try gradeOnce(tasks, runner: runner)
            allPassed = results.allSatisfy { $0.status == .passed }
            if watch { watchAndGrade(tasks, runner: runner) }
        } catch {
            printError(error)
            throw GradeCommand.couldNotGrade
        }
        if !allPassed { throw ExitCode.failure }
    }

    /// Grades again whenever a file in Sources/Exercises is saved; never returns.
    private func watchAndGrade(_ tasks: [ExerciseTask], runner: TaskRunner) -> Never {
        let folder = runner.folder
        var dates = ExercisesFolder.sourceDates(folder)
        print("\nWatching \(folder.path)/Sources/Exercises; save a file to grade again (Ctrl-C to stop).")
        fflush(nil)
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            let now = ExercisesFolder.sourceDates(folder)
            guard now != dates else { continue }
            dates = now
            print("\n— a file changed; grading again —\n")
            do {
                _ = try gradeOnce(tasks, runner: runner)
            } catch {
                // A compile error while editing is normal in watch mode: report it and keep watching.
                printError(error)
            }
        }
    }

    /// The exit status when nothing could be graded (1 means some task did not pass).
    static let couldNotGrade = ExitCode(2)

    /// Builds, grades, prints the scoreboard and records the passed tasks.
    private func gradeOnce(_ tasks: [ExerciseTask], runner: TaskRunner) throws(GradingError) -> [TaskResult] {
        print("Building the exercises…")
        fflush(nil)
        try runner.build()
        let results = runner.grade(tasks)
        print(Scoreboard.render(results))
        // Piped or redirected output is block-buffered; a watcher's reader wants each board now.
        fflush(nil)
        var progress = Progress.load(from: runner.folder)
        for result in results {
            if result.status == .passed {
                progress.passed.insert(result.task.id)
            } else {
                progress.passed.remove(result.task.id)
            }
        }
        try progress.save(to: runner.folder)
        return results
    }
}

func printError(_ error: GradingError) {
    FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
}
