// Unfold.swift — the sliding-window primitive (im2col) on which 2-D convolution and pooling
// are built: every KH × KW window of a batch of images, laid out as one column.
//
// Why a primitive of its own: the windows could be composed from one strided slice per
// kernel tap, stacked (that is how Lumen first did it), but then backward makes one
// full-size, mostly-zero gradient per tap and adds them up, KH·KW passes over the image.
// The pullback here (col2im, `Backend.fold`) adds every column entry straight back where
// it came from, in one pass.
//
// Read next: ../Tensor+Composites.swift; then ../NN/Tensor+Convolution.swift, which
// turns unfold plus one matrix product into conv2d.

extension Tensor {
    /// The sliding windows of a batch of images [N, C, H, W] as columns (im2col),
    /// shape [N, C·KH·KW, OH·OW]: column y·OW + x holds the window at output position (y, x).
    ///
    /// ```
    /// out[n, (c·KH + i)·KW + j, y·OW + x] = xp[n, c, y·sh + i, x·sw + j]
    /// ∂ : each entry of u is added back to the xp element it was read from (col2im);
    ///     an element under several windows receives the sum, the padding's share is dropped
    /// ```
    /// where xp is the input with `padding` copies of `padValue` on each side of H and W, and
    /// OH = (H + 2·ph − KH)/sh + 1, OW = (W + 2·pw − KW)/sw + 1, rounded down. The row
    /// order (c, i, j) is the row-major order of a conv weight [O, C, KH, KW], so that
    /// `weight.reshape([O, C·KH·KW]).matmul(columns)` is the convolution. (PyTorch calls
    /// this `torch.nn.functional.unfold`, with the same layout.)
    /// Implemented by: `unfolded` → `Backend.unfold`.
    @_specialize(where Scalar == Float)
    public func unfold(kernel: (height: Int, width: Int), stride: (height: Int, width: Int) = (1, 1),
                       padding: (height: Int, width: Int) = (0, 0), padValue: Scalar = 0,
                       file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        unfolded(windows(op: "unfold", kernel: kernel, stride: stride, padding: padding, file: file, line: line),
                 padValue: padValue)
    }

    /// The primitive, for a geometry already checked by `windows`.
    /// Implemented by: `unfoldKernel` → `Backend.unfold`; backward `foldKernel` → `Backend.fold`.
    @_specialize(where Scalar == Float)
    func unfolded(_ geometry: WindowGeometry, padValue: Scalar) -> Tensor {
        let out = unfoldKernel(geometry, padValue: padValue)
        guard Tensor.isRecording(self) else { return out }
        let g = geometry
        return out.recorded(.unfold, [self], detail: "\(g.kernelHeight)×\(g.kernelWidth) stride "
                            + "\(g.strideHeight),\(g.strideWidth) pad \(g.padHeight),\(g.padWidth)") { [shape] upstream in
            [upstream.foldKernel(geometry, into: shape)]
        }
    }

    /// The window geometry of this [N, C, H, W] tensor, or a trap naming `op` when the
    /// tensor is not 4-D, a kernel extent or stride is not positive, a padding is
    /// negative, or the kernel does not fit in the padded image.
    func windows(op: String, kernel: (height: Int, width: Int), stride: (height: Int, width: Int),
                 padding: (height: Int, width: Int), file: StaticString, line: UInt) -> WindowGeometry {
        if rank != 4 {
            shapeTrap(op, "needs an input of shape [N, C, H, W], got \(describe(shape))", file: file, line: line)
        }
        if kernel.height < 1 || kernel.width < 1 || stride.height < 1 || stride.width < 1
            || padding.height < 0 || padding.width < 0 {
            shapeTrap(op, "kernel \(kernel) and stride \(stride) must be positive and padding \(padding) "
                      + "non-negative", file: file, line: line)
        }
        let paddedHeight = shape[2] + 2 * padding.height, paddedWidth = shape[3] + 2 * padding.width
        if paddedHeight < kernel.height || paddedWidth < kernel.width {
            shapeTrap(op, "kernel \(kernel) is larger than the padded input \(paddedHeight) × \(paddedWidth) "
                      + "(input \(describe(shape)), padding \(padding))", file: file, line: line)
        }
        return WindowGeometry(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                              kernel: kernel, stride: stride, padding: padding)
    }
}
