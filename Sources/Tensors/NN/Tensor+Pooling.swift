// Tensor+Pooling.swift — max-pool and average-pool over 2-D windows of a [N, C, H, W] tensor.
// Max-pooling is a primitive: one pass over the windows that remembers where each max was,
// and a pullback that sends each gradient there. Average-pooling is composed from the same
// windows as conv2d (the `unfold` primitive, one channel's window per column) and a mean.
//
// Read next: Tensor+Normalization.swift.

extension Tensor {
    /// 2-D max-pooling, a primitive (`Backend.maxPool`, and a scatter for its backward).
    ///
    /// ```
    /// out[n, c, y, x] = max_{i, j} xp[n, c, y·sh + i, x·sw + j]      ∂ : 1 to the window's arg-max
    /// ```
    /// `stride` defaults to the kernel size (non-overlapping windows). Padding is −∞, so it
    /// never wins; it may be at most half the kernel, so that every window holds a real value.
    /// The arg-max is the first largest element in the window's row-major order, and a window
    /// with NaN gives NaN (PyTorch's `max_pool2d`, ties and NaN alike). Where windows overlap,
    /// an element that is the max of several gets all their gradients.
    @_specialize(where Scalar == Float)
    public func maxPool2d(kernel: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                          padding: (height: Int, width: Int) = (0, 0),
                          file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if 2 * padding.height > kernel.height || 2 * padding.width > kernel.width {
            shapeTrap("maxPool2d", "padding \(padding) must be at most half the kernel \(kernel)", file: file, line: line)
        }
        let g = windows(op: "maxPool2d", kernel: kernel, stride: stride ?? kernel, padding: padding,
                        file: file, line: line)
        let (out, argmax) = maxPoolKernel(g)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.maxPool2d, [self], detail: "\(g.kernelHeight)×\(g.kernelWidth) stride "
                            + "\(g.strideHeight),\(g.strideWidth) pad \(g.padHeight),\(g.padWidth)") { [shape] upstream in
            // Each upstream entry added to the element its window's max was read from.
            [upstream.reshape([argmax.count]).scatterAddKernel(argmax, axis: 0, into: [elementCount(shape)]).reshape(shape)]
        }
    }

    /// 2-D average-pooling, composed: windows (unfold, padding 0), then the mean over each
    /// window (reshape, sum, mul).
    ///
    /// ```
    /// out[n, c, y, x] = (1 / KH·KW) Σ_{i, j} xp[n, c, y·sh + i, x·sw + j]     ∂ : 1/(KH·KW) to each window element
    /// ```
    /// `stride` defaults to the kernel size. Padding zeros count in the average (PyTorch's
    /// default, `count_include_pad`), so every window divides by KH·KW.
    public func avgPool2d(kernel: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                          padding: (height: Int, width: Int) = (0, 0),
                          file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let g = windows(op: "avgPool2d", kernel: kernel, stride: stride ?? kernel, padding: padding,
                        file: file, line: line)
        return windowsPerChannel(g, padValue: 0).mean(axis: 2, file: file, line: line)
            .reshape([g.batch, g.channels, g.outHeight, g.outWidth])
    }

    /// The windows as [N, C, KH·KW, OH·OW]: entry [n, c, i·KW + j, y·OW + x] is
    /// xp[n, c, y·sh + i, x·sw + j]. (unfold's rows c·KH·KW + i·KW + j, split into (c, tap).)
    private func windowsPerChannel(_ g: WindowGeometry, padValue: Scalar) -> Tensor {
        unfolded(g, padValue: padValue)
            .reshape([g.batch, g.channels, g.kernelHeight * g.kernelWidth, g.positions])
    }
}
