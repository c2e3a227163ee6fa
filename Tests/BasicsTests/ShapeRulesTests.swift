// ShapeRulesTests.swift — the shared shape rules (ShapeRules.swift): NumPy's broadcasting and
// matmul shapes, checked against cases worked by hand from NumPy's documented rules, and
// against a second, independent statement of the broadcasting rule on every small pair.
//
// Read next: ../EngineTests/ValueTests.swift.

import Basics
import Testing

@Suite("Shape rules")
struct ShapeRulesTests {
    @Test("broadcasting: NumPy's documented examples")
    func broadcastingExamples() {
        #expect(broadcastShapes([2, 1, 4], [3, 1]) == [2, 3, 4])
        #expect(broadcastShapes([8, 1, 6, 1], [7, 1, 5]) == [8, 7, 6, 5])
        #expect(broadcastShapes([5, 4], [1]) == [5, 4])
        #expect(broadcastShapes([], [3]) == [3])
        #expect(broadcastShapes([0], [1]) == [0])
        #expect(broadcastShapes([2, 3], [4]) == nil)
        #expect(broadcastShapes([2, 1], [8, 4, 3]) == nil)
    }

    @Test("broadcasting agrees with the rule stated per axis, on every pair of small shapes")
    func broadcastingExhaustive() {
        // All shapes of rank 0–3 with extents from {1, 2, 3}.
        var shapes: [[Int]] = [[]], ofRank: [[Int]] = [[]]
        for _ in 1...3 {
            ofRank = ofRank.flatMap { shape in [1, 2, 3].map { shape + [$0] } }
            shapes += ofRank
        }
        #expect(shapes.count == 1 + 3 + 9 + 27)
        for a in shapes {
            for b in shapes {
                // The oracle: pad both with leading 1s to the same rank, then per axis.
                let rank = max(a.count, b.count)
                let pa = Array(repeating: 1, count: rank - a.count) + a
                let pb = Array(repeating: 1, count: rank - b.count) + b
                let fits = zip(pa, pb).allSatisfy { $0 == $1 || $0 == 1 || $1 == 1 }
                let expected = fits ? zip(pa, pb).map { max($0, $1) } : nil
                #expect(broadcastShapes(a, b) == expected, "\(a) and \(b)")
                #expect(broadcastShapes(b, a) == expected, "symmetric: \(b) and \(a)")
            }
        }
    }

    @Test("matmul shapes follow NumPy: vectors lose an axis, batch axes broadcast")
    func matmulShapes() {
        #expect(matmulShape([2, 3], [3, 4]) == [2, 4])
        #expect(matmulShape([3], [3]) == [])
        #expect(matmulShape([3], [2, 3, 4]) == [2, 4])
        #expect(matmulShape([2, 5, 3], [3]) == [2, 5])
        #expect(matmulShape([1, 2, 3], [4, 3, 2]) == [4, 2, 2])
        #expect(matmulShape([5, 2, 3], [3, 4]) == [5, 2, 4])
        #expect(matmulShape([2, 3], [2, 3]) == nil, "inner extents differ")
        #expect(matmulShape([2, 2, 3], [3, 3, 4]) == nil, "batch axes 2 and 3 do not broadcast")
        #expect(matmulShape([], [3]) == nil, "a scalar has no matrix axes")
    }

    @Test("a shape as text, in both styles")
    func describing() {
        #expect(describe([2, 3]) == "[2, 3]")
        #expect(describe([]) == "[]")
        #expect(describe([2, 3], as: .product) == "2×3")
        #expect(describe([7], as: .product) == "7")
        #expect(describe([], as: .product) == "scalar")
    }
}
