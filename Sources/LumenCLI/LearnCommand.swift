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

    @Option(name: .customLong("html"), help: "Write the lesson as one self-contained HTML page into this folder; without a lesson number, every lesson and an index page.")
    var html: String?

    @Flag(name: .customLong("no-color"), help: "Plain text, without colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .customLong("edit"), help: "Write the lesson's code into a Swift package of your own (lumen-play/lesson-NN) to change and run, print where the lesson's source is, and open the copy in $EDITOR when set.")
    var edit = false

    func run() throws {
        let file = ProgressFile.resolve(option: progressPath)
        var progress: LessonProgress
        do { progress = try file.load() } catch { fail("\(error)") }

        guard let lessonText = lesson else {
            if let html {
                exportCourse(to: html)
            } else {
                printList(progress)
            }
            return
        }
        let validIDs = Curriculum.lessons.map { String($0.id) }.joined(separator: ", ")
        guard let id = Int(lessonText.trimmingCharacters(in: .whitespaces)), let chosen = Curriculum.lesson(id) else {
            fail("there is no lesson \"\(lessonText)\"; the lessons are \(validIDs)\nhint: run `lumen learn` to list them")
        }

        if edit {
            writePlayground(chosen)
            return
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

    /// `--html DIR` without a lesson: every lesson's page and an index, with a line per lesson
    /// as it runs (on stderr, so stdout holds only the paths written).
    private func exportCourse(to directory: String) {
        let style = TerminalStyle(width: 100, color: false)
        do {
            let written = try CourseExport.write(Curriculum.lessons, to: directory, frameRoot: out, style: style) { lesson in
                FileHandle.standardError.write(Data("running lesson \(lesson.id) of \(Curriculum.lessons.count): \(lesson.title)\n".utf8))
            }
            for path in written { print("Wrote \(path)") }
        } catch {
            fail("cannot write the course into \(directory): \(error.localizedDescription)\nhint: pass --html with a folder you can write to")
        }
    }

    /// `--edit`: the lesson's code as a package of the learner's own (LessonKit's Playground),
    /// depending on the Lumen sources this `lumen` was built from.
    private func writePlayground(_ lesson: Lesson) {
        // This file's path when it was compiled: <root>/Sources/LumenCLI/LearnCommand.swift.
        let sources = ((#filePath as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let lumenRoot = (sources as NSString).deletingLastPathComponent
        let lessons = (lumenRoot as NSString).appendingPathComponent("Lessons")
        let folder = (try? FileManager.default.contentsOfDirectory(atPath: lessons))?.sorted()
            .first { $0.hasPrefix("\(lesson.paddedID)-") }
        let source = folder.map { "\(lessons)/\($0)/Lesson\(lesson.paddedID).swift" }
        guard let source, let text = try? String(contentsOfFile: source, encoding: .utf8),
              FileManager.default.fileExists(atPath: lumenRoot + "/Package.swift") else {
            fail("--edit needs Lumen's source folder, which this lumen was built from (\(lumenRoot)), "
                 + "and lesson \(lesson.id)'s file in it\nhint: run the lumen built from a clone of Lumen (./lumen learn \(lesson.id) --edit)")
        }
        // The lesson's files (its enum, whose members the shown code uses, and its helper types)
        // and, in turn, those of every lesson they name (`Lesson14.characters` in lesson 15).
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: lessons)) ?? []).sorted()
        var wanted = [folder!], seen: Set<String> = [folder!], helpers: [Playground.Helper] = []
        while let next = wanted.popLast() {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: "\(lessons)/\(next)")) ?? []).sorted()
            for name in names where name.hasSuffix(".swift") {
                let path = "\(lessons)/\(next)/\(name)"
                guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                helpers.append(Playground.Helper(name: "Lessons/\(next)/\(name)", text: contents, path: path))
                for other in folders where !seen.contains(other) && contents.contains("Lesson\(other.prefix(2)).") {
                    seen.insert(other)
                    wanted.append(other)
                }
            }
        }
        let imports = ([text] + helpers.map(\.text)).flatMap { $0.split(separator: "\n") }.compactMap { line -> String? in
            line.hasPrefix("import ") ? String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
        }
        let directory = "lumen-play/lesson-\(lesson.paddedID)"
        let written: Playground.Written
        do {
            written = try Playground.write(lesson: lesson, imports: Array(Set(imports)).sorted(), helpers: helpers,
                                           lumenRoot: lumenRoot, to: directory)
        } catch {
            fail("cannot write \(directory): \(error.localizedDescription)\nhint: run lumen learn --edit in a folder you can write to")
        }
        print("Lesson \(lesson.id)'s source: \(source)")
        print(written.created ? "Wrote your copy of its code: \(written.mainFile)"
                              : "Kept your copy of its code (delete it to start over): \(written.mainFile)")
        if !helpers.isEmpty {
            let copied = Set(helpers.map { $0.name.split(separator: "/")[1] }).sorted()
            print("Beside it, a copy of the lesson files that its code uses: Lessons/{\(copied.joined(separator: ","))}")
        }
        print("Run it:  cd \(directory) && swift run")
        print("Its pictures go to \(directory)/lumen-out/lesson-\(lesson.paddedID)/")
        if let editor = ProcessInfo.processInfo.environment["EDITOR"], !editor.isEmpty, Terminal.isInteractive {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "$EDITOR \"$1\"", "sh", written.mainFile]
            do {
                try process.run()
                process.waitUntilExit()
            } catch {
                fail("cannot start $EDITOR (\(editor)): \(error.localizedDescription)")
            }
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
