// DOTSnapshotTests.swift — whole DOT files for small graphs, compared with files in Snapshots/.
//
// The expected files were checked by hand, number by number, against the values derived
// below (not recorded blindly from the writer's output). When the writer's format changes on
// purpose, a failing test writes the new text to a temporary file and names it: read the
// diff, check the numbers again, and only then copy it over the snapshot.
//
// Hand derivations (four significant digits, as `GraphDrawing.format` prints them):
//
// The neuron o = tanh(n), n = x·w + b, with x = 2, w = -3, b = 6.8813735870195432:
//   topological order: x (v0), w (v1), x·w (v2), b (v3), n (v4), o (v5)
//   data: x·w = -6, n = 0.8813735870195432 → 0.8814, o = tanh(n) = √2/2 = 0.70710678 → 0.7071,
//         b → 6.881
//   grad: o = 1; n = 1 − o² = 1/2 = 0.5; b = x·w = 0.5 · 1 = 0.5; x = 0.5 · w = -1.5;
//         w = 0.5 · x = 1
//   edges: n → tanh: 1 × 0.5 = 0.5; x·w → + and b → +: 0.5 × 1 = 0.5;
//          x → ×: 0.5 × -3 = -1.5 (local ∂(x·w)/∂x = w); w → ×: 0.5 × 2 = 1 (local = x)
//   colours (GradientScale): |grad| 1 and 1.5 are in [1, 10) → bin 4 #5a8fcb;
//          0.5 is in [0.1, 1) → bin 3 #87b0dd
//   Before backward every grad is "—" and every node is dashed grey, with no legend.
//   After two backward steps: o and n have sent their gradient on; b and x·w have
//   received 0.5; x and w are not reached yet ("—"). Only the edges o and n have sent along
//   carry labels: x·w has not sent yet, so x → × and w → × have none.
//   Every label is `decorate`d (a line from the label to its own edge).
//
// y = x·x / 4 with x = 2, built as (x·x) · 4⁻¹:
//   order: x (v0), x·x (v1), 4 (v2), 4⁻¹ (v3), y (v4)
//   data: x·x = 4, 4⁻¹ = 0.25, y = 1
//   grad: y = 1; x·x = 1 · 0.25 = 0.25; 4⁻¹ = 1 · 4 = 4; 4 = 4 · (−1 · 4⁻²) = −0.25;
//         x = 0.25 · 2 + 0.25 · 2 = 1 (two edges, one per use of x)
//   edges: x·x → ×: 1 × 0.25 = 0.25; 4⁻¹ → ×: 1 × 4 = 4; 4 → ^-1: 4 × -0.0625 = -0.25;
//          x → × (twice): 0.25 × 2 = 0.5
//   colours: 1 and 4 → bin 4 #5a8fcb; 0.25 → bin 3 #87b0dd
//   The 4 is a literal, so a constant (`Value.isConstant`): drawn grey (#f1f3f5), titled 4,
//   with no rows; its gradient −0.25 still shows on the edge it is sent along.

import Engine
import Tensors
import Foundation
import Testing
import Viz

@Suite struct DOTSnapshotTests {
    @Test func neuronBeforeBackward() throws {
        let (_, o) = neuron()
        try expectSnapshot(GraphDrawing(tracing: o).dot(options: DrawingOptions(title: "tanh(x·w + b)")),
                           named: "neuron-forward")
    }

    @Test func neuronAfterBackwardWithEdgeLabels() throws {
        let (_, o) = neuron()
        o.backward()
        let options = DrawingOptions(title: "tanh(x·w + b)", caption: "after backward")
        try expectSnapshot(GraphDrawing(tracing: o, edgeLabels: true).dot(options: options), named: "neuron-backward")
    }

    @Test func squareOverFourSendsTwoContributionsToX() throws {
        let x = Value(2, label: "x")
        let y = x * x / 4
        y.label = "y"
        y.backward()
        try expectSnapshot(GraphDrawing(tracing: y, edgeLabels: true).dot(), named: "square-over-four")
    }

