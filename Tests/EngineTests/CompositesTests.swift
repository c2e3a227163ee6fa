// CompositesTests.swift — subtraction, negation, division, plain numbers and literals
// (Value+Composites.swift).
//
// Composites have no backward of their own, so these tests check two things: that the
// chain rule through the primitives they are built from gives the right gradient (against
// finite differences and Swift's `_Differentiation`), and that they really are built from
// those primitives, as the drawings will show.
//
// Read next: BackwardTests.swift.

import _Differentiation
import Engine
import Foundation
import Testing
import _TestSupport

/// A composite operation, spelled with `Value` and (in `plainDouble`) with `Double`.
/// `constant` is the plain number in the mixed `Value`/`Double` forms.
enum Composite: Sendable, CustomStringConvertible {
    case subtract, negate, divide
    case valuePlusDouble(Double), doublePlusValue(Double)
    case valueMinusDouble(Double), doubleMinusValue(Double)
    case valueTimesDouble(Double), doubleTimesValue(Double)
    case valueOverDouble(Double), doubleOverValue(Double)

    func lumen(_ x: [Value]) -> Value {
        switch self {
        case .subtract: x[0] - x[1]
        case .negate: -x[0]
        case .divide: x[0] / x[1]
        case .valuePlusDouble(let c): x[0] + c
        case .doublePlusValue(let c): c + x[0]
        case .valueMinusDouble(let c): x[0] - c
        case .doubleMinusValue(let c): c - x[0]
        case .valueTimesDouble(let c): x[0] * c
        case .doubleTimesValue(let c): c * x[0]
        case .valueOverDouble(let c): x[0] / c
        case .doubleOverValue(let c): c / x[0]
        }
    }

    var description: String {
        switch self {
        case .subtract: "a - b"
        case .negate: "-a"
        case .divide: "a / b"
        case .valuePlusDouble(let c): "a + \(c)"
        case .doublePlusValue(let c): "\(c) + a"
        case .valueMinusDouble(let c): "a - \(c)"
        case .doubleMinusValue(let c): "\(c) - a"
        case .valueTimesDouble(let c): "a * \(c)"
        case .doubleTimesValue(let c): "\(c) * a"
        case .valueOverDouble(let c): "a / \(c)"
        case .doubleOverValue(let c): "\(c) / a"
        }
    }
}

@differentiable(reverse)
func plainDouble(_ composite: Composite, _ x: [Double]) -> Double {
    switch composite {
    case .subtract: return x[0] - x[1]
    case .negate: return -x[0]
    case .divide: return x[0] / x[1]
    case .valuePlusDouble(let c): return x[0] + c
    case .doublePlusValue(let c): return c + x[0]
    case .valueMinusDouble(let c): return x[0] - c
    case .doubleMinusValue(let c): return c - x[0]
    case .valueTimesDouble(let c): return x[0] * c
    case .doubleTimesValue(let c): return c * x[0]
    case .valueOverDouble(let c): return x[0] / c
    case .doubleOverValue(let c): return c / x[0]
    }
}

struct CompositeCase: Sendable, CustomTestStringConvertible {
    let composite: Composite
    let point: [Double]

    var testDescription: String { "\(composite) at \(point)" }

    static let all: [CompositeCase] = {
        var cases: [CompositeCase] = []
        func add(_ composite: Composite, _ points: [[Double]]) {
            cases += points.map { CompositeCase(composite: composite, point: $0) }
        }
        add(.subtract, [[5, 3], [-1.25, 0.5], [0, 0]])
        add(.negate, [[2.5], [-4], [0]])
        add(.divide, [[1, 3], [-2.5, 0.4], [7, -2], [0, 5]])
        for c in [2.5, -0.75] {
            let points: [[Double]] = [[1.5], [-3], [0.2]]
            add(.valuePlusDouble(c), points)
            add(.doublePlusValue(c), points)
            add(.valueMinusDouble(c), points)
            add(.doubleMinusValue(c), points)
            add(.valueTimesDouble(c), points)
            add(.doubleTimesValue(c), points)
            add(.valueOverDouble(c), points)
            add(.doubleOverValue(c), points)
        }
        return cases
    }()
}

