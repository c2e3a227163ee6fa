// BackwardTests.swift — what backward() and BackwardPass promise (Value+Backward.swift).
//
// Hand-derived gradients for a few classic graphs; accumulation on reused nodes; leaves
// that accumulate across passes while interior nodes are reset; nil meaning "not reached";
// each step of BackwardPass against the chain rule worked out by hand; and a
// million-node chain that must neither overflow the stack in backward nor when it is freed.
//
// Read next: GradientCheckTests.swift.

import Engine
import Foundation
import Testing
import _TestSupport

@Suite("Backward: hand-derived classics")
struct BackwardClassicsTests {
    @Test("a neuron o = tanh(x1·w1 + x2·w2 + b) at b = atanh(1/√2), where 1 − o² = 1/2")
    func neuron() {
        let x1 = Value(2), x2 = Value(0), w1 = Value(-3), w2 = Value(1)
        // b = 6 + ln(1 + √2) makes n = −6 + 0 + b = ln(1 + √2) = atanh(1/√2).
        let b = Value(6 + Foundation.log(1 + 2.0.squareRoot()))
        let o = tanh(x1 * w1 + x2 * w2 + b)
        o.backward()
        // o = 1/√2, so do/dn = 1 − o² = 1/2 and each gradient is (the other factor) / 2.
        #expect(isClose(o.data, 1 / 2.0.squareRoot(), tolerance: 1e-14))
        #expect(isClose(x1.grad!, -1.5, tolerance: 1e-14))  // w1 / 2
        #expect(isClose(w1.grad!, 1, tolerance: 1e-14))     // x1 / 2
        #expect(isClose(x2.grad!, 0.5, tolerance: 1e-14))   // w2 / 2
        #expect(w2.grad! == 0)                              // x2 / 2 = 0 exactly
        #expect(isClose(b.grad!, 0.5, tolerance: 1e-14))
    }

    @Test("the same neuron with tanh spelled out as (e²ⁿ − 1)/(e²ⁿ + 1) gives the same gradients")
    func neuronWithTanhSpelledOut() {
        let x1 = Value(2), x2 = Value(0), w1 = Value(-3), w2 = Value(1)
        let b = Value(6 + Foundation.log(1 + 2.0.squareRoot()))
        let n = x1 * w1 + x2 * w2 + b
        let e = exp(2 * n)
        let o = (e - 1) / (e + 1)
        o.backward()
        #expect(isClose(o.data, 1 / 2.0.squareRoot(), tolerance: 1e-14))
        #expect(isClose(x1.grad!, -1.5, tolerance: 1e-13))
        #expect(isClose(w1.grad!, 1, tolerance: 1e-13))
        #expect(isClose(x2.grad!, 0.5, tolerance: 1e-13))
        #expect(isClose(b.grad!, 0.5, tolerance: 1e-13))
    }

    @Test("d/dx tanh(x·w + b) = w·(1 − tanh²(x·w + b)), and likewise for w and b",
          arguments: [(0.5, -1.25, 0.3), (2, 0.75, -1), (-1.5, 2, 0.1)])
    func tanhOfAffine(x xValue: Double, w wValue: Double, b bValue: Double) {
        let x = Value(xValue), w = Value(wValue), b = Value(bValue)
        tanh(x * w + b).backward()
        let t = Foundation.tanh(xValue * wValue + bValue)
        #expect(isClose(x.grad!, wValue * (1 - t * t), tolerance: 1e-14))
        #expect(isClose(w.grad!, xValue * (1 - t * t), tolerance: 1e-14))
        #expect(isClose(b.grad!, 1 - t * t, tolerance: 1e-14))
    }

    @Test("small classics: ln(x² + 1), σ(0), x/y, (x+1)² + (x+1)")
    func smallClassics() {
        // d/dx ln(x² + 1) = 2x/(x² + 1) = 1 at x = 1.
        let x = Value(1)
        log(x * x + 1).backward()
        #expect(isClose(x.grad!, 1, tolerance: 1e-15))

        // σ'(0) = σ(0)(1 − σ(0)) = 1/4.
        let z = Value(0)
        sigmoid(z).backward()
        #expect(z.grad == 0.25)

        // ∂(x/y)/∂x = 1/y, ∂(x/y)/∂y = −x/y²: 1/4 and −3/16 at (3, 4), exact in binary.
        let p = Value(3), q = Value(4)
        (p / q).backward()
        #expect(p.grad == 0.25)
        #expect(q.grad == -0.1875)

        // f = a² + a with a = x + 1: df/dx = 2a + 1 = 7 at x = 2.
        let u = Value(2)
        let a = u + 1
        (a * a + a).backward()
        #expect(u.grad == 7)
        #expect(a.grad == 7)
    }
}

