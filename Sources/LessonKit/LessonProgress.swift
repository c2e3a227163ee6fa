// LessonProgress.swift — the learner's progress: which lessons are done, and where they stopped in
// each, kept in a small plain-text file (default ~/.lumen/progress).
//
// The file is rewritten whole, atomically, at every move, so quitting or Ctrl-C at any moment
// leaves it as it was after the last move. Read next: LessonRunner.swift.

import Foundation

/// Where a learner is in one lesson: the step, and the screen within it (0 is the text).
public struct Position: Equatable, Sendable {
    public var step: Int
    public var screen: Int
    public init(step: Int, screen: Int) { self.step = step; self.screen = screen }
}

/// What the progress file holds.
///
/// ```text
/// # Lumen lesson progress. One fact per line; delete this file to start over.
/// current 3
/// done 1
/// done 2
/// at 3 4 0
/// ```
public struct LessonProgress: Equatable, Sendable {
    /// The lesson opened last.
    public var current: Int?
    /// Lessons finished.
    public var done: Set<Int> = []
    /// Where the learner left each lesson they started.
    public var positions: [Int: Position] = [:]

    public init() {}

    public enum Status: String, Sendable { case done, current, started = "in progress", notStarted = "not started" }

    public func status(of lesson: Int) -> Status {
        if lesson == current { return .current }
        if done.contains(lesson) { return .done }
        if positions[lesson] != nil { return .started }
        return .notStarted
    }

    /// The file's text.
    public var text: String {
        var lines = ["# Lumen lesson progress. One fact per line; delete this file to start over."]
        if let current { lines.append("current \(current)") }
        lines += done.sorted().map { "done \($0)" }
        lines += positions.keys.sorted().map { "at \($0) \(positions[$0]!.step) \(positions[$0]!.screen)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses the file's text; a line it does not understand is an error naming the line.
    public init(parsing text: String, path: String) throws(ProgressError) {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(separator: " ")
            let numbers = words.dropFirst().map { Int($0) }
            guard !numbers.contains(where: { $0 == nil || $0! < 0 }) else {
                throw .corrupt(path: path, line: number + 1, text: line)
            }
            let n = numbers.map { $0! }
            switch (words.first, n.count) {
            case ("current", 1): current = n[0]
            case ("done", 1): done.insert(n[0])
            case ("at", 3): positions[n[0]] = Position(step: n[1], screen: n[2])
            default: throw .corrupt(path: path, line: number + 1, text: line)
            }
        }
    }
}

/// Why the progress file could not be used.
public enum ProgressError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case corrupt(path: String, line: Int, text: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read the progress file \(path): \(reason)\nhint: check its permissions, or pass --progress FILE to use another file"
        case .corrupt(let path, let line, let text):
            "the progress file \(path) is damaged at line \(line): \"\(text)\"\nhint: fix or delete that line (or the file, to start over), or pass --progress FILE"
        case .unwritable(let path, let reason):
            "cannot save progress to \(path): \(reason)\nhint: check that its folder is writable, or pass --progress FILE"
        }
    }
}

/// The progress file on disk.
public struct ProgressFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `--progress FILE` if given, else `$LUMEN_PROGRESS`, else `~/.lumen/progress`.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressFile {
        if let option { return ProgressFile(path: option) }
        if let env = environment["LUMEN_PROGRESS"], !env.isEmpty { return ProgressFile(path: env) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return ProgressFile(path: (home as NSString).appendingPathComponent(".lumen/progress"))
    }

    /// The saved progress; a missing file is a fresh start.
    public func load() throws(ProgressError) -> LessonProgress {
        guard FileManager.default.fileExists(atPath: path) else { return LessonProgress() }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .corrupt(path: path, line: 1, text: "(not UTF-8 text)")
        }
        return try LessonProgress(parsing: text, path: path)
    }

    /// Writes `progress` atomically, creating the folder if needed.
    public func save(_ progress: LessonProgress) throws(ProgressError) {
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try AtomicWrite.write(Data(progress.text.utf8), to: path)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
