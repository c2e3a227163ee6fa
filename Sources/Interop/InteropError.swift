// InteropError.swift — everything that can be wrong with a file handed to `lumen eval`,
// `lumen predict` or `lumen export`: each case names the file, the place in it, what was
// found and what was expected.
//
// Read next: SavedModel.swift.

import Checkpoints
import Training

/// A typed error of the Interop readers and commands.
public enum InteropError: Error, CustomStringConvertible {
    /// The checkpoint could not be read, or its tensors do not fit its model.
    case checkpoint(CheckpointError)
    /// The checkpoint's model description is broken (`ModelSpecError` says how).
    case modelSpec(path: String, ModelSpecError)
    /// The checkpoint does not say which model it holds, and no recipe names one.
    case undescribedModel(path: String, reason: String)
    /// Loading the recipe's data failed.
    case training(TrainingError)
    /// A file cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// A .npy file is malformed or of a kind Lumen does not read.
    case npy(path: String, problem: String)
    /// A CSV file is malformed at `line` (1-based) and `column` (1-based, when known).
    case csv(path: String, line: Int, column: Int?, problem: String)
    /// An input's size does not fit the model.
    case inputDoesNotFit(path: String, found: String, expected: String)
    /// The data set's classes do not fit the model's outputs.
    case classesDoNotFit(found: Int, expected: Int)
    /// A picture that cannot be read.
    case image(path: String, problem: String)
    /// A file of a kind `lumen predict` does not read.
    case unsupportedInput(path: String)
    /// A layer that ONNX export does not cover yet.
    case cannotExport(layer: String, index: Int, reason: String)
    /// The output file could not be written.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .checkpoint(error): "\(error)"
        case let .modelSpec(path, error): "\(path): \(error)"
        case let .undescribedModel(path, reason): "\(path) does not say which model it holds: \(reason)"
        case let .training(error): "\(error)"
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .npy(path, problem): "\(path) is not a .npy array Lumen can read: \(problem)"
        case let .csv(path, line, column, problem):
            "\(path), line \(line)" + (column.map { ", column \($0)" } ?? "") + ": \(problem)"
        case let .inputDoesNotFit(path, found, expected): "\(path) holds \(found), but the model expects \(expected)"
        case let .classesDoNotFit(found, expected):
            "the data has \(found) classes, but the model has \(expected) outputs"
        case let .image(path, problem): "\(path) is not a picture Lumen can read: \(problem)"
        case let .unsupportedInput(path):
            "\(path) is not an input lumen predict reads (expected a .csv, .npy or .png file)"
        case let .cannotExport(layer, index, reason): "layer \(index), \(layer), cannot be exported to ONNX: \(reason)"
        case let .writeFailed(path, reason): "cannot write \(path): \(reason)"
        }
    }
}
