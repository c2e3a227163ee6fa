// Tensor+Convolution.swift — 2-D convolution (NCHW) by im2col, composed from pad, slice,
// concat (through stack), reshape and matmul. No backward of its own.
//
// im2col ("image to columns"): for each output position, the C·KH·KW input values under the
// kernel are laid out as one column. Then the whole convolution is one matrix product,
//     out[n] = W (O × C·KH·KW)  ·  cols[n] (C·KH·KW × OH·OW),
// which is the loop a BLAS gemm runs fastest. Here the columns are not built one output
// position at a time: for each kernel offset (i, j) one strided slice of the padded input
// picks the value under that kernel tap for *every* output position at once, giving KH·KW
// slices of shape [N, C, OH, OW]. Stacked and reshaped, they are the column matrix. Since each
// step is a primitive with a pullback, the gradient (col2im: columns added back into the
// image, overlapping windows summing) comes out of the chain rule through slice and pad.
//
// Read next: Tensor+Pooling.swift, which reuses `slidingWindows`.

extension Tensor {
    /// 2-D cross-correlation (what deep-learning libraries call convolution) of `self`,
    /// shape [N, C, H, W], with `weight` [O, C, KH, KW] and an optional `bias` [O],
    /// composed by im2col (pad, slice, concat, reshape, matmul, add).
    ///
    /// ```
    /// out[n, o, y, x] = b[o] + Σ_{c, i, j} w[o, c, i, j] · xp[n, c, y·sh + i, x·sw + j]
    /// OH = (H + 2·ph − KH) / sh + 1,   OW = (W + 2·pw − KW) / sw + 1   (rounded down)
    /// ```
    /// where xp is the input with `padding` zeros on each side of H and W.
    /// ∂out/∂w[o, c, i, j] = xp[n, c, y·sh + i, x·sw + j] and ∂out/∂xp = w at the same pairing:
    /// matmul's pullback gives both, and slice/pad carry the input's part back to x.
    @_specialize(where Scalar == Float)
    public func conv2d(weight: Tensor, bias: Tensor? = nil,
                       stride: (height: Int, width: Int) = (1, 1),
                       padding: (height: Int, width: Int) = (0, 0),
                       file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if rank != 4 || weight.rank != 4 || weight.shape[1] != shape[1] {
            shapeTrap("conv2d", "needs input [N, C, H, W] and weight [O, C, KH, KW] with the same C, got "
                      + "\(describe(shape)) and \(describe(weight.shape))", file: file, line: line)
        }
        if let bias, bias.shape != [weight.shape[0]] {
            shapeTrap("conv2d", "bias must have shape [\(weight.shape[0])] (one per output channel), got "
                      + describe(bias.shape), file: file, line: line)
        }
        let (outChannels, channels, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let windows = slidingWindows(op: "conv2d", kernel: (kh, kw), stride: stride, padding: padding,
                                     padValue: 0, file: file, line: line)
        let (batch, oh, ow) = (shape[0], windows.shape[3], windows.shape[4])
        // [N, C, KH·KW, OH, OW] → [N, C·KH·KW, OH·OW]: row c·KH·KW + i·KW + j, the same order as
        // weight's row-major [C, KH, KW], so the weight needs only a reshape.
        let columns = windows.reshape([batch, channels * kh * kw, oh * ow])
        let kernels = weight.reshape([outChannels, channels * kh * kw])
        var out = kernels.matmul(columns, file: file, line: line).reshape([batch, outChannels, oh, ow])
        if let bias { out = Tensor.add(out, bias.reshape([1, outChannels, 1, 1]), file: file, line: line) }
        return out
    }

    /// The kernel-sized windows of a [N, C, H, W] tensor, padded with `padValue`, as a
    /// [N, C, KH·KW, OH, OW] tensor: entry [n, c, i·KW + j, y, x] is xp[n, c, y·sh + i, x·sw + j].
    /// Composed: pad, then one strided slice per kernel tap (i, j), then stack (concat).
    func slidingWindows(op: String, kernel: (height: Int, width: Int), stride: (height: Int, width: Int),
                        padding: (height: Int, width: Int), padValue: Scalar,
                        file: StaticString, line: UInt) -> Tensor {
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
        let oh = (paddedHeight - kernel.height) / stride.height + 1
        let ow = (paddedWidth - kernel.width) / stride.width + 1
        let padded = padding == (0, 0) ? self
            : pad([(0, 0), (0, 0), (padding.height, padding.height), (padding.width, padding.width)],
                  value: padValue, file: file, line: line)
        var taps: [Tensor] = []
        for i in 0..<kernel.height {
            for j in 0..<kernel.width {
                // Rows i, i + sh, …, i + (OH − 1)·sh and the same for columns: tap (i, j) of every window.
                taps.append(padded.slice(axis: 2, i, i + (oh - 1) * stride.height + 1, step: stride.height)
                                  .slice(axis: 3, j, j + (ow - 1) * stride.width + 1, step: stride.width))
            }
        }
        return Tensor.stack(taps, axis: 2, file: file, line: line)
    }
}
