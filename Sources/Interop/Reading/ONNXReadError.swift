// ONNXReadError.swift — everything that can be wrong with an ONNX file handed to `lumen draw`:
// each case names the file, and what in it was wrong.
//
// Read next: ONNXReader.swift.

/// Why an ONNX file could not be read.
public enum ONNXReadError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (missing, a folder, too large, …).
    case unreadable(path: String, reason: String)
    /// The bytes are not a well-formed ONNX protobuf message.
    case malformed(path: String, problem: String)
    /// The graph claims more nodes, initializers or values than Lumen reads.
    case tooMany(path: String, what: String, count: Int, limit: Int)
    /// A part of the graph is well-formed protobuf but not valid ONNX (a negative dimension,
    /// a node without an op type).
    case invalid(path: String, what: String, problem: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .malformed(path, problem): "\(path) is not a readable ONNX file: \(problem)"
        case let .tooMany(path, what, count, limit):
            "\(path) claims \(count) \(what), more than the \(limit) Lumen reads"
        case let .invalid(path, what, problem): "\(path): \(what) is not valid ONNX: \(problem)"
        }
    }
}
