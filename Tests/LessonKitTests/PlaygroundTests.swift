// PlaygroundTests.swift — `lumen learn N --edit`'s package: a manifest depending on Lumen by
// path, a main.swift holding each step's shown code as a function, and the learner's own
// changes kept when it is written again.

import _TestSupport
import Foundation
import Testing
@testable import LessonKit

@Suite struct PlaygroundTests {
    @Test func mainSwiftHoldsEachStepsShownCodeAsAFunction() {
        let main = Playground.mainSwift(lesson: LessonRunnerTests.lesson, imports: ["Engine", "LessonKit"])
        #expect(main.contains("import Engine\nimport LessonKit\n"))
        // Step 1 (Forward) shows `out.print("x")`; steps 2 and 3 run code but show none.
        // The steps are members of the lesson's enum, as its own step code is.
        #expect(main.contains("\nextension Lesson07 {\n    // Step 1: Forward\n    static func step1(_ out: StepContext) throws {\n"
                              + "        out.print(\"x\")\n    }\n"))
        #expect(main.contains("static func step2(_ out: StepContext) throws {") && main.contains("static func step3(_ out: StepContext) throws {"))
        #expect(main.contains("(\"Step 1: Forward\", Lesson07.step1),\n    (\"Step 2: Backward\", Lesson07.step2),"))
        #expect(main.contains("FrameWriter(root: \"lumen-out\", lessonID: 7, prefix: \"play-\")"))
    }

    @Test func theManifestDependsOnLumenByPathThroughItsProducts() {
        let manifest = Playground.manifest(target: "Lesson07", modules: ["Engine", "LessonKit"], lumenRoot: "/src/lumen")
        #expect(manifest.hasPrefix("// swift-tools-version: 6.1\n"))
        #expect(manifest.contains("dependencies: [.package(path: \"/src/lumen\")]"))
        #expect(manifest.contains(".product(name: \"Engine\", package: \"lumen\"),"))
        #expect(manifest.contains(".product(name: \"LessonKit\", package: \"lumen\"),"))
        #expect(manifest.contains(".executableTarget(name: \"Lesson07\""))
    }

    @Test func writingAgainKeepsTheLearnersChanges() throws {
        let directory = try makeTemporaryDirectory() + "/play"
        let first = try Playground.write(lesson: LessonRunnerTests.lesson, imports: ["Engine", "Foundation"],
                                         lumenRoot: "/src/lumen", to: directory)
        #expect(first.created && first.mainFile == directory + "/Sources/Lesson07/main.swift")
        let manifest = try String(contentsOfFile: directory + "/Package.swift", encoding: .utf8)
        // Foundation is not Lumen's: imported, but not a dependency.
        #expect(manifest.contains("\"Engine\"") && !manifest.contains("\"Foundation\""))
        #expect(try String(contentsOfFile: first.mainFile, encoding: .utf8).contains("import Foundation"))
        try Data("// mine\n".utf8).write(to: URL(fileURLWithPath: first.mainFile))
        let second = try Playground.write(lesson: LessonRunnerTests.lesson, imports: ["Engine"], lumenRoot: "/elsewhere/lumen",
                                          to: directory)
        #expect(!second.created)
        #expect(try String(contentsOfFile: first.mainFile, encoding: .utf8) == "// mine\n")
        #expect(try String(contentsOfFile: directory + "/Package.swift", encoding: .utf8).contains("/elsewhere/lumen"))
    }

    @Test func theLessonsFilesAreCopiedBesideItsCodeFindingLumensFilesStill() throws {
        let directory = try makeTemporaryDirectory() + "/play"
        let original = "/src/lumen/Lessons/07-x/Lesson07+Helpers.swift"
        let helper = Playground.Helper(name: "Lessons/07-x/Lesson07+Helpers.swift",
                                       text: "import Checkpoints\nlet here = URL(fileURLWithPath: #filePath)\n", path: original)
        _ = try Playground.write(lesson: LessonRunnerTests.lesson, imports: ["Checkpoints", "Engine"], helpers: [helper],
                                 lumenRoot: "/src/lumen", to: directory)
        let copy = directory + "/Sources/Lesson07/Lessons/07-x/Lesson07+Helpers.swift"
        let text = try String(contentsOfFile: copy, encoding: .utf8)
        #expect(text == "// Copied by `lumen learn --edit` from \(original).\nimport Checkpoints\n"
                + "let here = URL(fileURLWithPath: \"\(original)\")\n")
        // Checkpoints is one of Lumen's libraries, so it becomes a dependency.
        #expect(try String(contentsOfFile: directory + "/Package.swift", encoding: .utf8)
                .contains(".product(name: \"Checkpoints\", package: \"lumen\"),"))
        // The learner's changes to the copy stay when the package is written again.
        try Data("// mine\n".utf8).write(to: URL(fileURLWithPath: copy))
        _ = try Playground.write(lesson: LessonRunnerTests.lesson, imports: [], helpers: [helper], lumenRoot: "/src/lumen",
                                 to: directory)
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == "// mine\n")
    }
}
