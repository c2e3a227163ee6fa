// Tensor.swift — an n-dimensional array that remembers how it was computed.
//
// A `Tensor` is a view (shape, strides, offset) onto a shared `TensorStorage`, plus the
// graph fields that `Value` has for scalars: a stable id, the op that made it, its inputs,
// and a gradient that backward fills in. Each op stores a *pullback*: the function that
// turns the gradient of its output into the gradients of its inputs (the chain rule for
// that one op). The pullbacks are written next to their forwards in Ops/.
//
// Read next: Ops/Primitive.swift (the list of ops), then Ops/Elementwise.swift.

@_exported import Basics
import Synchronization

/// The gradient function of one op: given ∂root/∂out (`upstream`, shaped like the output),
/// returns ∂root/∂input for each input, shaped like that input, or `nil` for an input that
/// needs no gradient (a constant), so that backward does not compute what nobody reads.
public typealias Pullback<Scalar: TensorScalar> = (_ upstream: Tensor<Scalar>) -> [Tensor<Scalar>?]

/// A second form of a pullback, for an op of one input whose gradient is zero outside one part
/// of that input (a slice): adds `upstream` into that part of `gradient`, a tensor shaped like
/// the input, in place. `backward()` calls it instead of the pullback
/// (FastPath/Tensor+InPlaceBackward.swift), so that a tensor cut into many slices gets one
/// gradient buffer instead of one zero-filled copy per slice.
public typealias GradientAdder<Scalar: TensorScalar> = (_ upstream: Tensor<Scalar>, _ gradient: Tensor<Scalar>) -> Void

private let tensorIDCounter = Atomic<Int>(0)

/// An n-dimensional array of `Float` or `Double` with reverse-mode autograd.
///
/// ```swift
/// let w = try Tensor<Float>(shape: [2, 2], elements: [1, 2, 3, 4]).requiringGrad()
/// let x = Tensor<Float>([1, -1])
/// let loss = relu(w.matmul(x)).sum()
/// loss.backward()
/// print(w.grad!)        // ∂loss/∂w
/// ```
public final class Tensor<Scalar: TensorScalar> {
    /// A creation counter, never a memory address, so a program numbers its nodes the
    /// same way on every run.
    public let id: Int

    /// The memory this tensor is a view of, shared with every other view of it.
    public let storage: TensorStorage<Scalar>
    /// The extent of each axis. `[]` is a scalar, `[3]` a vector, `[2, 3]` a 2 × 3 matrix.
    public let shape: [Int]
    /// How far to move in `storage` for one step along each axis. 0 for a broadcast axis.
    public let strides: [Int]
    /// Where element [0, 0, …] lives in `storage`.
    public let offset: Int

    /// Whether backward should compute a gradient for this tensor. Set it on the leaves
    /// you want gradients for (inputs, parameters); op results inherit it from their inputs.
    public var requiresGrad: Bool
    /// ∂root/∂self after `backward()`, shaped like `self`. `nil` means backward has not
    /// reached it. Leaves accumulate across backward calls; call `zeroGrad()` in between.
    public var grad: Tensor?
    /// The primitive that produced this tensor, or `nil` for a leaf (or a result computed
    /// with gradients off).
    public let op: Primitive?
    /// The tensors `op` was applied to, in argument order; empty for a leaf.
    /// (`var` only so that `deinit` can take a long chain apart without recursion.)
    public private(set) var inputs: [Tensor]
    /// The op's parameters in words, for drawings and printouts: `"axes: [1]"`, `"^2.0"`.
    public var opDetail: String? { describeOp?() }
    /// Makes `opDetail`. Kept as a function and run only when asked: formatting text for
    /// every op of every training step would cost more than many of the ops themselves.
    private let describeOp: (() -> String?)?
    /// ∂out/∂inputs as a function of the upstream gradient. `nil` for a leaf.
    private(set) var pullback: Pullback<Scalar>?
    /// The pullback as an in-place addition (`GradientAdder`), for the ops that have one; `nil` otherwise.
    private(set) var addGradient: GradientAdder<Scalar>?
    /// An optional name, shown when the graph is drawn.
    public var label: String?

    /// The general initializer: a view onto `storage`, optionally recorded as an op's output.
    init(storage: TensorStorage<Scalar>, shape: [Int], strides: [Int], offset: Int,
         requiresGrad: Bool = false, op: Primitive? = nil, opDetail: (() -> String?)? = nil,
         inputs: [Tensor] = [], pullback: Pullback<Scalar>? = nil, addGradient: GradientAdder<Scalar>? = nil) {
        self.id = tensorIDCounter.wrappingAdd(1, ordering: .relaxed).oldValue
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.requiresGrad = requiresGrad
        self.op = op
        self.describeOp = opDetail
        self.inputs = inputs
        self.pullback = pullback
        self.addGradient = addGradient
    }

