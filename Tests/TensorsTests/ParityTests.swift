// ParityTests.swift — the BLAS backend computes what the reference backend computes: every
// primitive, composite and NN function, forward and backward, in Float and Double, on
// contiguous tensors and on transposed, sliced and broadcast views. Then each kernel on its
// own, over every memory layout the fast loops special-case.
//
// The oracle is the reference backend (whose own correctness the other suites check against
// finite differences and hand-derived values). The backends add in different orders (BLAS
// blocks its loops, the fast sums keep eight running totals), so values agree to rounding:
//     |blas − reference| ≤ tolerance · max(1, |blas|, |reference|)
// with tolerance 1e-4 for Float (a few hundred roundings of 6e-8 in the longest sums here)
// and 1e-10 for Double. NaN must meet NaN, and an infinity the same infinity.

#if BLAS
import Testing
import Engine
@testable import Tensors

/// The element type a parity case runs in.
enum ParityScalar: String, CaseIterable, Sendable {
    case float, double
}

/// One function to run on both backends: its input shapes, the range its inputs are drawn
/// from, and the function, built for any scalar type.
struct ParityCase<S: TensorScalar> {
    let name: String
    let shapes: [[Int]]
    var range: (Double, Double) = (-2, 2)
    let f: ([Tensor<S>]) -> Tensor<S>

    init(_ name: String, _ shapes: [[Int]], range: (Double, Double) = (-2, 2), _ f: @escaping ([Tensor<S>]) -> Tensor<S>) {
        self.name = name
        self.shapes = shapes
        self.range = range
        self.f = f
    }
}

