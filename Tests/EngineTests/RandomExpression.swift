// RandomExpression.swift — seeded random expression graphs for the property tests.
//
// A `RandomExpression` is a short straight-line program: the inputs x₀…xₙ₋₁ come first, then
// each instruction applies one operation to earlier results. Operands are drawn from all
// earlier results, so leaves and subexpressions are reused (the case where backward must
// add up contributions). The expression's value is the sum of the results that nothing else
// uses, so no instruction is dead code. The program can be run two ways: as a Lumen graph (`lumen`) and as
// plain `Double` arithmetic (`interpret`), which Swift's `_Differentiation` can differentiate.
//
// Inputs are "safe" by construction: each instruction is generated at the test point and
// only kept if its operands stay away from trouble (log of a positive number ≥ 0.05, no
// division by something near 0, relu away from its kink, no overflow), so that finite
// differences are accurate there.
//
// Read next: RandomExpressionTests.swift.

import _Differentiation
import Engine
import Foundation

struct RandomExpression: Sendable, CustomStringConvertible {
    enum Operation: Sendable {
        case add, subtract, multiply, divide, negate
        case exp, log, tanh, sigmoid, relu
        case power(Double)
        case plusConstant(Double), constantMinus(Double), timesConstant(Double), constantOver(Double)

        var isBinary: Bool {
            switch self {
            case .add, .subtract, .multiply, .divide: true
            default: false
            }
        }
    }

    struct Instruction: Sendable {
        let operation: Operation
        let lhs: Int
        let rhs: Int
    }

    let seed: UInt64
    /// The test point: one coordinate per input.
    let point: [Double]
    let instructions: [Instruction]
    /// The results no instruction uses (the last one always among them), in order. The
    /// expression's value is their sum, so every instruction counts.
    let sinks: [Int]

    /// Builds the expression for `seed`: 1–4 inputs in [-2, 2] and 6–35 instructions.
    init(seed: UInt64) {
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        let inputCount = 1 + Int(rng.next() % 4)
        let point = (0..<inputCount).map { _ in rng.nextUniform(-2, 2) }
        let length = 6 + Int(rng.next() % 30)

        var values = point
        var instructions: [Instruction] = []
        while instructions.count < length {
            let operation = RandomExpression.randomOperation(&rng)
            let lhs = RandomExpression.randomOperand(count: values.count, &rng)
            let rhs = operation.isBinary ? RandomExpression.randomOperand(count: values.count, &rng) : lhs
            guard let result = RandomExpression.safeResult(operation, values[lhs], values[rhs]) else { continue }
            instructions.append(Instruction(operation: operation, lhs: lhs, rhs: rhs))
            values.append(result)
        }
        self.point = point
        self.instructions = instructions
        let used = Set(instructions.flatMap { [$0.lhs, $0.rhs] })
        sinks = (point.count..<values.count).filter { !used.contains($0) }
    }

    /// Half the time one of the three newest results (so chains grow deep), otherwise any
    /// earlier result (so old nodes get reused).
    private static func randomOperand(count: Int, _ rng: inout SplitMix64) -> Int {
        if rng.next() % 2 == 0 {
            return count - 1 - Int(rng.next() % UInt64(min(3, count)))
        }
        return Int(rng.next() % UInt64(count))
    }

    private static func randomOperation(_ rng: inout SplitMix64) -> Operation {
        let constant = (rng.nextUniform(-2, 2) * 8).rounded() / 8
        switch rng.next() % 15 {
        case 0: return .add
        case 1: return .subtract
        case 2: return .multiply
        case 3: return .divide
        case 4: return .negate
        case 5: return .exp
        case 6: return .log
        case 7: return .tanh
        case 8: return .sigmoid
        case 9: return .relu
        case 10: return .power([2, 3, -1, -2, 0.5, 1.5, -0.5][Int(rng.next() % 7)])
        case 11: return .plusConstant(constant)
        case 12: return .constantMinus(constant)
        case 13: return .timesConstant(constant)
        default: return .constantOver(constant)
        }
    }

