// FastPathTests.swift — the fast path (Value+FastPath.swift) does exactly what the readable
// code does: on random graphs it visits the nodes in the same order, gives the same
// gradients bit for bit, and frees the same nodes; and its teardown frees newest first.
//
// Read next: GradientCheckTests.swift.

@testable import Engine
import Testing

/// Serialized: the teardown tests switch `Value.usesFastPath`, which is process-wide. (Other
/// suites running meanwhile are unaffected in what they see: both paths give the same results.)
@Suite("Fast path", .serialized)
struct FastPathTests {
    @Test("the same topological order as topologicalOrder(), on 300 random graphs")
    func sameOrder() {
        for seed in UInt64(0)..<300 {
            let expression = RandomExpression(seed: seed)
            let root = expression.lumen(expression.point.map { Value($0) })
            let readable = root.topologicalOrder().map(\.id)
            let fast = root.unretainedTopologicalOrder()
            #expect(fast.map { $0.takeUnretainedValue().id } == readable, "seed \(seed): \(expression)")
            WalkBuffers.giveBack(order: fast)
        }
    }

    @Test("the same gradient at every node, bit for bit, as BackwardPass run to the end")
    func sameGradients() {
        for seed in UInt64(0)..<300 {
            let expression = RandomExpression(seed: seed)
            // The same graph twice: one for each path.
            let readable = expression.lumenGraph(expression.point.map { Value($0) })
            let fast = expression.lumenGraph(expression.point.map { Value($0) })
            var pass = BackwardPass(from: readable.root)
            while pass.next() != nil {}
            fast.root.fastBackward()
            let a = readable.root.topologicalOrder(), b = fast.root.topologicalOrder()
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                // Equal, or both NaN; the bit patterns too (so -0 and +0 differ).
                #expect(x.grad?.bitPattern == y.grad?.bitPattern, "seed \(seed), node \(x.id): \(String(describing: x.grad)) vs \(String(describing: y.grad))")
            }
        }
    }

    @Test("both reset interior gradients and accumulate into leaves on a second pass")
    func secondPass() {
        for fastPath in [false, true] {
            let x = Value(3)
            let y = x * x + x          // dy/dx = 2x + 1 = 7
            Value.usesFastPath = fastPath
            y.backward()
            y.backward()
            Value.usesFastPath = true
            #expect(x.grad == 14, "fast path \(fastPath): the leaf accumulates over two passes")
            #expect(y.grad == 1, "fast path \(fastPath): the root is reset, then seeded with 1")
        }
    }

    @Test("both teardowns free every node only the graph held and nothing else, on random graphs")
    func sameNodesFreed() {
        for fastPath in [false, true] {
            for seed in UInt64(0)..<100 {
                let expression = RandomExpression(seed: seed)
                var kept: [Value] = []
                var all: [Weak] = []
                Value.usesFastPath = fastPath   // before the graph exists: it may go at its last use
                do {
                    let graph = expression.lumenGraph(expression.point.map { Value($0) })
                    all = graph.root.topologicalOrder().map(Weak.init)
                    // Hold every third node from outside the graph.
                    kept = graph.root.topologicalOrder().enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
                }
                Value.usesFastPath = true
                let keptIDs = Set(kept.map(\.id))
                let alive = Set(all.compactMap { $0.value?.id })
                // What survives: the held nodes and whatever they hold, and nothing else.
                var reachable: Set<Int> = []
                for node in kept { reachable.formUnion(node.topologicalOrder().map(\.id)) }
                #expect(alive == reachable, "fast path \(fastPath), seed \(seed)")
                #expect(keptIDs.isSubset(of: alive))
            }
        }
    }

    @Test("the readable teardown frees a 300,000-node chain without overflowing the stack")
    func readableTeardownLongChain() {
        weak var first: Value?
        Value.usesFastPath = false
        do {
            var node = Value(1)
            first = node
            for _ in 0..<300_000 { node = node + 1 }
        }
        Value.usesFastPath = true
        #expect(first == nil)
    }

    @Test("a freed node's label leaves the label table, whichever teardown frees it", arguments: [true, false])
    func labelsAreForgotten(fastPath: Bool) {
        Value.usesFastPath = fastPath
        defer { Value.usesFastPath = true }
        var ids: [Int] = []
        do {
            let x = Value(2, label: "x"), w = Value(-3, label: "w")
            let product = x * w
            product.label = "xw"
            let out = (product + Value(1, label: "one")).tanh()
            out.label = "out"
            ids = [x.id, w.id, product.id, out.id]
            #expect(ids.allSatisfy { Value.labelTableHasEntry(forID: $0) })
        }
        #expect(ids.count == 4)
        #expect(!ids.contains { Value.labelTableHasEntry(forID: $0) })
    }

    @Test("NewestFirst hands nodes back by decreasing id, whatever order they went in")
    func newestFirstOrder() {
        let values = (0..<200).map { Value(Double($0)) }
        var pending = NewestFirst()
        // 7919 is prime, so i·7919 mod 200 visits every index once, in a scrambled order.
        for i in 0..<values.count {
            pending.insert(values[i * 7919 % values.count])
        }
        var ids: [Int] = []
        while let next = pending.popNewest() {
            ids.append(next.id)
        }
        #expect(ids == values.map(\.id).sorted(by: >))
    }

    @Test("NewestFirst, inserts and pops interleaved: each pop is the newest node waiting")
    func newestFirstInterleaved() {
        let values = (0..<500).map { Value(Double($0)) }
        var rng = SplitMix64(seed: 7)
        var notInserted = Array(values.indices)
        var waiting: [Int] = []   // the oracle: ids inserted and not yet popped
        var pending = NewestFirst()
        while !notInserted.isEmpty || !waiting.isEmpty {
            if !notInserted.isEmpty, waiting.isEmpty || rng.next() % 3 != 0 {
                let pick = rng.next() % 4 == 0 ? Int(rng.next() % UInt64(notInserted.count)) : 0
                let value = values[notInserted.remove(at: pick)]
                pending.insert(value)
                waiting.append(value.id)
            } else {
                let newest = waiting.max()!
                waiting.removeAll { $0 == newest }
                #expect(pending.popNewest()?.id == newest)
            }
        }
        #expect(pending.popNewest() == nil)
    }
}

/// A weak reference, to see whether a node was freed.
private final class Weak {
    weak var value: Value?
    init(_ value: Value) { self.value = value }
}
