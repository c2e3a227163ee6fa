// Pooling.swift — max- and average-pooling over 2-D windows as layers (Tensors' maxPool2d and
// avgPool2d). One windowed-pool type holds what both share (the window, the checks, the
// summary); MaxPool2d and AvgPool2d only name which fold runs over each window. No parameters.
//
// Read next: Flatten.swift.

import Tensors

/// A layer that slides a KH × KW window over [N, C, H, W] by `stride`, over the input
/// surrounded by `padding`, and folds each window of each channel into one number:
/// its maximum (`MaxPool2d`) or its mean (`AvgPool2d`). `stride` defaults to the kernel
/// size (non-overlapping windows, PyTorch's default).
public class WindowedPool2d<Scalar: TensorScalar>: CallSiteLayer {
    /// How a window is folded into one number.
    public enum Fold: String, Sendable {
        case max = "MaxPool2d"
        case mean = "AvgPool2d"
    }

    public let fold: Fold
    public let kernelSize: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    public let padding: (height: Int, width: Int)
    public var isTraining = true

    init(_ fold: Fold, kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)?,
         padding: (height: Int, width: Int)) {
        self.fold = fold
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }

    /// "MaxPool2d(2)" for a 2×2 kernel with stride 2, "AvgPool2d(3×2, stride 1)" otherwise.
    public var summaryName: String {
        func text(_ size: (height: Int, width: Int)) -> String {
            size.height == size.width ? "\(size.height)" : "\(size.height)×\(size.width)"
        }
        let window = stride == kernelSize ? text(kernelSize) : text(kernelSize) + ", stride " + text(stride)
        return "\(fold.rawValue)(\(window))"
    }

    /// Traps, naming the layer, unless `input` is [N, C, H, W] and holds at least one window.
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank != 4 {
            layerTrap(summaryName, "expects input [N, C, H, W], got \(shapeText(input.shape))", file: file, line: line)
        }
        if input.shape[2] + 2 * padding.height < kernelSize.height || input.shape[3] + 2 * padding.width < kernelSize.width {
            layerTrap(summaryName, "the window \(kernelSize.height)×\(kernelSize.width) is larger than the input "
                      + "\(shapeText(input.shape)) with padding \(padding.height)×\(padding.width)", file: file, line: line)
        }
        switch fold {
        case .max: return input.maxPool2d(kernel: kernelSize, stride: stride, padding: padding, file: file, line: line)
        case .mean: return input.avgPool2d(kernel: kernelSize, stride: stride, padding: padding, file: file, line: line)
        }
    }
}

/// 2-D max-pooling of [N, C, H, W] (Tensors' `maxPool2d`: the max of each window):
///
/// ```
/// out[n, c, y, x] = max_{i, j} xp[n, c, y·sh + i, x·sw + j]      ∂ : 1 to each window's arg-max
/// ```
/// Padding is −∞. A window holding a NaN gives NaN (as in PyTorch).
public final class MaxPool2d<Scalar: TensorScalar>: WindowedPool2d<Scalar> {
    public init(kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                padding: (height: Int, width: Int) = (0, 0)) {
        super.init(.max, kernelSize: kernelSize, stride: stride, padding: padding)
    }

    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
    }
}

/// 2-D average-pooling of [N, C, H, W] (Tensors' `avgPool2d`: sliding windows, then mean):
///
/// ```
/// out[n, c, y, x] = (1 / KH·KW) Σ_{i, j} xp[n, c, y·sh + i, x·sw + j]     ∂ : 1/(KH·KW) to each window element
/// ```
/// Padding zeros count in the mean (PyTorch's default).
public final class AvgPool2d<Scalar: TensorScalar>: WindowedPool2d<Scalar> {
    public init(kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                padding: (height: Int, width: Int) = (0, 0)) {
        super.init(.mean, kernelSize: kernelSize, stride: stride, padding: padding)
    }

    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
    }
}
