// ONNXExport.swift — a saved model written as an ONNX file, which onnxruntime (and Netron,
// TensorRT, a browser's onnxruntime-web …) can run without Lumen.
//
// ONNX is a graph of standard operators over named tensors, stored as protobuf messages. The
// message types (Onnx_ModelProto, Onnx_GraphProto, Onnx_NodeProto, Onnx_TensorProto) were
// generated once from the onnx.proto of PyPI's onnx package (Generated/onnx.pb.swift,
// Scripts/generate-onnx.sh); swift-protobuf encodes them. Here each Lumen layer becomes one
// or a few nodes (ONNXExport+Layers.swift), its weights become initializers under their
// checkpoint names ("0.weight"), and the model's input is `input`, shape [N] + the input
// shape with N free, and its output `logits`, [N, classes].
//
// Read next: ONNXExport+Layers.swift.

import Checkpoints
import Files
import Foundation
import Layers
import SwiftProtobuf
import Tensors

/// Writing a `SavedModel` as ONNX.
public enum ONNXExport {
    /// The operator set the graph is written against (ONNX 1.12 and later, onnxruntime
    /// 1.12 and later): the first with LayerNormalization.
    public static let opsetVersion: Int64 = 17
    /// The file-format version that goes with opset 17.
    static let irVersion: Int64 = 8

    /// The ONNX file's bytes.
    ///
    /// - Throws: `InteropError.cannotExport` naming the first layer that has no ONNX form yet.
    public static func encode(_ saved: SavedModel) throws(InteropError) -> [UInt8] {
        let model = try modelProto(saved)
        // Every field is set from checked values; encoding a complete message cannot fail.
        return try! model.serializedBytes()
    }

    /// Writes the ONNX file to `path`, atomically.
    ///
    /// - Throws: what `encode` throws, and `InteropError.writeFailed`.
    public static func write(_ saved: SavedModel, to path: String) throws(InteropError) {
        let bytes = try encode(saved)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }

    /// The whole model: the graph, the operator set, and who made it.
    static func modelProto(_ saved: SavedModel) throws(InteropError) -> Onnx_ModelProto {
        var graph = ONNXGraph(state: saved.model.namedState)
        graph.proto.name = saved.recipe?.name ?? "lumen"
        var current = "input"
        var shape = [-1] + saved.spec.inputShape  // −1: the free batch size
        for (index, layer) in saved.spec.layers.enumerated() {
            let next = index == saved.spec.layers.count - 1 ? "logits" : "\(index).output"
            try graph.add(layer, index: index, input: current, inputShape: shape, output: next)
            // The spec was checked when it was loaded, so its shapes are known.
            shape = [-1] + Array(((try? layer.outputShape(batch: [1] + shape.dropFirst())) ?? []).dropFirst())
            current = next
        }
        graph.proto.input = [valueInfo("input", [-1] + saved.spec.inputShape)]
        graph.proto.output = [valueInfo(current, [-1] + saved.outputShape)]

        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        model.opsetImport = [opset]
        model.producerName = "lumen"
        model.producerVersion = "1"
        model.docString = "Exported by lumen export from \(URL(fileURLWithPath: saved.path).lastPathComponent)"
        model.graph = graph.proto
        var classes = Onnx_StringStringEntryProto()
        classes.key = ModelSpec.MetadataKey.classNames
        classes.value = saved.spec.metadata[ModelSpec.MetadataKey.classNames] ?? "[]"
        model.metadataProps = [classes]
        return model
    }

    /// A float tensor's name, element type and shape; −1 is the free batch size "N".
    static func valueInfo(_ name: String, _ shape: [Int]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensorType.shape.dim = shape.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if size < 0 { dimension.dimParam = "N" } else { dimension.dimValue = Int64(size) }
            return dimension
        }
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensorType
        return info
    }
}

/// A graph being built: its nodes and initializers, and the model's state to take weights from.
struct ONNXGraph {
    var proto = Onnx_GraphProto()
    let state: [String: Tensor<Float>]

    init(state: [(name: String, tensor: Tensor<Float>)]) {
        self.state = Dictionary(state.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    }

    /// Adds a node `opType(inputs) → outputs` with `attributes`.
    mutating func node(_ opType: String, _ inputs: [String], _ outputs: [String], name: String,
                       _ attributes: [Onnx_AttributeProto] = []) {
        var node = Onnx_NodeProto()
        node.opType = opType
        node.name = name
        node.input = inputs
        node.output = outputs
        node.attribute = attributes
        proto.node.append(node)
    }

    /// Adds the model's tensor `name` as an initializer (once) and returns its name.
    mutating func weight(_ name: String) -> String {
        if !proto.initializer.contains(where: { $0.name == name }) {
            // The state names come from the spec the model was built from.
            let tensor = state[name]!
            proto.initializer.append(Self.tensor(name, shape: tensor.shape, values: tensor.scalars))
        }
        return name
    }

    /// Adds a constant float tensor as an initializer and returns its name.
    mutating func constant(_ name: String, shape: [Int], values: [Float]) -> String {
        proto.initializer.append(Self.tensor(name, shape: shape, values: values))
        return name
    }

    /// Adds a constant int64 tensor (a shape for Reshape, an index for Gather) and returns its
    /// name; `shape` defaults to one axis of the values' count, `[]` is a scalar.
    mutating func constant(_ name: String, int64 values: [Int64], shape: [Int]? = nil) -> String {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.dims = (shape ?? [values.count]).map(Int64.init)
        tensor.int64Data = values
        proto.initializer.append(tensor)
        return name
    }

    /// A float32 tensor with its values as little-endian bytes (ONNX's raw_data).
    static func tensor(_ name: String, shape: [Int], values: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.dims = shape.map(Int64.init)
        var bytes = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        tensor.rawData = bytes
        return tensor
    }
}

/// ONNX node attributes.
enum Attribute {
    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }

    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    static func float(_ name: String, _ value: Double) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .float
        attribute.f = Float(value)
        return attribute
    }
}
