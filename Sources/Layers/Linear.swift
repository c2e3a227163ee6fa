// Linear.swift — the fully connected layer y = x Wᵀ + b, with PyTorch's weight layout,
// names and default initialization.
//
// Read next: Sequential.swift, which chains layers.

import Basics
import Tensors

/// A fully connected layer, composed from matmul (with a transposed view of W) and add:
///
/// ```
/// y = x · Wᵀ + b        x: [..., in],  W: [out, in],  b: [out],  y: [..., out]
/// ∂L/∂x = ∂L/∂y · W     ∂L/∂W = (∂L/∂y)ᵀ · x (summed over the batch)     ∂L/∂b = Σ ∂L/∂y
/// ```
/// The gradients are matmul's and add's pullbacks; the layer has no backward of its own.
/// Parameters "weight" [out, in] and "bias" [out], as in PyTorch's `nn.Linear`, so that a
/// state dict maps one to one.
public final class Linear<Scalar: TensorScalar>: CallSiteLayer {
    public let inFeatures: Int
    public let outFeatures: Int
    /// W, shape [out, in]: row o holds the input weights of output o.
    public let weight: Tensor<Scalar>
    /// b, shape [out], or `nil` for a layer without bias.
    public let bias: Tensor<Scalar>?
    public var isTraining = true

    /// A layer with PyTorch's default initialization: W and b uniform on ±1/√in, drawn from
    /// `rng` (W row-major, then b). Building a model's layers one after another from one
    /// generator makes the whole model reproducible from one seed.
    public init(in inFeatures: Int, out outFeatures: Int, bias: Bool = true, using rng: inout SplitMix64) {
        trapUnless(inFeatures > 0 && outFeatures > 0,
                   "Linear: in (\(inFeatures)) and out (\(outFeatures)) must be positive")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = Initialization.kaimingUniformBound(fanIn: inFeatures)
        weight = Initialization.uniform([outFeatures, inFeatures], bound: bound, using: &rng)
        self.bias = bias ? Initialization.uniform([outFeatures], bound: bound, using: &rng) : nil
    }

    /// A layer initialized from its own generator started at `seed`. This is bit for bit
    /// `linear_init(seed, fan_in, fan_out)` of ../shared/bench/WORKLOADS.md:
    ///
    /// ```
    /// W[o, i] = (2·u64(seed, o·in + i) − 1) / √in,     b[o] = (2·u64(seed, in·out + o) − 1) / √in
    /// ```
    /// (computed in Double, then rounded to `Scalar`), so `Linear<Float>(in: 64, out: 128,
    /// seed: 300)` is W3's first layer.
    public convenience init(in inFeatures: Int, out outFeatures: Int, bias: Bool = true, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        self.init(in: inFeatures, out: outFeatures, bias: bias, using: &rng)
    }

    /// A layer with the given weight [out, in] and optional bias [out]. Both become
    /// trainable (`requiresGrad`); the layer uses the tensors themselves, not copies.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>?,
                file: StaticString = #fileID, line: UInt = #line) {
        if weight.rank != 2 {
            layerTrap("Linear", "the weight must have shape [out, in], got \(shapeText(weight.shape))",
                      file: file, line: line)
        }
        if let bias, bias.shape != [weight.shape[0]] {
            layerTrap("Linear", "the bias must have shape [\(weight.shape[0])], got \(shapeText(bias.shape))",
                      file: file, line: line)
        }
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        self.weight = weight.requiringGrad()
        self.bias = bias?.requiringGrad()
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public var summaryName: String { "Linear(\(inFeatures) → \(outFeatures))" }

    /// y = x · Wᵀ + b for x of shape [..., in] (a single vector [in] too).
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank == 0 || input.shape.last != inFeatures {
            layerTrap(summaryName, "expects input [..., \(inFeatures)], got \(shapeText(input.shape))",
                      file: file, line: line)
        }
        let product = input.matmul(weight.transposed(), file: file, line: line)
        guard let bias else { return product }
        return Tensor.add(product, bias, file: file, line: line)
    }
}
