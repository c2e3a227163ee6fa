// MLP.swift — a multi-layer perceptron: layers applied one after another.
//
//     MLP(inputs: 2, layerSizes: [16, 16, 1])     2 → 16 (ReLU) → 16 (ReLU) → 1 (linear)
//
// Every layer but the last applies ReLU; the last is linear, so its outputs are unbounded
// scores. The parameters come in micrograd's order (layer by layer, neuron by neuron, the
// weights and then the bias), so a list of numbers saved by micrograd loads straight in.
//
// Read next: TwoMoons.swift (the data) and MoonsTraining.swift (the training loop).

import Basics
import Engine

/// A stack of fully connected layers.
public struct MLP: Module {
    public let layers: [Layer]

    /// A fresh network. Weights are uniform in [-1, 1), drawn from `rng` in parameter order;
    /// biases are 0. Hidden layers use ReLU, the last layer is linear.
    public init(inputs: Int, layerSizes: [Int], rng: inout SplitMix64,
                file: StaticString = #fileID, line: UInt = #line) {
        MLP.checkShape(inputs: inputs, layerSizes: layerSizes, file: file, line: line)
        let sizes = [inputs] + layerSizes
        var layers: [Layer] = []
        for i in layerSizes.indices {
            let activation: Activation = i == layerSizes.count - 1 ? .linear : .relu
            layers.append(Layer(inputs: sizes[i], outputs: sizes[i + 1], activation: activation, rng: &rng,
                                file: file, line: line))
        }
        self.layers = layers
    }

    /// A network whose parameters are the given `Value`s (shared, not copied), in
    /// `parameters` order. Use it to build a model from leaves you already hold.
    public init(inputs: Int, layerSizes: [Int], parameters: [Value],
                file: StaticString = #fileID, line: UInt = #line) {
        MLP.checkShape(inputs: inputs, layerSizes: layerSizes, file: file, line: line)
        let expected = MLP.parameterCount(inputs: inputs, layerSizes: layerSizes)
        trapUnless(parameters.count == expected,
                   "MLP(inputs: \(inputs), layerSizes: \(layerSizes), parameters:): needs \(expected) parameters, got \(parameters.count)",
                   file: file, line: line)
        let sizes = [inputs] + layerSizes
        var next = 0
        var layers: [Layer] = []
        for i in layerSizes.indices {
            let activation: Activation = i == layerSizes.count - 1 ? .linear : .relu
            var neurons: [Neuron] = []
            for _ in 0..<sizes[i + 1] {
                let weights = Array(parameters[next..<next + sizes[i]])
                let bias = parameters[next + sizes[i]]
                next += sizes[i] + 1
                neurons.append(Neuron(weights: weights, bias: bias, activation: activation))
            }
            layers.append(Layer(neurons: neurons, file: file, line: line))
        }
        self.layers = layers
    }

    /// A network whose parameters start at the given numbers, in `parameters` order (for
    /// example micrograd's initial weights, as the W1 benchmark loads them).
    ///
    /// Throws `ScalarNNError.parameterCount` when `values` has the wrong length and
    /// `.nonFiniteParameter` when one of them is NaN or infinite.
    public init(inputs: Int, layerSizes: [Int], loading values: [Double]) throws(ScalarNNError) {
        try MLP.validateShape(inputs: inputs, layerSizes: layerSizes)
        let expected = MLP.parameterCount(inputs: inputs, layerSizes: layerSizes)
        guard values.count == expected else {
            throw .parameterCount(expected: expected, given: values.count)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteParameter(index: bad, value: values[bad])
        }
        self.init(inputs: inputs, layerSizes: layerSizes, parameters: values.map { Value($0) })
    }

    /// A network made of the given layers; each must read as many inputs as the one before
    /// it produces.
    public init(layers: [Layer], file: StaticString = #fileID, line: UInt = #line) {
        trapUnless(!layers.isEmpty, "MLP(layers:): a network needs at least one layer", file: file, line: line)
        for (a, b) in zip(layers, layers.dropFirst()) {
            trapUnless(a.outputCount == b.inputCount,
                       "MLP(layers:): a layer with \(a.outputCount) outputs feeds a layer with \(b.inputCount) inputs",
                       file: file, line: line)
        }
        self.layers = layers
    }

    /// How many parameters `MLP(inputs:layerSizes:)` has: Σ over layers of (nᵢₙ + 1) · nₒᵤₜ.
    /// For 2 → 16 → 16 → 1 that is 3·16 + 17·16 + 17·1 = 337.
    public static func parameterCount(inputs: Int, layerSizes: [Int]) -> Int {
        zip([inputs] + layerSizes, layerSizes).reduce(0) { total, shape in
            total + (shape.0 + 1) * shape.1
        }
    }

    /// Throws a `ScalarNNError` naming the problem if `MLP(inputs:layerSizes:)` would trap:
    /// `inputs` and every layer size must be at least 1, and there must be at least one layer.
    /// Call it on sizes that come from a user.
    public static func validateShape(inputs: Int, layerSizes: [Int]) throws(ScalarNNError) {
        guard inputs >= 1 else { throw .inputCount(inputs) }
        guard !layerSizes.isEmpty, layerSizes.allSatisfy({ $0 >= 1 }) else { throw .layerSizes(layerSizes) }
    }

    private static func checkShape(inputs: Int, layerSizes: [Int], file: StaticString, line: UInt) {
        do {
            try validateShape(inputs: inputs, layerSizes: layerSizes)
        } catch {
            fatalError("MLP(inputs: \(inputs), layerSizes: \(layerSizes)): \(error)", file: file, line: line)
        }
    }

    /// The number of inputs the first layer reads.
    public var inputCount: Int { layers[0].inputCount }
    /// The output size of each layer, e.g. `[16, 16, 1]`.
    public var layerSizes: [Int] { layers.map(\.outputCount) }

    /// Every layer's parameters in turn: micrograd's order.
    public var parameters: [Value] { layers.flatMap(\.parameters) }

    /// The network's outputs as graphs: `layerₖ(… layer₁(layer₀(x)))`.
    public func callAsFunction(_ x: [Value], file: StaticString = #fileID, line: UInt = #line) -> [Value] {
        trapUnless(x.count == inputCount,
                   "MLP: called with \(x.count) inputs, but its first layer takes \(inputCount)",
                   file: file, line: line)
        var activations = x
        for layer in layers {
            activations = layer(activations)
        }
        return activations
    }

    /// The same outputs as plain numbers, without building a graph; bit for bit equal to the
    /// `data` of `callAsFunction`'s outputs.
    public func evaluate(_ x: [Double], file: StaticString = #fileID, line: UInt = #line) -> [Double] {
        trapUnless(x.count == inputCount,
                   "MLP.evaluate: called with \(x.count) inputs, but its first layer takes \(inputCount)",
                   file: file, line: line)
        var activations = x
        for layer in layers {
            activations = layer.evaluate(activations)
        }
        return activations
    }
}
