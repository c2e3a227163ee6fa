// GradientTests.swift — every primitive's backward against central differences, including
// broadcasting, size-1 and empty extents, and non-contiguous (transposed, sliced) inputs.
// The last test fails if a primitive is missing from this table.

import Testing
import Engine
@testable import Tensors

/// One gradient check: input shapes and range, and the function to differentiate.
struct GradientCase: CustomTestStringConvertible, Sendable {
    let name: String
    let shapes: [[Int]]
    var lower = -2.0, upper = 2.0
    let f: @Sendable ([Tensor<Double>]) -> Tensor<Double>

    var testDescription: String { name }

    init(_ name: String, _ shapes: [[Int]], range: (Double, Double) = (-2, 2),
         _ f: @escaping @Sendable ([Tensor<Double>]) -> Tensor<Double>) {
        self.name = name
        self.shapes = shapes
        (lower, upper) = range
        self.f = f
    }

    static let positive = (0.5, 2.5)

    static let all: [GradientCase] = [
        // Elementwise binary, broadcasting
        GradientCase("add broadcast", [[2, 3], [3]]) { $0[0] + $0[1] },
        GradientCase("add both sides broadcast", [[2, 1, 3], [4, 1]]) { $0[0] + $0[1] },
        GradientCase("sub", [[3, 2], [3, 2]]) { $0[0] - $0[1] },
        GradientCase("mul broadcast scalar", [[2, 3], []]) { $0[0] * $0[1] },
        GradientCase("mul same input twice", [[4]]) { $0[0] * $0[0] },
        GradientCase("div", [[2, 3], [2, 1]], range: positive) { $0[0] / $0[1] },
        GradientCase("pow tensor^tensor", [[2, 3], [3]], range: positive) { $0[0].pow($0[1]) },
        GradientCase("maximum broadcast", [[3, 4], [4]]) { Tensor.maximum($0[0], $0[1]) },
        // Elementwise unary
        GradientCase("powScalar 3", [[2, 3]]) { $0[0].pow(3) },
        GradientCase("powScalar -1.5", [[5]], range: positive) { $0[0].pow(-1.5) },
        GradientCase("exp", [[2, 3]]) { $0[0].exp() },
        GradientCase("log", [[2, 3]], range: positive) { $0[0].log() },
        GradientCase("sqrt", [[2, 3]], range: positive) { $0[0].sqrt() },
        GradientCase("tanh", [[2, 3]]) { $0[0].tanh() },
        GradientCase("sigmoid", [[2, 3]]) { $0[0].sigmoid() },
        GradientCase("relu", [[3, 4]]) { $0[0].relu() },
        GradientCase("leakyRelu", [[3, 4]]) { $0[0].leakyRelu(slope: 0.2) },
        GradientCase("geluTanh", [[3, 4]]) { $0[0].geluTanh() },
        GradientCase("gelu (erf)", [[3, 4]]) { $0[0].gelu() },
        GradientCase("softplus", [[3, 4]]) { $0[0].softplus() },
        GradientCase("abs", [[3, 4]]) { $0[0].abs() },
        GradientCase("sin", [[3, 4]]) { $0[0].sin() },
        GradientCase("cos", [[3, 4]]) { $0[0].cos() },
        GradientCase("neg", [[3]]) { -$0[0] },
        // Reductions
        GradientCase("sum all", [[2, 3, 4]]) { $0[0].sum() },
        GradientCase("sum axis 1", [[2, 3, 4]]) { $0[0].sum(axis: 1) },
        GradientCase("sum axes keepDims", [[2, 3, 4]]) { $0[0].sum(axes: [0, -1], keepDims: true) },
        GradientCase("max axis", [[3, 5]]) { $0[0].max(axis: 1) },
        GradientCase("max all", [[3, 5]]) { $0[0].max() },
        GradientCase("max axes keepDims", [[2, 3, 4]]) { $0[0].max(axes: [0, 2], keepDims: true) },
        GradientCase("mean axis", [[3, 4]]) { $0[0].mean(axis: 0) },
        GradientCase("variance", [[3, 4]]) { $0[0].variance(axes: [1], correction: 1) },
        GradientCase("logsumexp", [[3, 4]]) { $0[0].logsumexp(axis: 1) },
        GradientCase("logsumexp keepDims", [[2, 3, 2]]) { $0[0].logsumexp(axes: [0, 2], keepDims: true) },
        // Movement
        GradientCase("reshape", [[2, 6]]) { $0[0].reshape([3, -1]) * $0[0].reshape([3, 4]) },
        GradientCase("permute", [[2, 3, 4]]) { $0[0].permute([2, 0, 1]).exp() },
        GradientCase("expand", [[3, 1]]) { $0[0].expand([2, 3, 4]).sin() },
        GradientCase("slice with step", [[5, 4]]) { $0[0].slice(axis: 0, 1, 5, step: 2).tanh() },
        GradientCase("slice negative bounds", [[6]]) { $0[0].slice(axis: 0, -4, -1).exp() },
        GradientCase("pad", [[2, 3]]) { $0[0].pad([(1, 0), (2, 1)], value: 0.5).exp() },
        GradientCase("concat", [[2, 3], [2, 1], [2, 2]]) { Tensor.concat($0, axis: 1).sin() },
        GradientCase("stack", [[3], [3]]) { Tensor.stack($0, axis: 1).sin() },
        GradientCase("indexSelect repeated", [[4, 3]]) { $0[0].indexSelect(axis: 0, [2, 0, 2, 2]) },
        GradientCase("squeeze/unsqueeze", [[3, 1]]) { $0[0].squeeze(1).unsqueeze(0).exp() },
        // Matmul
        GradientCase("matmul 2-D", [[3, 4], [4, 2]]) { $0[0].matmul($0[1]) },
        GradientCase("matmul batched, batch broadcast", [[2, 1, 3, 4], [3, 4, 2]]) { $0[0].matmul($0[1]) },
        GradientCase("matrix × vector", [[3, 4], [4]]) { $0[0].matmul($0[1]) },
        GradientCase("vector × matrix", [[4], [2, 4, 3]]) { $0[0].matmul($0[1]) },
        GradientCase("vector · vector", [[5], [5]]) { $0[0].matmul($0[1]) },
        // Sliding windows (im2col)
        GradientCase("unfold", [[2, 2, 4, 3]]) { $0[0].unfold(kernel: (2, 2)).sin() },
        GradientCase("unfold stride, padding, overlap", [[1, 2, 5, 4]]) {
            $0[0].unfold(kernel: (3, 2), stride: (2, 1), padding: (1, 1), padValue: 0.5).sin()
        },
        GradientCase("unfold of a permuted view", [[2, 4, 3, 2]]) { $0[0].permute([0, 3, 1, 2]).unfold(kernel: (2, 2)).exp() },
        // Max-pooling (random inputs: no ties, so each window's max is unique)
        GradientCase("maxPool2d", [[2, 3, 4, 6]]) { $0[0].maxPool2d(kernel: (2, 2)) },
        GradientCase("maxPool2d overlapping, padded, of a view", [[1, 5, 5, 2]]) {
            $0[0].permute([0, 3, 1, 2]).maxPool2d(kernel: (3, 2), stride: (2, 1), padding: (1, 1))
        },
        // logSoftmax
        GradientCase("logSoftmax last axis", [[3, 4]]) { $0[0].logSoftmax() },
        GradientCase("logSoftmax of a transposed view, axis 0", [[3, 4]]) { $0[0].transposed().logSoftmax(axis: 0) },
        // Non-contiguous inputs: transposed and sliced views
        GradientCase("matmul of transposed views", [[4, 3], [2, 4]]) { $0[0].transposed().matmul($0[1].transposed()) },
        GradientCase("matmul of a stepped slice", [[6, 4], [4, 2]]) { $0[0].slice(axis: 0, 0, 6, step: 2).matmul($0[1]) },
        GradientCase("matmul of an expanded matrix", [[1, 4], [4, 3]]) { $0[0].expand([3, 4]).matmul($0[1]) },
        GradientCase("elementwise on transposed", [[3, 4], [4, 3]]) { $0[0].transposed() * $0[1] },
        GradientCase("reduce a sliced view", [[4, 6]]) { $0[0].slice(axis: 1, 1, 6, step: 2).max(axis: 0) },
        GradientCase("reshape a transposed view", [[3, 4]]) { $0[0].transposed().reshape([2, 6]).sin() },
        // Size-1 and empty extents
        GradientCase("size-1 broadcast", [[1, 1], [1]]) { $0[0] * $0[1] + $0[0] },
        GradientCase("empty add", [[0, 3], [3]]) { $0[0] + $0[1] },
        GradientCase("empty sum", [[0, 3], [3]]) { $0[0].sum(axis: 0) * $0[1] },
        GradientCase("empty inner matmul", [[2, 0], [0, 3], [2, 3]]) { $0[0].matmul($0[1]) + $0[2] },
        GradientCase("empty rows matmul", [[0, 4], [4, 3]]) { $0[0].matmul($0[1]) },
    ]
}

