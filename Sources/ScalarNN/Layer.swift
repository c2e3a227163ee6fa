// Layer.swift — a row of neurons that all read the same inputs.
//
// A layer with m neurons turns n inputs into m outputs: output j is neuron j applied to the
// whole input vector. Nothing is shared between the neurons except the inputs.
//
// Read next: MLP.swift.

import Basics
import Engine

/// `outputs` neurons, each seeing all `inputs`.
public struct Layer: Module {
    public let neurons: [Neuron]

    /// A fresh layer: neuron 0's weights are drawn first, then neuron 1's, and so on.
    public init(inputs: Int, outputs: Int, activation: Activation = .relu, rng: inout SplitMix64,
                file: StaticString = #fileID, line: UInt = #line) {
        trapUnless(outputs >= 1, "Layer(inputs: \(inputs), outputs: \(outputs)): a layer needs at least one neuron",
                   file: file, line: line)
        var neurons: [Neuron] = []
        neurons.reserveCapacity(outputs)
        for _ in 0..<outputs {
            neurons.append(Neuron(inputs: inputs, activation: activation, rng: &rng, file: file, line: line))
        }
        self.init(neurons: neurons, file: file, line: line)
    }

    /// A layer made of the given neurons, which must all take the same number of inputs.
    public init(neurons: [Neuron], file: StaticString = #fileID, line: UInt = #line) {
        trapUnless(!neurons.isEmpty, "Layer(neurons:): a layer needs at least one neuron", file: file, line: line)
        let counts = Set(neurons.map(\.inputCount))
        trapUnless(counts.count == 1,
                   "Layer(neurons:): the neurons take different numbers of inputs \(counts.sorted())",
                   file: file, line: line)
        self.neurons = neurons
    }

    /// The number of inputs each neuron reads.
    public var inputCount: Int { neurons[0].inputCount }
    /// The number of outputs, one per neuron.
    public var outputCount: Int { neurons.count }

    /// Each neuron's parameters in turn: neuron 0's weights and bias, then neuron 1's, ….
    public var parameters: [Value] { neurons.flatMap(\.parameters) }

    /// `[neuron₀(x), neuron₁(x), …]` as graphs.
    public func callAsFunction(_ x: [Value], file: StaticString = #fileID, line: UInt = #line) -> [Value] {
        trapUnless(x.count == inputCount,
                   "Layer: called with \(x.count) inputs, but its neurons take \(inputCount)",
                   file: file, line: line)
        return neurons.map { $0(x) }
    }

    /// The same outputs as plain numbers, without a graph.
    public func evaluate(_ x: [Double], file: StaticString = #fileID, line: UInt = #line) -> [Double] {
        trapUnless(x.count == inputCount,
                   "Layer.evaluate: called with \(x.count) inputs, but its neurons take \(inputCount)",
                   file: file, line: line)
        return neurons.map { $0.evaluate(x) }
    }
}
