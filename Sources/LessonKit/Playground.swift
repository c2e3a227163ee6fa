// Playground.swift — a lesson's code as a small Swift package of the learner's own, to change
// and run: `lumen learn N --edit` writes it.
//
// The package depends on Lumen by path (the source folder `lumen` was built from) and has one
// executable whose main.swift holds each step's code, exactly the ```swift blocks the
// lesson's text shows, as one function per step. Beside it, under Lessons/, is a copy of the
// lesson's own files (and of the lessons they use), which define what the shown code calls
// without showing it. Running it prints what the steps print and writes their pictures under
// `lumen-out/`, as `lumen learn` does.
//
// Read next: StepContext.swift (what `out` is in the step code).

import Foundation

public enum Playground {
    /// What `write` made: the package folder, its main.swift, and whether main.swift was
    /// written now (false: it was there already, perhaps changed by the learner, and is kept).
    public struct Written: Sendable, Equatable {
        public var directory: String
        public var mainFile: String
        public var created: Bool
    }

    /// The Lumen libraries a playground can import, in the order of Package.swift's products.
    public static let libraries = ["Basics", "Engine", "Tensors", "ScalarNN", "Viz", "Render", "Plots", "Expressions",
                                   "Layers", "Optimizers", "Datasets", "Checkpoints", "Training", "LessonKit"]

    /// A Swift file of Lumen's lessons, copied into the package so that the steps compile:
    /// the lesson's own files (its `LessonNN` enum, whose members the steps use, and types
    /// such as `RingGAN` in Lesson16+GAN.swift) and those of the lessons it uses. `name` is
    /// the path in the package's target, e.g. `Lessons/16-a-gan/Lesson16+GAN.swift`.
    public struct Helper: Sendable, Equatable {
        public var name: String
        public var text: String
        /// Where the file is in Lumen's source tree.
        public var path: String

        public init(name: String, text: String, path: String) {
            self.name = name
            self.text = text
            self.path = path
        }

        /// The copy's text: `#filePath` becomes the original's path, so a helper that finds
        /// files beside its source (lesson 17's pre-trained model) still finds Lumen's.
        var copiedText: String {
            let literal = "\"" + path.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
            return "// Copied by `lumen learn --edit` from \(path).\n" + text.replacing("#filePath", with: literal)
        }
    }

    /// Writes the package for `lesson` into `directory`: Package.swift (always, so it follows
    /// `lumenRoot`), Sources/LessonNN/main.swift and a copy of each of the lesson's `helpers`
    /// (each only if it is not there yet, so the learner's changes stay). `imports` are the
    /// modules that the lesson's Swift files import; Lumen's among them become dependencies.
    public static func write(lesson: Lesson, imports: [String], helpers: [Helper] = [], lumenRoot: String,
                             to directory: String) throws -> Written {
        let target = "Lesson\(lesson.paddedID)"
        let sources = (directory as NSString).appendingPathComponent("Sources/\(target)")
        try FileManager.default.createDirectory(atPath: sources, withIntermediateDirectories: true)
        let lumenModules = libraries.filter { imports.contains($0) || $0 == "LessonKit" }
        try AtomicWrite.write(Data(manifest(target: target, modules: lumenModules, lumenRoot: lumenRoot).utf8),
                              to: (directory as NSString).appendingPathComponent("Package.swift"))
        for helper in helpers {
            let copy = (sources as NSString).appendingPathComponent(helper.name)
            if !FileManager.default.fileExists(atPath: copy) {
                try FileManager.default.createDirectory(atPath: (copy as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try AtomicWrite.write(Data(helper.copiedText.utf8), to: copy)
            }
        }
        let main = (sources as NSString).appendingPathComponent("main.swift")
        if FileManager.default.fileExists(atPath: main) {
            return Written(directory: directory, mainFile: main, created: false)
        }
        try AtomicWrite.write(Data(mainSwift(lesson: lesson, imports: imports).utf8), to: main)
        return Written(directory: directory, mainFile: main, created: true)
    }

    /// The manifest: one executable target depending on `modules` of the Lumen package at
    /// `lumenRoot` (whose package identity is its folder's name).
    public static func manifest(target: String, modules: [String], lumenRoot: String) -> String {
        let identity = (lumenRoot as NSString).lastPathComponent
        let products = modules.map { "            .product(name: \"\($0)\", package: \"\(identity)\")," }
        return """
        // swift-tools-version: 6.1
        // Written by `lumen learn --edit`: your copy of a lesson's code, depending on Lumen at
        // \(lumenRoot).
        import PackageDescription

        let package = Package(
            name: "\(target)",
            dependencies: [.package(path: "\(lumenRoot)")],
            targets: [
                .executableTarget(name: "\(target)", dependencies: [
        \(products.joined(separator: "\n"))
                ]),
            ]
        )

        """
    }

    /// main.swift: the imports, one function per step that runs code (its ```swift blocks),
    /// then a loop that runs each and prints what it produced. The functions sit in an
    /// extension of the lesson's enum (`Lesson17`, copied beside it), because the shown code
    /// uses its members, as the lesson's own step code does.
    public static func mainSwift(lesson: Lesson, imports: [String]) -> String {
        var text = """
        // Lesson \(lesson.id): \(lesson.title). Your copy of its code: change it and run `swift run`.
        // Each step is a function; `out` collects what it prints and draws. Pictures go to
        // lumen-out/lesson-\(lesson.paddedID)/, as in `lumen learn \(lesson.id)`.


        """
        let modules = Array(Set(imports + ["LessonKit"])).sorted()
        text += modules.map { "import \($0)" }.joined(separator: "\n") + "\n"
        var calls: [String] = []
        let enumName = "Lesson\(lesson.paddedID)"
        text += "\nextension \(enumName) {"
        for (index, step) in lesson.steps.enumerated() where step.runName != nil {
            let name = "step\(index + 1)"
            let body = step.swiftBlocks.joined(separator: "\n\n").split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "        " + $0 }.joined(separator: "\n")
            text += "\n    // Step \(index + 1): \(step.title)\n    static func \(name)(_ out: StepContext) throws {\n\(body)\n    }\n"
            calls.append("    (\"Step \(index + 1): \(step.title.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))\", \(enumName).\(name)),")
        }
        text += """
        }

        let frames = FrameWriter(root: "lumen-out", lessonID: \(lesson.id), prefix: "play-")
        let yourSteps: [(String, (StepContext) throws -> Void)] = [
        \(calls.joined(separator: "\n"))
        ]
        for (title, step) in yourSteps {
            print("── \\(title) ──")
            let out = StepContext(frames: frames)
            do { try step(out) } catch { out.print("error: \\(error)") }
            out.printOutputs()
        }

        """
        return text
    }
}

extension StepContext {
    /// Prints what the step produced so far as plain text, the way `lumen learn` shows it
    /// without a terminal: its lines, where each picture went, and each backward frame.
    public func printOutputs() {
        let style = TerminalStyle(width: 100, color: false)
        for output in outputs {
            switch output {
            case .line(let text):
                Swift.print(text)
            case .picture(let title, let file, let png, _, let problem):
                for path in [file, png].compactMap({ $0 }) { Swift.print("picture of \(title): \(path)") }
                if let problem { Swift.print("(no picture of \(title): \(problem))") }
            case .frame, .tensorFrame:
                Swift.print(output.frame!.lines(style: style).joined(separator: "\n"))
            }
        }
    }
}
