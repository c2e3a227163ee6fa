// ExercisesFolder.swift — finding the learner's Exercises package.
//
// `lumen grade` works from the Lumen checkout, from inside Exercises/, or from any folder
// below them; `--exercises <path>` overrides the search.
//
// Read next: ChildProcess.swift.

import Foundation

public enum ExercisesFolder {
    /// The Exercises folder: `explicit` if given (it must hold Package.swift), else the first
    /// of `start` and its parents that is the Exercises folder or contains one.
    public static func locate(explicit: String? = nil, from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws(GradingError) -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit).standardizedFileURL
            guard isExercisesPackage(url) else { throw .exercisesNotFound(searchedFrom: url.path) }
            return url
        }
        var folder = start.standardizedFileURL
        while true {
            if isExercisesPackage(folder) { return folder }
            let child = folder.appendingPathComponent("Exercises")
            if isExercisesPackage(child) { return child }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { throw .exercisesNotFound(searchedFrom: start.path) }
            folder = parent
        }
    }

    /// True for a folder holding the exercises' Package.swift and their sources.
    static func isExercisesPackage(_ url: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
            && manager.fileExists(atPath: url.appendingPathComponent("Sources/Exercises/Hookup.swift").path)
    }

    /// The Swift files a learner edits, with their modification dates (for `--watch`).
    public static func sourceDates(_ folder: URL) -> [String: Date] {
        let sources = folder.appendingPathComponent("Sources/Exercises")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []
        var dates: [String: Date] = [:]
        for name in names where name.hasSuffix(".swift") {
            let path = sources.appendingPathComponent(name).path
            if let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date {
                dates[name] = date
            }
        }
        return dates
    }
}