@Suite("Backward: semantics")
struct BackwardSemanticsTests {
    @Test("x * x: both operand slots hold x, so x collects 2x")
    func square() {
        let x = Value(3)
        (x * x).backward()
        #expect(x.grad == 6)
    }

    @Test("x used by two branches collects both: d/dx (x·y + eˣ) = y + eˣ")
    func twoBranches() {
        let x = Value(0.5), y = Value(-2)
        (x * y + exp(x)).backward()
        #expect(isClose(x.grad!, -2 + Foundation.exp(0.5), tolerance: 1e-15))
        #expect(y.grad == 0.5)
    }

    @Test("leaves accumulate over two backward() calls; interior nodes are reset")
    func leavesAccumulateInteriorReset() throws {
        let x = Value(0.7), w = Value(-1.3), b = Value(0.2)
        let n = x * w + b
        let o = tanh(n)
        o.backward()
        let once = (x: try #require(x.grad), w: try #require(w.grad), b: try #require(b.grad), n: try #require(n.grad))
        o.backward()
        #expect(x.grad == 2 * once.x)
        #expect(w.grad == 2 * once.w)
        #expect(b.grad == 2 * once.b)
        #expect(n.grad == once.n, "interior: reset, not doubled")
        #expect(o.grad == 1, "the root is seeded with exactly 1 each pass")
    }

    @Test("a leaf used as the root accumulates 1 per pass")
    func leafRoot() {
        let x = Value(4)
        x.backward()
        #expect(x.grad == 1)
        x.backward()
        #expect(x.grad == 2)
    }

    @Test("zeroGrad forgets, so the next backward starts from scratch")
    func zeroGrad() {
        let x = Value(0.7), w = Value(-1.3)
        let o = tanh(x * w)
        o.backward()
        let once = x.grad
        x.zeroGrad()
        #expect(x.grad == nil)
        o.backward()
        #expect(x.grad == once)

        [x, w].zeroGrad()
        #expect(x.grad == nil && w.grad == nil)
    }

    @Test("nil means not reached; 0 means reached with a zero gradient")
    func nilVersusZero() {
        let x = Value(2), unrelated = Value(5)
        let y = x * 3
        let deadBranch = exp(x)  // uses x, but the root does not use it
        #expect(x.grad == nil && y.grad == nil, "before backward nothing is reached")
        y.backward()
        #expect(x.grad == 3)
        #expect(unrelated.grad == nil)
        #expect(deadBranch.grad == nil)

        let negative = Value(-1)
        relu(negative).backward()
        #expect(negative.grad == 0, "reached through relu's flat side: 0, not nil")
    }

    @Test("ids increase in creation order")
    func idsIncrease() {
        let a = Value(1), b = Value(2)
        let c = a * b
        let d = c + a
        #expect(a.id < b.id && b.id < c.id && c.id < d.id)
        #expect(Set([a.id, b.id, c.id, d.id]).count == 4)
    }

    @Test("topological order of a small graph: inputs first, shared node once, root last")
    func smallTopologicalOrder() {
        let a = Value(2), b = Value(-3)
        let e = a * b
        let d = e + a
        let l = d * e
        let order = l.topologicalOrder()
        #expect(order.count == 5)
        #expect(Set(order.map(ObjectIdentifier.init)).count == 5)
        #expect(order.last === l)
        func index(_ v: Value) -> Int { order.firstIndex { $0 === v }! }
        #expect(index(a) < index(e) && index(b) < index(e))
        #expect(index(e) < index(d) && index(a) < index(d))
        #expect(index(d) < index(l))
        #expect(a.topologicalOrder().map(ObjectIdentifier.init) == [ObjectIdentifier(a)])
    }
}

@Suite("BackwardPass: step by step")
struct BackwardPassTests {
    /// Karpathy's first example: L = (a·b + c)·f with a = 2, b = −3, c = 10, f = −2.
    private struct Graph {
        let a = Value(2, label: "a"), b = Value(-3, label: "b"), c = Value(10, label: "c"), f = Value(-2, label: "f")
        let e: Value, d: Value, l: Value
        init() {
            e = a * b   // −6
            d = e + c   // 4
            l = d * f   // −8
        }
    }

