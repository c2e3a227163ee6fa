// PrimitivesTests.swift — the eight primitives of Value+Primitives.swift, one at a time.
//
// Each primitive is checked at several points, three ways: its forward value against plain
// `Double` math from Foundation, its gradient against central finite differences
// (`gradientCheck`), and against Swift's built-in reverse mode (`_Differentiation`) applied to
// the same formula written over `Double`.
//
// Read next: CompositesTests.swift.

import _Differentiation
import Engine
import Foundation
import Testing
import _TestSupport

/// One primitive, spelled with Lumen's `Value` and, in `plainDouble`, with `Double`.
enum Primitive: Sendable, CustomStringConvertible {
    case add, multiply, exp, log, tanh, sigmoid, relu, power(Double)

    /// The primitive applied to one or two leaves.
    func lumen(_ x: [Value]) -> Value {
        switch self {
        case .add: x[0] + x[1]
        case .multiply: x[0] * x[1]
        case .exp: x[0].exp()
        case .log: x[0].log()
        case .tanh: x[0].tanh()
        case .sigmoid: x[0].sigmoid()
        case .relu: x[0].relu()
        case .power(let n): x[0].pow(n)
        }
    }

    /// The op that the result node should carry.
    var op: Op {
        switch self {
        case .add: .add
        case .multiply: .mul
        case .exp: .exp
        case .log: .log
        case .tanh: .tanh
        case .sigmoid: .sigmoid
        case .relu: .relu
        case .power(let n): .pow(n)
        }
    }

    var description: String {
        switch self {
        case .add: "add"
        case .multiply: "mul"
        case .exp: "exp"
        case .log: "log"
        case .tanh: "tanh"
        case .sigmoid: "sigmoid"
        case .relu: "relu"
        case .power(let n): "pow(\(n))"
        }
    }
}

/// The textbook formula over `Double`, which Swift's compiler can differentiate.
@differentiable(reverse)
func plainDouble(_ primitive: Primitive, _ x: [Double]) -> Double {
    switch primitive {
    case .add: return x[0] + x[1]
    case .multiply: return x[0] * x[1]
    case .exp: return Foundation.exp(x[0])
    case .log: return Foundation.log(x[0])
    case .tanh: return Foundation.tanh(x[0])
    case .sigmoid: return 1 / (1 + Foundation.exp(-x[0]))
    case .relu: return x[0] > 0 ? x[0] : 0
    case .power(let n): return Foundation.pow(x[0], n)
    }
}

/// A primitive and a point to evaluate it at. The points avoid relu's kink at 0 (its
/// convention there is tested on its own) and keep log's argument positive.
struct PrimitiveCase: Sendable, CustomTestStringConvertible {
    let primitive: Primitive
    let point: [Double]

    var testDescription: String { "\(primitive) at \(point)" }

    static let all: [PrimitiveCase] = {
        var cases: [PrimitiveCase] = []
        func add(_ primitive: Primitive, _ points: [[Double]]) {
            cases += points.map { PrimitiveCase(primitive: primitive, point: $0) }
        }
        add(.add, [[2, -3], [0.5, 0.25], [-1e3, 7], [0, 0]])
        add(.multiply, [[2, -3], [0.5, 0.25], [-1.5, -4], [0, 5]])
        add(.exp, [[-2], [-0.5], [0], [0.7], [3]])
        add(.log, [[0.1], [0.5], [1], [2.5], [40]])
        add(.tanh, [[-3], [-0.4], [0], [0.88], [2]])
        add(.sigmoid, [[-30], [-2], [0], [1.5], [30]])
        add(.relu, [[-2], [-0.3], [0.3], [5]])
        add(.power(2), [[-1.5], [0], [2]])
        add(.power(3), [[-2], [0.5], [1.7]])
        add(.power(-1), [[-2], [0.5], [3]])
        add(.power(-2), [[-0.7], [1.25]])
        add(.power(0.5), [[0.25], [2]])
        add(.power(-2.5), [[0.5], [4]])
        add(.power(0), [[3], [-2]])
        return cases
    }()
}

