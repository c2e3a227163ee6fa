// LearnCommandTests.swift — `lumen learn` without a terminal: the list, a whole lesson printed in
// order, and the clear errors for unknown lessons and damaged progress files.
// Read next: InteractiveTests.swift (the same command through a real pseudo-terminal).

import Foundation
import Testing

@Suite struct LearnCommandTests {
    @Test func listsLessonsWithProgress() throws {
        let dir = makeTempDirectory()
        try "current 3\ndone 1\ndone 2\nat 3 2 0\n".write(toFile: dir + "/p", atomically: true, encoding: .utf8)
        let result = try LumenBinary.run(["learn", "--progress", dir + "/p"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("✓ done") && $0.contains("1. A value and its graph") })
        #expect(lines.contains { $0.contains("▶ current") && $0.contains("3. ") && $0.contains("(step 3 of") })
        #expect(lines.contains { $0.contains("not started") && $0.contains("4. ") })
        #expect(!result.stdout.contains("\u{1B}["))  // no colour into a pipe
    }

    @Test func withoutATerminalTheWholeLessonPrints() throws {
        let dir = makeTempDirectory()
        let result = try LumenBinary.run(["learn", "1", "--progress", dir + "/p", "--out", dir + "/out"])
        #expect(result.status == 0)
        let titles = ["A number that remembers", "Every value knows its inputs", "Drawing the graph", "What comes next"]
        let positions = titles.map { result.stdout.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(result.stdout.contains("a * b + c = 4"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/lesson-01/step-04-frame-001.svg"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out/lesson-01/step-04-frame-001.png"))
        #expect(result.stdout.contains(dir + "/out/lesson-01/step-04-frame-001.png"))
        // Printing a lesson is not progress: the file is not created.
        #expect(!FileManager.default.fileExists(atPath: dir + "/p"))
    }

    @Test func editWritesAPackageOfTheLearnersOwnAndSaysHowToRunIt() throws {
        let dir = makeTempDirectory()
        let result = try LumenBinary.run(["learn", "1", "--edit"], environment: ["EDITOR": "false"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let source = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("Lesson 1's source: ") })
        let sourcePath = String(source.dropFirst("Lesson 1's source: ".count))
        #expect(sourcePath.hasSuffix("/Lessons/01-a-value-and-its-graph/Lesson01.swift"))
        #expect(FileManager.default.fileExists(atPath: sourcePath))
        #expect(result.stdout.contains("Run it:  cd lumen-play/lesson-01 && swift run"))
        // The package: its manifest names Lumen's folder, its main.swift holds the lesson's code.
        let lumenRoot = sourcePath.components(separatedBy: "/Lessons/")[0]
        let manifest = try String(contentsOfFile: dir + "/lumen-play/lesson-01/Package.swift", encoding: .utf8)
        #expect(manifest.contains(".package(path: \"\(lumenRoot)\")"))
        let main = try String(contentsOfFile: dir + "/lumen-play/lesson-01/Sources/Lesson01/main.swift", encoding: .utf8)
        #expect(main.contains("import Engine") && main.contains("func step2(_ out: StepContext) throws {"))
        #expect(main.contains("out.print(\"a * b + c =\""))
        // Not a terminal: $EDITOR is not started (`false` would fail the command).
        // Again: the learner's copy is kept.
        let again = try LumenBinary.run(["learn", "1", "--edit"], in: dir)
        #expect(again.status == 0 && again.stdout.contains("Kept your copy of its code"))
    }

    /// Lesson 15's steps use `TinyGPT` (Lesson15+GPT.swift) and members of `Lesson15`, which
    /// uses `Lesson14.characters`: the package gets a copy of both lessons' files, and Lumen's
    /// modules that they import.
    @Test func editCopiesTheLessonFilesThatItsCodeUses() throws {
        let dir = makeTempDirectory()
        let result = try LumenBinary.run(["learn", "15", "--edit"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Beside it, a copy of the lesson files that its code uses: "
                                       + "Lessons/{14-a-character-model,15-attention-and-a-tiny-gpt}"))
        let sources = dir + "/lumen-play/lesson-15/Sources/Lesson15"
        let main = try String(contentsOfFile: sources + "/main.swift", encoding: .utf8)
        #expect(main.contains("extension Lesson15 {"))
        for file in ["15-attention-and-a-tiny-gpt/Lesson15.swift", "15-attention-and-a-tiny-gpt/Lesson15+GPT.swift",
                     "14-a-character-model/Lesson14.swift"] {
            #expect(FileManager.default.fileExists(atPath: sources + "/Lessons/" + file), "\(file)")
        }
        let manifest = try String(contentsOfFile: dir + "/lumen-play/lesson-15/Package.swift", encoding: .utf8)
        for module in ["Datasets", "Layers", "Optimizers", "Tensors"] {
            #expect(manifest.contains(".product(name: \"\(module)\""), "\(module)")
        }
    }

    @Test(arguments: ["0", "99", "three", "1.5", ""])
    func unknownLessonsNameTheValidOnes(id: String) throws {
        let result = try LumenBinary.run(["learn", id, "--progress", makeTempDirectory() + "/p"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("there is no lesson \"\(id)\""))
        #expect(result.stderr.contains("the lessons are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aDamagedProgressFileIsReportedNotOverwritten() throws {
        let dir = makeTempDirectory()
        let damaged = "current 2\nat 2 x 0\n"
        try damaged.write(toFile: dir + "/p", atomically: true, encoding: .utf8)
        for arguments in [["learn"], ["learn", "2"]] {
            let result = try LumenBinary.run(arguments + ["--progress", dir + "/p"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("damaged at line 2: \"at 2 x 0\""))
        }
        #expect(try String(contentsOfFile: dir + "/p", encoding: .utf8) == damaged)
        // The environment variable is honoured too.
        let viaEnv = try LumenBinary.run(["learn"], environment: ["LUMEN_PROGRESS": dir + "/p"])
        #expect(viaEnv.status == 1 && viaEnv.stderr.contains(dir + "/p"))
    }

    @Test func anUnreadableProgressFileIsReported() throws {
        let dir = makeTempDirectory()  // a folder where the file should be
        let result = try LumenBinary.run(["learn", "--progress", dir])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read the progress file \(dir)"))
    }
}
