// FileFormatError.swift — everything that can be wrong with a data file that someone hands
// Lumen (a .csv table, a .npy array, a .png picture): each case names the file, the place in
// it, what was found and what was expected.
//
// The readers of this module know nothing of models or checkpoints, so that each can be
// fuzzed alone (Fuzz/Targets/csv.swift, npy.swift, png.swift); Interop wraps this error in
// `InteropError.input`.
//
// Read next: NPYFile.swift.

import Files

/// A typed error of the data-file readers.
public enum FileFormatError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// A .npy file is malformed or of a kind Lumen does not read.
    case npy(path: String, problem: String)
    /// A CSV file is malformed at `line` (1-based) and `column` (1-based, when known).
    case csv(path: String, line: Int, column: Int?, problem: String)
    /// A picture that cannot be read.
    case image(path: String, problem: String)
    /// An input's size does not fit the model.
    case inputDoesNotFit(path: String, found: String, expected: String)
    /// A file of a kind `lumen predict` does not read.
    case unsupportedInput(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .npy(path, problem): "\(path) is not a .npy array Lumen can read: \(problem)"
        case let .csv(path, line, column, problem):
            "\(path), line \(line)" + (column.map { ", column \($0)" } ?? "") + ": \(problem)"
        case let .image(path, problem): "\(path) is not a picture Lumen can read: \(problem)"
        case let .inputDoesNotFit(path, found, expected): "\(path) holds \(found), but the model expects \(expected)"
        case let .unsupportedInput(path):
            "\(path) is not an input lumen predict reads (expected a .csv, .npy or .png file)"
        }
    }

    /// A `FileReadError` (Files/FileReading.swift) about `path`.
    init(_ error: FileReadError, path: String) {
        self = .unreadable(path: path, reason: error.reason)
    }
}
