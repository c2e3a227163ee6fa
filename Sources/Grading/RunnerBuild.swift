// RunnerBuild.swift — building the learner's code into a runner that Lumen controls.
//
// `lumen grade` never builds or runs the learner's package as the learner left it: their
// Package.swift and tests could say anything. It copies only Sources/Exercises/*.swift into
// a scratch package of its own, outside the learner's folder (in the user's cache folder):
//
//   <scratch>/ExerciseKit/                   Lumen's Sources/ExerciseKit, copied
//   <scratch>/kit/                           it, compiled once: libExerciseKit.a and its module
//   <scratch>/Exercises/                     the learner's Sources/Exercises/*.swift, copied
//   <scratch>/Runner/LumenRunnerMain.swift   written here: serve `learnerSolution()` (Remote.swift)
//   <scratch>/bin/ExerciseRunner             the learner's files and the entry point, linked
//
// The learner's module sees ExerciseKit alone (and the system's modules, which
// `checkImports` narrows to Foundation): before anything is built every `import` in it is
// checked against `allowedModules`. A rebuild after a save compiles the learner's files and
// links, nothing more; with nothing changed it builds nothing. The build runs once, under a
// lock; the tasks then run the built binary, with no lock held.
//
// Read next: ChildConnection.swift.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

public struct RunnerBuild: Sendable {
    /// The modules the learner's code may import (Exercises/README.md says the same).
    public static let allowedModules = ["ExerciseKit", "Foundation"]

    /// The learner's Exercises folder.
    public let exercises: URL
    /// The scratch package.
    public let scratch: URL
    /// The Lumen checkout whose Sources/ExerciseKit is copied.
    public let lumenRoot: URL

    public init(exercises: URL, scratch: URL? = nil, lumenRoot: URL = RunnerBuild.lumenRoot) {
        self.exercises = exercises.standardizedFileURL
        self.scratch = scratch ?? RunnerBuild.defaultScratch(for: exercises.standardizedFileURL)
        self.lumenRoot = lumenRoot
    }

    /// The checkout this program was built from (this file is Sources/Grading/RunnerBuild.swift).
    public static var lumenRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `$LUMEN_CACHE`, else `$XDG_CACHE_HOME/lumen`, else `~/.cache/lumen`; one folder per Exercises folder.
    public static func defaultScratch(for exercises: URL) -> URL {
        let environment = ProcessInfo.processInfo.environment
        let cache: URL
        if let folder = environment["LUMEN_CACHE"], !folder.isEmpty {
            cache = URL(fileURLWithPath: folder)
        } else if let folder = environment["XDG_CACHE_HOME"], !folder.isEmpty {
            cache = URL(fileURLWithPath: folder).appendingPathComponent("lumen")
        } else {
            cache = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/lumen")
        }
        // FNV-1a of the path: stable from run to run (Swift's own hashes are not).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in exercises.path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return cache.appendingPathComponent("grade-" + String(hash, radix: 16))
    }

    /// The built runner.
    public var runner: URL { scratch.appendingPathComponent("bin/ExerciseRunner") }

    var learnerSources: URL { exercises.appendingPathComponent("Sources/Exercises") }

    // MARK: - Imports

