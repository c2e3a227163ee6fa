// Tensor+Normalization.swift — layer norm and batch norm, composed from mean (sum, mul),
// add, mul, div and powScalar. No backward of their own.
//
// Both standardize: subtract a mean, divide by √(variance + ε), then scale by γ and shift by
// β. They differ in *which* elements share a mean: layer norm uses each sample's own last
// axes (features); batch norm uses each channel across the whole batch, and so must keep
// running statistics for evaluation, when there may be no batch to average over.
//
// Read next: Tensor+Embedding.swift.

extension Tensor {
    /// Layer normalization over the last `normalizedAxes` axes, with optional elementwise
    /// `weight` γ and `bias` β shaped like those axes, composed (sum, mul, div, add, powScalar).
    ///
    /// ```
    /// μ = mean(x),  σ² = mean((x − μ)²)  over the normalized axes
    /// out = (x − μ) / √(σ² + ε) · γ + β
    /// ```
    /// The gradient through μ and σ² (each output depends on every input of its group) is
    /// the chain rule through the mean and power nodes.
    public func layerNorm(normalizedAxes: Int = 1, weight: Tensor? = nil, bias: Tensor? = nil,
                          epsilon: Scalar = 1e-5, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if normalizedAxes < 1 || normalizedAxes > rank {
            shapeTrap("layerNorm", "normalizedAxes \(normalizedAxes) must be in 1...\(rank) for \(describe(shape))",
                      file: file, line: line)
        }
        let featureShape = Array(shape.suffix(normalizedAxes))
        for (name, parameter) in [("weight", weight), ("bias", bias)] {
            if let parameter, parameter.shape != featureShape {
                shapeTrap("layerNorm", "\(name) must have the normalized shape \(describe(featureShape)), got "
                          + describe(parameter.shape), file: file, line: line)
            }
        }
        let axes = Array((rank - normalizedAxes)..<rank)
        let centered = Tensor.add(self, -mean(axes: axes, keepDims: true), file: file, line: line)
        let variance = centered.pow(2).mean(axes: axes, keepDims: true)
        return scaledAndShifted(centered * (variance + epsilon).pow(-0.5), weight: weight, bias: bias)
    }

    /// Batch normalization over every axis but the channel axis 1 of a [N, C] or [N, C, …]
    /// tensor, with optional per-channel `weight` γ and `bias` β of shape [C], composed
    /// (sum, mul, div, add, powScalar, reshape).
    ///
    /// ```
    /// training:  μ, σ² = mean and (population) variance of each channel over the batch
    ///            out = (x − μ) / √(σ² + ε) · γ + β
    ///            runningMean     ← (1 − momentum) · runningMean     + momentum · μ
    ///            runningVariance ← (1 − momentum) · runningVariance + momentum · σ² · m/(m − 1)
    /// eval:      out = (x − runningMean) / √(runningVariance + ε) · γ + β
    /// ```
    /// m is the number of elements per channel; the running variance is the unbiased
    /// estimate (as PyTorch keeps it). The caller holds `runningMean` and `runningVariance`
    /// (shape [C], usually starting at 0 and 1); in training they are overwritten in place,
    /// outside autograd. In eval they are constants, so the gradient is just the scaling.
    public func batchNorm(runningMean: Tensor, runningVariance: Tensor, weight: Tensor? = nil, bias: Tensor? = nil,
                          training: Bool, momentum: Scalar = 0.1, epsilon: Scalar = 1e-5,
                          file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if rank < 2 {
            shapeTrap("batchNorm", "needs an input of shape [N, C] or [N, C, …], got \(describe(shape))",
                      file: file, line: line)
        }
        let channels = shape[1]
        for (name, parameter) in [("runningMean", runningMean), ("runningVariance", runningVariance),
                                  ("weight", weight), ("bias", bias)] {
            if let parameter, parameter.shape != [channels] {
                shapeTrap("batchNorm", "\(name) must have shape [\(channels)] (one per channel of \(describe(shape))), "
                          + "got \(describe(parameter.shape))", file: file, line: line)
            }
        }
        let axes = shape.indices.filter { $0 != 1 }
        let perChannel = [1, channels] + [Int](repeating: 1, count: rank - 2)
        guard training else {
            let normalized = Tensor.add(self, -runningMean.detach().reshape(perChannel), file: file, line: line)
                * (runningVariance.detach().reshape(perChannel) + epsilon).pow(-0.5)
            return scaledAndShifted(normalized, weight: weight, bias: bias, perChannel: perChannel)
        }
        let m = count / Swift.max(channels, 1)
        if m < 2 {
            shapeTrap("batchNorm", "training needs more than one value per channel to estimate a variance, "
                      + "got \(describe(shape))", file: file, line: line)
        }
        let mu = mean(axes: axes, keepDims: true)
        let centered = Tensor.add(self, -mu, file: file, line: line)
        let variance = centered.pow(2).mean(axes: axes, keepDims: true)
        withoutGradients {
            runningMean.assign(runningMean * (1 - momentum) + mu.detach().reshape([channels]) * momentum)
            let unbiased = variance.detach().reshape([channels]) * (Scalar(m) / Scalar(m - 1))
            runningVariance.assign(runningVariance * (1 - momentum) + unbiased * momentum)
        }
        return scaledAndShifted(centered * (variance + epsilon).pow(-0.5), weight: weight, bias: bias,
                                perChannel: perChannel)
    }

    /// x · γ + β for the optional γ and β (mul, add), reshaped to `perChannel` if given.
    private func scaledAndShifted(_ x: Tensor, weight: Tensor?, bias: Tensor?, perChannel: [Int]? = nil) -> Tensor {
        var out = x
        if let weight { out = out * (perChannel.map { weight.reshape($0) } ?? weight) }
        if let bias { out = out + (perChannel.map { bias.reshape($0) } ?? bias) }
        return out
    }
}
