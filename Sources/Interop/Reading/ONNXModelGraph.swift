// ONNXModelGraph.swift — what `lumen draw model.onnx` needs to know of an ONNX file, in
// Lumen's own plain types: the graph's inputs and outputs with their shapes, its weights
// (initializers) with their shapes, and its nodes in order (op, inputs, outputs, attributes).
// The protobuf messages stay inside the reader (ONNXReader.swift), so nothing else depends
// on the generated code.
//
// Read next: ONNXReader.swift, which fills it in from a file.

/// An ONNX model's graph, as read and checked by `ONNXReader`.
public struct ONNXModelGraph: Sendable, Equatable {
    /// One dimension of a shape: a number, a name such as "N" or "batch", or nothing known.
    public enum Dimension: Sendable, Equatable, CustomStringConvertible {
        case known(Int)
        case named(String)
        case unknown

        public var description: String {
            switch self {
            case .known(let size): "\(size)"
            case .named(let name): name
            case .unknown: "?"
            }
        }
    }

    /// A named tensor the graph takes or gives: its element type ("float", "int64", …) and its
    /// shape when the file states one.
    public struct Value: Sendable, Equatable {
        public var name: String
        public var elementType: String
        public var shape: [Dimension]?
    }

    /// A weight stored in the file, by name, element type and shape. Small int64 tensors
    /// (at most `ONNXReader.maximumShownInts` numbers) keep their values, since a Reshape's
    /// target shape is one.
    public struct Initializer: Sendable, Equatable {
        public var name: String
        public var elementType: String
        public var shape: [Int]
        public var int64Values: [Int]?
    }

    /// An attribute of a node, with its value when it is a number, numbers, text or a small
    /// tensor; other kinds (graphs, sparse tensors, types) only by kind.
    public enum AttributeValue: Sendable, Equatable {
        case int(Int)
        case ints([Int])
        case float(Double)
        case floats([Double])
        case string(String)
        case tensor(Initializer)
        case other(kind: String)
    }

    /// One operator application.
    public struct Node: Sendable, Equatable {
        public var name: String
        public var opType: String
        public var domain: String
        public var inputs: [String]
        public var outputs: [String]
        public var attributes: [(name: String, value: AttributeValue)]

        public static func == (a: Node, b: Node) -> Bool {
            a.name == b.name && a.opType == b.opType && a.domain == b.domain && a.inputs == b.inputs && a.outputs == b.outputs
                && a.attributes.map(\.name) == b.attributes.map(\.name) && a.attributes.map(\.value) == b.attributes.map(\.value)
        }

        /// The attribute `name`, if the node has it.
        public func attribute(_ name: String) -> AttributeValue? {
            attributes.first { $0.name == name }?.value
        }
    }

    /// The graph's name, and who wrote the file ("pytorch 2.15.0", "lumen 1").
    public var name: String
    public var producer: String
    /// The operator sets the model uses: the default domain's version is the ONNX opset.
    public var opsets: [(domain: String, version: Int)]
    public var inputs: [Value]
    public var outputs: [Value]
    /// Shapes of intermediate values, when the file records them (after shape inference).
    public var valueInfo: [Value]
    public var initializers: [Initializer]
    public var nodes: [Node]

    public static func == (a: ONNXModelGraph, b: ONNXModelGraph) -> Bool {
        a.name == b.name && a.producer == b.producer && a.opsets.map(\.domain) == b.opsets.map(\.domain)
            && a.opsets.map(\.version) == b.opsets.map(\.version) && a.inputs == b.inputs && a.outputs == b.outputs
            && a.valueInfo == b.valueInfo && a.initializers == b.initializers && a.nodes == b.nodes
    }

    /// The graph inputs that are real inputs, not weights (older exporters list the
    /// initializers among the inputs too).
    public var dataInputs: [Value] {
        let weights = Set(initializers.map(\.name))
        return inputs.filter { !weights.contains($0.name) }
    }
}
