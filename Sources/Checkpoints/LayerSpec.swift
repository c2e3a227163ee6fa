// LayerSpec.swift — one layer of a ModelSpec: its kind and settings, read off a live layer
// and turned back into one.
//
// Its JSON is what Swift's Codable writes for an enum: the case name, then its settings by
// label, e.g. {"conv2d":{"inChannels":1,"outChannels":16,"kernelSize":[3,3],"stride":[1,1],
// "padding":[1,1],"bias":true}} and {"relu":{}}. A transformer block holds its activation's
// spec: {"transformerBlock":{…,"activation":{"gelu":{"approximateTanh":false}}}}.
//
// Read next: LayerSpec+Shapes.swift (checking a spec before building it).

import Basics
import Layers
import Tensors

/// A layer's kind and settings: everything needed to build it again, but not its weights.
public indirect enum LayerSpec: Codable, Equatable, Sendable {
    case linear(inFeatures: Int, outFeatures: Int, bias: Bool)
    /// Sizes are [height, width].
    case conv2d(inChannels: Int, outChannels: Int, kernelSize: [Int], stride: [Int], padding: [Int], bias: Bool)
    case maxPool2d(kernelSize: [Int], stride: [Int], padding: [Int])
    /// Padding zeros count in the average (PyTorch's `count_include_pad=True`).
    case avgPool2d(kernelSize: [Int], stride: [Int], padding: [Int])
    case batchNorm1d(features: Int, momentum: Double, epsilon: Double, affine: Bool)
    case batchNorm2d(features: Int, momentum: Double, epsilon: Double, affine: Bool)
    case layerNorm(normalizedShape: [Int], epsilon: Double, affine: Bool)
    case flatten(startAxis: Int, endAxis: Int)
    case dropout(probability: Double)
    case relu
    case leakyRelu(slope: Double)
    case tanh
    case sigmoid
    case gelu(approximateTanh: Bool)
    case softplus
    case softmax(axis: Int)
    case logSoftmax(axis: Int)
    case identity
    /// Token ids [N, T] to vectors [N, T, dimension], plus a learned vector per position
    /// when `positions` (the longest context) is given.
    case tokenEmbedding(vocabularySize: Int, dimension: Int, positions: Int?)
    /// PyTorch's nn.LSTM; its input is [N, L, inputSize] when `batchFirst`, else [L, N, inputSize].
    case lstm(inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool, batchFirst: Bool)
    /// [N, T, E] → [N, E]: the last position.
    case lastPosition
    /// A pre-norm Transformer block (self-attention then MLP, each with a residual), its
    /// `activation` one of the elementwise layers.
    case transformerBlock(embedDim: Int, numHeads: Int, feedforwardDim: Int, dropout: Double, activation: LayerSpec,
                          causal: Bool)

    /// The spec of `layer`, or `nil` for a kind that has none (GRU, a bare attention layer,
    /// a user's own layer).
    public init?<Scalar: TensorScalar>(describing layer: any Layer<Scalar>) {
        func pair(_ size: (height: Int, width: Int)) -> [Int] { [size.height, size.width] }
        switch layer {
        case let l as Linear<Scalar>: self = .linear(inFeatures: l.inFeatures, outFeatures: l.outFeatures, bias: l.bias != nil)
        case let l as Conv2d<Scalar>:
            self = .conv2d(inChannels: l.inChannels, outChannels: l.outChannels, kernelSize: pair(l.kernelSize),
                           stride: pair(l.stride), padding: pair(l.padding), bias: l.bias != nil)
        case let l as MaxPool2d<Scalar>: self = .maxPool2d(kernelSize: pair(l.kernelSize), stride: pair(l.stride), padding: pair(l.padding))
        case let l as AvgPool2d<Scalar>: self = .avgPool2d(kernelSize: pair(l.kernelSize), stride: pair(l.stride), padding: pair(l.padding))
        case let l as BatchNorm1d<Scalar>:
            self = .batchNorm1d(features: l.numFeatures, momentum: Double(l.momentum), epsilon: Double(l.epsilon), affine: l.weight != nil)
        case let l as BatchNorm2d<Scalar>:
            self = .batchNorm2d(features: l.numFeatures, momentum: Double(l.momentum), epsilon: Double(l.epsilon), affine: l.weight != nil)
        case let l as LayerNorm<Scalar>: self = .layerNorm(normalizedShape: l.normalizedShape, epsilon: Double(l.epsilon), affine: l.weight != nil)
        case let l as Flatten<Scalar>: self = .flatten(startAxis: l.startAxis, endAxis: l.endAxis)
        case let l as Dropout<Scalar>: self = .dropout(probability: l.probability)
        case is ReLU<Scalar>: self = .relu
        case let l as LeakyReLU<Scalar>: self = .leakyRelu(slope: Double(l.slope))
        case is Tanh<Scalar>: self = .tanh
        case is Sigmoid<Scalar>: self = .sigmoid
        case let l as GELU<Scalar>: self = .gelu(approximateTanh: l.approximateTanh)
        case is Softplus<Scalar>: self = .softplus
        case let l as Softmax<Scalar>: self = .softmax(axis: l.axis)
        case let l as LogSoftmax<Scalar>: self = .logSoftmax(axis: l.axis)
        case is Identity<Scalar>: self = .identity
        case let l as TokenEmbedding<Scalar>:
            self = .tokenEmbedding(vocabularySize: l.token.vocabularySize, dimension: l.token.dimension,
                                   positions: l.position?.vocabularySize)
        case let l as LSTM<Scalar>:
            self = .lstm(inputSize: l.inputSize, hiddenSize: l.hiddenSize, numLayers: l.numLayers, bias: l.hasBias,
                         batchFirst: l.batchFirst)
        case is LastPosition<Scalar>: self = .lastPosition
        case let l as TransformerBlock<Scalar>:
            guard let activation = LayerSpec(describing: l.activation), activation.isElementwise else { return nil }
            self = .transformerBlock(embedDim: l.embedDim, numHeads: l.selfAttention.numHeads,
                                     feedforwardDim: l.linear1.outFeatures, dropout: l.dropout.probability,
                                     activation: activation, causal: l.selfAttention.causal)
        default: return nil
        }
    }

    /// A new layer of this kind. Its weights come from a fixed seed: a checkpoint's replace them.
    /// Call it only on a checked spec (`ModelSpec.outputShape()`): the layers trap on
    /// settings out of range.
    func makeLayer<Scalar: TensorScalar>(_: Scalar.Type) -> any Layer<Scalar> {
        var rng = SplitMix64(seed: 0)
        func pair(_ sizes: [Int]) -> (height: Int, width: Int) { (sizes[0], sizes[1]) }
        switch self {
        case let .linear(inputs, outputs, bias): return Linear<Scalar>(in: inputs, out: outputs, bias: bias, using: &rng)
        case let .conv2d(inputs, outputs, kernel, stride, padding, bias):
            return Conv2d<Scalar>(inChannels: inputs, outChannels: outputs, kernelSize: pair(kernel), stride: pair(stride),
                                  padding: pair(padding), bias: bias, using: &rng)
        case let .maxPool2d(kernel, stride, padding): return MaxPool2d<Scalar>(kernelSize: pair(kernel), stride: pair(stride), padding: pair(padding))
        case let .avgPool2d(kernel, stride, padding): return AvgPool2d<Scalar>(kernelSize: pair(kernel), stride: pair(stride), padding: pair(padding))
        case let .batchNorm1d(features, momentum, epsilon, affine):
            return BatchNorm1d<Scalar>(numFeatures: features, momentum: Scalar(momentum), epsilon: Scalar(epsilon), affine: affine)
        case let .batchNorm2d(features, momentum, epsilon, affine):
            return BatchNorm2d<Scalar>(numFeatures: features, momentum: Scalar(momentum), epsilon: Scalar(epsilon), affine: affine)
        case let .layerNorm(shape, epsilon, affine):
            return LayerNorm<Scalar>(normalizedShape: shape, epsilon: Scalar(epsilon), elementwiseAffine: affine)
        case let .flatten(start, end): return Flatten<Scalar>(startAxis: start, endAxis: end)
        case let .dropout(probability): return Dropout<Scalar>(probability: probability, seed: 0)
        case .relu: return ReLU<Scalar>()
        case let .leakyRelu(slope): return LeakyReLU<Scalar>(slope: Scalar(slope))
        case .tanh: return Tanh<Scalar>()
        case .sigmoid: return Sigmoid<Scalar>()
        case let .gelu(approximateTanh): return GELU<Scalar>(approximateTanh: approximateTanh)
        case .softplus: return Softplus<Scalar>()
        case let .softmax(axis): return Softmax<Scalar>(axis: axis)
        case let .logSoftmax(axis): return LogSoftmax<Scalar>(axis: axis)
        case .identity: return Identity<Scalar>()
        case let .tokenEmbedding(vocabularySize, dimension, positions):
            return TokenEmbedding<Scalar>(vocabularySize: vocabularySize, dimension: dimension, positions: positions, using: &rng)
        case let .lstm(inputSize, hiddenSize, numLayers, bias, batchFirst):
            return LSTM<Scalar>(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                                batchFirst: batchFirst, using: &rng)
        case .lastPosition: return LastPosition<Scalar>()
        case let .transformerBlock(embedDim, numHeads, feedforwardDim, dropout, activation, causal):
            return TransformerBlock<Scalar>(embedDim: embedDim, numHeads: numHeads, feedforwardDim: feedforwardDim,
                                            dropout: dropout, activation: activation.makeLayer(Scalar.self), causal: causal,
                                            using: &rng)
        }
    }

    /// The tensors the layer owns, under their local names, with their shapes: parameters,
    /// then buffers, as the layer lists them.
    public var stateShapes: [(name: String, shape: [Int])] {
        switch self {
        case let .linear(inputs, outputs, bias):
            return [("weight", [outputs, inputs])] + (bias ? [("bias", [outputs])] : [])
        case let .conv2d(inputs, outputs, kernel, _, _, bias):
            return [("weight", [outputs, inputs] + kernel)] + (bias ? [("bias", [outputs])] : [])
        case let .batchNorm1d(features, _, _, affine), let .batchNorm2d(features, _, _, affine):
            return (affine ? [("weight", [features]), ("bias", [features])] : [])
                + [("running_mean", [features]), ("running_var", [features])]
        case let .layerNorm(shape, _, affine):
            return affine ? [("weight", shape), ("bias", shape)] : []
        case let .tokenEmbedding(vocabularySize, dimension, positions):
            let token: [(name: String, shape: [Int])] = [("token.weight", [vocabularySize, dimension])]
            return token + (positions.map { [("position.weight", [$0, dimension])] } ?? [])
        case let .lstm(inputSize, hiddenSize, numLayers, bias, _):
            // PyTorch's names and gate order (i, f, g, o): weight_ih_l0 [4H, in], weight_hh_l0 [4H, H], …
            let gates = 4 * hiddenSize
            var shapes: [(name: String, shape: [Int])] = []
            for k in 0 ..< numLayers {
                shapes.append(("weight_ih_l\(k)", [gates, k == 0 ? inputSize : hiddenSize]))
                shapes.append(("weight_hh_l\(k)", [gates, hiddenSize]))
                if bias { shapes += [("bias_ih_l\(k)", [gates]), ("bias_hh_l\(k)", [gates])] }
            }
            return shapes
        case let .transformerBlock(e, _, f, _, _, _):
            return [("self_attn.in_proj_weight", [3 * e, e]), ("self_attn.in_proj_bias", [3 * e]),
                    ("self_attn.out_proj.weight", [e, e]), ("self_attn.out_proj.bias", [e]),
                    ("linear1.weight", [f, e]), ("linear1.bias", [f]), ("linear2.weight", [e, f]), ("linear2.bias", [e]),
                    ("norm1.weight", [e]), ("norm1.bias", [e]), ("norm2.weight", [e]), ("norm2.bias", [e])]
        default:
            return []
        }
    }

    /// A short name for messages: "Linear(64 → 128)", "Conv2d(1 → 16, 3×3)".
    public var summary: String {
        switch self {
        case let .linear(inputs, outputs, _): "Linear(\(inputs) → \(outputs))"
        case let .conv2d(inputs, outputs, kernel, _, _, _): "Conv2d(\(inputs) → \(outputs), \(kernel.map(String.init).joined(separator: "×")))"
        case let .maxPool2d(kernel, _, _): "MaxPool2d(\(kernel.map(String.init).joined(separator: "×")))"
        case let .avgPool2d(kernel, _, _): "AvgPool2d(\(kernel.map(String.init).joined(separator: "×")))"
        case let .batchNorm1d(features, _, _, _): "BatchNorm1d(\(features))"
        case let .batchNorm2d(features, _, _, _): "BatchNorm2d(\(features))"
        case let .layerNorm(shape, _, _): "LayerNorm(\(shape))"
        case .flatten: "Flatten"
        case let .dropout(probability): "Dropout(\(probability))"
        case .relu: "ReLU"
        case let .leakyRelu(slope): "LeakyReLU(\(slope))"
        case .tanh: "Tanh"
        case .sigmoid: "Sigmoid"
        case .gelu: "GELU"
        case .softplus: "Softplus"
        case let .softmax(axis): "Softmax(axis: \(axis))"
        case let .logSoftmax(axis): "LogSoftmax(axis: \(axis))"
        case .identity: "Identity"
        case let .tokenEmbedding(vocabularySize, dimension, positions):
            "TokenEmbedding(\(vocabularySize) → \(dimension)\(positions.map { ", \($0) positions" } ?? ""))"
        case let .lstm(inputs, hidden, layers, _, _): "LSTM(\(inputs) → \(hidden)\(layers > 1 ? ", \(layers) layers" : ""))"
        case .lastPosition: "LastPosition"
        case let .transformerBlock(e, heads, f, _, _, _): "TransformerBlock(\(e), \(heads) heads, ff \(f))"
        }
    }

    /// Whether the layer acts on each number alone (an activation, dropout or identity): what
    /// a transformer block's `activation` may be.
    public var isElementwise: Bool {
        switch self {
        case .relu, .leakyRelu, .tanh, .sigmoid, .gelu, .softplus, .identity, .dropout: true
        default: false
        }
    }
}
