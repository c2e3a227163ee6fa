// TeardownTests.swift — freeing a dead graph (`Value.deinit`): everything only the graph held
// is freed, and what someone else holds survives.
//
// Read next: GradientCheckTests.swift.

@testable import Engine
import Testing

@Suite("Teardown")
struct TeardownTests {
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