@Suite("Primitives")
struct PrimitivesTests {
    @Test("forward equals plain Double math", arguments: PrimitiveCase.all)
    func forward(_ c: PrimitiveCase) {
        let leaves = c.point.map { Value($0) }
        let out = c.primitive.lumen(leaves)
        let expected = plainDouble(c.primitive, c.point)
        #expect(isClose(out.data, expected, tolerance: 1e-15), "\(c): \(out.data) vs \(expected)")
        #expect(out.op == c.primitive.op)
        #expect(out.inputs.count == c.point.count)
        #expect(zip(out.inputs, leaves).allSatisfy { $0 === $1 }, "inputs are the leaves, in order")
    }

    @Test("gradient agrees with finite differences", arguments: PrimitiveCase.all)
    func finiteDifferences(_ c: PrimitiveCase) {
        let check = gradientCheck(at: c.point) { c.primitive.lumen($0) }
        #expect(check.passes(tolerance: 1e-7), "\(c): analytic \(check.analytic), numeric \(check.numeric)")
    }

    @Test("gradient agrees with Swift's _Differentiation", arguments: PrimitiveCase.all)
    func swiftDifferentiation(_ c: PrimitiveCase) {
        let lumen = lumenGradient(at: c.point) { c.primitive.lumen($0) }
        let swift = swiftGradient(at: c.point) { plainDouble(c.primitive, $0) }
        #expect(gradientsAgree(lumen.gradient, swift, tolerance: 1e-13), "\(c): Lumen \(lumen.gradient), Swift \(swift)")
    }

    @Test("relu's derivative at exactly 0 is 0, as in PyTorch")
    func reluAtZero() {
        let x = Value(0)
        let y = x.relu()
        #expect(y.data == 0)
        y.backward()
        #expect(x.grad == 0)
    }

    @Test("relu at NaN, ±0 and ±∞ gives what PyTorch gives, forward and backward")
    func reluSpecialValues() {
        // The oracle, from PyTorch 2 (float64): x = [nan, -0., 0., inf, -inf];
        // torch.relu(x) = [nan, -0., 0., inf, 0.]; after relu(x).sum().backward(),
        // x.grad = [1., 0., 0., 1., 0.].
        let inputs: [Double] = [.nan, -0.0, 0.0, .infinity, -.infinity]
        let outputs: [Double] = [.nan, -0.0, 0.0, .infinity, 0]
        let grads: [Double] = [1, 0, 0, 1, 0]
        for (i, input) in inputs.enumerated() {
            let x = Value(input)
            let y = x.relu()
            #expect(y.data.isNaN == outputs[i].isNaN, "relu(\(input)) = \(y.data): NaN must stay NaN")
            if !outputs[i].isNaN {
                #expect(y.data == outputs[i] && y.data.sign == outputs[i].sign, "relu(\(input)) = \(y.data)")
            }
            y.backward()
            #expect(x.grad == grads[i], "relu'(\(input)) = \(x.grad ?? .nan)")
        }
    }

    @Test("sigmoid stays finite far out in both tails")
    func sigmoidTails() {
        for (input, limit) in [(-800.0, 0.0), (800.0, 1.0)] {
            let x = Value(input)
            let y = x.sigmoid()
            y.backward()
            #expect(y.data == limit, "σ(\(input)) = \(y.data)")
            // σ'(x) = σ(x)(1 − σ(x)) = 0 in both limits.
            #expect(x.grad == 0, "σ'(\(input)) = \(String(describing: x.grad))")
        }
    }

    @Test("each primitive stores its local derivative, derived by hand")
    func localDerivatives() {
        let a = Value(3), b = Value(-0.5)
        // ∂(a+b)/∂a = ∂(a+b)/∂b = 1; ∂(ab)/∂a = b, ∂(ab)/∂b = a.
        #expect((a + b).localDerivatives == [1, 1])
        #expect((a * b).localDerivatives == [-0.5, 3])
        // d(x³)/dx at 3 = 3·9 = 27; d(x⁻¹)/dx at 3 = −1/9.
        #expect(a.pow(3).localDerivatives == [27])
        #expect(isClose(a.pow(-1).localDerivatives[0], -1.0 / 9, tolerance: 1e-15))
        // d ln x/dx at 3 = 1/3; d relu(x)/dx at −0.5 = 0.
        let oneThird: Double = 1.0 / 3
        #expect(a.log().localDerivatives == [oneThird])
        #expect(b.relu().localDerivatives == [0])
        // σ'(0) = 1/4 and tanh'(0) = 1.
        #expect(Value(0).sigmoid().localDerivatives == [0.25])
        #expect(Value(0).tanh().localDerivatives == [1])
    }
}