/// Every case, for scalar type S. One list for Float and Double.
func parityCases<S: TensorScalar>(_: S.Type) -> [ParityCase<S>] {
    typealias C = ParityCase<S>
    let positive = (0.5, 2.5)
    return [
        // Elementwise, two inputs, every broadcasting pattern
        C("add", [[4, 6], [4, 6]]) { $0[0] + $0[1] },
        C("add row bias", [[5, 7], [7]]) { $0[0] + $0[1] },
        C("add column", [[5, 7], [5, 1]]) { $0[0] + $0[1] },
        C("add both sides broadcast", [[2, 1, 3], [4, 1]]) { $0[0] + $0[1] },
        C("sub scalar", [[3, 4], []]) { $0[0] - $0[1] },
        C("scalar minus", [[], [3, 4]]) { $0[0] - $0[1] },
        C("mul", [[3, 5], [3, 5]]) { $0[0] * $0[1] },
        C("mul same input twice", [[9]]) { $0[0] * $0[0] },
        C("div column", [[3, 4], [3, 1]], range: positive) { $0[0] / $0[1] },
        C("div", [[3, 4], [3, 4]], range: positive) { Tensor.div($0[0], $0[1]) },
        C("pow tensor", [[2, 3], [3]], range: positive) { $0[0].pow($0[1]) },
        C("maximum", [[3, 4], [4]]) { Tensor.maximum($0[0], $0[1]) },
        // Elementwise, one input
        C("powScalar", [[2, 3]]) { $0[0].pow(3) },
        C("exp", [[4, 5]]) { $0[0].exp() },
        C("log", [[4, 5]], range: positive) { $0[0].log() },
        C("sqrt", [[4, 5]], range: positive) { $0[0].sqrt() },
        C("tanh", [[4, 5]]) { $0[0].tanh() },
        C("sigmoid", [[4, 5]]) { $0[0].sigmoid() },
        C("relu", [[6, 7]]) { $0[0].relu() },
        C("leakyRelu", [[6, 7]]) { $0[0].leakyRelu(slope: 0.2) },
        C("geluTanh", [[4, 5]]) { $0[0].geluTanh() },
        C("gelu", [[4, 5]]) { $0[0].gelu() },
        C("softplus", [[4, 5]]) { $0[0].softplus() },
        C("abs", [[4, 5]]) { $0[0].abs() },
        C("sin", [[4, 5]]) { $0[0].sin() },
        C("cos", [[4, 5]]) { $0[0].cos() },
        C("neg", [[4, 5]]) { -$0[0] },
        // Reductions: leading, trailing, middle, all, and over views
        C("sum all (long run)", [[37, 29]]) { $0[0].sum() },
        C("sum last axis", [[6, 19]]) { $0[0].sum(axis: 1) },
        C("sum first axis", [[19, 6]]) { $0[0].sum(axis: 0) },
        C("sum middle axis", [[3, 5, 4]]) { $0[0].sum(axis: 1) },
        C("sum outer axes", [[3, 5, 4]]) { $0[0].sum(axes: [0, 2], keepDims: true) },
        C("max last axis", [[6, 9]]) { $0[0].max(axis: 1) },
        C("max first axis", [[6, 9]]) { $0[0].max(axis: 0) },
        C("max all", [[5, 5]]) { $0[0].max() },
        C("mean", [[4, 6]]) { $0[0].mean(axis: 0) },
        C("variance", [[4, 6]]) { $0[0].variance(axes: [1], correction: 1) },
        C("logsumexp", [[4, 6]]) { $0[0].logsumexp(axis: 1) },
        C("sum of a transposed view", [[5, 7]]) { $0[0].transposed().sum(axis: 1) },
        C("max of a stepped slice", [[6, 8]]) { $0[0].slice(axis: 1, 1, 8, step: 2).max(axis: 0) },
        // Rows along the last axis (≥ 8 long) with the other axes broadcast or reduced apart,
        // which the fast loops take row by row (LastAxisRows, reduceByRows).
        C("add a channel bias", [[2, 3, 4, 9], [1, 3, 1, 1]]) { $0[0] + $0[1] },
        C("mul broadcast along middle axes", [[3, 4, 2, 9], [1, 4, 1, 9]]) { $0[0] * $0[1] },
        C("max over axes apart", [[3, 4, 2, 9]]) { $0[0].max(axes: [0, 2]) },
        C("sum over axes apart, permuted", [[4, 3, 10, 2]]) { $0[0].permute([3, 1, 0, 2]).sum(axes: [0, 2]) },
        // Movement
        C("reshape", [[2, 6]]) { $0[0].reshape([3, 4]).exp() },
        C("permute", [[2, 3, 4]]) { $0[0].permute([2, 0, 1]).exp() },
        C("expand", [[3, 1]]) { $0[0].expand([2, 3, 4]).sin() },
        C("slice", [[5, 4]]) { $0[0].slice(axis: 0, 1, 5, step: 2).tanh() },
        C("pad", [[2, 3]]) { $0[0].pad([(1, 0), (2, 1)], value: 0.5).exp() },
        C("concat", [[2, 3], [2, 1]]) { Tensor.concat($0, axis: 1).sin() },
        C("stack", [[3], [3]]) { Tensor.stack($0, axis: 1).sin() },
        C("indexSelect", [[4, 3]]) { $0[0].indexSelect(axis: 0, [2, 0, 2, 3]) },
        C("indexSelect middle axis of a transposed view", [[4, 5, 3]]) {
            $0[0].transpose(0, 2).indexSelect(axis: 1, [4, 0, 4, 1]).exp()
        },
        C("elementwise on transposed views", [[3, 4], [4, 3]]) { $0[0].transposed() * $0[1] },
        // Matrix products, including views BLAS takes without a copy
        C("matmul", [[7, 5], [5, 6]]) { $0[0].matmul($0[1]) },
        C("matmul long inner", [[3, 300], [300, 4]]) { $0[0].matmul($0[1]) },
        // Large enough (over 64 KB even in Float) for LargeBlockPool (4 KB and up): every tensor of the
        // forward and backward is a pooled block, and the second run of `check` reuses them.
        // Inputs in ±0.5 keep the logits near 1. From ±2 they reach 50, where a product's
        // last-bit differences (2 · 10⁻⁵ at that size) move softmax's exponentials by as much,
        // relatively, and the gradient by 1.5 · 10⁻⁴ on OpenBLAS's Prescott core: the tolerance
        // is for a few hundred roundings, not for amplified ones.
        C("large blocks: matmul, bias, relu, logSoftmax", [[130, 140], [140, 130], [130]], range: (-0.5, 0.5)) {
            Tensor.add($0[0].matmul($0[1]), $0[2]).relu().logSoftmax()
        },
        C("matmul Aᵀ", [[5, 7], [5, 6]]) { $0[0].transposed().matmul($0[1]) },
        C("matmul Bᵀ", [[7, 5], [6, 5]]) { $0[0].matmul($0[1].transposed()) },
        C("matmul Aᵀ Bᵀ", [[5, 7], [6, 5]]) { $0[0].transposed().matmul($0[1].transposed()) },
        C("matmul of a row slice", [[9, 5], [5, 4]]) { $0[0].slice(axis: 0, 2, 7).matmul($0[1]) },
        C("matmul of a column slice", [[6, 9], [5, 4]]) { $0[0].slice(axis: 1, 1, 6).matmul($0[1]) },
        C("matmul of a stepped slice", [[8, 5], [5, 3]]) { $0[0].slice(axis: 0, 0, 8, step: 2).matmul($0[1]) },
        C("matmul of an expanded matrix", [[1, 4], [4, 3]]) { $0[0].expand([3, 4]).matmul($0[1]) },
        C("batched matmul", [[3, 4, 5], [3, 5, 2]]) { $0[0].matmul($0[1]) },
        C("batched matmul, batch broadcast", [[2, 1, 3, 4], [3, 4, 2]]) { $0[0].matmul($0[1]) },
        C("batched matmul of transposed views", [[3, 5, 4], [2, 3, 5]]) {
            $0[0].transpose(1, 2).matmul($0[1].permute([1, 2, 0]))
        },
        C("stack × matrix, as one product", [[4, 3, 5], [5, 6]]) { $0[0].matmul($0[1]) },
        C("stack × transposed matrix, rows stepped", [[2, 3, 7], [6, 5]]) {
            $0[0].slice(axis: 2, 1, 6).matmul($0[1].transposed())
        },
        C("stack × matrix, rows not evenly spaced", [[3, 2, 5], [5, 4]]) { $0[0].permute([1, 0, 2]).matmul($0[1]) },
        C("matrix × vector", [[3, 4], [4]]) { $0[0].matmul($0[1]) },
        C("vector · vector", [[5], [5]]) { $0[0].matmul($0[1]) },
        C("empty inner matmul", [[2, 0], [0, 3], [2, 3]]) { $0[0].matmul($0[1]) + $0[2] },
        // NN functions
        C("softmax", [[4, 10]]) { $0[0].softmax(axis: 1) },
        C("logSoftmax middle axis", [[2, 5, 3]]) { $0[0].logSoftmax(axis: 1) },
        C("crossEntropy", [[6, 10]]) { try! $0[0].crossEntropy(labels: [3, 0, 9, 9, 1, 5]) },
        C("binaryCrossEntropy", [[4, 3], [4, 3]]) {
            $0[0].binaryCrossEntropy(logitsAgainst: ($0[1] + 2) / 4)
        },
        C("meanSquaredError", [[4, 3], [4, 3]]) { $0[0].meanSquaredError($0[1]) },
        C("crossEntropy with label smoothing", [[5, 4]]) { try! $0[0].crossEntropy(labels: [0, 3, 1, 1, 2], labelSmoothing: 0.1) },
        C("hingeLoss", [[4, 3]]) { $0[0].hingeLoss(targets: try! Tensor(shape: [4, 3], elements: (0..<12).map { S($0 % 2) })) },
        C("multiClassHingeLoss", [[5, 4]]) { try! $0[0].multiClassHingeLoss(labels: [0, 3, 1, 1, 2]) },
        C("unfold", [[2, 3, 5, 6]]) { $0[0].unfold(kernel: (2, 3)) },
        C("unfold stride, padding, pad value", [[1, 2, 6, 5]]) {
            $0[0].unfold(kernel: (3, 3), stride: (2, 3), padding: (1, 2), padValue: -0.5)
        },
        C("unfold, a kernel column entirely in the padding", [[1, 2, 3, 1]]) {
            $0[0].unfold(kernel: (5, 5), padding: (2, 2), padValue: 0.5)
        },
        C("unfold of a permuted view", [[2, 6, 3, 2]]) { $0[0].permute([0, 3, 2, 1]).unfold(kernel: (2, 2), padding: (1, 0)) },
        C("conv2d", [[2, 3, 7, 6], [4, 3, 3, 3], [4]]) { $0[0].conv2d(weight: $0[1], bias: $0[2]) },
        C("conv2d stride and padding", [[1, 2, 6, 6], [3, 2, 3, 2]]) {
            $0[0].conv2d(weight: $0[1], stride: (2, 1), padding: (1, 1))
        },
        C("maxPool2d", [[2, 3, 6, 6]]) { $0[0].maxPool2d(kernel: (2, 2)) },
        C("maxPool2d overlapping, padded", [[1, 2, 5, 5]]) {
            $0[0].maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        },
        // 2 × 2 at stride 2 with rows of at least four windows: BLASBackend's SIMD rows,
        // 13 windows a row (three groups of four, the last overlapping) and 4.
        C("maxPool2d 2 × 2, wide rows", [[2, 3, 26, 27]]) { $0[0].maxPool2d(kernel: (2, 2)) },
        C("maxPool2d 2 × 2, four windows a row", [[1, 2, 9, 8]]) { $0[0].maxPool2d(kernel: (2, 2)) },
        C("maxPool2d of a permuted view, overlapping, odd size", [[2, 7, 5, 3]]) {
            $0[0].permute([0, 3, 1, 2]).maxPool2d(kernel: (3, 2), stride: (1, 2))
        },
        C("avgPool2d", [[2, 2, 6, 4]]) { $0[0].avgPool2d(kernel: (2, 2)) },
        C("layerNorm", [[4, 6], [6], [6]]) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) },
        C("batchNorm training", [[5, 3, 2], [3], [3]]) {
            $0[0].batchNorm(runningMean: .zeros([3]), runningVariance: .ones([3]), weight: $0[1], bias: $0[2],
                            training: true)
        },
        C("batchNorm eval", [[5, 3]]) {
            $0[0].batchNorm(runningMean: Tensor([0.5, -0.25, 1]), runningVariance: Tensor([2, 1, 0.5]), training: false)
        },
        C("embedding", [[7, 4]]) { try! $0[0].embedding([1, 6, 1, 0], shape: [2, 2]) },
        C("dropout", [[5, 6]]) {
            var rng = SplitMix64(seed: 7)
            return $0[0].dropout(probability: 0.3, training: true, using: &rng)
        },
        C("scaledDotProductAttention", [[2, 4, 3], [2, 5, 3], [2, 5, 2]]) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], causal: false)
        },
        C("scaledDotProductAttention causal", [[2, 4, 3], [2, 4, 3], [2, 4, 2]]) {
            Tensor.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], causal: true)
        },
    ]
}

