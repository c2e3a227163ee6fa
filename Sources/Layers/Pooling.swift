// Pooling.swift — max- and average-pooling over 2-D windows as layers (Tensors' maxPool2d and
// avgPool2d). They have no parameters.
//
// Read next: Flatten.swift.

import Tensors

/// 2-D max-pooling of [N, C, H, W] (Tensors' `maxPool2d`: sliding windows, then max):
///
/// ```
/// out[n, c, y, x] = max_{i, j} xp[n, c, y·sh + i, x·sw + j]      ∂ : 1 to each window's arg-max
/// ```
/// `stride` defaults to the kernel size (PyTorch's default); padding is −∞.
public final class MaxPool2d<Scalar: TensorScalar>: CallSiteLayer {
    public let kernelSize: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    public let padding: (height: Int, width: Int)
    public var isTraining = true

    public init(kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                padding: (height: Int, width: Int) = (0, 0)) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "MaxPool2d(\(windowText(kernelSize, stride)))" }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        checkPoolingInput(summaryName, input, kernelSize, padding, file: file, line: line)
        return input.maxPool2d(kernel: kernelSize, stride: stride, padding: padding, file: file, line: line)
    }
}

/// 2-D average-pooling of [N, C, H, W] (Tensors' `avgPool2d`: sliding windows, then mean):
///
/// ```
/// out[n, c, y, x] = (1 / KH·KW) Σ_{i, j} xp[n, c, y·sh + i, x·sw + j]     ∂ : 1/(KH·KW) to each window element
/// ```
/// `stride` defaults to the kernel size; padding zeros count in the mean (PyTorch's default).
public final class AvgPool2d<Scalar: TensorScalar>: CallSiteLayer {
    public let kernelSize: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    public let padding: (height: Int, width: Int)
    public var isTraining = true

    public init(kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                padding: (height: Int, width: Int) = (0, 0)) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "AvgPool2d(\(windowText(kernelSize, stride)))" }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        checkPoolingInput(summaryName, input, kernelSize, padding, file: file, line: line)
        return input.avgPool2d(kernel: kernelSize, stride: stride, padding: padding, file: file, line: line)
    }
}

/// "2" for a 2×2 kernel with stride 2, "3×2, stride 1" otherwise.
private func windowText(_ kernel: (height: Int, width: Int), _ stride: (height: Int, width: Int)) -> String {
    let k = kernel.height == kernel.width ? "\(kernel.height)" : "\(kernel.height)×\(kernel.width)"
    if stride == kernel { return k }
    return k + ", stride " + (stride.height == stride.width ? "\(stride.height)" : "\(stride.height)×\(stride.width)")
}

/// Traps, naming the layer, unless `input` is [N, C, H, W] and holds at least one window.
private func checkPoolingInput<Scalar>(_ layer: String, _ input: Tensor<Scalar>, _ kernel: (height: Int, width: Int),
                                       _ padding: (height: Int, width: Int), file: StaticString, line: UInt) {
    if input.rank != 4 {
        layerTrap(layer, "expects input [N, C, H, W], got \(shapeText(input.shape))", file: file, line: line)
    }
    if input.shape[2] + 2 * padding.height < kernel.height || input.shape[3] + 2 * padding.width < kernel.width {
        layerTrap(layer, "the window \(kernel.height)×\(kernel.width) is larger than the input \(shapeText(input.shape)) "
                  + "with padding \(padding.height)×\(padding.width)", file: file, line: line)
    }
}
