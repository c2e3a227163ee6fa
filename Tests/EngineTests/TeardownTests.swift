// TeardownTests.swift — freeing a dead graph (Value+Teardown.swift): everything only the graph
// held is freed, what someone else holds survives, and the waiting nodes come out newest first.
//
// Read next: GradientCheckTests.swift.

@testable import Engine
import Testing

@Suite("Teardown")
struct TeardownTests {
    @Test("NewestFirst hands nodes back by decreasing id, whatever order they went in")
    func newestFirstOrder() {
        let values = (0..<200).map { Value(Double($0)) }
        var pending = NewestFirst()
        // 7919 is prime, so i·7919 mod 200 visits every index once, in a scrambled order.
        for i in 0..<values.count {
            pending.insert(.passRetained(values[i * 7919 % values.count]))
        }
        var ids: [Int] = []
        while let next = pending.popNewest() {
            ids.append(next.takeRetainedValue().id)
        }
        #expect(ids == values.map(\.id).sorted(by: >))
    }

    @Test("NewestFirst, inserts and pops interleaved: each pop is the newest node waiting")
    func newestFirstInterleaved() {
        // Values created in id order; which one goes in next is drawn at random, so entries
        // arrive both in order (onto the ascending stack) and out of order (into the heap).
        let values = (0..<500).map { Value(Double($0)) }
        var rng = SplitMix64(seed: 7)
        var notInserted = Array(values.indices)
        var waiting: [Int] = []   // the oracle: ids of the values inserted and not yet popped
        var pending = NewestFirst()
        while !notInserted.isEmpty || !waiting.isEmpty {
            // Mostly the next value in creation order, sometimes an older or later one.
            if !notInserted.isEmpty, waiting.isEmpty || rng.next() % 3 != 0 {
                let pick = rng.next() % 4 == 0 ? Int(rng.next() % UInt64(notInserted.count)) : 0
                let value = values[notInserted.remove(at: pick)]
                pending.insert(.passRetained(value))
                waiting.append(value.id)
            } else {
                let newest = waiting.max()!
                waiting.removeAll { $0 == newest }
                #expect(pending.popNewest()?.takeRetainedValue().id == newest)
            }
        }
        #expect(pending.popNewest() == nil)
    }

    @Test("dropping the root frees every node only the graph held, and nothing else")
    func freesTheDeadGraphOnly() {
        var parameter = Value(3)
        weak var product: Value?
        weak var shared: Value?
        weak var leaf: Value?
        do {
            let x = Value(2)
            let square = x * x           // x used twice
            let scaled = square * parameter
            var sum = scaled
            for _ in 0..<10 { sum = sum + square }   // square shared by eleven nodes
            product = scaled
            shared = square
            leaf = x
            #expect(sum.data == 4 * 3 + 10 * 4)
        }
        #expect(product == nil && shared == nil && leaf == nil, "the graph's own nodes are freed")
        // Survives, and the graph gave back exactly the references it took: ours is the only one left.
        #expect(isKnownUniquelyReferenced(&parameter), "a value held outside the graph survives it, released exactly")
    }
}