@Suite struct GradientTests {
    @Test(arguments: GradientCase.all)
    func backwardMatchesFiniteDifferences(_ c: GradientCase) {
        let inputs = leaves(c.shapes, c.lower, c.upper, seed: UInt64(c.name.utf8.count))
        let check = checkGradients(inputs, c.f)
        #expect(check.maxError < 1e-7, "\(c.name): max error \(check.maxError)")
        #expect(check.shapesMatch, "\(c.name): a gradient has the wrong shape")
    }

    /// Fails if any primitive has no gradient check above: each case records which
    /// primitives its graph used.
    @Test func everyPrimitiveHasAGradientCheck() {
        var covered: Set<Primitive> = []
        for c in GradientCase.all {
            let out = c.f(leaves(c.shapes, c.lower, c.upper, seed: 1))
            covered.formUnion(out.topologicalOrder().compactMap(\.op))
        }
        let missing = Primitive.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "primitives without a gradient check: \(missing)")
    }
}

/// Binary ops and their broadcast gradients over seeded random shape pairs (ranks 0–4,
/// extents 0–3, size-1 axes), the shapes drawn by `randomBroadcastPair`.
@Suite struct RandomShapeGradientTests {
    @Test(arguments: 0..<10)
    func broadcastGradientsOverRandomShapes(seed: Int) {
        var rng = SplitMix64(seed: UInt64(1000 + seed))
        let (shapeA, shapeB, _) = randomBroadcastPair(&rng)
        let inputs = leaves([shapeA, shapeB], 0.5, 2, seed: UInt64(seed))
        let functions: [(String, ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("add", { $0[0] + $0[1] }), ("mul", { $0[0] * $0[1] }), ("div", { $0[0] / $0[1] }),
            ("pow", { $0[0].pow($0[1]) }), ("maximum", { Tensor.maximum($0[0], $0[1]) }),
        ]
        for (name, f) in functions {
            let check = checkGradients(inputs, f)
            #expect(check.maxError < 1e-7, "\(name) \(shapeA) \(shapeB): error \(check.maxError)")
            #expect(check.shapesMatch, "\(name) \(shapeA) \(shapeB)")
        }
    }
}