    @Test("each step's upstream and contributions are the chain rule, worked by hand")
    func stepsMatchHandChainRule() {
        let g = Graph()
        // node: (∂L/∂node, [(input, ∂node/∂input, ∂node/∂input · ∂L/∂node)])
        let expected: [ObjectIdentifier: (upstream: Double, contributions: [(Value, Double, Double)])] = [
            ObjectIdentifier(g.l): (1, [(g.d, -2, -2), (g.f, 4, 4)]),   // ∂L/∂d = f, ∂L/∂f = d
            ObjectIdentifier(g.d): (-2, [(g.e, 1, -2), (g.c, 1, -2)]),  // + passes −2 through
            ObjectIdentifier(g.e): (-2, [(g.a, -3, 6), (g.b, 2, -4)]),  // ∂e/∂a = b, ∂e/∂b = a
            ObjectIdentifier(g.a): (6, []), ObjectIdentifier(g.b): (-4, []),
            ObjectIdentifier(g.c): (-2, []), ObjectIdentifier(g.f): (4, []),
        ]
        var seen = Set<ObjectIdentifier>()
        var pass = BackwardPass(from: g.l)
        while let step = pass.next() {
            let key = ObjectIdentifier(step.node)
            #expect(seen.insert(key).inserted, "\(step.node) stepped twice")
            guard let want = expected[key] else {
                Issue.record("unexpected node \(step.node)")
                continue
            }
            #expect(step.upstream == want.upstream, "\(step.node)")
            let got = step.contributions
            #expect(got.count == want.contributions.count, "\(step.node)")
            for (have, should) in zip(got, want.contributions) {
                #expect(have.input === should.0, "\(step.node)")
                #expect(have.local == should.1, "\(step.node) → \(have.input)")
                #expect(have.contribution == should.2, "\(step.node) → \(have.input)")
            }
        }
        #expect(seen.count == 7)
        #expect(g.a.grad == 6 && g.b.grad == -4 && g.c.grad == -2 && g.f.grad == 4)
    }

    @Test("topologicalOrder() only reads the graph: every gradient stays as backward left it")
    func orderLeavesGradientsAlone() {
        let g = Graph()
        g.l.backward()
        let nodes = [g.a, g.b, g.c, g.d, g.e, g.f, g.l]
        let before = nodes.map(\.grad)
        #expect(before.allSatisfy { $0 != nil })
        _ = g.l.topologicalOrder()
        #expect(nodes.map(\.grad) == before)
    }

    @Test("creating a pass seeds the root with 1, clears interior nodes, keeps leaves")
    func creationState() {
        let g = Graph()
        g.l.backward()
        let leafBefore = g.a.grad
        var pass = BackwardPass(from: g.l)
        #expect(g.l.grad == 1)
        #expect(g.d.grad == nil && g.e.grad == nil, "interior nodes read as not reached")
        #expect(g.a.grad == leafBefore, "leaves keep what they accumulated")
        #expect(pass.stepsTaken == 0)
        #expect(pass.remaining.count == 7)
        #expect(pass.remaining.first === g.l, "the root goes first")
        #expect(pass.order.map(ObjectIdentifier.init) == g.l.topologicalOrder().map(ObjectIdentifier.init))

        let first = pass.next()
        #expect(first?.node === g.l)
        #expect(pass.stepsTaken == 1)
        #expect(pass.remaining.count == 6)
        #expect(g.d.grad == -2, "the root's step reached d")
        #expect(g.e.grad == nil, "e is not reached until d's step")
    }

    @Test("a finished pass returns nil and stays finished")
    func finished() {
        var pass = BackwardPass(from: Value(1) + Value(2))
        var count = 0
        while pass.next() != nil { count += 1 }
        #expect(count == 3)
        #expect(pass.next() == nil)
        #expect(pass.remaining.isEmpty)
    }
}

@Suite("Backward: a million nodes")
struct DeepGraphTests {
    @Test("a 1,000,000-node chain: backward and teardown without stack overflow")
    func millionNodeChain() {
        let nodeCount = 1_000_000
        let x = Value(1)
        weak var firstSum: Value?
        var root: Value? = x
        // 1 leaf + 999,999 additions, each using the previous sum: y_k = y_{k-1} + x.
        for k in 1..<nodeCount {
            root = root! + x
            if k == 1 { firstSum = root }
        }
        // y = n·x with n = nodeCount, so dy/dx = n, exactly.
        root!.backward()
        #expect(x.grad == Double(nodeCount))
        #expect(root!.data == Double(nodeCount))
        #expect(root!.topologicalOrder().count == nodeCount)
        #expect(firstSum != nil)

        // Dropping the root frees the whole chain: an iterative deinit, not a million
        // nested releases.
        root = nil
        #expect(firstSum == nil, "the chain was freed")
        #expect(x.grad == Double(nodeCount), "the leaf lives on")
    }
}