/// The output and every input's gradient of `c` on `backend`, for the loss Σ out ⊙ W with
/// a fixed random W (so the whole Jacobian is exercised, not one row).
func parityRun<S: TensorScalar>(_ c: ParityCase<S>, on backend: any Backend) -> [[S]] {
    Backends.$scoped.withValue(backend) {
        var rng = SplitMix64(seed: UInt64(c.name.utf8.count) &* 31 &+ 5)
        let inputs = c.shapes.map { Tensor<S>.randomUniform($0, c.range.0, c.range.1, using: &rng).requiringGrad() }
        let out = c.f(inputs)
        let weights = Tensor<S>.randomUniform(out.shape, -1, 1, using: &rng)
        let loss = (out * weights).sum()
        if loss.requiresGrad { loss.backward() }
        return [out.scalars] + inputs.map { $0.grad?.scalars ?? [] }
    }
}

/// The tolerance above, by type.
func parityTolerance<S: TensorScalar>(_: S.Type) -> Double {
    S.self == Float.self ? 1e-4 : 1e-10
}

/// The first place where two runs differ by more than the tolerance, described; nil if none.
func parityMismatch<S: TensorScalar>(_ reference: [[S]], _ blas: [[S]]) -> String? {
    let tolerance = parityTolerance(S.self)
    guard reference.map(\.count) == blas.map(\.count) else {
        return "sizes differ: \(reference.map(\.count)) and \(blas.map(\.count))"
    }
    for (part, (r, b)) in zip(reference, blas).enumerated() {
        for (i, (x, y)) in zip(r, b).enumerated() {
            let (x, y) = (Double(x), Double(y))
            if x == y || (x.isNaN && y.isNaN) { continue }
            if !(Swift.abs(x - y) <= tolerance * Swift.max(1, Swift.abs(x), Swift.abs(y))) {
                return "\(part == 0 ? "output" : "gradient of input \(part - 1)")[\(i)]: reference \(x), blas \(y)"
            }
        }
    }
    return nil
}

