// Tensor+Kernels.swift — the one door between the ops and the backend: turning tensors into
// strided buffers, allocating the output, calling the kernel, and recording the result in
// the graph. No other file in Tensors calls `Backends.current`.
//
// A named op reaches its loop in three calls: the op (e.g. `Tensor.add` in Elementwise.swift)
// → a helper here (`zipped(.add)`) → the backend's kernel (`Backend.zip`, the one dynamic
// call: the backend is chosen at run time), whose loop is inlined into it. An operator adds
// one call in front (`a + b` calls `Tensor.add`, so that it can name the op in a shape error).
//
// Speed: the ops a training step calls carry `@_specialize(where Scalar == Float)`. Tensors is
// generic and its code is compiled once for any Scalar; without the annotation every op run
// from another module looks up type metadata again and again (Docs/performance.md). With it,
// the generic entry point checks the type once and jumps to a copy compiled for Float.
//
// Read next: Elementwise.swift.

extension Tensor {
    /// This view as the backend sees it: a base pointer and strides.
    var buffer: StridedBuffer<Scalar> {
        StridedBuffer(base: storage.pointer + offset, strides: strides)
    }

    /// This view read as if it had shape `target` (which it must broadcast to).
    func buffer(broadcastTo target: [Int]) -> StridedBuffer<Scalar> {
        StridedBuffer(base: storage.pointer + offset,
                      strides: broadcastStrides(shape: shape, strides: strides, to: target))
    }

    /// Records `self`, a freshly computed value with no history, as the output of `op`
    /// applied to `inputs`. Every primitive calls it the same way, after asking
    /// `isRecording` first:
    ///
    /// ```swift
    /// let out = mapped(.exp)
    /// guard Tensor.isRecording(self) else { return out }
    /// return out.recorded(.exp, [self]) { upstream in [upstream * out] }
    /// ```
    /// (Asked first because the pullback closure and the list of inputs are allocated where
    /// they are written, and backward runs every op with gradients off.)
    /// `addGradient`: the pullback as an in-place addition (`GradientAdder`), for an op whose
    /// gradient is zero outside a part of its one input.
    func recorded(_ op: Primitive, _ inputs: [Tensor], detail: @autoclosure @escaping () -> String? = nil,
                  addGradient: GradientAdder<Scalar>? = nil, _ pullback: @escaping Pullback<Scalar>) -> Tensor {
        assert(Tensor.isRecording(inputs), "\(op) recorded although nothing requires a gradient")
        return Tensor(storage: storage, shape: shape, strides: strides, offset: offset,
                      requiresGrad: true, op: op, opDetail: detail, inputs: inputs, pullback: pullback,
                      addGradient: addGradient)
    }

    /// Whether an op on `a` (and `b`) will be recorded: one of them requires a gradient and
    /// gradients are on. Otherwise the op's result is a constant, returned as it is.
    @inline(__always)
    static func isRecording(_ a: Tensor, _ b: Tensor? = nil) -> Bool {
        (a.requiresGrad || (b?.requiresGrad ?? false)) && GradMode.isEnabled
    }

    /// `isRecording` for an op with any number of inputs (concat).
    static func isRecording(_ inputs: [Tensor]) -> Bool {
        // (A closure, not the key path `\.requiresGrad`: key paths are looked up at run time.)
        inputs.contains(where: { $0.requiresGrad }) && GradMode.isEnabled
    }

    /// `gradient()` if `input` requires a gradient, else `nil` without computing it. Used by
    /// the pullbacks of ops with several inputs, where some may be constants.
    func ifNeeded(_ input: Tensor, _ gradient: () -> Tensor) -> Tensor? {
        input.requiresGrad ? gradient() : nil
    }

    /// `kernel` applied to every element, into a new contiguous tensor.
    func mapped(_ kernel: UnaryKernel) -> Tensor {
        let out = Tensor.unfilled(shape, like: self)
        withExtendedLifetime(self) {
            Backends.current.map(kernel, shape: shape, buffer, into: out.buffer)
        }
        return out
    }

    /// `kernel(self, other)` elementwise after broadcasting both to a common shape.
    func zipped(_ kernel: BinaryKernel, _ other: Tensor, op: String,
                file: StaticString, line: UInt) -> Tensor {
        guard let outShape = broadcastShapes(shape, other.shape) else {
            shapeTrap(op, "shapes \(describe(shape)) and \(describe(other.shape)) do not broadcast",
                      file: file, line: line)
        }
        let out = Tensor.unfilled(outShape, like: outShape == shape ? self : other)
        withExtendedLifetime((self, other)) {
            Backends.current.zip(kernel, shape: outShape, buffer(broadcastTo: outShape),
                                 other.buffer(broadcastTo: outShape), into: out.buffer)
        }
        return out
    }

