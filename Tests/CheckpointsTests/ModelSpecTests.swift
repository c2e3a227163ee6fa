// ModelSpecTests.swift — a model's description survives the trip through a checkpoint's
// metadata, rebuilds a model with the same state names and outputs, and a description that
// does not fit (wrong widths, absurd sizes, broken JSON) is refused with a message naming
// the layer, before anything is built.
//
// Read next: Tests/InteropTests/SavedModelTests.swift.

import Engine
import Foundation
import Layers
import Tensors
import Testing
@testable import Checkpoints

@Suite struct ModelSpecTests {
    /// One of every layer kind a spec covers, in an order whose shapes fit: [N, 2, 6, 6] in.
    static func everyKind(using rng: inout SplitMix64) -> Sequential<Float> {
        Sequential<Float>([
            Conv2d(inChannels: 2, outChannels: 4, kernelSize: (3, 2), stride: (1, 2), padding: (1, 0), using: &rng),
            BatchNorm2d(numFeatures: 4), LeakyReLU(slope: 0.2),
            MaxPool2d(kernelSize: 2, stride: 1, padding: 1), AvgPool2d(kernelSize: (2, 1)),
            Flatten(), Dropout(probability: 0.25, seed: 3),
            Linear(in: 4 * 3 * 4, out: 8, using: &rng), BatchNorm1d(numFeatures: 8, momentum: 0.2, epsilon: 1e-3),
            GELU(approximateTanh: true), LayerNorm(8, epsilon: 1e-4), Tanh(), Sigmoid(), GELU(), Softplus(), ReLU(),
            Identity(), Linear(in: 8, out: 3, bias: false, using: &rng), Softmax(axis: 1), LogSoftmax(axis: -1),
        ])
    }

    @Test func everyLayerKindRoundTripsThroughMetadataAndRebuildsTheSameState() throws {
        var rng = SplitMix64(seed: 1)
        let model = Self.everyKind(using: &rng)
        let spec = try ModelSpec(describing: model, inputShape: [2, 6, 6], classNames: ["a", "b", "c"])
        #expect(spec.layers.count == model.layers.count)
        let read = try #require(try ModelSpec.read(from: spec.metadata))
        #expect(read == spec)
        // Shape inference agrees with running the model: [1, 3] out.
        #expect(try read.outputShape() == [3])
        model.eval()
        let input = try Tensor<Float>(shape: [1, 2, 6, 6], elements: (0..<72).map { Float($0 % 7) / 3 - 1 })
        #expect(model(input).shape == [1, 3])

        let rebuilt: Sequential<Float> = try read.makeModel()
        #expect(rebuilt.namedState.map(\.name) == model.namedState.map(\.name))
        #expect(rebuilt.namedState.map(\.tensor.shape) == model.namedState.map(\.tensor.shape))
        #expect(read.stateShapes.map(\.name) == model.namedState.map(\.name))
        #expect(read.stateShapes.map(\.shape) == model.namedState.map(\.tensor.shape))
        // With the weights copied over, the rebuilt model computes exactly the same.
        for ((_, ours), (_, theirs)) in zip(rebuilt.namedState, model.namedState) { ours.assign(theirs) }
        rebuilt.eval()
        #expect(rebuilt(input).scalars == model(input).scalars)
    }