@Suite struct ParityTests {
    static let caseNames = parityCases(Double.self).map(\.name)

    @Test(arguments: ParityScalar.allCases, caseNames)
    func bothBackendsAgree(scalar: ParityScalar, name: String) {
        switch scalar {
        case .float: check(Float.self, name)
        case .double: check(Double.self, name)
        }
    }

    private func check<S: TensorScalar>(_: S.Type, _ name: String) {
        let c = parityCases(S.self).first { $0.name == name }!
        let reference = parityRun(c, on: ReferenceBackend())
        let blas = parityRun(c, on: BLASBackend())
        #expect(!reference[0].isEmpty || c.shapes.contains { $0.contains(0) }, "\(name): no output")
        #expect(parityMismatch(reference, blas) == nil, "\(name) (\(S.self)): \(parityMismatch(reference, blas) ?? "")")
        // Backward reached every input, with a gradient of its size, on both backends
        // (otherwise both would return no gradient, and agree).
        for (k, shape) in c.shapes.enumerated() {
            #expect(reference[k + 1].count == elementCount(shape) && blas[k + 1].count == elementCount(shape),
                    "\(name): no gradient for input \(k)")
        }
        // Run again: the large blocks now come back from LargeBlockPool, recycled from the
        // runs above, and must give the same numbers (a kernel that skipped an element of an
        // unfilled output would show the old block's contents here).
        #expect(parityRun(c, on: BLASBackend()) == blas, "\(name): a second run differs")
    }

    /// Fails if a primitive is missing from the cases above.
    @Test func everyPrimitiveIsCovered() {
        var covered: Set<Primitive> = []
        for c in parityCases(Double.self) {
            var rng = SplitMix64(seed: 1)
            let inputs = c.shapes.map { Tensor<Double>.randomUniform($0, c.range.0, c.range.1, using: &rng).requiringGrad() }
            covered.formUnion(c.f(inputs).topologicalOrder().compactMap(\.op))
        }
        let missing = Primitive.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "primitives without a parity case: \(missing)")
    }
}

/// Each kernel called directly, on every layout the fast loops treat differently:
/// contiguous, a repeated row, one value per row, a scalar, a transposed view (which goes to
/// the reference loop), and a stepped slice.
@Suite struct KernelParityTests {
    static let unaryKernels: [UnaryKernel] = [
        .identity, .negate, .exp, .log, .sqrt, .tanh, .sigmoid, .relu, .leakyRelu(slope: 0.1), .geluTanh,
        .geluErf, .softplus, .abs, .sin, .cos, .power(2.5), .power(2), .power(1), .erf,
    ]
    static let binaryKernels: [BinaryKernel] = [.add, .subtract, .multiply, .divide, .power, .maximum, .equal, .greater,
                                                .sigmoidGradient, .tanhGradient, .reluGradient]

