// Conv2d.swift — 2-D convolution as a layer: PyTorch's weight layout [out, in, kh, kw], names
// and default initialization, over Tensors' conv2d (im2col).
//
// Read next: Pooling.swift, then Flatten.swift.

import Basics
import Tensors

/// A 2-D convolution over [N, C, H, W] inputs (Tensors' `conv2d`, composed by im2col from
/// unfold, reshape, matmul and add; no backward of its own):
///
/// ```
/// out[n, o, y, x] = b[o] + Σ_{c, i, j} W[o, c, i, j] · xp[n, c, y·sh + i, x·sw + j]
/// OH = (H + 2·ph − KH) / sh + 1,   OW = (W + 2·pw − KW) / sw + 1   (rounded down)
/// ```
/// xp is x with `padding` zeros around H and W. Parameters "weight" [out, in, kh, kw] and
/// "bias" [out], as in PyTorch's `nn.Conv2d`.
public final class Conv2d<Scalar: TensorScalar>: CallSiteLayer {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    public let padding: (height: Int, width: Int)
    /// W, shape [out, in, kh, kw].
    public let weight: Tensor<Scalar>
    /// b, shape [out], or `nil`.
    public let bias: Tensor<Scalar>?
    public var isTraining = true

    /// A convolution with PyTorch's default initialization: W and b uniform on ±1/√fan_in,
    /// fan_in = in · kh · kw, drawn from `rng` (W row-major, then b).
    public init(inChannels: Int, outChannels: Int, kernelSize: (height: Int, width: Int),
                stride: (height: Int, width: Int) = (1, 1), padding: (height: Int, width: Int) = (0, 0),
                bias: Bool = true, using rng: inout SplitMix64) {
        trapUnless(inChannels > 0 && outChannels > 0 && kernelSize.height > 0 && kernelSize.width > 0,
                   "Conv2d: channels (\(inChannels), \(outChannels)) and kernel \(kernelSize) must be positive")
        trapUnless(stride.height > 0 && stride.width > 0 && padding.height >= 0 && padding.width >= 0,
                   "Conv2d: stride \(stride) must be positive and padding \(padding) non-negative")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let bound = Initialization.kaimingUniformBound(fanIn: inChannels * kernelSize.height * kernelSize.width)
        weight = Initialization.uniform([outChannels, inChannels, kernelSize.height, kernelSize.width],
                                        bound: bound, using: &rng)
        self.bias = bias ? Initialization.uniform([outChannels], bound: bound, using: &rng) : nil
    }

    /// A square kernel, stride and padding: `Conv2d(inChannels: 1, outChannels: 8, kernelSize: 3, using: &rng)`.
    public convenience init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            bias: Bool = true, using rng: inout SplitMix64) {
        self.init(inChannels: inChannels, outChannels: outChannels, kernelSize: (kernelSize, kernelSize),
                  stride: (stride, stride), padding: (padding, padding), bias: bias, using: &rng)
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public var summaryName: String {
        let k = kernelSize.height == kernelSize.width ? "\(kernelSize.height)" : "\(kernelSize.height)×\(kernelSize.width)"
        var text = "Conv2d(\(inChannels) → \(outChannels), k \(k)"
        if stride != (1, 1) { text += ", stride \(stride.height == stride.width ? "\(stride.height)" : "\(stride)")" }
        if padding != (0, 0) { text += ", pad \(padding.height == padding.width ? "\(padding.height)" : "\(padding)")" }
        return text + ")"
    }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        if input.rank != 4 || input.shape[1] != inChannels {
            layerTrap(summaryName, "expects input [N, \(inChannels), H, W], got \(shapeText(input.shape))",
                      file: file, line: line)
        }
        let paddedHeight = input.shape[2] + 2 * padding.height, paddedWidth = input.shape[3] + 2 * padding.width
        if paddedHeight < kernelSize.height || paddedWidth < kernelSize.width {
            layerTrap(summaryName, "the kernel \(kernelSize.height)×\(kernelSize.width) is larger than the padded "
                      + "input \(paddedHeight)×\(paddedWidth) (input \(shapeText(input.shape)))", file: file, line: line)
        }
        return input.conv2d(weight: weight, bias: bias, stride: stride, padding: padding, file: file, line: line)
    }
}
