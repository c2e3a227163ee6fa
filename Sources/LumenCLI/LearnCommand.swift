// LearnCommand.swift — `lumen learn`: list the lessons with your progress, or step through one.
//
// A thin layer over LessonKit (the runner, progress file, HTML export) and Lessons (the
// curriculum). Read next: ../LessonKit/LessonRunner.swift.

import ArgumentParser
import Foundation
import LessonKit
import Lessons

struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Step through the lessons: text, code and backprop, one screen at a time.",
        discussion: """
        Without a lesson number, lists the lessons and your progress. With one, opens that lesson \
        where you left it. Keys: Enter or n next, b back, r re-run, q quit, ? help.
        """
    )

    @Argument(help: "The lesson to open, for example 1. Leave it out to list the lessons.")
    var lesson: String?

    @Flag(name: .customLong("no-interactive"), help: "Print the whole lesson instead of stepping (automatic when not on a terminal).")
    var noInteractive = false

    @Option(name: .customLong("progress"), help: "The progress file (default $LUMEN_PROGRESS, else ~/.lumen/progress).")
    var progressPath: String?

    @Option(name: .customLong("out"), help: "Where backprop pictures go: <out>/lesson-NN/.")
    var out = "lumen-out"

    @Option(name: .customLong("html"), help: "Write the lesson as one self-contained HTML page into this folder.")
    var html: String?

    @Flag(name: .customLong("no-color"), help: "Plain text, without colours (also when NO_COLOR is set).")
    var noColor = false

    func run() throws {
        let file = ProgressFile.resolve(option: progressPath)
        var progress: LessonProgress
        do { progress = try file.load() } catch { fail("\(error)") }

        guard let lessonText = lesson else {
            printList(progress)
            return
        }
        let validIDs = Curriculum.lessons.map { String($0.id) }.joined(separator: ", ")
        guard let id = Int(lessonText.trimmingCharacters(in: .whitespaces)), let chosen = Curriculum.lesson(id) else {
            fail("there is no lesson \"\(lessonText)\"; the lessons are \(validIDs)\nhint: run `lumen learn` to list them")
        }

        let interactive = !noInteractive && html == nil && Terminal.isInteractive
        let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && (interactive || isatty(STDOUT_FILENO) == 1)
        let runner = LessonRunner(lesson: chosen, frameRoot: out,
                                  style: TerminalStyle(width: min(Terminal.width(), 100), color: color))
        if let html {
            do {
                let path = try runner.exportHTML(to: html)
                print("Wrote \(path)")
            } catch {
                fail("cannot write the HTML page into \(html): \(error.localizedDescription)\nhint: pass --html with a folder you can write to")
            }
            return
        }
        if interactive {
            do {
                _ = try runner.interact(progress: &progress, file: file, nextLesson: Curriculum.lesson(after: id)?.id)
            } catch { fail("\(error)") }
        } else {
            FileHandle.standardOutput.write(Data(runner.transcript().utf8))
        }
    }

    private func printList(_ progress: LessonProgress) {
        let color = !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
        let style = TerminalStyle(width: 100, color: color)
        print(style.bold("Lumen lessons") + "\n")
        for lesson in Curriculum.lessons {
            let status = progress.status(of: lesson.id)
            let mark: String
            switch status {
            case .done: mark = style.paint("✓ done       ", "32")
            case .current: mark = style.paint("▶ current    ", "1;36")
            case .started: mark = style.paint("… in progress", "33")
            case .notStarted: mark = style.dim("  not started")
            }
            var line = "  \(mark)  \(lesson.id < 10 ? " " : "")\(lesson.id). \(lesson.title)"
            if let position = progress.positions[lesson.id], status != .done {
                line += style.dim("  (step \(position.step + 1) of \(lesson.steps.count))")
            }
            print(line)
        }
        let next = progress.current ?? Curriculum.lessons.first { !progress.done.contains($0.id) }?.id ?? 1
        print("\nStart or continue with: lumen learn \(next)")
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