@Suite("Composites")
struct CompositesTests {
    @Test("forward equals plain Double math", arguments: CompositeCase.all)
    func forward(_ c: CompositeCase) {
        let out = c.composite.lumen(c.point.map { Value($0) })
        let expected = plainDouble(c.composite, c.point)
        // a·b⁻¹ rounds twice where a/b rounds once, hence a few ulps of slack.
        #expect(isClose(out.data, expected, tolerance: 1e-15), "\(c): \(out.data) vs \(expected)")
    }

    @Test("gradient agrees with finite differences", arguments: CompositeCase.all)
    func finiteDifferences(_ c: CompositeCase) {
        let check = gradientCheck(at: c.point) { c.composite.lumen($0) }
        #expect(check.passes(tolerance: 1e-7), "\(c): analytic \(check.analytic), numeric \(check.numeric)")
    }

    @Test("gradient agrees with Swift's _Differentiation", arguments: CompositeCase.all)
    func swiftDifferentiation(_ c: CompositeCase) {
        let lumen = lumenGradient(at: c.point) { c.composite.lumen($0) }
        let swift = swiftGradient(at: c.point) { plainDouble(c.composite, $0) }
        #expect(gradientsAgree(lumen.gradient, swift, tolerance: 1e-13), "\(c): Lumen \(lumen.gradient), Swift \(swift)")
    }

    @Test("a - b is drawn as a + (b × -1)")
    func subtractionIsComposed() throws {
        let a = Value(5), b = Value(3)
        let d = a - b
        #expect(d.op == .add)
        #expect(d.inputs.first === a)
        let negated = try #require(d.inputs.last)
        #expect(negated.op == .mul)
        #expect(negated.inputs.first === b)
        #expect(negated.inputs.last?.isLeaf == true)
        #expect(negated.inputs.last?.data == -1)
    }

    @Test("a / b is drawn as a × b^-1")
    func divisionIsComposed() throws {
        let a = Value(1), b = Value(4)
        let q = a / b
        #expect(q.op == .mul)
        #expect(q.inputs.first === a)
        let reciprocal = try #require(q.inputs.last)
        #expect(reciprocal.op == .pow(-1))
        #expect(reciprocal.inputs.first === b)
        #expect(reciprocal.data == 0.25)
    }

    @Test("a plain number becomes a constant leaf")
    func doublesBecomeLeaves() throws {
        let x = Value(2)
        let y = x * 3.5
        let constant = try #require(y.inputs.last)
        #expect(constant.isLeaf)
        #expect(constant.data == 3.5)
        y.backward()
        // The constant is a leaf like any other, so it gets ∂y/∂c = x as well.
        #expect(x.grad == 3.5)
        #expect(constant.grad == 2)
    }

    @Test("literals mix in: 2 * x + 1")
    func literalsMixIn() {
        let x: Value = 3
        let y = 2 * x + 1
        #expect(y.data == 7)
        y.backward()
        #expect(x.grad == 2)
    }

    @Test("float and integer literals make leaves")
    func literalLeaves() {
        let half: Value = 0.5
        let three: Value = 3
        #expect(half.isLeaf && half.data == 0.5)
        #expect(three.isLeaf && three.data == 3)
        let y = half * three - 1.5
        #expect(y.data == 0)
    }

    @Test("the free-function spellings build the same nodes as the methods")
    func freeFunctions() {
        let x = Value(0.6)
        let pairs: [(Value, Value)] = [
            (pow(x, 3), x.pow(3)), (exp(x), x.exp()), (log(x), x.log()),
            (tanh(x), x.tanh()), (sigmoid(x), x.sigmoid()), (relu(x), x.relu()),
        ]
        for (function, method) in pairs {
            #expect(function.op == method.op)
            #expect(function.data == method.data)
            #expect(function.inputs.first === x)
        }
    }
}
