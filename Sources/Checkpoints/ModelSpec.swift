// ModelSpec.swift — what a checkpoint says about the model it holds, so that nothing else is
// needed to rebuild it: the layers in order with their settings, the shape of one input
// example, and the names of the classes.
//
// A checkpoint stores it as three metadata strings next to the weights:
//
//     "lumen.architecture": [{"linear":{"inFeatures":64,"outFeatures":128,"bias":true}},{"relu":{}}, …]
//     "lumen.input_shape":  [64]            (one example; a batch adds N in front)
//     "lumen.class_names":  ["0","1",…,"9"]
//
// Plain JSON, so a Python script can read it with `safe_open(path, "np").metadata()` and build
// the same network in PyTorch. Rebuilding is checked before anything is allocated: every
// layer's settings are in range, each layer's input fits the one before (shape inference,
// LayerSpec+Shapes.swift), and every tensor the layers would own is in the file with its
// shape. A spec that passes cannot make the model trap or allocate more than the file holds.
//
// Read next: LayerSpec.swift (one layer), then LayerSpec+Shapes.swift.

import Foundation
import Layers
import Tensors

/// A model's architecture, input shape and class names, as a checkpoint records them.
public struct ModelSpec: Codable, Equatable, Sendable {
    /// The layers of the `Sequential`, in order; layer i owns the state names "i.…".
    public var layers: [LayerSpec]
    /// The shape of one example, without the batch axis: `[64]`, `[1, 8, 8]`.
    public var inputShape: [Int]
    /// One name per output class, index order: `["0", …, "9"]`.
    public var classNames: [String]

    public init(layers: [LayerSpec], inputShape: [Int], classNames: [String]) {
        self.layers = layers
        self.inputShape = inputShape
        self.classNames = classNames
    }

    /// The metadata keys of a self-describing checkpoint.
    public enum MetadataKey {
        public static let architecture = "lumen.architecture"
        public static let inputShape = "lumen.input_shape"
        public static let classNames = "lumen.class_names"
        public static let all = [architecture, inputShape, classNames]
    }

    /// Limits that keep a hostile file from asking for absurd models: how many layers, and
    /// how many numbers one example or one layer's output may hold.
    public static let maximumLayers = 1_000
    public static let maximumElements = 1 << 24
    /// The most numbers all the layers' tensors together may hold (1 GiB of Float).
    public static let maximumParameters = 1 << 28

    // MARK: - From a model

    /// The spec of `model`, with `inputShape` and `classNames` as given.
    ///
    /// - Throws: `ModelSpecError.cannotDescribe` naming the first layer that has no spec yet
    ///   (recurrent layers, attention, a user's own layer).
    public init<Scalar: TensorScalar>(describing model: Sequential<Scalar>, inputShape: [Int], classNames: [String]) throws(ModelSpecError) {
        var layers: [LayerSpec] = []
        for (index, layer) in model.layers.enumerated() {
            guard let spec = LayerSpec(describing: layer) else {
                throw .cannotDescribe(layer: layer.summaryName, index: index)
            }
            layers.append(spec)
        }
        self.init(layers: layers, inputShape: inputShape, classNames: classNames)
    }

    // MARK: - To and from metadata

    /// The three metadata strings.
    public var metadata: [String: String] {
        // Arrays of numbers, strings and simple enums always encode.
        [MetadataKey.architecture: Self.json(layers), MetadataKey.inputShape: Self.json(inputShape),
         MetadataKey.classNames: Self.json(classNames)]
    }