    /// `kernel` folded over `axes` (already normalized, each in 0..<rank), keeping them as
    /// extent 1: the result has this tensor's rank.
    func reduced(_ kernel: ReduceKernel, axes: Set<Int>) -> Tensor {
        let outShape = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
        let out = Tensor(repeating: kernel.identity(Scalar.self), shape: outShape)
        // Stride 0 along the reduced axes: every input index along them lands in one output slot.
        var outStrides = contiguousStrides(outShape)
        for axis in axes { outStrides[axis] = 0 }
        withExtendedLifetime(self) {
            Backends.current.reduce(kernel, shape: shape, buffer,
                                    into: StridedBuffer(base: out.storage.pointer, strides: outStrides))
        }
        return out
    }

    /// Writes `source` (broadcast to this shape) into this view's elements, in place. The
    /// write goes through to the shared storage; it is not recorded by autograd.
    ///
    /// ```swift
    /// let m = Tensor<Double>.zeros([2, 3])
    /// m.slice(axis: 1, 0, 1).assign(Tensor(7))   // first column = 7
    /// ```
    @_specialize(where Scalar == Float)
    public func assign(_ source: Tensor, file: StaticString = #fileID, line: UInt = #line) {
        guard let common = broadcastShapes(source.shape, shape), common == shape else {
            shapeTrap("assign", "shape \(describe(source.shape)) does not broadcast to \(describe(shape))",
                      file: file, line: line)
        }
        withExtendedLifetime((self, source)) {
            Backends.current.map(.identity, shape: shape, source.buffer(broadcastTo: shape), into: buffer)
        }
    }

    /// In place: self ← beta · self + alpha · x, elementwise, with `x` broadcast to this
    /// shape. Not recorded by autograd (like `assign`). It is how the optimizers update
    /// without making a temporary tensor per operation:
    ///
    /// ```swift
    /// buffer.scaleAndAdd(g, alpha: 1, beta: 0.9)       // v ← 0.9 v + g
    /// theta.scaleAndAdd(buffer, alpha: -0.05)          // θ ← θ − 0.05 v
    /// ```
    /// Each element is rounded exactly as `self * beta + x * alpha` would be. `self` must not
    /// be a broadcast view (one element seen at several indices would be updated several
    /// times); `x` may be any view, even one of `self`'s own storage (it is then read from a
    /// copy, so that no element is read after it was written).
    /// Implemented by: `Backend.axpby`.
    @_specialize(where Scalar == Float)
    public func scaleAndAdd(_ x: Tensor, alpha: Scalar, beta: Scalar = 1,
                            file: StaticString = #fileID, line: UInt = #line) {
        guard let common = broadcastShapes(x.shape, shape), common == shape else {
            shapeTrap("scaleAndAdd", "shape \(describe(x.shape)) does not broadcast to \(describe(shape))",
                      file: file, line: line)
        }
        if zip(shape, strides).contains(where: { $0.0 > 1 && $0.1 == 0 }) {
            shapeTrap("scaleAndAdd", "the tensor being updated, of shape \(describe(shape)), is a broadcast view "
                      + "(stride 0); update the tensor it was expanded from", file: file, line: line)
        }
        let sameView = x.strides == strides && x.offset == offset && x.shape == shape
        let source = x.storage === storage && !sameView ? x.copy() : x
        withExtendedLifetime((self, source)) {
            Backends.current.axpby(shape: shape, alpha: alpha, source.buffer(broadcastTo: shape), beta: beta, into: buffer)
        }
    }

    /// One optimizer step for this parameter, in place and in one pass (`Backend.update`):
    /// the parameter and its running-state tensors `state` (in the slots `rule` names, each
    /// contiguous and shaped like the parameter) are overwritten, `gradient` is read. Not
    /// recorded by autograd. A step allocates nothing, unless the gradient or the parameter
    /// is a strided view: those are worked on through a contiguous copy.
    ///
    /// ```swift
    /// theta.update(.sgd(learningRate: 0.1, momentum: 0, dampening: 0, nesterov: false,
    ///                   weightDecay: 0, firstStep: true), gradient: g)      // θ ← θ − 0.1 g
    /// ```
    @_specialize(where Scalar == Float)
    public func update(_ rule: ParameterUpdate, gradient: Tensor, state: (Tensor?, Tensor?, Tensor?) = (nil, nil, nil),
                       file: StaticString = #fileID, line: UInt = #line) {
        func check(_ tensor: Tensor?, _ what: String, contiguous: Bool) {
            guard let tensor else { return }
            if tensor.shape != shape {
                shapeTrap("update", "the \(what) has shape \(describe(tensor.shape)), the parameter \(describe(shape))",
                          file: file, line: line)
            }
            if contiguous && !tensor.isContiguous {
                shapeTrap("update", "an optimizer's state must be contiguous", file: file, line: line)
            }
        }
        check(gradient, "gradient", contiguous: false)
        check(state.0, "state", contiguous: true)
        check(state.1, "state", contiguous: true)
        check(state.2, "state", contiguous: true)
        let target = isContiguous ? self : copy()
        let g = gradient.isContiguous ? gradient : gradient.copy()
        withExtendedLifetime((target, g, state)) {
            func pointer(_ t: Tensor?) -> UnsafeMutablePointer<Scalar>? { t.map { $0.storage.pointer + $0.offset } }
            Backends.current.update(rule, count: count, parameter: target.storage.pointer + target.offset,
                                    gradient: g.storage.pointer + g.offset,
                                    state: UpdateState(pointer(state.0), pointer(state.1), pointer(state.2)))
        }
        if target !== self { assign(target) }
    }

