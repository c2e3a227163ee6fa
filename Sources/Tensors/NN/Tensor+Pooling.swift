// Tensor+Pooling.swift — max-pool and average-pool over 2-D windows of a [N, C, H, W] tensor,
// composed from the same sliding windows as conv2d (pad, slice, concat) and a max or mean
// over the window axis. No backward of their own.
//
// Read next: Tensor+Normalization.swift.

extension Tensor {
    /// 2-D max-pooling, composed: windows (pad with −∞, slice, concat), then max over each
    /// window (max).
    ///
    /// ```
    /// out[n, c, y, x] = max_{i, j} xp[n, c, y·sh + i, x·sw + j]      ∂ : 1 to the window's arg-max
    /// ```
    /// `stride` defaults to the kernel size (non-overlapping windows). Padding is −∞, so it
    /// never wins; it may be at most half the kernel, so that every window holds a real value.
    /// Where windows overlap, an element that is the max of several gets all their gradients.
    @_specialize(where Scalar == Float)
    public func maxPool2d(kernel: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                          padding: (height: Int, width: Int) = (0, 0),
                          file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if 2 * padding.height > kernel.height || 2 * padding.width > kernel.width {
            shapeTrap("maxPool2d", "padding \(padding) must be at most half the kernel \(kernel)", file: file, line: line)
        }
        return slidingWindows(op: "maxPool2d", kernel: kernel, stride: stride ?? kernel, padding: padding,
                              padValue: -.infinity, file: file, line: line)
            .max(axis: 2, file: file, line: line)
    }

    /// 2-D average-pooling, composed: windows (pad with 0, slice, concat), then the mean
    /// over each window (sum, mul).
    ///
    /// ```
    /// out[n, c, y, x] = (1 / KH·KW) Σ_{i, j} xp[n, c, y·sh + i, x·sw + j]     ∂ : 1/(KH·KW) to each window element
    /// ```
    /// `stride` defaults to the kernel size. Padding zeros count in the average (PyTorch's
    /// default, `count_include_pad`), so every window divides by KH·KW.
    public func avgPool2d(kernel: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
                          padding: (height: Int, width: Int) = (0, 0),
                          file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        slidingWindows(op: "avgPool2d", kernel: kernel, stride: stride ?? kernel, padding: padding,
                       padValue: 0, file: file, line: line)
            .mean(axis: 2, file: file, line: line)
    }
}