    /// The spec stored in `metadata`, or `nil` when it has none of the three keys (a
    /// checkpoint written before checkpoints described themselves).
    ///
    /// - Throws: `ModelSpecError.incomplete` when only some keys are there,
    ///   `.malformed(key:)` when one is not the JSON it should be.
    public static func read(from metadata: [String: String]) throws(ModelSpecError) -> ModelSpec? {
        let present = MetadataKey.all.filter { metadata[$0] != nil }
        if present.isEmpty { return nil }
        if present.count < MetadataKey.all.count {
            throw .incomplete(missing: MetadataKey.all.filter { metadata[$0] == nil })
        }
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws(ModelSpecError) -> T {
            guard let value = try? decoder.decode(T.self, from: Data(metadata[key]!.utf8)) else { throw .malformed(key: key) }
            return value
        }
        return ModelSpec(layers: try decode([LayerSpec].self, MetadataKey.architecture),
                         inputShape: try decode([Int].self, MetadataKey.inputShape),
                         classNames: try decode([String].self, MetadataKey.classNames))
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    // MARK: - Checking and building

    /// The shape of one output example (without the batch axis), after checking every layer.
    ///
    /// - Throws: `ModelSpecError.invalid` naming the layer and what is wrong with it.
    public func outputShape() throws(ModelSpecError) -> [Int] {
        guard !layers.isEmpty, layers.count <= Self.maximumLayers else {
            throw .invalid(index: nil, layer: "the model", problem: "has \(layers.count) layers; expected 1 to \(Self.maximumLayers)")
        }
        var shape = try Self.checkedShape(inputShape, at: nil, what: "the input shape")
        for (index, layer) in layers.enumerated() {
            // Shapes here are one example's; a layer sees a batch of them.
            let next: [Int]
            do throws(LayerSpec.ShapeProblem) {
                next = try layer.outputShape(batch: [1] + shape)
            } catch {
                throw .invalid(index: index, layer: layer.summary, problem: error.text)
            }
            shape = try Self.checkedShape(Array(next.dropFirst()), at: index, what: layer.summary)
        }
        // Counted saturating at Int.max: a hostile kernel size times channel counts can pass it.
        var parameters = 0
        for (_, tensorShape) in stateShapes {
            var count = 1
            for size in tensorShape {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                count = overflow ? Int.max : product
            }
            let (sum, overflow) = parameters.addingReportingOverflow(count)
            parameters = overflow ? Int.max : sum
        }
        guard parameters <= Self.maximumParameters else {
            throw .invalid(index: nil, layer: "the model", problem: "has \(parameters) parameters, more than the \(Self.maximumParameters) Lumen builds")
        }
        return shape
    }

    private static func checkedShape(_ shape: [Int], at index: Int?, what: String) throws(ModelSpecError) -> [Int] {
        var count = 1
        for size in shape {
            guard size > 0, size <= maximumElements else {
                throw .invalid(index: index, layer: what, problem: "gives the shape \(shape), whose sizes must be 1 to \(maximumElements)")
            }
            count = count.multipliedReportingOverflow(by: size).overflow ? Int.max : count * size
            guard count <= maximumElements else {
                throw .invalid(index: index, layer: what, problem: "gives the shape \(shape), more than \(maximumElements) numbers")
            }
        }
        return shape
    }

    /// Every tensor the layers own, under the state names a `Sequential` gives them
    /// ("0.weight", "3.running_mean"), with its shape.
    public var stateShapes: [(name: String, shape: [Int])] {
        layers.enumerated().flatMap { index, layer in
            layer.stateShapes.map { ("\(index).\($0.name)", $0.shape) }
        }
    }

    /// A new `Sequential` with these layers (weights from a fixed seed: load a checkpoint into it).
    ///
    /// - Throws: whatever `outputShape()` throws; nothing is built unless the spec is valid.
    public func makeModel<Scalar: TensorScalar>(_ scalar: Scalar.Type = Float.self) throws(ModelSpecError) -> Sequential<Scalar> {
        _ = try outputShape()
        return Sequential(layers.map { $0.makeLayer(Scalar.self) })
    }
}

/// What is wrong with a model spec.
public enum ModelSpecError: Error, Equatable, CustomStringConvertible {
    /// A layer of the model has no spec (so the checkpoint cannot describe it).
    case cannotDescribe(layer: String, index: Int)
    /// Some of the spec's metadata keys are there, these are not.
    case incomplete(missing: [String])
    /// The metadata string under `key` is not the JSON it should be.
    case malformed(key: String)
    /// A layer's settings are out of range, or its input does not fit the layer before.
    case invalid(index: Int?, layer: String, problem: String)

    public var description: String {
        switch self {
        case let .cannotDescribe(layer, index):
            "layer \(index), \(layer), cannot be described in a checkpoint yet (no spec for it)"
        case let .incomplete(missing):
            "its model description is incomplete: the metadata has no \(missing.joined(separator: ", "))"
        case let .malformed(key):
            "its metadata \(key) is not valid (expected the JSON that lumen writes)"
        case let .invalid(index, layer, problem):
            (index.map { "layer \($0), \(layer), " } ?? "\(layer) ") + problem
        }
    }
}