    /// Views of shape [5, 6] (or broadcasting to it) with different memory layouts.
    static func layouts(seed: UInt64) -> [(String, Tensor<Float>)] {
        var rng = SplitMix64(seed: seed)
        func random(_ shape: [Int]) -> Tensor<Float> { Tensor.randomUniform(shape, 0.25, 2, using: &rng) }
        // Some exact zeros and ties, where relu, maximum, equal and greater have their edge cases.
        let withZeros = random([5, 6]) * Tensor((0..<6).map { $0 % 3 == 0 ? 0 : 1 })
        return [
            ("contiguous", random([5, 6]) - 1),
            ("zeros", withZeros),
            ("repeated row", random([6]).expand([5, 6])),
            ("one per row", random([5, 1]).expand([5, 6])),
            ("scalar", random([]).expand([5, 6])),
            ("transposed", random([6, 5]).transposed()),
            ("stepped slice", random([5, 12]).slice(axis: 1, 0, 12, step: 2)),
        ]
    }

    @Test(arguments: unaryKernels)
    func map(kernel: UnaryKernel) {
        for (layout, x) in Self.layouts(seed: 3) {
            let reference = Backends.$scoped.withValue(ReferenceBackend()) { x.mapped(kernel).scalars }
            let blas = Backends.$scoped.withValue(BLASBackend()) { x.mapped(kernel).scalars }
            #expect(parityMismatch([reference], [blas]) == nil, "\(kernel) on \(layout)")
        }
    }

