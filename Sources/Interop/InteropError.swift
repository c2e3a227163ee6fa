// InteropError.swift — everything that can be wrong with a file handed to `lumen eval`,
// `lumen predict` or `lumen export`: each case names the file, the place in it, what was
// found and what was expected.
//
// Read next: SavedModel.swift.

import Checkpoints
import FileFormats
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
    /// An input or data file is unreadable, malformed, or does not fit the model
    /// (FileFormats/FileFormatError.swift).
    case input(FileFormatError)
    /// The data set's classes do not fit the model's outputs.
    case classesDoNotFit(found: Int, expected: Int)
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
        case let .input(error): "\(error)"
        case let .classesDoNotFit(found, expected):
            "the data has \(found) classes, but the model has \(expected) outputs"
        case let .cannotExport(layer, index, reason): "layer \(index), \(layer), cannot be exported to ONNX: \(reason)"
        case let .writeFailed(path, reason): "cannot write \(path): \(reason)"
        }
    }
}
