// Backend.swift — the small protocol through which all tensor arithmetic runs.
//
// The ops (Sources/Tensors/Ops) decide *what* to compute: shapes, broadcasting, which
// gradient goes where. A backend decides *how*: the loops. Every kernel works on strided
// buffers, so views (transposes, slices, broadcasts with stride 0) need no copy first.
// Kernels are named by enum cases instead of closures, so that a fast backend (BLAS,
// vectorized math) can recognise an operation and hand it to its own routine; a closure
// would be opaque to it. `gemm` has BLAS's exact shape: row-major, optional transposes,
// leading dimensions, alpha and beta.
//
// Every requirement has a default: the plain loops of ReferenceBackend.swift, written as a
// protocol extension. A backend states only what it changes; BLASBackend overrides the
// kernels it speeds up and inherits the rest.
//
// Read next: ReferenceBackend.swift, the plain loops every backend starts from; then
// BLASBackend.swift (the fast path) and Backends+Choice.swift (how one is chosen).

/// A pointer to a tensor's first element plus the strides to walk it by.
public struct StridedBuffer<Scalar: TensorScalar> {
    /// The address of element [0, 0, …, 0].
    public var base: UnsafeMutablePointer<Scalar>
    /// How far to move in memory for one step along each axis (0 for a broadcast axis).
    public var strides: [Int]

    @inlinable
    public init(base: UnsafeMutablePointer<Scalar>, strides: [Int]) {
        self.base = base
        self.strides = strides
    }
}

/// Elementwise functions of one argument, as the kernels know them.
public enum UnaryKernel: Hashable, Sendable {
    /// out = x (a copy: this is how views are made contiguous)
    case identity
    case negate
    case exp
    case log
    case sqrt
    case tanh
    /// out = 1 / (1 + e⁻ˣ)
    case sigmoid
    /// out = max(0, x); NaN stays NaN (as in PyTorch)
    case relu
    /// out = x if x > 0, else slope · x
    case leakyRelu(slope: Double)
    /// out = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
    case geluTanh
    /// out = ½x(1 + erf(x/√2))
    case geluErf
    /// out = ln(1 + eˣ)
    case softplus
    case abs
    case sin
    case cos
    /// out = xⁿ
    case power(Double)
    /// out = erf x, the error function (for the exact GELU's derivative, Φ(x) = ½(1 + erf(x/√2)))
    case erf
}

/// Elementwise functions of two arguments.
public enum BinaryKernel: Hashable, Sendable {
    case add
    case subtract
    case multiply
    case divide
    /// out = aᵇ
    case power
    /// out = max(a, b); NaN if either is NaN (as PyTorch's `maximum`)
    case maximum
    /// out = 1 if a == b, else 0
    case equal
    /// out = 1 if a > b, else 0 (the masks in relu's, abs's and maximum's derivatives)
    case greater
    /// out = a · b · (1 − b): σ's pullback, a the upstream gradient and b = σ(x), in one pass
    /// (composed, `a * b * (1 - b)` is three, rounded the same)
    case sigmoidGradient
    /// out = a · (1 − b · b): tanh's pullback, a the upstream gradient and b = tanh(x), in one
    /// pass (composed, `a * (1 - b * b)` is three, rounded the same)
    case tanhGradient
    /// out = a · (1 if b > 0, else 0): relu's pullback, a the upstream gradient and b = relu(x),
    /// in one pass (composed, `a * (b > 0)` is two, rounded the same; b > 0 exactly where x > 0)
    case reluGradient
}

/// Ways of folding many elements into one.
public enum ReduceKernel: Hashable, Sendable {
    case sum
    /// The largest element; NaN if any element is NaN.
    case max

    /// The value the fold starts from: 0 for sum, −∞ for max.
    @inlinable
    public func identity<S: TensorScalar>(_: S.Type) -> S {
        switch self {
        case .sum: 0
        case .max: -.infinity
        }
    }
}

/// What a tensor backend must provide. All buffers walk the same `shape`; a broadcast
/// input has stride 0 along the axes it is repeated on.
public protocol Backend: Sendable {
    /// `output[i] = kernel(input[i])` for every index i of `shape`.
    func map<S: TensorScalar>(_ kernel: UnaryKernel, shape: [Int],
                              _ input: StridedBuffer<S>, into output: StridedBuffer<S>)

    /// `output[i] = kernel(lhs[i], rhs[i])` for every index i of `shape`. `output` may be
    /// the same memory as `lhs` (an in-place update): each element is read before it is written.
    func zip<S: TensorScalar>(_ kernel: BinaryKernel, shape: [Int],
                              _ lhs: StridedBuffer<S>, _ rhs: StridedBuffer<S>, into output: StridedBuffer<S>)

    /// `output[j] = kernel(output[j], input[i])` for every index i of `shape`, where j is
    /// i with the reduced axes set to 0: `output` has stride 0 along the reduced axes. The
    /// caller fills `output` with `kernel.identity` first.
    func reduce<S: TensorScalar>(_ kernel: ReduceKernel, shape: [Int],
                                 _ input: StridedBuffer<S>, into output: StridedBuffer<S>)

