// Movement.swift — primitives that move numbers without doing arithmetic on them.
//
// reshape, permute, expand and slice make *views*: new shape, strides and offset over the
// same storage, no copy (reshape copies only a non-contiguous input). pad, concat and
// indexSelect build new storage. Every pullback here is again a movement: gradients are
// moved back to where the values came from, and added where one value went to several places.
//
// Read next: MatMul.swift.

extension Tensor {
    /// The same elements in row-major order, arranged in `newShape`. One extent may be −1:
    /// it is inferred from the element count. A view when the tensor is contiguous, else a copy.
    ///
    /// ```
    /// out = x viewed as newShape       ∂ : reshape the gradient back to x's shape
    /// ```
    @_specialize(where Scalar == Float)
    public func reshape(_ newShape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let target = resolvedShape(newShape, file: file, line: line)
        let source = isContiguous ? self : mapped(.identity)
        let out = Tensor(storage: source.storage, shape: target, strides: contiguousStrides(target),
                         offset: source.offset)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.reshape, [self], detail: describe(target)) { [shape] upstream in
            [upstream.reshape(shape)]
        }
    }

    private func resolvedShape(_ newShape: [Int], file: StaticString, line: UInt) -> [Int] {
        var problem: String { "cannot reshape \(describe(shape)) (\(count) elements) to \(describe(newShape))" }
        // (Searches rather than a filtered list of the −1 axes: reshape runs in every
        // backward, and each array it made cost a malloc.)
        let inferred = newShape.firstIndex(of: -1)
        if let axis = inferred, newShape[(axis + 1)...].contains(-1) { shapeTrap("reshape", problem, file: file, line: line) }
        if newShape.contains(where: { $0 < -1 }) { shapeTrap("reshape", problem, file: file, line: line) }
        var target = newShape
        if let axis = inferred {
            let known = elementCount(newShape.filter { $0 != -1 })
            if known == 0 || count % known != 0 { shapeTrap("reshape", problem, file: file, line: line) }
            target[axis] = count / known
        }
        if elementCount(target) != count { shapeTrap("reshape", problem, file: file, line: line) }
        return target
    }

    /// The axes reordered: axis i of the result is axis `axes[i]` of `self`. A view.
    ///
    /// ```
    /// out[i_{p(0)}, …] = x[i_0, …]      ∂ : permute the gradient by the inverse permutation
    /// ```
    @_specialize(where Scalar == Float)
    public func permute(_ axes: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        // (Axes already in 0..<rank, as `transposed` passes them, are used as they are.)
        let order = axes.allSatisfy({ (0..<rank).contains($0) })
            ? axes : axes.map { normalizedAxis($0, rank: rank, op: "permute", file: file, line: line) }
        // Each axis exactly once. (Checked by search rather than with a Set: ranks are small,
        // and every matrix transpose passes through here.)
        if order.count != rank || (0..<rank).contains(where: { !order.contains($0) }) {
            shapeTrap("permute", "\(axes) is not a permutation of the axes of a tensor of shape \(describe(shape))",
                      file: file, line: line)
        }
        let out = Tensor(storage: storage, shape: order.map { shape[$0] }, strides: order.map { strides[$0] },
                         offset: offset)
        guard Tensor.isRecording(self) else { return out }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in order.enumerated() { inverse[axis] = i }
        return out.recorded(.permute, [self], detail: "\(order)") { upstream in [upstream.permute(inverse)] }
    }

    /// The tensor repeated along axes of extent 1 (and new leading axes) to `newShape`,
    /// by NumPy's broadcasting rule. A view: the repeated axes get stride 0.
    ///
    /// ```
    /// out[i] = x[i with broadcast axes set to 0]    ∂ : sum the gradient over the broadcast axes
    /// ```
    public func expand(_ newShape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        guard let common = broadcastShapes(shape, newShape), common == newShape else {
            shapeTrap("expand", "shape \(describe(shape)) does not broadcast to \(describe(newShape))",
                      file: file, line: line)
        }
        let out = Tensor(storage: storage, shape: newShape,
                         strides: broadcastStrides(shape: shape, strides: strides, to: newShape), offset: offset)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.expand, [self], detail: describe(newShape)) { [shape] upstream in
            [upstream.sumToShape(shape)]
        }
    }

    /// Elements `start, start + step, …` (stopping before `stop`) along `axis`. A view.
    /// Negative `start`/`stop` count from the end and both are clamped to the axis, as in
    /// Python; `step` must be positive.
    ///
    /// ```
    /// out[…, i, …] = x[…, start + i·step, …]     ∂ : the gradient placed back into zeros of x's shape
    /// ```
    /// `backward()` adds the gradient into that part of x's gradient instead (`addGradient`),
    /// which gives the same sums without a zero-filled copy of x per slice.
    @_specialize(where Scalar == Float)
    public func slice(axis: Int, _ start: Int, _ stop: Int, step: Int = 1,
                      file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let view = sliceView(axis: axis, start, stop, step: step, file: file, line: line)
        guard Tensor.isRecording(self) else { return view }
        let a = normalizedAxis(axis, rank: rank, op: "slice", file: file, line: line)
        return view.recorded(.slice, [self], detail: "axis \(a) \(start)..<\(stop) step \(step)",
                             addGradient: { upstream, gradient in
                                 gradient.sliceView(axis: a, start, stop, step: step).scaleAndAdd(upstream, alpha: 1)
                             }) { [shape] upstream in
            let gradient = Tensor.zeros(shape)
            gradient.sliceView(axis: a, start, stop, step: step, file: file, line: line).assign(upstream)
            return [gradient]
        }
    }

    /// The view `slice` returns, without recording it.
    func sliceView(axis: Int, _ start: Int, _ stop: Int, step: Int = 1,
                   file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let a = normalizedAxis(axis, rank: rank, op: "slice", file: file, line: line)
        if step <= 0 { shapeTrap("slice", "step must be positive, got \(step)", file: file, line: line) }
        let n = shape[a]
        let from = Swift.min(Swift.max(start < 0 ? start + n : start, 0), n)
        let to = Swift.min(Swift.max(stop < 0 ? stop + n : stop, 0), n)
        let length = to > from ? (to - from + step - 1) / step : 0
        var newShape = shape, newStrides = strides
        newShape[a] = length
        newStrides[a] = strides[a] * step
        return Tensor(storage: storage, shape: newShape, strides: newStrides,
                      offset: length > 0 ? offset + from * strides[a] : offset)
    }

    /// The tensor surrounded by `value`: `widths[axis] = (before, after)` elements on each
    /// side of each axis. A new tensor.
    ///
    /// ```
    /// out[i + before] = x[i], out = value elsewhere     ∂ : the gradient's interior (a slice)
    /// ```
    @_specialize(where Scalar == Float)
    public func pad(_ widths: [(before: Int, after: Int)], value: Scalar = 0,
                    file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if widths.count != rank || widths.contains(where: { $0.before < 0 || $0.after < 0 }) {
            shapeTrap("pad", "needs one non-negative (before, after) pair per axis of \(describe(shape)), got \(widths)",
                      file: file, line: line)
        }
        let out = Tensor(repeating: value, shape: shape.indices.map { shape[$0] + widths[$0].before + widths[$0].after })
        out.interior(widths, shape).assign(self)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.pad, [self], detail: "\(widths.map { [$0.before, $0.after] })") { [shape] upstream in
            [upstream.interior(widths, shape)]
        }
    }

    /// The part of a padded tensor that holds the original `shape`.
    private func interior(_ widths: [(before: Int, after: Int)], _ shape: [Int]) -> Tensor {
        var view = self
        for axis in shape.indices {
            view = view.sliceView(axis: axis, widths[axis].before, widths[axis].before + shape[axis])
        }
        return view
    }

    /// Tensors joined end to end along `axis`; all other extents must agree.
    ///
    /// ```
    /// out = [x₀ | x₁ | …] along axis      ∂ : the gradient cut back into the same pieces
    /// ```
    @_specialize(where Scalar == Float)
    public static func concat(_ tensors: [Tensor], axis: Int,
                              file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        guard let first = tensors.first else { shapeTrap("concat", "needs at least one tensor", file: file, line: line) }
        let a = normalizedAxis(axis, rank: first.rank, op: "concat", file: file, line: line)
        for t in tensors where t.rank != first.rank
            || t.shape.indices.contains(where: { $0 != a && t.shape[$0] != first.shape[$0] }) {
            shapeTrap("concat", "shapes \(describe(first.shape)) and \(describe(t.shape)) differ off axis \(a)",
                      file: file, line: line)
        }
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let out = Tensor.zeros(outShape)
        let starts = tensors.reduce(into: [0]) { $0.append($0.last! + $1.shape[a]) }
        for (t, start) in zip(tensors, starts) {
            out.sliceView(axis: a, start, start + t.shape[a]).assign(t)
        }
        guard Tensor.isRecording(tensors) else { return out }
        return out.recorded(.concat, tensors, detail: "axis \(a)") { upstream in
            zip(tensors, starts).map { t, start in
                upstream.ifNeeded(t) { upstream.sliceView(axis: a, start, start + t.shape[a]) }
            }
        }
    }

    /// The entries at `indices` along `axis`, in that order; indices may repeat.
    ///
    /// ```
    /// out[…, i, …] = x[…, indices[i], …]     ∂ : gradient slice i is *added* at indices[i]
    /// ```
    /// Added, not written: an index that appears twice sends two gradients to one place.
    /// An embedding lookup is `table.indexSelect(axis: 0, tokenIDs)`.
    /// Implemented by: `gatherKernel` → `Backend.gather` (forward) and `scatterAddKernel` →
    /// `Backend.scatterAdd` (backward), one call for all the indices.
    @_specialize(where Scalar == Float)
    public func indexSelect(axis: Int, _ indices: [Int],
                            file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let a = normalizedAxis(axis, rank: rank, op: "indexSelect", file: file, line: line)
        if let bad = indices.first(where: { $0 < 0 || $0 >= shape[a] }) {
            shapeTrap("indexSelect", "index \(bad) is out of range 0..<\(shape[a]) for axis \(a) of \(describe(shape))",
                      file: file, line: line)
        }
        let out = gatherKernel(indices, axis: a)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.indexSelect, [self], detail: "axis \(a), \(indices.count) indices") { [shape] upstream in
            [upstream.scatterAddKernel(indices, axis: a, into: shape)]
        }
    }
}
