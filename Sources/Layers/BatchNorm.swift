// BatchNorm.swift — batch normalization as layers: BatchNorm1d for [N, C] and [N, C, L],
// BatchNorm2d for [N, C, H, W], with PyTorch's names, defaults and running statistics.
//
// Read next: LayerNorm.swift.

import Basics
import Tensors

/// Batch normalization over the channel axis 1 of [N, C, …]; what BatchNorm1d and BatchNorm2d
/// share: the parameters, the buffers and the forward
/// (Tensors' `batchNorm`, composed from sum, mul, add, powScalar, reshape):
///
/// ```
/// training:  μ, σ² = per-channel mean and population variance over the batch (and L or H·W)
///            out = (x − μ) / √(σ² + ε) · γ + β
///            running_mean ← (1 − momentum) · running_mean + momentum · μ
///            running_var  ← (1 − momentum) · running_var  + momentum · σ² · m/(m − 1)
/// eval:      out = (x − running_mean) / √(running_var + ε) · γ + β
/// ```
/// In training a batch is standardized with its own statistics and the running estimates move
/// toward them; in eval the running estimates are used, so a sample gets the same answer
/// whatever batch it comes in. m is the number of values per channel. Parameters "weight" γ (ones) and "bias" β (zeros),
/// buffers "running_mean" (zeros) and "running_var" (ones), all [C], momentum 0.1 and
/// ε = 1e-5, as PyTorch. (PyTorch also saves an integer "num_batches_tracked", which only
/// matters when momentum is None; Lumen's tensors hold floats only, so it is not kept.)
public class BatchNorm<Scalar: TensorScalar>: CallSiteLayer {
    public let numFeatures: Int
    public let momentum: Scalar
    public let epsilon: Scalar
    /// γ, shape [C], or `nil` when `affine` is false.
    public let weight: Tensor<Scalar>?
    /// β, shape [C], or `nil` when `affine` is false.
    public let bias: Tensor<Scalar>?
    /// The running mean, shape [C]; updated in place by each training call.
    public let runningMean: Tensor<Scalar>
    /// The running (unbiased) variance, shape [C]; updated in place by each training call.
    public let runningVariance: Tensor<Scalar>
    public var isTraining = true

    /// The ranks accepted (BatchNorm1d and BatchNorm2d narrow them), and how the inputs are
    /// written in messages.
    var acceptedRanks: Set<Int> { [2, 3, 4] }
    var inputPattern: String { "[N, C, …]" }

    public init(numFeatures: Int, momentum: Scalar = 0.1, epsilon: Scalar = 1e-5, affine: Bool = true) {
        trapUnless(numFeatures > 0, "BatchNorm: numFeatures (\(numFeatures)) must be positive")
        self.numFeatures = numFeatures
        self.momentum = momentum
        self.epsilon = epsilon
        weight = affine ? Initialization.constant([numFeatures], 1) : nil
        bias = affine ? Initialization.constant([numFeatures], 0) : nil
        runningMean = Tensor.zeros([numFeatures])
        runningVariance = Tensor.ones([numFeatures])
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] {
        [weight.map { ("weight", $0) }, bias.map { ("bias", $0) }].compactMap { $0 }
    }

    public var ownBuffers: [(name: String, tensor: Tensor<Scalar>)] {
        [("running_mean", runningMean), ("running_var", runningVariance)]
    }

    public var summaryName: String { "BatchNorm(\(numFeatures))" }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if !acceptedRanks.contains(input.rank) || input.shape[1] != numFeatures {
            layerTrap(summaryName, "expects input \(inputPattern) with C = \(numFeatures), got \(shapeText(input.shape))",
                      file: file, line: line)
        }
        if isTraining && input.count / numFeatures < 2 {
            layerTrap(summaryName, "training needs more than one value per channel to estimate a variance, got "
                      + "\(shapeText(input.shape)); use a batch of 2 or more, or call eval()", file: file, line: line)
        }
        return input.batchNorm(runningMean: runningMean, runningVariance: runningVariance, weight: weight, bias: bias,
                               training: isTraining, momentum: momentum, epsilon: epsilon, file: file, line: line)
    }
}

/// Batch normalization over [N, C] (per feature) or [N, C, L] (per channel, over N and L).
public final class BatchNorm1d<Scalar: TensorScalar>: BatchNorm<Scalar> {
    override var acceptedRanks: Set<Int> { [2, 3] }
    override var inputPattern: String { "[N, C] or [N, C, L]" }
    public override var summaryName: String { "BatchNorm1d(\(numFeatures))" }
}

/// Batch normalization over [N, C, H, W], per channel over N, H and W.
public final class BatchNorm2d<Scalar: TensorScalar>: BatchNorm<Scalar> {
    override var acceptedRanks: Set<Int> { [4] }
    override var inputPattern: String { "[N, C, H, W]" }
    public override var summaryName: String { "BatchNorm2d(\(numFeatures))" }
}