    /// C ← alpha · op(A) · op(B) + beta · C, row-major, as BLAS's `gemm`:
    /// op(A) is m × k, op(B) is k × n, C is m × n; op(X) is X or Xᵀ. `lda`, `ldb`, `ldc`
    /// are the distances between consecutive rows of A, B and C as stored.
    func gemm<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                               alpha: S, a: UnsafePointer<S>, lda: Int,
                               b: UnsafePointer<S>, ldb: Int,
                               beta: S, c: UnsafeMutablePointer<S>, ldc: Int)

    /// C ← Σ_{i < count} op(A_i) · op(B_i), where A_i starts at a + i·strideA and B_i at
    /// b + i·strideB, each laid out as `gemm` reads them: a batch of products summed into one
    /// matrix. (The gradient of a matrix that multiplied every matrix of a batch, such as
    /// conv2d's kernels, is this sum.) With count 0, C is cleared.
    func gemmSum<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, count: Int,
                                  a: UnsafePointer<S>, lda: Int, strideA: Int,
                                  b: UnsafePointer<S>, ldb: Int, strideB: Int,
                                  c: UnsafeMutablePointer<S>, ldc: Int)

    // MARK: - Sliding windows (conv2d, pooling)

    /// im2col: every window of `geometry` laid out as one column,
    ///     output[n, (c·KH + i)·KW + j, y·OW + x] = input[n, c, y·sh + i − ph, x·sw + j − pw],
    /// or `padValue` where that position falls in the padding. `input` walks [N, C, H, W]
    /// (any strides); `output` is contiguous [N, C·KH·KW, OH·OW] and every element is written.
    func unfold<S: TensorScalar>(_ geometry: WindowGeometry, _ input: StridedBuffer<S>, padValue: S,
                                 into output: UnsafeMutablePointer<S>)

    /// col2im, the adjoint of `unfold`: each entry of the contiguous [N, C·KH·KW, OH·OW]
    /// `columns` is *added* to the image element it was read from,
    ///     image[n, c, y·sh + i − ph, x·sw + j − pw] += columns[n, (c·KH + i)·KW + j, y·OW + x],
    /// so an element under several windows receives the sum; entries from the padding are dropped.
    func fold<S: TensorScalar>(_ geometry: WindowGeometry, _ columns: UnsafePointer<S>,
                               into image: StridedBuffer<S>)

    /// Max-pooling: the largest element of every window of `geometry`, one channel at a time,
    ///     output[n, c, y, x] = max over i, j of input[n, c, y·sh + i − ph, x·sw + j − pw],
    /// positions in the padding left out, and `argmax` the index of the element chosen in a
    /// contiguous [N, C, H, W] tensor, ((n·C + c)·H + h)·W + w: the first largest in the
    /// window's row-major order; a NaN wins over every number, and a later NaN over an
    /// earlier one (PyTorch's `max_pool2d` rule, so that NaN propagates). `input` walks
    /// [N, C, H, W] (any strides); `output` and `argmax` are contiguous [N, C, OH, OW].
    /// Every window must hold at least one image element (padding ≤ half the kernel).
    func maxPool<S: TensorScalar>(_ geometry: WindowGeometry, _ input: StridedBuffer<S>,
                                  into output: UnsafeMutablePointer<S>, argmax: UnsafeMutablePointer<Int>)

    // MARK: - In-place updates (the optimizers' steps)

    /// `y[i] ← beta · y[i] + alpha · x[i]` for every index i of `shape`, in place (BLAS
    /// calls this axpby). The optimizers' updates without a temporary tensor: a momentum
    /// buffer v ← μv + g is (alpha 1, beta μ), a parameter θ ← θ − γv is (alpha −γ, beta 1).
    /// Each element is `(beta · y) + (alpha · x)`, rounded after each operation and never
    /// fused, so that it equals the composed `y * beta + x * alpha` bit for bit.
    func axpby<S: TensorScalar>(shape: [Int], alpha: S, _ x: StridedBuffer<S>,
                                beta: S, into y: StridedBuffer<S>)

    /// One optimizer step for one parameter, in place, in one pass over its `count`
    /// elements: `parameter` and the running state in `state` (which `rule` says how many
    /// buffers it uses) are overwritten; `gradient` is read. All buffers contiguous.
    /// The formulas are `ParameterUpdate`'s; each element is rounded as the composed tensor
    /// expressions written there would round it.
    func update<S: TensorScalar>(_ rule: ParameterUpdate, count: Int, parameter: UnsafeMutablePointer<S>,
                                 gradient: UnsafePointer<S>, state: UpdateState<S>)

    // MARK: - Copies by index (indexSelect)

    /// `output[o, i, j] = input[o, indices[i], j]` for o in 0..<outer, i in 0..<indices.count,
    /// j in 0..<inner. Both buffers contiguous: `input` is outer × extent × inner, `output`
    /// outer × indices.count × inner. (indexSelect along an axis, with `outer` the product of
    /// the extents before it, `extent` its own extent and `inner` the product of those after.)
    func gather<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                 from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>)

    /// The reverse, adding: `output[o, indices[i], j] += input[o, i, j]`, for i in increasing
    /// order, so that an index that appears twice receives both (indexSelect's backward).
    /// Shapes as in `gather`, with the roles of the buffers swapped.
    func scatterAdd<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                     from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>)
}

