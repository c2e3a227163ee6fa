// Reduce.swift — the two reduction primitives, sum and max, over any set of axes.
//
// A reduction over axes A folds every element whose index differs only along A into one
// output. `keepDims: true` leaves each reduced axis in place with extent 1, so the result
// still broadcasts against the input; that is also the shape the pullbacks work in.
// mean, variance and logsumexp are composites (Tensor+Composites.swift).
//
// Read next: Movement.swift.

extension Tensor {
    /// The sum over `axes` (negative axes count from the end; `[]` sums nothing).
    ///
    /// ```
    /// out[j] = Σ_{i ↦ j} x[i]      ∂out[j]/∂x[i] = 1
    /// ```
    /// so each input element receives the upstream gradient of the sum it went into:
    /// backward *broadcasts* the gradient back over the reduced axes.
    /// Implemented by: `reduced(.sum)` → `Backend.reduce`.
    @_specialize(where Scalar == Float)
    public func sum(axes: [Int], keepDims: Bool = false,
                    file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let axisSet = Set(axes.map { normalizedAxis($0, rank: rank, op: "sum", file: file, line: line) })
        let kept = reduced(.sum, axes: axisSet)
        let out = dropping(axisSet, from: kept, keepDims: keepDims)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.sum, [self], detail: "axes \(axisSet.sorted())") { [shape, keptShape = kept.shape] upstream in
            [upstream.reshape(keptShape).expand(shape)]
        }
    }

    /// The sum of all elements, as a scalar tensor (shape []).
    public func sum() -> Tensor {
        sum(axes: Array(0..<rank))
    }

    /// The sum along one axis.
    public func sum(axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        sum(axes: [axis], keepDims: keepDims, file: file, line: line)
    }

    /// The maximum over `axes`; −∞ over an empty axis, NaN if any element is NaN (as in PyTorch).
    ///
    /// ```
    /// out[j] = max_{i ↦ j} x[i]    ∂out[j]/∂x[i] = 1 if x[i] is the maximum, else 0
    /// ```
    /// The gradient goes to the arg-max. If several elements tie for the maximum, they
    /// share it equally (1/count each), as PyTorch's `amax` does.
    @_specialize(where Scalar == Float)
    public func max(axes: [Int], keepDims: Bool = false,
                    file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let axisSet = Set(axes.map { normalizedAxis($0, rank: rank, op: "max", file: file, line: line) })
        let kept = reduced(.max, axes: axisSet)
        let out = dropping(axisSet, from: kept, keepDims: keepDims)
        guard Tensor.isRecording(self) else { return out }
        return out.recorded(.max, [self], detail: "axes \(axisSet.sorted())") { [self] upstream in
            // 1 where an element equals its group's maximum, 0 elsewhere.
            let isMax = self.zipped(.equal, kept, op: "max", file: file, line: line)
            let ties = isMax.sum(axes: Array(axisSet), keepDims: true)
            // Each group's gradient split among its ties, then sent to them: the division
            // is done on the small reduced shape, and the full-size tensor is touched once.
            return [isMax * (upstream.reshape(kept.shape) / ties)]
        }
    }

    /// The largest element, as a scalar tensor.
    public func max() -> Tensor {
        max(axes: Array(0..<rank))
    }

    /// The maximum along one axis.
    public func max(axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        max(axes: [axis], keepDims: keepDims, file: file, line: line)
    }

    /// `kept` (this tensor reduced with extent-1 axes) as the op's output: itself for
    /// `keepDims`, else the same storage without the reduced axes.
    private func dropping(_ axes: Set<Int>, from kept: Tensor, keepDims: Bool) -> Tensor {
        if keepDims { return kept }
        let outShape = shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        return Tensor(storage: kept.storage, shape: outShape, strides: contiguousStrides(outShape), offset: 0)
    }
}