    // MARK: - Kernels for one op each (matmul, unfold, indexSelect)

    /// The matrix product of the last two axes, one `gemm` per matrix of the batch `batch`
    /// (the broadcast batch axes; [] for two plain matrices). The caller has checked shapes.
    func gemmProduct(_ other: Tensor, batch: [Int]) -> Tensor {
        let m = shape[rank - 2], k = shape[rank - 1], n = other.shape[other.rank - 1]
        let (a, transposeA, lda) = matrixOperand()
        let (b, transposeB, ldb) = other.matrixOperand()
        let backend = Backends.current
        let out = Tensor.unfilled(batch + [m, n])  // gemm with beta = 0 writes every element
        withExtendedLifetime((a, b)) {
            let aBase = a.storage.pointer + a.offset, bBase = b.storage.pointer + b.offset
            if batch.isEmpty {
                backend.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                             alpha: 1, a: aBase, lda: lda, b: bBase, ldb: ldb,
                             beta: 0, c: out.storage.pointer, ldc: Swift.max(n, 1))
                return
            }
            if other.rank == 2, !transposeA, let rows = a.rowsAsOneMatrix {
                // A stack of matrices times one matrix, as one product (FastPath/MatMul+GradientLayout.swift).
                backend.gemm(transposeA: false, transposeB: transposeB, m: rows.count, n: n, k: k,
                             alpha: 1, a: aBase, lda: rows.step, b: bBase, ldb: ldb,
                             beta: 0, c: out.storage.pointer, ldc: Swift.max(n, 1))
                return
            }
            let aBatchStrides = broadcastStrides(shape: Array(a.shape.dropLast(2)), strides: Array(a.strides.dropLast(2)), to: batch)
            let bBatchStrides = broadcastStrides(shape: Array(b.shape.dropLast(2)), strides: Array(b.strides.dropLast(2)), to: batch)
            forEachIndex(batch, aBatchStrides, bBatchStrides, Array(out.strides.dropLast(2))) { offsetA, offsetB, offsetC in
                backend.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                             alpha: 1, a: aBase + offsetA, lda: lda, b: bBase + offsetB, ldb: ldb,
                             beta: 0, c: out.storage.pointer + offsetC, ldc: Swift.max(n, 1))
            }
        }
        return out
    }

    /// Σ_i self[i] · other[i] for two stacks [count, m, k] and [count, k, n], as one [m, n]
    /// matrix (`Backend.gemmSum`); nil when a stack's matrices are not laid out as gemm reads
    /// them in place (the caller then multiplies and sums as usual).
    func summedProducts(_ other: Tensor) -> Tensor? {
        guard rank == 3, other.rank == 3, shape[0] == other.shape[0],
              let (transposeA, lda) = matrixLayout, let (transposeB, ldb) = other.matrixLayout else { return nil }
        let (count, m, k, n) = (shape[0], shape[1], shape[2], other.shape[2])
        let out = Tensor.unfilled([m, n])  // gemmSum writes every element
        withExtendedLifetime((self, other)) {
            Backends.current.gemmSum(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, count: count,
                                     a: storage.pointer + offset, lda: lda, strideA: strides[0],
                                     b: other.storage.pointer + other.offset, ldb: ldb, strideB: other.strides[0],
                                     c: out.storage.pointer, ldc: Swift.max(n, 1))
        }
        return out
    }

    /// This tensor's last two axes as gemm wants a matrix: rows contiguous (not transposed),
    /// or columns contiguous (a transposed view: passed as transposed, no copy). Anything
    /// else (a slice with a step, a broadcast matrix) is copied to contiguous first.
    /// Returns the tensor to read, whether it is transposed, and its leading dimension.
    private func matrixOperand() -> (Tensor, transposed: Bool, leadingDimension: Int) {
        if let (transposed, ld) = matrixLayout { return (self, transposed, ld) }
        return (mapped(.identity), false, Swift.max(shape[rank - 1], 1))
    }

    /// How gemm can read the last two axes in place: transposed or not, and the leading
    /// dimension; nil when they must be copied first.
    private var matrixLayout: (transposed: Bool, leadingDimension: Int)? {
        let r = shape[rank - 2], c = shape[rank - 1]
        let rowStride = strides[rank - 2], columnStride = strides[rank - 1]
        // A unit-extent axis is never stepped along, so its stride does not matter.
        if (columnStride == 1 || c == 1) && (r == 1 || rowStride >= Swift.max(c, 1)) {
            return (false, r == 1 ? Swift.max(c, 1) : rowStride)
        }
        if (rowStride == 1 || r == 1) && (c == 1 || columnStride >= Swift.max(r, 1)) {
            return (true, c == 1 ? Swift.max(r, 1) : columnStride)
        }
        return nil
    }

    /// Whether gemm reads this tensor's last two axes as a transposed matrix (columns contiguous).
    var isMatrixTransposed: Bool { matrixLayout?.transposed ?? false }

    /// The windows of `geometry` as columns [N, C·KH·KW, OH·OW] (`Backend.unfold`).
    func unfoldKernel(_ geometry: WindowGeometry, padValue: Scalar) -> Tensor {
        let out = Tensor.unfilled([geometry.batch, geometry.windowSize, geometry.positions])  // every element written
        withExtendedLifetime(self) {
            Backends.current.unfold(geometry, buffer, padValue: padValue, into: out.storage.pointer)
        }
        return out
    }

    /// These columns [N, C·KH·KW, OH·OW] added back into a zero image of `shape`, each entry
    /// where `unfoldKernel` read it from (`Backend.fold`).
    func foldKernel(_ geometry: WindowGeometry, into shape: [Int]) -> Tensor {
        let image = Tensor.zeros(shape)
        let columns = isContiguous ? self : mapped(.identity)
        withExtendedLifetime(columns) {
            Backends.current.fold(geometry, columns.storage.pointer + columns.offset, into: image.buffer)
        }
        return image
    }

    /// The max over each window of `geometry`, [N, C, OH, OW], and where each max was read:
    /// its index in a contiguous tensor of this shape (`Backend.maxPool`).
    func maxPoolKernel(_ geometry: WindowGeometry) -> (Tensor, argmax: [Int]) {
        let g = geometry
        let out = Tensor.unfilled([g.batch, g.channels, g.outHeight, g.outWidth])  // every element written
        let argmax = [Int](unsafeUninitializedCapacity: out.count) { indices, count in
            count = 0
            guard let first = indices.baseAddress, out.count > 0 else { return }  // an empty batch
            withExtendedLifetime(self) {
                Backends.current.maxPool(g, buffer, into: out.storage.pointer, argmax: first)
            }
            count = out.count
        }
        return (out, argmax)
    }

    /// The blocks at `indices` along `axis` (`Backend.gather`): this tensor read as
    /// outer × extent × inner, with extent the axis's.
    func gatherKernel(_ indices: [Int], axis: Int) -> Tensor {
        let (outer, extent, inner) = blocks(around: axis)
        var outShape = shape
        outShape[axis] = indices.count
        let source = isContiguous ? self : mapped(.identity)
        let out = Tensor.unfilled(outShape)  // gather writes every element
        withExtendedLifetime(source) {
            Backends.current.gather(indices, outer: outer, extent: extent, inner: inner,
                                    from: source.storage.pointer + source.offset, into: out.storage.pointer)
        }
        return out
    }

    /// The reverse of `gatherKernel`: these blocks added into a zero tensor of `shape` at
    /// `indices` along `axis` (`Backend.scatterAdd`); an index that repeats receives each.
    func scatterAddKernel(_ indices: [Int], axis: Int, into shape: [Int]) -> Tensor {
        let result = Tensor.zeros(shape)
        let (outer, extent, inner) = result.blocks(around: axis)
        let source = isContiguous ? self : mapped(.identity)
        withExtendedLifetime(source) {
            Backends.current.scatterAdd(indices, outer: outer, extent: extent, inner: inner,
                                        from: source.storage.pointer + source.offset, into: result.storage.pointer)
        }
        return result
    }

    /// This shape as outer × extent × inner around `axis`: the products of the extents
    /// before it, its own, and after it.
    private func blocks(around axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        (elementCount(Array(shape[..<axis])), shape[axis], elementCount(Array(shape[(axis + 1)...])))
    }

    /// A copy in contiguous row-major storage, or `self` if it already is contiguous.
    /// Not an op of its own: the copy has the same values, so it is recorded as a
    /// `reshape` to the same shape, whose gradient passes straight through.
    public func contiguous() -> Tensor {
        isContiguous ? self : reshape(shape)
    }
}
