// TorchFixtureTests.swift — PyTorch as a second oracle: for each case, PyTorch's own module
// state (Fixtures/make_fixtures.py wrote Fixtures/torch-fixtures.json) is loaded into the
// Lumen layer by name, and Lumen must reproduce PyTorch's output, the gradients of
// sum(output ⊙ R) for the input and every parameter, and batch norm's running statistics.
// Loading by name checks that Lumen's names and their order are PyTorch's state_dict keys.

import Foundation
import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct TorchFixtureTests {
    struct Case: @unchecked Sendable, CustomTestStringConvertible {
        let json: [String: Any]
        var name: String { json["name"] as! String }
        var testDescription: String { name }

        static func tensor(_ any: Any) -> Tensor<Double> {
            let entry = any as! [String: Any]
            let data = (entry["data"] as! [NSNumber]).map(\.doubleValue)
            return try! Tensor(shape: entry["shape"] as! [Int], elements: data)
        }
        func tensors(_ key: String) -> [Tensor<Double>] { (json[key] as! [Any]).map(Self.tensor) }
        func named(_ key: String) -> [(name: String, tensor: Tensor<Double>)] {
            (json[key] as! [[Any]]).map { ($0[0] as! String, Self.tensor($0[1])) }
        }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/torch-fixtures.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map(Case.init)
    }()

    /// The Lumen module for a case, built as make_fixtures.py builds PyTorch's (its initial
    /// values do not matter: the state is loaded), and how to run it on the inputs.
    func model(_ name: String) -> (module: any Module<Double>, run: ([Tensor<Double>]) -> Tensor<Double>) {
        var rng = SplitMix64(seed: 1)
        func layer(_ l: some Layer<Double>) -> (any Module<Double>, ([Tensor<Double>]) -> Tensor<Double>) {
            (l, { l($0[0]) })
        }
        switch name {
        case "linear":
            return layer(Linear(in: 5, out: 3, using: &rng))
        case "conv_stack_train", "conv_stack_eval":
            return layer(Sequential<Double>(
                Conv2d(inChannels: 2, outChannels: 3, kernelSize: (3, 2), stride: (2, 1), padding: (1, 1), using: &rng),
                BatchNorm2d(numFeatures: 3), ReLU(), MaxPool2d(kernelSize: 2),
                Conv2d(inChannels: 3, outChannels: 2, kernelSize: 2, padding: 1, using: &rng),
                AvgPool2d(kernelSize: 2, stride: 1), Flatten(), Linear(in: 16, out: 4, using: &rng)))
        case "batchnorm1d_train":
            return layer(Sequential<Double>(Linear(in: 4, out: 3, using: &rng), BatchNorm1d(numFeatures: 3), Tanh(),
                                            Linear(in: 3, out: 2, using: &rng)))
        case "layernorm_mlp":
            return layer(Sequential<Double>(LayerNorm(5), Linear(in: 5, out: 6, using: &rng), GELU(),
                                            Linear(in: 6, out: 6, using: &rng), LeakyReLU(slope: 0.1),
                                            Linear(in: 6, out: 3, using: &rng), Softmax()))
        case "embedding":
            let embedding = Embedding<Double>(vocabularySize: 7, dimension: 3, using: &rng)
            return (embedding, { _ in try! embedding([1, 3, 1, 6, 0, 2], shape: [2, 3]) })
        case "rnn_cell":
            let cell = RNNCell<Double>(inputSize: 3, hiddenSize: 4, using: &rng)
            return (cell, { cell($0[0], hidden: $0[1]) })
        case "lstm_cell":
            let cell = LSTMCell<Double>(inputSize: 3, hiddenSize: 4, using: &rng)
            return (cell, { let s = cell($0[0], state: ($0[1], $0[2])); return Tensor.stack([s.hidden, s.cell]) })
        case "lstm":
            return layer(LSTM<Double>(inputSize: 3, hiddenSize: 4, numLayers: 2, using: &rng))
        case "gru_cell":
            let cell = GRUCell<Double>(inputSize: 3, hiddenSize: 4, using: &rng)
            return (cell, { cell($0[0], hidden: $0[1]) })
        case "gru":
            return layer(GRU<Double>(inputSize: 3, hiddenSize: 4, numLayers: 2, using: &rng))
        case "attention", "attention_causal":
            return layer(MultiheadAttention<Double>(embedDim: 6, numHeads: 2, causal: name.hasSuffix("causal"), using: &rng))
        case "transformer_block":
            return layer(TransformerBlock<Double>(embedDim: 8, numHeads: 2, feedforwardDim: 16, dropout: 0,
                                                  activation: GELU(), using: &rng))
        default:
            preconditionFailure("no Lumen model for fixture case \(name)")
        }
    }

    func maxRelativeError(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
        guard a.shape == b.shape else { return .infinity }
        return zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1, abs($0), abs($1)) }.max() ?? 0
    }

    @Test(arguments: cases) func matchesPyTorch(_ c: Case) {
        let (module, run) = model(c.name)
        // Names and order: the state_dict keys (without BatchNorm's integer num_batches_tracked).
        let state = c.named("state")
        #expect(module.namedState.map(\.name) == state.map(\.name))
        for ((_, mine), (_, theirs)) in zip(module.namedState, state) {
            #expect(mine.shape == theirs.shape)
            if mine.shape == theirs.shape { mine.assign(theirs) }
        }
        module.train(c.json["train"] as! Bool)

        let inputs = c.tensors("inputs").map { $0.requiringGrad() }
        let output = run(inputs)
        #expect(maxRelativeError(output, Case.tensor(c.json["output"]!)) < 1e-10)
        (output * Case.tensor(c.json["weights"]!)).sum().backward()
        for (input, expected) in zip(inputs, c.tensors("input_grads")) {
            #expect(maxRelativeError(input.grad ?? .zeros(input.shape), expected) < 1e-9)
        }
        let grads = c.named("parameter_grads")
        #expect(module.namedParameters.map(\.name) == grads.map(\.name))
        for ((name, parameter), (_, expected)) in zip(module.namedParameters, grads) {
            let error = maxRelativeError(parameter.grad ?? .zeros(parameter.shape), expected)
            #expect(error < 1e-9, "\(name)")
        }
        for ((name, mine), (_, theirs)) in zip(module.namedState, c.named("state_after")) {
            #expect(maxRelativeError(mine, theirs) < 1e-12, "\(name) after the step")
        }
    }
}