    /// Releasing the root of a long chain would release its input, which releases its
    /// input, and so on: one stack frame per node, and a 100 000-op chain overflows the
    /// stack. Instead the first node to go collects the inputs that only it still holds
    /// (through `inputs` and through its pullback's captures) and unlinks them in a loop,
    /// as `Value` does.
    /// Leaves (most tensors) have no `op` and return at once; the loop is in `unlink`.
    deinit {
        guard op != nil else { return }
        pullback = nil
        addGradient = nil
        Tensor.unlink(&inputs)
    }

    /// The loop of `deinit`: empties `first`, then takes apart every node that only the
    /// list still holds, adding its inputs to the list.
    @_specialize(where Scalar == Float)
    private static func unlink(_ first: inout [Tensor]) {
        if first.isEmpty { return }
        var pending: [Tensor] = []
        swap(&pending, &first)
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.inputs)
                node.inputs = []
                node.pullback = nil
                node.addGradient = nil
            }
        }
    }

    // MARK: - Making tensors

    /// A tensor of `shape` holding `elements` in row-major order (last axis fastest).
    ///
    /// - Throws: `TensorError.elementCountMismatch` when `elements.count` is not the
    ///   product of the extents, `TensorError.negativeExtent` for a negative extent.
    public convenience init(shape: [Int], elements: [Scalar], requiresGrad: Bool = false) throws(TensorError) {
        if shape.contains(where: { $0 < 0 }) { throw .negativeExtent(shape: shape) }
        let expected = elementCount(shape)
        guard elements.count == expected else {
            throw .elementCountMismatch(shape: shape, expected: expected, given: elements.count)
        }
        self.init(storage: TensorStorage(copying: elements), shape: shape,
                  strides: contiguousStrides(shape), offset: 0, requiresGrad: requiresGrad)
    }

    /// A vector (shape `[elements.count]`).
    public convenience init(_ elements: [Scalar], requiresGrad: Bool = false) {
        self.init(storage: TensorStorage(copying: elements), shape: [elements.count],
                  strides: [1], offset: 0, requiresGrad: requiresGrad)
    }

    /// A matrix from its rows.
    ///
    /// - Throws: `TensorError.raggedRows` when the rows differ in length.
    public convenience init(rows: [[Scalar]], requiresGrad: Bool = false) throws(TensorError) {
        let lengths = rows.map(\.count)
        guard Set(lengths).count <= 1 else { throw .raggedRows(rowLengths: lengths) }
        try self.init(shape: [rows.count, lengths.first ?? 0], elements: rows.flatMap { $0 },
                      requiresGrad: requiresGrad)
    }

    /// A scalar tensor (shape `[]`).
    public convenience init(_ value: Scalar, requiresGrad: Bool = false) {
        self.init(storage: TensorStorage(copying: [value]), shape: [], strides: [], offset: 0,
                  requiresGrad: requiresGrad)
    }

    /// A tensor of `shape` with every element equal to `value`.
    public convenience init(repeating value: Scalar, shape: [Int], requiresGrad: Bool = false,
                            file: StaticString = #fileID, line: UInt = #line) {
        if shape.contains(where: { $0 < 0 }) {
            shapeTrap("Tensor(repeating:shape:)", "the shape \(describe(shape)) has a negative extent",
                      file: file, line: line)
        }
        self.init(storage: TensorStorage(count: elementCount(shape), repeating: value), shape: shape,
                  strides: contiguousStrides(shape), offset: 0, requiresGrad: requiresGrad)
    }

    /// A tensor of `shape` whose elements `fill` writes in row-major order, straight into
    /// the tensor's own storage (which starts as zeros). For large data sets: no array of
    /// the elements is made first, so the data is in memory once, not twice.
    ///
    /// ```swift
    /// let x = try Tensor<Float>(shape: [2, 3]) { for i in $0.indices { $0[i] = Float(i) } }
    /// ```
    /// - Throws: `TensorError.negativeExtent` for a negative extent.
    public convenience init(shape: [Int], filling fill: (UnsafeMutableBufferPointer<Scalar>) -> Void) throws(TensorError) {
        if shape.contains(where: { $0 < 0 }) { throw .negativeExtent(shape: shape) }
        let storage = TensorStorage<Scalar>(count: elementCount(shape), repeating: 0)
        fill(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
        self.init(storage: storage, shape: shape, strides: contiguousStrides(shape), offset: 0)
    }

    /// A contiguous tensor of `shape` whose elements are not set yet: the output of a kernel
    /// that writes every element (map, zip, gemm with beta = 0).
    ///
    /// `like`: an input of the op. When it has this shape and row-major strides, the output
    /// shares its stride array instead of making an equal one (arrays are values, so sharing
    /// is safe).
    static func unfilled(_ shape: [Int], like input: Tensor? = nil) -> Tensor {
        let strides = if let input, input.shape == shape, hasContiguousStrides(shape, input.strides) {
            input.strides
        } else {
            contiguousStrides(shape)
        }
        return Tensor(storage: TensorStorage(unfilledCount: elementCount(shape)), shape: shape,
                      strides: strides, offset: 0)
    }

    /// All zeros.
    public static func zeros(_ shape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        Tensor(repeating: 0, shape: shape, file: file, line: line)
    }

    /// All ones.
    public static func ones(_ shape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        Tensor(repeating: 1, shape: shape, file: file, line: line)
    }

    /// Independent samples from the normal distribution N(mean, std²), drawn from `rng`.
    public static func randomNormal(_ shape: [Int], mean: Double = 0, std: Double = 1,
                                    using rng: inout SplitMix64) -> Tensor {
        let values = (0..<elementCount(shape)).map { _ in Scalar(mean + std * rng.nextGaussian()) }
        return try! Tensor(shape: shape, elements: values)
    }

    /// Independent samples from the uniform distribution on [lower, upper), drawn from `rng`.
    public static func randomUniform(_ shape: [Int], _ lower: Double, _ upper: Double,
                                     using rng: inout SplitMix64) -> Tensor {
        let values = (0..<elementCount(shape)).map { _ in Scalar(rng.nextUniform(lower, upper)) }
        return try! Tensor(shape: shape, elements: values)
    }

    /// Sets `requiresGrad` and returns `self`, for chaining: `Tensor(...).requiringGrad()`.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    // MARK: - Reading

    /// The number of axes.
    public var rank: Int { shape.count }
    /// The number of elements: the product of the extents (1 for a scalar).
    public var count: Int { elementCount(shape) }
    /// True for inputs and parameters: tensors no recorded op produced.
    public var isLeaf: Bool { op == nil }

    /// True when the elements lie in row-major order without gaps, so the tensor can be
    /// handed to a loop (or to BLAS) as one flat array. Axes of extent 1 never matter.
    public var isContiguous: Bool {
        if count == 0 { return true }
        var expected = 1
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// The elements in row-major order, as a new array.
    public var scalars: [Scalar] {
        // A raw copy, not `contiguous()`: reading the values must not add a node to the graph.
        // `flat` must outlive the copy: Swift may release a value after its last use, and the
        // pointer alone does not keep the storage alive.
        let flat = isContiguous ? self : mapped(.identity)
        return withExtendedLifetime(flat) {
            Array(UnsafeBufferPointer(start: flat.storage.pointer + flat.offset, count: flat.count))
        }
    }

    /// The single element of a tensor with one element.
    public func item(file: StaticString = #fileID, line: UInt = #line) -> Scalar {
        if count != 1 {
            shapeTrap("item", "the tensor has shape \(describe(shape)), not exactly one element",
                      file: file, line: line)
        }
        return storage.pointer[offset]
    }

    /// One element, read or written by its index on every axis. A write goes into the
    /// shared storage, so every view of it sees the new value. Writes are not recorded
    /// by autograd.
    public subscript(indices: Int...) -> Scalar {
        get { storage.pointer[position(of: indices)] }
        set { storage.pointer[position(of: indices)] = newValue }
    }

    /// Where the element at `indices` lives in `storage`.
    func position(of indices: [Int], file: StaticString = #fileID, line: UInt = #line) -> Int {
        if indices.count != rank || zip(indices, shape).contains(where: { $0 < 0 || $0 >= $1 }) {
            shapeTrap("subscript", "index \(indices) is out of bounds for shape \(describe(shape))",
                      file: file, line: line)
        }
        return offset + zip(indices, strides).reduce(0) { $0 + $1.0 * $1.1 }
    }

    // MARK: - Graph

    /// A tensor with the same values (shared storage) and no history: gradients stop here.
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// A new tensor with the same values in its own contiguous storage, not recorded by autograd.
    @_specialize(where Scalar == Float)
    public func copy() -> Tensor {
        mapped(.identity)
    }
}

/// Whether ops record the graph. Turn it off to evaluate a model without building a graph.
public enum GradMode {
    /// A task-local, so that turning gradients off in one test or task does not affect
    /// another running at the same time. Outside any task it is thread-local.
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` with gradient recording off: ops inside compute values only, make leaves,
/// and keep no inputs alive.
///
/// ```swift
/// let accuracy = withoutGradients { evaluate(model, on: testSet) }
/// ```
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = count <= 16 ? scalars.map(\.description).joined(separator: ", ") : "\(count) elements"
        return "Tensor(shape: \(describe(shape)), [\(values)]\(requiresGrad ? ", requiresGrad" : ""))"
    }
}