    /// The operation's value at (a, b), or nil when the operands are too close to a
    /// singularity or kink, or the result leaves [-50, 50].
    private static func safeResult(_ operation: Operation, _ a: Double, _ b: Double) -> Double? {
        switch operation {
        case .divide: guard abs(b) > 0.2 else { return nil }
        case .constantOver: guard abs(a) > 0.2 else { return nil }
        case .exp: guard a < 3 else { return nil }
        case .log: guard a > 0.05 else { return nil }
        case .relu: guard abs(a) > 0.05 else { return nil }
        case .power(let n):
            if n != n.rounded() { guard a > 0.1 else { return nil } }
            if n < 0 { guard abs(a) > 0.2 else { return nil } }
            guard abs(a) < 5 else { return nil }
        default: break
        }
        let result = apply(operation, a, b)
        return result.isFinite && abs(result) <= 50 ? result : nil
    }

    /// The expression built as a Lumen graph on `inputs`.
    func lumen(_ inputs: [Value]) -> Value {
        lumenGraph(inputs).root
    }

    /// The graph built on `inputs`: `results` are the inputs and then one node per
    /// instruction, in program order; `root` is the sum of the sinks.
    func lumenGraph(_ inputs: [Value]) -> (results: [Value], root: Value) {
        var values = inputs
        for instruction in instructions {
            let a = values[instruction.lhs], b = values[instruction.rhs]
            let result: Value =
                switch instruction.operation {
                case .add: a + b
                case .subtract: a - b
                case .multiply: a * b
                case .divide: a / b
                case .negate: -a
                case .exp: exp(a)
                case .log: log(a)
                case .tanh: tanh(a)
                case .sigmoid: sigmoid(a)
                case .relu: relu(a)
                case .power(let n): pow(a, n)
                case .plusConstant(let c): a + c
                case .constantMinus(let c): c - a
                case .timesConstant(let c): a * c
                case .constantOver(let c): c / a
                }
            values.append(result)
        }
        let root = sinks.dropFirst().reduce(values[sinks[0]]) { sum, k in sum + values[k] }
        return (values, root)
    }

    var description: String {
        var lines = ["seed \(seed), inputs \(point)"]
        for (k, instruction) in instructions.enumerated() {
            let target = "v\(point.count + k)"
            let a = "v\(instruction.lhs)", b = "v\(instruction.rhs)"
            let text: String =
                switch instruction.operation {
                case .add: "\(a) + \(b)"
                case .subtract: "\(a) - \(b)"
                case .multiply: "\(a) * \(b)"
                case .divide: "\(a) / \(b)"
                case .negate: "-\(a)"
                case .exp: "exp(\(a))"
                case .log: "log(\(a))"
                case .tanh: "tanh(\(a))"
                case .sigmoid: "sigmoid(\(a))"
                case .relu: "relu(\(a))"
                case .power(let n): "pow(\(a), \(n))"
                case .plusConstant(let c): "\(a) + \(c)"
                case .constantMinus(let c): "\(c) - \(a)"
                case .timesConstant(let c): "\(a) * \(c)"
                case .constantOver(let c): "\(c) / \(a)"
                }
            lines.append("\(target) = \(text)")
        }
        lines.append("root = " + sinks.map { "v\($0)" }.joined(separator: " + "))
        return lines.joined(separator: "\n")
    }
}

/// One operation on `Double`s: the textbook formula, differentiable by Swift.
@differentiable(reverse)
func apply(_ operation: RandomExpression.Operation, _ a: Double, _ b: Double) -> Double {
    switch operation {
    case .add: return a + b
    case .subtract: return a - b
    case .multiply: return a * b
    case .divide: return a / b
    case .negate: return -a
    case .exp: return Foundation.exp(a)
    case .log: return Foundation.log(a)
    case .tanh: return Foundation.tanh(a)
    case .sigmoid: return 1 / (1 + Foundation.exp(-a))
    case .relu: return a > 0 ? a : 0
    case .power(let n): return Foundation.pow(a, n)
    case .plusConstant(let c): return a + c
    case .constantMinus(let c): return c - a
    case .timesConstant(let c): return a * c
    case .constantOver(let c): return c / a
    }
}

/// The whole expression over `Double`: the independent oracle for Lumen's forward, and,
/// through `_Differentiation`, for its gradient.
@differentiable(reverse)
func interpret(_ expression: RandomExpression, _ inputs: [Double]) -> Double {
    var values = inputs
    for k in withoutDerivative(at: expression.instructions.indices) {
        let instruction = expression.instructions[k]
        values.append(apply(instruction.operation, values[instruction.lhs], values[instruction.rhs]))
    }
    var sum = values[expression.sinks[0]]
    for k in withoutDerivative(at: expression.sinks.dropFirst()) {
        sum = sum + values[k]
    }
    return sum
}