    /// The character models' layers: token and position embeddings, a stacked LSTM, a causal
    /// Transformer block with its activation, the last position. [N, 5] ids in.
    @Test func theCharacterModelLayersRoundTripAndRebuildTheSameState() throws {
        var rng = SplitMix64(seed: 7)
        let model = Sequential<Float>([
            TokenEmbedding<Float>(vocabularySize: 10, dimension: 6, positions: 5, using: &rng),
            LSTM<Float>(inputSize: 6, hiddenSize: 8, numLayers: 2, batchFirst: true, using: &rng),
            TransformerBlock<Float>(embedDim: 8, numHeads: 2, feedforwardDim: 16, dropout: 0.1,
                                    activation: GELU(approximateTanh: true), causal: true, using: &rng),
            LastPosition<Float>(), Linear<Float>(in: 8, out: 4, using: &rng),
        ])
        let spec = try ModelSpec(describing: model, inputShape: [5], classNames: ["a", "b", "c", "d"])
        #expect(spec.layers == [
            .tokenEmbedding(vocabularySize: 10, dimension: 6, positions: 5),
            .lstm(inputSize: 6, hiddenSize: 8, numLayers: 2, bias: true, batchFirst: true),
            .transformerBlock(embedDim: 8, numHeads: 2, feedforwardDim: 16, dropout: 0.1,
                              activation: .gelu(approximateTanh: true), causal: true),
            .lastPosition, .linear(inFeatures: 8, outFeatures: 4, bias: true),
        ])
        let read = try #require(try ModelSpec.read(from: spec.metadata))
        #expect(read == spec)
        #expect(try read.outputShape() == [4])
        #expect(read.stateShapes.map(\.name) == model.namedState.map(\.name))
        #expect(read.stateShapes.map(\.shape) == model.namedState.map(\.tensor.shape))
        let rebuilt: Sequential<Float> = try read.makeModel()
        for ((_, ours), (_, theirs)) in zip(rebuilt.namedState, model.namedState) { ours.assign(theirs) }
        model.eval()
        rebuilt.eval()
        let ids = try Tensor<Float>(shape: [3, 5], elements: (0..<15).map { Float($0 * 7 % 10) })
        #expect(rebuilt(ids).scalars == model(ids).scalars)
        // Without positions, a TokenEmbedding reads contexts of any length; an LSTM without
        // biases and sequence first.
        let plain = ModelSpec(layers: [.tokenEmbedding(vocabularySize: 4, dimension: 3, positions: nil),
                                       .lstm(inputSize: 3, hiddenSize: 2, numLayers: 1, bias: false, batchFirst: false)],
                              inputShape: [40], classNames: [])
        #expect(try plain.outputShape() == [40, 2])
        #expect(plain.stateShapes.map(\.name) == ["0.token.weight", "1.weight_ih_l0", "1.weight_hh_l0"])
    }

    @Test func theMetadataIsPlainJSONThatPythonCanRead() throws {
        var rng = SplitMix64(seed: 2)
        let model = Sequential<Float>(Linear(in: 4, out: 3, using: &rng), ReLU(), Linear(in: 3, out: 2, using: &rng))
        let metadata = try ModelSpec(describing: model, inputShape: [4], classNames: ["no", "yes"]).metadata
        #expect(metadata[ModelSpec.MetadataKey.inputShape] == "[4]")
        #expect(metadata[ModelSpec.MetadataKey.classNames] == #"["no","yes"]"#)
        #expect(metadata[ModelSpec.MetadataKey.architecture] == #"[{"linear":{"bias":true,"inFeatures":4,"outFeatures":3}},"#
                + #"{"relu":{}},{"linear":{"bias":true,"inFeatures":3,"outFeatures":2}}]"#)
    }

    @Test func aLayerWithoutASpecIsNamed() {
        final class Custom: Layer {
            var isTraining = true
            var ownParameters: [(name: String, tensor: Tensor<Float>)] { [] }
            var summaryName: String { "Custom" }
            func callAsFunction(_ input: Tensor<Float>) -> Tensor<Float> { input }
        }
        let model = Sequential<Float>(ReLU(), Custom())
        #expect(throws: ModelSpecError.cannotDescribe(layer: "Custom", index: 1)) {
            try ModelSpec(describing: model, inputShape: [2], classNames: ["a", "b"])
        }
    }

    @Test func noKeysMeansAnOlderCheckpointAndSomeKeysIsAnError() throws {
        #expect(try ModelSpec.read(from: ["lumen.recipe": "moons"]) == nil)
        #expect(throws: ModelSpecError.incomplete(missing: ["lumen.input_shape", "lumen.class_names"])) {
            try ModelSpec.read(from: ["lumen.architecture": "[]"])
        }
        let broken = ["lumen.architecture": #"[{"linear":{"inFeatures":"64"}}]"#, "lumen.input_shape": "[64]",
                      "lumen.class_names": "[]"]
        #expect(throws: ModelSpecError.malformed(key: "lumen.architecture")) { try ModelSpec.read(from: broken) }
        let wrongKind = ["lumen.architecture": #"[{"lstm":{}}]"#, "lumen.input_shape": "[64]", "lumen.class_names": "[]"]
        #expect(throws: ModelSpecError.malformed(key: "lumen.architecture")) { try ModelSpec.read(from: wrongKind) }
    }

    /// Specs a hostile or damaged file could hold: each is refused by `outputShape()` (and so
    /// by `makeModel()`) with the layer and the problem, instead of trapping in a layer.
    @Test(arguments: [
        ([LayerSpec.linear(inFeatures: 63, outFeatures: 10, bias: true)], [64], "layer 0, Linear(63 → 10), expects input [N, …, 63]"),
        ([.linear(inFeatures: 64, outFeatures: 0, bias: true)], [64], "outFeatures 0 must be positive"),
        ([.conv2d(inChannels: 1, outChannels: 4, kernelSize: [9, 9], stride: [1, 1], padding: [0, 0], bias: true)], [1, 8, 8],
         "window is larger than the input"),
        ([.conv2d(inChannels: 1, outChannels: 4, kernelSize: [3], stride: [1, 1], padding: [0, 0], bias: true)], [1, 8, 8],
         "must have two sizes each"),
        ([.maxPool2d(kernelSize: [2, 2], stride: [0, 2], padding: [0, 0])], [1, 8, 8], "must be positive"),
        ([.flatten(startAxis: 1, endAxis: 5)], [3, 4], "needs axes 1...5"),
        ([.dropout(probability: 1.5)], [3], "probability 1.5 must be in 0...1"),
        ([.batchNorm1d(features: 3, momentum: 0.1, epsilon: -1, affine: true)], [3], "epsilon -1.0 must be a positive finite number"),
        ([.softmax(axis: 2)], [3], "axis 2 does not exist"),
        ([.linear(inFeatures: 4, outFeatures: 1 << 20, bias: true), .linear(inFeatures: 1 << 20, outFeatures: 1 << 10, bias: true)],
         [1 << 10, 4], "more than 16777216 numbers"),
        ([], [3], "has 0 layers"),
        ([.linear(inFeatures: 1 << 14, outFeatures: 1 << 14, bias: true), .linear(inFeatures: 1 << 14, outFeatures: 1 << 14, bias: true)],
         [1 << 14], "more than the 268435456 Lumen builds"),
        ([.relu], [0], "the input shape gives the shape [0]"),
        ([.tokenEmbedding(vocabularySize: 27, dimension: 8, positions: 4)], [8], "has 4 positions, but its input has contexts of 8 ids"),
        ([.tokenEmbedding(vocabularySize: 0, dimension: 8, positions: nil)], [8], "vocabularySize 0 must be positive"),
        ([.tokenEmbedding(vocabularySize: 27, dimension: 8, positions: nil)], [2, 8], "expects input ids [N, T]"),
        ([.lstm(inputSize: 4, hiddenSize: 4, numLayers: 100, bias: true, batchFirst: true)], [3, 4], "numLayers 100 must be at most 64"),
        ([.lstm(inputSize: 4, hiddenSize: 4, numLayers: 1, bias: true, batchFirst: true)], [3, 5], "expects input [N, L ≥ 1, 4]"),
        ([.lastPosition], [4], "expects input [N, T ≥ 1, E]"),
        ([.transformerBlock(embedDim: 8, numHeads: 3, feedforwardDim: 16, dropout: 0, activation: .relu, causal: false)], [4, 8],
         "embedDim 8 must be a multiple of numHeads 3"),
        ([.transformerBlock(embedDim: 8, numHeads: 2, feedforwardDim: 16, dropout: 0, activation: .softmax(axis: 1), causal: false)],
         [4, 8], "must be an elementwise layer"),
        ([.transformerBlock(embedDim: 8, numHeads: 2, feedforwardDim: 16, dropout: 0, activation: .leakyRelu(slope: .nan), causal: false)],
         [4, 8], "slope nan must be a finite number"),
        ([.transformerBlock(embedDim: 2, numHeads: 2, feedforwardDim: 2, dropout: 0, activation: .relu, causal: true)],
         [1 << 12, 2], "attention scores per example"),
    ] as [([LayerSpec], [Int], String)])
    func aSpecThatDoesNotFitIsRefusedNamingTheLayer(layers: [LayerSpec], inputShape: [Int], message: String) {
        let spec = ModelSpec(layers: layers, inputShape: inputShape, classNames: [])
        do {
            _ = try spec.outputShape()
            Issue.record("accepted \(layers)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
        #expect(throws: ModelSpecError.self) { let _: Sequential<Float> = try spec.makeModel() }
    }
}