/// A KH × KW window sliding over a batch of N images of C channels, H × W each, by
/// (sh, sw) steps, over the images surrounded by (ph, pw) padding on each side:
///     OH = (H + 2·ph − KH) / sh + 1,    OW = (W + 2·pw − KW) / sw + 1   (rounded down).
/// The shape of the work that `unfold`, `fold` and `maxPool` do (conv2d and pooling are built on them).
public struct WindowGeometry: Hashable, Sendable {
    public var batch: Int, channels: Int, height: Int, width: Int
    public var kernelHeight: Int, kernelWidth: Int
    public var strideHeight: Int, strideWidth: Int
    public var padHeight: Int, padWidth: Int

    public init(batch: Int, channels: Int, height: Int, width: Int,
                kernel: (height: Int, width: Int), stride: (height: Int, width: Int),
                padding: (height: Int, width: Int)) {
        (self.batch, self.channels, self.height, self.width) = (batch, channels, height, width)
        (kernelHeight, kernelWidth) = kernel
        (strideHeight, strideWidth) = stride
        (padHeight, padWidth) = padding
    }

    /// The number of window positions down and across.
    public var outHeight: Int { (height + 2 * padHeight - kernelHeight) / strideHeight + 1 }
    public var outWidth: Int { (width + 2 * padWidth - kernelWidth) / strideWidth + 1 }
    /// The length of one column: C·KH·KW values under a window.
    public var windowSize: Int { channels * kernelHeight * kernelWidth }
    /// The number of columns per image: OH·OW window positions.
    public var positions: Int { outHeight * outWidth }
}

/// The optimizers' updates, as the `update` kernel knows them: for one parameter θ with
/// gradient g, element by element. (The optimizers in Sources/Optimizers document each rule
/// in full, with PyTorch's names.)
public enum ParameterUpdate: Sendable, Equatable {
    /// SGD with momentum μ, dampening τ, L2 weight decay λ, learning rate γ. State: the
    /// momentum buffer b first (only when μ ≠ 0). On the first step b starts as g.
    ///
    ///     g ← g + λθ;   b ← μb + (1 − τ)g  (b ← g at the first step);   g ← g + μb (Nesterov) or b;   θ ← θ − γg
    case sgd(learningRate: Double, momentum: Double, dampening: Double, nesterov: Bool,
             weightDecay: Double, firstStep: Bool)
    /// Adam and AdamW at step t, with the bias corrections c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ
    /// folded into two scalars. State: m, then v (both start at 0).
    ///
    ///     θ ← θ(1 − γλ_d)  (AdamW's decoupled decay);   g ← g + λθ  (Adam's L2 decay)
    ///     m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²;   θ ← θ − (γ/c₁) m / (√v / √c₂ + ε)
    case adam(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double,
              weightDecay: Double, decoupledWeightDecay: Double, step: Int)
    /// RMSprop with smoothing α, momentum μ, L2 weight decay λ. State: v first, ḡ second
    /// (only when centered), the momentum buffer b third (only when μ > 0); each starts at 0.
    ///
    ///     g ← g + λθ;   v ← αv + (1 − α)g²;   ṽ = v, or v − ḡ² with ḡ ← αḡ + (1 − α)g when centered
    ///     s = g / (√ṽ + ε);   b ← μb + s, θ ← θ − γb  (μ > 0)   or   θ ← θ − γs
    case rmsprop(learningRate: Double, alpha: Double, epsilon: Double, weightDecay: Double,
                 momentum: Double, centered: Bool)
}

/// The running-state buffers of one parameter for `Backend.update`, in the slots its
/// `ParameterUpdate` case names; unused ones are nil. Three named slots rather than an
/// array, so that a step allocates nothing.
public struct UpdateState<S: TensorScalar> {
    public var first: UnsafeMutablePointer<S>?
    public var second: UnsafeMutablePointer<S>?
    public var third: UnsafeMutablePointer<S>?

    public init(_ first: UnsafeMutablePointer<S>? = nil, _ second: UnsafeMutablePointer<S>? = nil,
                _ third: UnsafeMutablePointer<S>? = nil) {
        (self.first, self.second, self.third) = (first, second, third)
    }
}

/// The backend the tensor ops use: the process-wide choice (`processDefault`, see
/// Backends+Choice.swift) unless a caller picks another one for a scope:
///
/// ```swift
/// Backends.$scoped.withValue(ReferenceBackend()) { try train(model) }
/// ```
/// The scope's choice is a task-local, not a global variable: tests that run in parallel
/// cannot change each other's backend that way. (`Backends.use(_:)` changes the process's
/// choice for every task at once, so tests leave it alone.)
public enum Backends {
    /// The backend chosen for the current scope, if any.
    @TaskLocal public static var scoped: (any Backend)? = nil

    /// The backend an op hands its loops to: the scope's choice, else the process's.
    public static var current: any Backend { scoped ?? processBackend }
}
