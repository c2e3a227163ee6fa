// WatchCommand.swift — `lumen watch`: the exercise loop, as `rustlings watch` runs it.
//
// Shows one task, the first that has not passed (or the one named), graded again each time a
// file in Sources/Exercises is saved. It starts, and keeps going, while the code does not
// compile: the compiler's error is the screen until it does. When the task passes, it moves
// on to the next. Keys (no Enter needed in a terminal):
//   h  a hint (again for a stronger one)    n  the next task    l  the list of tasks
//   r  reset this task to its stub          q  quit
//
// Read next: ResetCommand.swift.

import ArgumentParser
import ExerciseGraders
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "The exercise loop: the current task, graded on every save. Keys: h hint, n next, l list, r reset, q quit."
    )

    @Argument(help: "The task to start with (the first one not passed when omitted).")
    var task: String?

    @OptionGroup var options: GradingOptions

    func run() throws {
        let runner: TaskRunner
        var current: ExerciseTask
        do {
            runner = try options.runner()
            let passed = Progress.load(from: runner.folder).passed
            if let task {
                current = try ExerciseTask.selected(by: task)[0]
            } else {
                current = ExerciseTask.all.first { !passed.contains($0.id) } ?? ExerciseTask.all[0]
            }
        } catch {
            printError(error)
            throw GradeCommand.couldNotGrade
        }
        RawKeys.start()
        defer { RawKeys.stop() }
        var screen = WatchScreen()
        var dates = ExercisesFolder.sourceDates(runner.folder)
        var needsGrading = true
        while true {
            if needsGrading {
                needsGrading = false
                screen.body = "Grading task \(current.id) (\(current.title))…"
                screen.extra = ""
                screen.show(current)
                screen.body = WatchCommand.grade(current, runner: runner)
                screen.extra = ""
                if screen.body.hasPrefix("✓"), let next = WatchCommand.next(after: current, folder: runner.folder) {
                    screen.extra = "Moving on to task \(next.id)."
                    screen.show(current)
                    Thread.sleep(forTimeInterval: 1.5)
                    current = next
                    needsGrading = true
                    continue
                }
                screen.show(current)
            }
            // Wait for a save or a key.
            if let key = RawKeys.read(timeout: 0.3) {
                switch key {
                case "q":
                    return
                case "h":
                    var progress = Progress.load(from: runner.folder)
                    let hint = progress.nextHint(for: current)
                    try? progress.save(to: runner.folder)
                    screen.extra = "Hint \(hint.number) of \(current.hints.count): \(hint.text)"
                    screen.show(current)
                case "n":
                    current = WatchCommand.next(after: current, folder: runner.folder, skippingPassed: false) ?? ExerciseTask.all[0]
                    needsGrading = true
                case "l":
                    let passed = Progress.load(from: runner.folder).passed
                    screen.extra = ExerciseTask.all.map { task in
                        "\(passed.contains(task.id) ? "✓" : "·") \(task.id)  \(task.title)\(task == current ? "   ← current" : "")"
                    }.joined(separator: "\n")
                    screen.show(current)
                case "r":
                    do {
                        try ResetCommand.reset(current, in: runner.folder)
                        dates = ExercisesFolder.sourceDates(runner.folder)
                        needsGrading = true
                    } catch {
                        screen.extra = "error: \(error.description)"
                        screen.show(current)
                    }
                default:
                    break
                }
            }
            let now = ExercisesFolder.sourceDates(runner.folder)
            if now != dates {
                dates = now
                needsGrading = true
            }
        }
    }

    /// Builds and grades one task; the text to show (starting with ✓ when it passed).
    static func grade(_ task: ExerciseTask, runner: TaskRunner) -> String {
        do {
            let result = try GradeCommand.gradeAndRecord([task], runner: runner, replay: Grader.replaySeed(), quiet: true)[0]
            let board = Scoreboard.render([result]).split(separator: "\n").dropFirst().prefix { !$0.hasPrefix("  \(task.tier):") }
            return (result.status == .passed ? "✓ Task \(task.id) passed.\n" : "") + board.joined(separator: "\n")
        } catch {
            return error.description
        }
    }

    /// The task after `task` (the next one not passed, unless `skippingPassed` is false).
    static func next(after task: ExerciseTask, folder: URL, skippingPassed: Bool = true) -> ExerciseTask? {
        let passed = Progress.load(from: folder).passed
        let all = ExerciseTask.all
        let start = all.firstIndex(of: task)! + 1
        let rotated = Array(all[start...]) + Array(all[..<start])
        return rotated.first { !skippingPassed || !passed.contains($0.id) }
    }
}

/// What `lumen watch` shows: the task, its grade, and a line of keys.
struct WatchScreen {
    var body = ""
    var extra = ""

    func show(_ task: ExerciseTask) {
        var text = "\u{1B}[2J\u{1B}[H"
        text += "Task \(task.id): \(task.title)  (\(task.points) points)\n"
        text += "File: Sources/Exercises/\(task.file)    Lesson: \(task.lesson)\n\n"
        text += body + "\n"
        if !extra.isEmpty { text += "\n" + extra + "\n" }
        text += "\nWatching Sources/Exercises. Keys: h hint · n next task · l list · r reset this task · q quit\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Single keys from the terminal, without Enter or echo; the terminal is restored on exit,
/// Ctrl-C included. When stdin is not a terminal, its characters are read as keys.
enum RawKeys {
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var isRaw = false

    static func start() {
        ProcessGroups.installInterruptHandler()
        guard isatty(0) != 0, tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(0, TCSANOW, &raw)
        isRaw = true
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                tcsetattr(0, TCSANOW, &RawKeys.saved)
                ProcessGroups.killAll()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func stop() {
        if isRaw { tcsetattr(0, TCSANOW, &saved) }
    }

    /// A key pressed within `timeout` seconds, or nil.
    static func read(timeout: Double) -> Character? {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, 1, Int32(timeout * 1000)) > 0, fds[0].revents & Int16(POLLIN) != 0 else {
            // End of input (or a hang-up) without a key: wait as a terminal would.
            if fds[0].revents != 0 { Thread.sleep(forTimeInterval: timeout) }
            return nil
        }
        var byte: UInt8 = 0
        guard Glibc.read(0, &byte, 1) == 1 else {
            Thread.sleep(forTimeInterval: timeout)
            return nil
        }
        return Character(UnicodeScalar(byte))
    }
}
