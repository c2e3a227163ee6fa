// Tensor+Convolution.swift — 2-D convolution (NCHW), composed: im2col (the `unfold`
// primitive), one matrix product per image, and a broadcast bias. No backward of its own.
//
// im2col ("image to columns"): for each output position, the C·KH·KW input values under the
// kernel are laid out as one column. Then the whole convolution of one image is one matrix
// product,
//     out[n] = W (O × C·KH·KW)  ·  columns[n] (C·KH·KW × OH·OW),
// which is the loop a BLAS gemm runs fastest. The gradient comes from the chain rule:
// matmul's pullback gives ∂W (summed over the batch) and ∂columns, and unfold's pullback
// (col2im) adds ∂columns back into the image, overlapping windows summing.
//
// Read next: Tensor+Pooling.swift: max-pooling in one pass, and average-pooling from `unfold`.

extension Tensor {
    /// 2-D cross-correlation (what deep-learning libraries call convolution) of `self`,
    /// shape [N, C, H, W], with `weight` [O, C, KH, KW] and an optional `bias` [O],
    /// composed by im2col (unfold, reshape, matmul, add).
    ///
    /// ```
    /// out[n, o, y, x] = b[o] + Σ_{c, i, j} w[o, c, i, j] · xp[n, c, y·sh + i, x·sw + j]
    /// OH = (H + 2·ph − KH) / sh + 1,   OW = (W + 2·pw − KW) / sw + 1   (rounded down)
    /// ```
    /// where xp is the input with `padding` zeros on each side of H and W.
    /// ∂out/∂w[o, c, i, j] = xp[n, c, y·sh + i, x·sw + j] and ∂out/∂xp = w at the same pairing:
    /// matmul's pullback gives both, and unfold's carries the input's part back to x.
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
        let outChannels = weight.shape[0]
        let g = windows(op: "conv2d", kernel: (weight.shape[2], weight.shape[3]), stride: stride,
                        padding: padding, file: file, line: line)
        // [N, C·KH·KW, OH·OW]: row c·KH·KW + i·KW + j, the same order as weight's row-major
        // [C, KH, KW], so the weight needs only a reshape.
        let columns = unfolded(g, padValue: 0)
        let kernels = weight.reshape([outChannels, g.windowSize])
        var out = kernels.matmul(columns, file: file, line: line)
            .reshape([g.batch, outChannels, g.outHeight, g.outWidth])
        if let bias { out = Tensor.add(out, bias.reshape([1, outChannels, 1, 1]), file: file, line: line) }
        return out
    }
}