    /// The Float eˣ, σ, tanh and erf of the fast path (AVX2Kernels/AVX2Math.swift) against the
    /// reference's libm over the whole range, edges included: within 4 ulps relative
    /// (8 for tanh's two formulas, both sides of |x| = 0.25), exactly ±∞, 0 and NaN where libm
    /// gives them, and the same on a strided row as on a contiguous one.
    @Test(arguments: [UnaryKernel.exp, .sigmoid, .tanh, .erf])
    func vectorMathAcrossTheRange(kernel: UnaryKernel) {
        var values: [Float] = stride(from: -110, through: 110, by: 0.0137).map { Float($0) }
        values += [0, -0, 1e-30, -1e-30, 1e-6, -1e-6, 0.249_999, 0.25, -0.25, 9, -9, 88.72, 88.723, -87.33, -103.9,
                   .infinity, -.infinity, .nan, .leastNormalMagnitude, .greatestFiniteMagnitude]
        let x = Tensor<Float>(values)
        let reference = Backends.$scoped.withValue(ReferenceBackend()) { x.mapped(kernel).scalars }
        let blas = Backends.$scoped.withValue(BLASBackend()) { x.mapped(kernel).scalars }
        let ulps: Float = kernel == .tanh ? 8 : 4
        for (i, (r, b)) in Swift.zip(reference, blas).enumerated() {
            if r.isNaN || b.isNaN || r.isInfinite || b.isInfinite || r == 0 || b == 0 {
                // Exact where libm is at an edge; a result below the smallest normal may
                // differ by the subnormal spacing (eˣ near −100, σ of −88).
                #expect(r == b || (r.isNaN && b.isNaN) || Swift.abs(r - b) < 1e-37, "\(kernel)(\(values[i])): libm \(r), SIMD \(b)")
                continue
            }
            let tolerance = ulps * Float.ulpOfOne * Swift.max(Swift.abs(r), .leastNormalMagnitude)
            #expect(Swift.abs(r - b) <= Swift.max(tolerance, 1e-37), "\(kernel)(\(values[i])): libm \(r), SIMD \(b)")
        }
        // A strided view (every other element) takes the same formula as consecutive ones.
        let strided = Backends.$scoped.withValue(BLASBackend()) {
            x.slice(axis: 0, 0, values.count, step: 2).mapped(kernel).scalars
        }
        #expect(Swift.zip(strided, stride(from: 0, to: blas.count, by: 2).map { blas[$0] }).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }

    @Test(arguments: binaryKernels)
    func zip(kernel: BinaryKernel) {
        for (leftLayout, a) in Self.layouts(seed: 4) {
            for (rightLayout, b) in Self.layouts(seed: 5) {
                let run = { a.zipped(kernel, b, op: "zip", file: #fileID, line: #line).scalars }
                let reference = Backends.$scoped.withValue(ReferenceBackend(), operation: run)
                let blas = Backends.$scoped.withValue(BLASBackend(), operation: run)
                #expect(parityMismatch([reference], [blas]) == nil, "\(kernel): \(leftLayout) with \(rightLayout)")
            }
        }
    }

    @Test(arguments: [ReduceKernel.sum, .max])
    func reduce(kernel: ReduceKernel) {
        var rng = SplitMix64(seed: 6)
        let x = Tensor<Float>.randomUniform([3, 4, 5, 2], -2, 2, using: &rng)
        let axisSets: [Set<Int>] = [[], [0], [1], [3], [1, 2], [0, 3], [0, 1, 2, 3], [0, 2]]
        for axes in axisSets {
            for (name, input) in [("contiguous", x), ("permuted", x.permute([2, 0, 3, 1]))] {
                let reference = Backends.$scoped.withValue(ReferenceBackend()) { input.reduced(kernel, axes: axes).scalars }
                let blas = Backends.$scoped.withValue(BLASBackend()) { input.reduced(kernel, axes: axes).scalars }
                #expect(parityMismatch([reference], [blas]) == nil, "\(kernel) over \(axes.sorted()) of \(name)")
            }
        }
        // A NaN stays NaN in max and sum on both.
        let withNaN = Tensor<Float>([1, .nan, 3, 2])
        #expect(Backends.$scoped.withValue(BLASBackend()) { withNaN.reduced(kernel, axes: [0]).item() }.isNaN)
    }

    /// gather and scatterAdd with blocks before and after the indexed axis and a repeated
    /// index: both backends, the same numbers exactly (copies, and sums in index order).
    @Test func gatherAndScatterAdd() {
        let (outer, extent, inner) = (3, 5, 4)
        let indices = [4, 0, 4, 2]
        var rng = SplitMix64(seed: 10)
        let table = (0..<(outer * extent * inner)).map { _ in Float(rng.nextUniform(-1, 1)) }
        let picked = (0..<(outer * indices.count * inner)).map { _ in Float(rng.nextUniform(-1, 1)) }
        func run(_ backend: any Backend) -> (gathered: [Float], scattered: [Float]) {
            var gathered = [Float](repeating: .nan, count: picked.count)
            var scattered = table
            backend.gather(indices, outer: outer, extent: extent, inner: inner, from: table, into: &gathered)
            backend.scatterAdd(indices, outer: outer, extent: extent, inner: inner, from: picked, into: &scattered)
            return (gathered, scattered)
        }
        let reference = run(ReferenceBackend()), blas = run(BLASBackend())
        #expect(reference.gathered == blas.gathered && reference.scattered == blas.scattered)
        // Against the definition: block i of group o is block indices[i] of group o.
        #expect(reference.gathered[(2 * indices.count + 1) * inner + 3] == table[(2 * extent + 0) * inner + 3])
        // Index 4 appears twice: group 1 of block 4 receives picked blocks 0 and 2 of group 1.
        let j = 1
        #expect(reference.scattered[(1 * extent + 4) * inner + j]
                == table[(1 * extent + 4) * inner + j] + picked[(1 * indices.count + 0) * inner + j]
                    + picked[(1 * indices.count + 2) * inner + j])
    }

    /// The optimizers' update kernel, every rule and option, on both backends: the same
    /// numbers exactly (the readable default loop and BLAS's vectorized one round each element
    /// the same way), over 37 elements (several vectors' worth, and not a multiple of one).
    @Test func update() {
        let rules: [ParameterUpdate] = [
            .sgd(learningRate: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true),
            .sgd(learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0.01, firstStep: false),
            .sgd(learningRate: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0, firstStep: true),
            .adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupledWeightDecay: 0, step: 3),
            .adam(learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1, decoupledWeightDecay: 0, step: 1),
            .adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupledWeightDecay: 0.05, step: 7),
            .rmsprop(learningRate: 0.01, alpha: 0.99, epsilon: 1e-8, weightDecay: 0, momentum: 0, centered: false),
            .rmsprop(learningRate: 0.01, alpha: 0.9, epsilon: 1e-6, weightDecay: 0.01, momentum: 0.5, centered: true),
            .rmsprop(learningRate: 0.01, alpha: 0.9, epsilon: 1e-6, weightDecay: 0, momentum: 0, centered: true),
            .rmsprop(learningRate: 0.01, alpha: 0.9, epsilon: 1e-6, weightDecay: 0, momentum: 0.9, centered: false),
            .sgd(learningRate: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0.1, firstStep: true),
            .adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1, decoupledWeightDecay: 0.05, step: 2),
        ]
        for rule in rules {
            func run(_ backend: any Backend) -> [[Float]] {
                var rng = SplitMix64(seed: 12)
                let theta = Tensor<Float>.randomUniform([37], -1, 1, using: &rng)
                let g = Tensor<Float>.randomUniform([37], -1, 1, using: &rng)
                // Positive running squares (v) in the first slot for RMSprop; any values elsewhere.
                let state = (Tensor<Float>.randomUniform([37], 0.1, 1, using: &rng),
                             Tensor<Float>.randomUniform([37], 0.1, 1, using: &rng) * 0.1,
                             Tensor<Float>.randomUniform([37], -1, 1, using: &rng))
                Backends.$scoped.withValue(backend) { theta.update(rule, gradient: g, state: state) }
                return [theta.scalars, state.0.scalars, state.1.scalars, state.2.scalars]
            }
            #expect(run(ReferenceBackend()) == run(BLASBackend()), "\(rule)")
        }
    }

    /// The BLAS backend's update flushes subnormals to zero (FastPath/SubnormalFlush.swift);
    /// the reference keeps them. Element 0's moment m is subnormal and its gradient zero, so
    /// the reference's new m is 0.9 · m (still subnormal, not zero) and BLAS's is exactly 0,
    /// with the parameter then unchanged. Element 1 is subnormal only in its gradient, which
    /// DAZ reads as 0. Element 2 has a NaN gradient (NaN on both), and the rest are normal and
    /// must match bit for bit. On Double too. Afterwards the calling thread's floating-point
    /// flags must be as they were.
    @Test func updateFlushesSubnormalsOnlyInTheFastPath() {
        func check<S: TensorScalar & BinaryFloatingPoint>(_: S.Type, tiny: S) {
            #expect(tiny.isSubnormal)
            let rule = ParameterUpdate.adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                                            weightDecay: 0, decoupledWeightDecay: 0, step: 5)
            func run(_ backend: any Backend) -> [[S]] {
                let theta = Tensor<S>([0.5, -0.25, 0.125, 0.75, -1])
                let g = Tensor<S>([0, tiny, S.nan, 0.3, -0.2])
                let state = (Tensor<S>([tiny, 0.01, 0.02, -0.03, 0.04]),
                             Tensor<S>([0.001, 0.002, 0.003, 0.004, 0.005]), nil as Tensor<S>?)
                Backends.$scoped.withValue(backend) { theta.update(rule, gradient: g, state: state) }
                return [theta.scalars, state.0.scalars, state.1.scalars]
            }
            let reference = run(ReferenceBackend()), blas = run(BLASBackend())
            // Element 0: the reference keeps 0.9 · tiny; BLAS flushes it and leaves θ alone.
            #expect(reference[1][0] != 0 && reference[1][0].isSubnormal)
            #expect(blas[1][0] == 0 && blas[0][0] == 0.5)
            // Element 1: g·(1 − β₁) is subnormal on the reference, 0 on BLAS, so BLAS's m is 0.9 · 0.01.
            #expect(blas[1][1] == S(0.01) * S(0.9))
            // Element 2: a NaN gradient gives NaN everywhere it reaches, on both backends.
            for r in [reference, blas] { #expect(r[0][2].isNaN && r[1][2].isNaN && r[2][2].isNaN) }
            // Elements 3 and 4: nothing subnormal, the same bits.
            for slot in 0..<3 { #expect(Array(reference[slot][3...]) == Array(blas[slot][3...])) }
        }
        let flushingBefore = SubnormalFlush.isFlushing
        check(Float.self, tiny: Float.leastNormalMagnitude / 4)
        check(Double.self, tiny: Double.leastNormalMagnitude / 4)
        #expect(SubnormalFlush.isFlushing == flushingBefore)
    }

    /// axpby (y ← βy + αx) with x in every layout and y contiguous, transposed or a block of
    /// columns (backward adding a slice's gradient in place): the two backends must agree
    /// exactly, as both promise the rounding of `y * beta + x * alpha`. The untouched columns
    /// around the block must stay as they were.
    @Test func axpby() {
        for (layout, x) in Self.layouts(seed: 7) {
            for yLayout in ["contiguous", "transposed", "column block"] {
                func run(_ backend: any Backend) -> [Float] {
                    var rng = SplitMix64(seed: 8)
                    let shape = yLayout == "transposed" ? [6, 5] : yLayout == "column block" ? [5, 9] : [5, 6]
                    let stored = Tensor<Float>.randomUniform(shape, -1, 1, using: &rng)
                    let y = yLayout == "transposed" ? stored.transposed()
                        : yLayout == "column block" ? stored.slice(axis: 1, 2, 8) : stored
                    withExtendedLifetime(x) {
                        backend.axpby(shape: [5, 6], alpha: Float(-0.7), x.buffer(broadcastTo: [5, 6]),
                                      beta: Float(0.9), into: y.buffer)
                    }
                    return stored.scalars
                }
                #expect(run(ReferenceBackend()) == run(BLASBackend()), "x \(layout), y \(yLayout)")
            }
        }
    }

    /// The products small enough for FastPath/SmallGemm.swift (attention's 8 × 8 × 8, and one
    /// with n = 11, whose last 3 columns take the scalar loop): bit for bit the reference loop's
    /// numbers, for every transpose, beta 0 and 0.5; and one just over the threshold, which
    /// goes to OpenBLAS, within the parity tolerance.
    @Test(arguments: [false, true], [false, true])
    func smallGemm(transposeA: Bool, transposeB: Bool) {
        for (m, n, k) in [(8, 8, 8), (3, 11, 5), (8, 8, 9)] {
            for beta in [Float(0), 0.5] {
                var rng = SplitMix64(seed: 11)
                let (lda, ldb, ldc) = ((transposeA ? m : k) + 2, (transposeB ? k : n) + 1, n + 3)
                let a = (0..<((transposeA ? k : m) * lda)).map { _ in Float(rng.nextUniform(-1, 1)) }
                let b = (0..<((transposeB ? n : k) * ldb)).map { _ in Float(rng.nextUniform(-1, 1)) }
                let c = (0..<(m * ldc)).map { _ in Float(rng.nextUniform(-1, 1)) }
                func run(_ backend: any Backend) -> [Float] {
                    var out = c
                    out.withUnsafeMutableBufferPointer { out in
                        backend.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.75,
                                     a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: out.baseAddress!, ldc: ldc)
                    }
                    return out
                }
                let reference = run(ReferenceBackend()), blas = run(BLASBackend())
                if m * n * k <= SmallGemm.maximumWork {
                    #expect(reference == blas, "\(m) × \(n) × \(k), beta \(beta)")
                } else {
                    #expect(parityMismatch([reference], [blas]) == nil, "\(m) × \(n) × \(k), beta \(beta)")
                }
            }
        }
    }

    /// gemm with every transpose and leading dimensions larger than the matrices, against
    /// the reference, including beta ≠ 0 and k = 0.
    @Test(arguments: [false, true], [false, true])
    func gemm(transposeA: Bool, transposeB: Bool) {
        let (m, n, k) = (5, 4, 6)
        for (kk, beta) in [(k, Float(0)), (k, 0.5), (0, 0.5)] {
            var rng = SplitMix64(seed: 9)
            // Stored with 3 spare columns per row, so the leading dimensions are not the widths.
            let (aRows, aColumns) = transposeA ? (kk, m) : (m, kk)
            let (bRows, bColumns) = transposeB ? (n, kk) : (kk, n)
            let a = (0..<(aRows * (aColumns + 3))).map { _ in Float(rng.nextUniform(-1, 1)) }
            let b = (0..<(bRows * (bColumns + 3))).map { _ in Float(rng.nextUniform(-1, 1)) }
            let c = (0..<(m * (n + 3))).map { _ in Float(rng.nextUniform(-1, 1)) }
            func run(_ backend: any Backend) -> [Float] {
                var out = c
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        out.withUnsafeMutableBufferPointer { out in
                            backend.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: kk, alpha: 1.5,
                                         a: a.baseAddress!, lda: aColumns + 3, b: b.baseAddress!, ldb: bColumns + 3,
                                         beta: beta, c: out.baseAddress!, ldc: n + 3)
                        }
                    }
                }
                return out
            }
            let reference = run(ReferenceBackend()), blas = run(BLASBackend())
            #expect(parityMismatch([reference], [blas]) == nil, "k = \(kk), beta = \(beta)")
            // The spare columns of C are left alone by both.
            #expect((0..<m).allSatisfy { i in (n..<(n + 3)).allSatisfy { blas[i * (n + 3) + $0] == c[i * (n + 3) + $0] } })
        }
    }

    /// gemmSum with every transpose, spare columns and gaps between the pairs, in Float (where
    /// BLASBackend takes AVX2Gemm.ntSum for A · Bᵀ on a CPU with AVX2) and Double; count 0
    /// clears C; C's spare columns are left alone.
    @Test(arguments: [false, true], [false, true])
    func gemmSum(transposeA: Bool, transposeB: Bool) {
        for (m, n, k, count) in [(5, 4, 9, 3), (16, 72, 121, 2), (3, 2, 4, 0)] {
            var rng = SplitMix64(seed: 13)
            let (aRows, aColumns) = transposeA ? (k, m) : (m, k)
            let (bRows, bColumns) = transposeB ? (n, k) : (k, n)
            let (strideA, strideB) = (aRows * (aColumns + 3) + 1, bRows * (bColumns + 2) + 4)
            let a = (0..<(Swift.max(count, 1) * strideA)).map { _ in rng.nextUniform(-1, 1) }
            let b = (0..<(Swift.max(count, 1) * strideB)).map { _ in rng.nextUniform(-1, 1) }
            let c = (0..<(m * (n + 3))).map { _ in rng.nextUniform(-1, 1) }
            func run<S: TensorScalar>(_ backend: any Backend, _: S.Type) -> [S] {
                let (a, b) = (a.map { S($0) }, b.map { S($0) })
                var out = c.map { S($0) }
                out.withUnsafeMutableBufferPointer { out in
                    backend.gemmSum(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, count: count,
                                    a: a, lda: aColumns + 3, strideA: strideA, b: b, ldb: bColumns + 2, strideB: strideB,
                                    c: out.baseAddress!, ldc: n + 3)
                }
                return out
            }
            let reference = run(ReferenceBackend(), Float.self), blas = run(BLASBackend(), Float.self)
            #expect(parityMismatch([reference], [blas]) == nil, "Float \(m) × \(n) × \(k), \(count) pairs")
            let reference64 = run(ReferenceBackend(), Double.self), blas64 = run(BLASBackend(), Double.self)
            #expect(parityMismatch([reference64], [blas64]) == nil, "Double \(m) × \(n) × \(k), \(count) pairs")
            #expect((0..<m).allSatisfy { i in (n..<(n + 3)).allSatisfy { blas[i * (n + 3) + $0] == Float(c[i * (n + 3) + $0]) } })
            if count == 0 { #expect((0..<m).allSatisfy { i in (0..<n).allSatisfy { blas[i * (n + 3) + $0] == 0 } }) }
        }
    }
}
#endif
