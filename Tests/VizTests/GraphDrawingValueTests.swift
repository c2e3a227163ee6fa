// GraphDrawingValueTests.swift — a `Value` graph turned into drawing nodes.

import Engine
import Testing
import Viz

@Suite struct GraphDrawingValueTests {
    @Test func nodesFollowTopologicalOrderWithInputsAndOps() throws {
        let a = Value(2, label: "a"), b = Value(-1, label: "b")
        let c = a * b
        let d = c + a  // a is used twice
        d.backward()
        let drawing = GraphDrawing(tracing: d, edgeLabels: true)
        #expect(drawing.nodes.map(\.key) == [a.id, b.id, c.id, d.id])
        #expect(drawing.nodes.map(\.title) == ["a", "b", nil, nil])
        #expect(drawing.nodes.map(\.op) == [nil, nil, "×", "+"])
        #expect(drawing.nodes[2].inputs.map(\.position) == [0, 1])
        #expect(drawing.nodes[3].inputs.map(\.position) == [2, 0])
        // ∂d/∂a = b + 1 = 0, ∂d/∂b = a = 2, ∂d/∂c = 1.
        #expect(drawing.nodes.map(\.gradientMagnitude) == [0, 2, 1, 1])
        #expect(drawing.nodes[0].rows == [.init("data", "2"), .init("grad", "0")])
        #expect(drawing.nodes[2].inputs.map(\.label) == ["1 × -1 = -1", "1 × 2 = 2"])
        #expect(drawing.nodes[3].inputs.map(\.label) == ["1 × 1 = 1", "1 × 1 = 1"])
        #expect(drawing.nodes.allSatisfy { !$0.isNonFinite && $0.cluster == nil })
        #expect(GraphDrawing(tracing: d).nodes[2].inputs.allSatisfy { $0.label == nil })
    }

    @Test func beforeBackwardNothingIsReached() {
        let y = Value(3).sigmoid()
        let drawing = GraphDrawing(tracing: y, edgeLabels: true)
        #expect(drawing.nodes.allSatisfy { $0.gradientMagnitude == nil })
        #expect(drawing.nodes[1].rows[1] == .init("grad", "—"))
        // Nothing has been sent along the edge yet, so it carries no label.
        #expect(drawing.nodes[1].inputs[0].label == nil)
    }

    @Test func constantsAreGreyAndTitledByTheirNumberWeightsAreNot() throws {
        // y = w·2 + 1 where w is an unlabelled weight: 2 and 1 are constants, w is not.
        let w = Value(0.5), two = Value(2), one = Value(1)
        let y = w * two + one
        y.backward()
        let drawing = GraphDrawing(tracing: y, constants: [two.id, one.id])
        let byKey = Dictionary(uniqueKeysWithValues: drawing.nodes.map { ($0.key, $0) })
        for (constant, text) in [(two, "2"), (one, "1")] {
            let node = try #require(byKey[constant.id])
            #expect(node.isMuted && node.title == text && node.rows.isEmpty)
        }
        let weight = try #require(byKey[w.id])
        // ∂y/∂w = 2, shown; the weight is drawn as any value is.
        #expect(!weight.isMuted && weight.title == nil && weight.rows == [.init("data", "0.5"), .init("grad", "2")])
        // Without the list, nothing is a constant.
        #expect(GraphDrawing(tracing: y).nodes.allSatisfy { !$0.isMuted })
    }
}
