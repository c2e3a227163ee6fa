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
        // y = w·2 + 1 where w is an unlabelled weight: the literals 2 and 1 are constants
        // (`Value.isConstant`), w is not.
        let w = Value(0.5 as Double)
        let y = w * 2 + 1
        y.backward()
        let drawing = GraphDrawing(tracing: y)
        let leaves = drawing.nodes.filter { $0.op == nil }
        #expect(leaves.count == 3)
        for text in ["2", "1"] {
            let node = try #require(leaves.first { $0.title == text })
            #expect(node.isMuted && node.rows.isEmpty)
        }
        let weight = try #require(leaves.first { $0.key == w.id })
        // ∂y/∂w = 2, shown; the weight is drawn as any value is.
        #expect(!weight.isMuted && weight.title == nil && weight.rows == [.init("data", "0.5"), .init("grad", "2")])
        // The DOT text: the constants in the grey of a node that needs no gradient, and no
        // gradient row; the weight coloured by its gradient (2 is in [1, 10): #5a8fcb).
        let dot = drawing.dot()
        let twoLine = try #require(dot.split(separator: "\n").first { $0.contains("<b>2</b>") })
        #expect(twoLine.contains("fillcolor=\"#f1f3f5\"") && !twoLine.contains("grad"))
        let position = try #require(drawing.nodes.firstIndex { $0.key == w.id })
        let weightLine = try #require(dot.split(separator: "\n").first { $0.hasPrefix("  v\(position) [") })
        #expect(weightLine.contains("fillcolor=\"#5a8fcb\""))
    }

    @Test func aDoubleBesideAnOperatorIsAConstantANamedLiteralIsNot() throws {
        let k = 3.0
        let named: Value = 4
        named.label = "v"
        let x = Value(2, label: "x")
        let y = (x * k + named) * -1   // -1 also a literal
        y.backward()
        let drawing = GraphDrawing(tracing: y)
        let muted = drawing.nodes.filter(\.isMuted).compactMap(\.title).sorted()
        #expect(muted == ["-1", "3"])
        // The caller's list still marks a leaf that `Value` does not know is a constant.
        let listed = GraphDrawing(tracing: y, constants: [x.id])
        #expect(listed.nodes.filter(\.isMuted).count == 3)
    }
}
