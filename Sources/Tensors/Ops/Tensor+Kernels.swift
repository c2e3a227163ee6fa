// Tensor+Kernels.swift — the one step between an op and the backend: turning tensors into
// strided buffers, allocating the output, and recording the result in the graph.
//
// Every public op reaches its loop in three calls: the op (e.g. `exp()` in Elementwise.swift)
// → a helper here (`mapped(.exp)`) → the backend's kernel (`ReferenceBackend.map`).
//
// Speed: the ops a training step calls carry `@_specialize(where Scalar == Float)`. Tensors is
// generic and its code is compiled once for any Scalar; without the annotation every op run
// from another module looks up type metadata (Tensor<Float>, its arrays and closures) again
// and again, which cost about 15% of a small training step. With it, the generic entry point
// checks the type once and jumps to a copy compiled for Float.
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
    /// applied to `inputs`. When gradients are off, or no input requires one, nothing is
    /// recorded and `self` comes back unchanged: a constant.
    func recorded(_ op: Primitive, _ inputs: [Tensor], detail: @autoclosure @escaping () -> String? = nil,
                  _ pullback: @escaping Pullback<Scalar>) -> Tensor {
        // (A closure, not the key path `\.requiresGrad`: key paths are looked up at run time.)
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        return Tensor(storage: storage, shape: shape, strides: strides, offset: offset,
                      requiresGrad: true, op: op, opDetail: detail, inputs: inputs, pullback: pullback)
    }

    /// Whether an op on `a` (and `b`) will be recorded: one of them requires a gradient and
    /// gradients are on. The ops that backward itself runs most ask this first, and return
    /// their plain result when it is false, before building their pullback: the closure and
    /// the list of inputs are allocated where they are written, even when `recorded` then
    /// drops them, and backward runs every op with gradients off.
    @inline(__always)
    static func isRecording(_ a: Tensor, _ b: Tensor? = nil) -> Bool {
        (a.requiresGrad || (b?.requiresGrad ?? false)) && GradMode.isEnabled
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

    /// Adds `source` into this view's elements, in place (not recorded by autograd).
    func addAssign(_ source: Tensor) {
        withExtendedLifetime((self, source)) {
            Backends.current.zip(.add, shape: shape, buffer, source.buffer(broadcastTo: shape), into: buffer)
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

    /// A copy in contiguous row-major storage, or `self` if it already is contiguous.
    /// Not an op of its own: the copy has the same values, so it is recorded as a
    /// `reshape` to the same shape, whose gradient passes straight through.
    public func contiguous() -> Tensor {
        isContiguous ? self : reshape(shape)
    }
}