    @Test func neuronAfterTwoBackwardSteps() throws {
        let (n, o) = neuron()
        var pass = BackwardPass(from: o)
        let steps = [pass.next(), pass.next()]
        let first = try #require(steps[0])
        let second = try #require(steps[1])
        #expect(first.node === o && second.node === n)
        let options = DrawingOptions(
            title: "backward, step 2 of 6", caption: "n sends 0.5 × 1 to each of its inputs",
            highlighted: second.node.id, done: [first.node.id])
        try expectSnapshot(GraphDrawing(tracing: o, edgeLabels: true).dot(options: options), named: "neuron-step2")
    }

    // Tensor nodes at each detail level, for Σ(A @ B) after backward (TensorDetailTests has
    // the hand-derived numbers: ∂loss/∂A = [[11, 15], [11, 15]], ∂loss/∂B = [[4, 4], [6, 6]]).
    // Heat-map colours for A's data (scale 4): 1 → a quarter of the way to dark red,
    // 2 → #f4a582 (half), 4 → #b2182b (all), 3 → halfway between those two.
    @Test(arguments: TensorDetail.allCases)
    func tensorDetailLevels(_ detail: TensorDetail) throws {
        let a = try Tensor<Double>(rows: [[1, 2], [3, 4]], requiresGrad: true)
        let b = try Tensor<Double>(rows: [[5, 6], [7, 8]], requiresGrad: true)
        a.label = "A"
        b.label = "B"
        let loss = a.matmul(b).sum()
        loss.backward()
        try expectSnapshot(GraphDrawing(tracing: loss, detail: detail).dot(options: DrawingOptions(title: "Σ(A @ B)")),
                           named: "tensor-\(detail.rawValue)")
    }

    // Module boxes: w·x + b in a box "0: Affine", then relu in "1: ReLU", folded, with the
    // rows a model graph gives them.
    @Test func moduleBoxes() throws {
        let w = try Tensor<Double>(rows: [[1, -1]], requiresGrad: true)
        let b = Tensor<Double>([0.5], requiresGrad: true)
        let x = try Tensor<Double>(rows: [[2], [1]])
        let h = w.matmul(x) + b
        let y = h.relu().sum()
        y.backward()
        var clusters: [Int: String] = [:]
        for t in h.topologicalOrder() where t !== x { clusters[t.id] = "0: Affine" }
        clusters[y.inputs[0].id] = "1: ReLU"
        let drawing = GraphDrawing(tracing: y, clusters: clusters)
            .foldingClusters(rows: ["0: Affine": [.init("weight", "1×2"), .init("bias", "1")]])
        try expectSnapshot(drawing.dot(options: DrawingOptions(direction: .topToBottom)), named: "module-boxes")
    }

    /// The neuron of the derivation above: returns n and o.
    private func neuron() -> (n: Value, o: Value) {
        let x = Value(2, label: "x"), w = Value(-3, label: "w"), b = Value(6.8813735870195432, label: "b")
        let n = x * w + b
        n.label = "n"
        let o = tanh(n)
        o.label = "o"
        return (n, o)
    }

    private func expectSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots/\(name).dot")
        let expected = try String(contentsOf: url, encoding: .utf8)
        guard actual != expected else { return }
        let written = FileManager.default.temporaryDirectory
            .appendingPathComponent("lumen-snapshot-\(name)-\(UUID().uuidString).dot")
        try actual.write(to: written, atomically: true, encoding: .utf8)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        Issue.record(
            """
            DOT for '\(name)' differs from Snapshots/\(name).dot at line \(line + 1):
              expected: \(line < expectedLines.count ? expectedLines[line] : "(end of file)")
              actual:   \(line < actualLines.count ? actualLines[line] : "(end of file)")
            The whole output is in \(written.path).
            """, sourceLocation: sourceLocation)
    }
}
