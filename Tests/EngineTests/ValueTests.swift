// ValueTests.swift — one node on its own (Value.swift): leaves, inputs, labels, ops.
//
// Read next: BackwardTests.swift, for what happens when nodes are wired into a graph.

@testable import Engine
import Testing

@Suite("Value")
struct ValueTests {
    @Test("a number written into a formula is a constant leaf, until it is named")
    func constants() {
        let x = Value(2, label: "x"), k = 0.5
        // Literals, and Doubles beside an operator, become constant leaves.
        // (Subtraction, division and negation are composed, so their constant may sit deeper.)
        for y in [x * 3, 3 * x, x + 1.5, x - k, k * x, x / k, -x] {
            #expect(y.topologicalOrder().contains { $0.isLeaf && $0.isConstant }, "\(y)")
        }
        // `Value(0)` is the literal 0 as a Value (Swift's literal rule): a constant too.
        #expect(Value(0).isConstant)
        // A variable: made from a Double that is not a literal, or given a name.
        #expect(!x.isConstant && !Value(k).isConstant && !Value(0.0 as Double).isConstant)
        let named: Value = 2
        #expect(named.isConstant)
        named.label = "w"
        #expect(!named.isConstant)
        // Backward treats a constant as any leaf: y = x·3 sends ∂y/∂3 = x = 2 to it.
        let y = x * 3
        y.backward()
        #expect(y.inputs[1].isConstant && y.inputs[1].grad == 2 && x.grad == 3)
        // Nodes made by an op are never constants.
        #expect(!y.isConstant)
    }

    @Test("a leaf has no op, no inputs and no gradient yet")
    func leaf() {
        let x = Value(2.5, label: "x")
        #expect(x.isLeaf)
        #expect(x.op == nil)
        #expect(x.inputs.isEmpty)
        #expect(x.localDerivatives.isEmpty)
        #expect(x.grad == nil)
        #expect(x.label == "x")
        #expect(x.data == 2.5)
    }

    @Test("an op node lists its inputs in argument order, with a local derivative each")
    func opNode() {
        let a = Value(3), b = Value(-2)
        let product = a * b
        #expect(!product.isLeaf)
        #expect(product.inputs.count == 2)
        #expect(product.inputs[0] === a && product.inputs[1] === b)
        #expect(product.localDerivatives == [-2, 3])
        let t = b.tanh()
        #expect(t.inputs.count == 1 && t.inputs[0] === b)
        #expect(t.localDerivatives.count == 1)
    }

    @Test("data and label can be changed, as an optimizer and a lesson do")
    func mutableFields() {
        let p = Value(1)
        p.data -= 0.25
        p.label = "w"
        #expect(p.data == 0.75)
        #expect(p.label == "w")
    }

    @Test("a label can be set, replaced and removed, on leaves and op nodes alike")
    func labels() {
        let a = Value(1), b = Value(2, label: "b")
        let sum = a + b
        #expect(a.label == nil && sum.label == nil)
        sum.label = "s"
        a.label = "a"
        #expect(sum.label == "s" && a.label == "a" && b.label == "b")
        sum.label = "total"
        b.label = nil
        #expect(sum.label == "total" && b.label == nil)
        #expect(a.description.hasPrefix("Value(a = 1.0"))
    }

    @Test("grad tells 'not reached' (nil) apart from 0, and can be set and cleared")
    func gradOptional() {
        let x = Value(3)
        #expect(x.grad == nil)
        x.grad = 0
        #expect(x.grad == 0)
        x.grad = -2.5
        #expect(x.grad == -2.5)
        x.zeroGrad()
        #expect(x.grad == nil)
        x.grad = .nan
        #expect(x.grad?.isNaN == true)
    }

    @Test("description shows the label, the number and an unreached gradient")
    func description() {
        let x = Value(2, label: "x")
        #expect(x.description.contains("x"))
        #expect(x.description.contains("2.0"))
        #expect(x.description.contains("—"), "no gradient yet")
        x.backward()
        #expect(x.description.contains("1.0"))
        #expect(!x.description.contains("—"))
    }

    @Test("every op has a symbol for drawings and an ASCII name")
    func opSymbolsAndNames() {
        let table: [(Op, String, String)] = [
            (.add, "+", "add"), (.mul, "×", "mul"), (.pow(2), "^2", "pow"), (.pow(-1), "^-1", "pow"),
            (.pow(0.5), "^0.5", "pow"), (.exp, "exp", "exp"), (.log, "log", "log"),
            (.tanh, "tanh", "tanh"), (.sigmoid, "σ", "sigmoid"), (.relu, "relu", "relu"),
        ]
        for (op, symbol, name) in table {
            #expect(op.symbol == symbol)
            #expect(op.name == name)
            #expect(name.allSatisfy { $0.isASCII })
        }
        #expect(Op.pow(2) != Op.pow(3), "the exponent is part of the op")
    }
}
