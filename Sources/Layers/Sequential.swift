// Sequential.swift — layers applied one after another, named "0", "1", … as in PyTorch's
// `nn.Sequential`, so "0.weight" is the first layer's weight in both.
//
// Read next: Activations.swift, then ModelSummary.swift, which prints a Sequential layer by layer.

import Tensors

/// A chain of layers: out = layerₙ₋₁(… layer₁(layer₀(x))).
///
/// ```swift
/// var rng = SplitMix64(seed: 0)
/// let model = Sequential<Float>(Linear(in: 64, out: 128, using: &rng), ReLU(),
///                               Linear(in: 128, out: 10, using: &rng))
/// let logits = model(x)
/// ```
/// Its parameters are its layers' parameters, in order, under "index.name".
public final class Sequential<Scalar: TensorScalar>: CallSiteLayer {
    /// The layers, in the order they are applied.
    public private(set) var layers: [any Layer<Scalar>] {
        didSet { traced = layers.map { $0 as? any CallSiteLayer<Scalar> } }
    }
    public var isTraining = true

    /// Each layer as a `CallSiteLayer` (nil for one that takes no call site), found once when
    /// the layer is added rather than cast on every call.
    private var traced: [(any CallSiteLayer<Scalar>)?]

    public init(_ layers: [any Layer<Scalar>]) {
        self.layers = layers
        traced = layers.map { $0 as? any CallSiteLayer<Scalar> }
    }

    public convenience init(_ layers: any Layer<Scalar>...) {
        self.init(layers)
    }

    /// Adds a layer at the end; it is named by its index ("3" for the fourth).
    public func append(_ layer: any Layer<Scalar>) {
        layers.append(layer)
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }

    public var children: [(name: String, module: any Module<Scalar>)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }

    public var summaryName: String { "Sequential" }

    /// Each layer applied to the previous one's output. A layer that traps on its input's
    /// shape names this call's site.
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        var x = input
        for (layer, traced) in zip(layers, traced) {
            x = traced?.callAsFunction(x, file: file, line: line) ?? layer(x)
        }
        return x
    }
}