    /// Every `import` of a module outside `allowedModules`, and every `@testable import`, is refused.
    public func checkImports() throws(GradingError) {
        for file in swiftFiles(in: learnerSources) {
            guard let text = try? String(contentsOf: learnerSources.appendingPathComponent(file), encoding: .utf8) else { continue }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let imported = RunnerBuild.importedModule(in: String(line)) else { continue }
                if imported.testable || !RunnerBuild.allowedModules.contains(imported.module) {
                    throw .forbiddenImport(file: "Sources/Exercises/\(file)", line: number + 1, text: line.trimmingCharacters(in: .whitespaces),
                                           allowed: RunnerBuild.allowedModules)
                }
            }
        }
    }

    /// The module a line imports (`import Tensors`, `@testable import X`, `import struct X.Y`), or nil.
    static func importedModule(in line: String) -> (module: String, testable: Bool)? {
        var words = line.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var testable = false
        while let first = words.first, first.hasPrefix("@") {
            if first.hasPrefix("@testable") { testable = true }
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        let kinds: Set<String> = ["typealias", "struct", "class", "enum", "protocol", "let", "var", "func"]
        let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
        return (String(path.split(separator: ".").first ?? ""), testable)
    }

    // MARK: - Assembling and building

    /// Writes the scratch folder: the kit, the learner's files, the runner's entry point.
    public func assemble() throws(GradingError) {
        let kit = lumenRoot.appendingPathComponent("Sources/ExerciseKit")
        guard !swiftFiles(in: kit).isEmpty else { throw .kitNotFound(path: kit.path) }
        do {
            try mirror(kit, to: scratch.appendingPathComponent("ExerciseKit"))
            try mirror(learnerSources, to: scratch.appendingPathComponent("Exercises"))
            try writeIfChanged(RunnerBuild.main, to: scratch.appendingPathComponent("Runner/LumenRunnerMain.swift"))
        } catch {
            throw .cannotRun(command: "copying the exercises to \(scratch.path)", reason: "\(error)")
        }
    }

    /// The runner's entry point: answer the grader's calls with the learner's functions. It is
    /// compiled into the learner's module (so it needs no import of it), under a name no learner
    /// file is likely to use.
    static let main = """
        // Written by `lumen grade`: answer the grader's calls with the learner's functions.
        import ExerciseKit

        @main enum LumenGradeRunnerMain {
            static func main() { ExerciseRunner.serve(learnerSolution()) }
        }

        """

    /// The compiler's flags for both steps: a debug build (every overflow and bounds check on,
    /// line tables for a crash's file and line) in the Swift 6 language mode that the learner's
    /// `swift test` uses too. Not `-wmo`: it would halve a re-grade's compile time, but its line
    /// tables put a crash inside the learner's `backward` at the first file of the module
    /// (GradeIsolationTests checks that a crash names the learner's file and line).
    static let swiftFlags = ["-Onone", "-g", "-swift-version", "6", "-parse-as-library"]

    /// Compiles the runner, holding a lock on the scratch folder so that two `lumen grade`s do
    /// not build into it at once. Two steps, each skipped when its stamp (a hash of its inputs)
    /// says it is up to date:
    ///
    ///   kit/      Lumen's ExerciseKit as a static library and module: built once per checkout.
    ///   runner    the learner's files and the entry point, compiled and linked in one `swiftc`.
    ///
    /// `swiftc` is called directly, not through `swift build`: the scratch folder holds three
    /// fixed pieces, so SwiftPM's manifest, planning and build database would only add to every
    /// re-grade. In one sitting (load ~11, 2 cores) a rebuild after a one-line edit took 3.1–3.8 s
    /// through `swift build` and 1.9 s here; a re-grade with nothing changed builds nothing.
    public func build(timeout: Double = 1800) throws(GradingError) {
        try checkImports()
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw .cannotRun(command: "creating \(scratch.path)", reason: "\(error)")
        }
        let lockFD = open(scratch.appendingPathComponent(".lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if lockFD >= 0 { flock(lockFD, LOCK_EX) }
        defer { if lockFD >= 0 { flock(lockFD, LOCK_UN); close(lockFD) } }
        try assemble()

        let kitFolder = scratch.appendingPathComponent("kit")
        // Absolute paths, so that the compiler's errors name files that CompilerErrors can map back.
        let kitSources = swiftFiles(in: scratch.appendingPathComponent("ExerciseKit")).map { scratch.path + "/ExerciseKit/" + $0 }
        let kitStamp = stamp(of: kitSources, extra: RunnerBuild.swiftFlags.joined(separator: " "))
        if !isStamped(kitFolder.appendingPathComponent(".stamp"), kitStamp) {
            try? FileManager.default.removeItem(at: kitFolder)
            try? FileManager.default.createDirectory(at: kitFolder, withIntermediateDirectories: true)
            try compile(RunnerBuild.swiftFlags + ["-module-name", "ExerciseKit", "-emit-module", "-emit-module-path", "kit/ExerciseKit.swiftmodule",
                                                 "-static", "-emit-library", "-o", "kit/libExerciseKit.a"] + kitSources, timeout: timeout)
            try? Data(kitStamp.utf8).write(to: kitFolder.appendingPathComponent(".stamp"))
        }

        let learnerFiles = swiftFiles(in: scratch.appendingPathComponent("Exercises")).map { scratch.path + "/Exercises/" + $0 }
        let runnerFiles = learnerFiles + [scratch.path + "/Runner/LumenRunnerMain.swift"]
        let runnerStamp = stamp(of: runnerFiles, extra: kitStamp)
        let stampFile = scratch.appendingPathComponent("bin/.stamp")
        if FileManager.default.isExecutableFile(atPath: runner.path), isStamped(stampFile, runnerStamp) { return }
        try? FileManager.default.createDirectory(at: runner.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: stampFile)
        // Linked beside the runner, then renamed over it, so that a runner is always whole.
        let fresh = "bin/ExerciseRunner.new"
        try compile(RunnerBuild.swiftFlags + ["-module-name", "Exercises", "-I", "kit"] + runnerFiles + ["kit/libExerciseKit.a", "-o", fresh],
                    timeout: timeout)
        guard rename(scratch.appendingPathComponent(fresh).path, runner.path) == 0 else {
            throw .cannotRun(command: "renaming \(fresh) to \(runner.path)", reason: String(cString: strerror(errno)))
        }
        try? Data(runnerStamp.utf8).write(to: stampFile)
    }

    /// Runs `swiftc` with `arguments` in the scratch folder; a failure quotes the compiler's errors.
    func compile(_ arguments: [String], timeout: Double) throws(GradingError) {
        let result = try ChildProcess.run(["swiftc"] + arguments, in: scratch, timeout: timeout)
        guard result.ending == .exited(0) else {
            throw .buildFailed(output: CompilerErrors.quote(result.output, scratch: scratch, learner: exercises))
        }
    }

    /// A hash of these files' paths and contents, and `extra`: FNV-1a, stable from run to run.
    func stamp(of files: [String], extra: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        for file in files {
            mix(file.utf8)
            mix((try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data())
            mix([0])
        }
        mix(extra.utf8)
        return String(hash, radix: 16)
    }

    func isStamped(_ file: URL, _ stamp: String) -> Bool {
        (try? String(contentsOf: file, encoding: .utf8)) == stamp
    }

    // MARK: - Files

    func swiftFiles(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".swift") }.sorted()
    }

    /// Makes `destination` hold exactly the Swift files of `source`, touching only those that differ.
    func mirror(_ source: URL, to destination: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: destination, withIntermediateDirectories: true)
        let wanted = Set(swiftFiles(in: source))
        for stale in swiftFiles(in: destination) where !wanted.contains(stale) {
            try manager.removeItem(at: destination.appendingPathComponent(stale))
        }
        for file in wanted {
            try writeIfChanged(try Data(contentsOf: source.appendingPathComponent(file)), to: destination.appendingPathComponent(file))
        }
    }

    func writeIfChanged(_ text: String, to url: URL) throws {
        try writeIfChanged(Data(text.utf8), to: url)
    }

    func writeIfChanged(_ data: Data, to url: URL) throws {
        if (try? Data(contentsOf: url)) == data { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
