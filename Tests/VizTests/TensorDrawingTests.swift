// TensorDrawingTests.swift — a `Tensor` graph turned into drawing nodes, DOT text and SVG.
//
// The worked example, by hand: A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]],
//   C = A·B = [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]] = [[19, 22], [43, 50]],
//   loss = ΣC = 134.
// C: min 19, mean 134/4 = 33.5, max 50, ‖C‖₂ = √(361 + 484 + 1849 + 2500) = √5194 ≈ 72.07.
// A: min 1, mean 2.5, max 4, ‖A‖₂ = √30 ≈ 5.477.
// ∂loss/∂C = 1 everywhere; ∂loss/∂A = 1·Bᵀ = [[5+6, 7+8], [5+6, 7+8]] = [[11, 15], [11, 15]]
//   (min 11, mean 13, max 15, norm √(2·121 + 2·225) = √692 ≈ 26.31, max |·| 15);
// ∂loss/∂B = Aᵀ·1 = [[1+3, 1+3], [2+4, 2+4]] = [[4, 4], [6, 6]]
//   (min 4, mean 5, max 6, norm √104 ≈ 10.2, max |·| 6).

import Foundation
import Render
import Tensors
import Testing
import Viz

@Suite struct TensorDrawingTests {
    /// The worked example in `Scalar`, after backward.
    static func matmulExample<Scalar: TensorScalar>(_: Scalar.Type) throws -> (a: Tensor<Scalar>, b: Tensor<Scalar>, loss: Tensor<Scalar>) {
        let a = try Tensor<Scalar>(rows: [[1, 2], [3, 4]], requiresGrad: true)
        let b = try Tensor<Scalar>(rows: [[5, 6], [7, 8]], requiresGrad: true)
        a.label = "A"
        b.label = "B"
        let loss = a.matmul(b).sum()
        loss.backward()
        return (a, b, loss)
    }

    static let expectedRows: [[GraphDrawing.Row]] = [
        [.init("shape", "2×2"), .init("data", "[[1, 2], [3, 4]]"), .init("data min / mean / max", "1 / 2.5 / 4"),
         .init("‖data‖₂", "5.477"), .init("grad", "[[11, 15], [11, 15]]"),
         .init("grad min / mean / max", "11 / 13 / 15"), .init("‖grad‖₂", "26.31")],
        [.init("shape", "2×2"), .init("data", "[[5, 6], [7, 8]]"), .init("data min / mean / max", "5 / 6.5 / 8"),
         .init("‖data‖₂", "13.19"), .init("grad", "[[4, 4], [6, 6]]"),
         .init("grad min / mean / max", "4 / 5 / 6"), .init("‖grad‖₂", "10.2")],
        [.init("shape", "2×2"), .init("data", "[[19, 22], [43, 50]]"), .init("data min / mean / max", "19 / 33.5 / 50"),
         .init("‖data‖₂", "72.07"), .init("grad", "[[1, 1], [1, 1]]"),
         .init("grad min / mean / max", "1 / 1 / 1"), .init("‖grad‖₂", "2")],
        [.init("shape", "scalar"), .init("data", "134"), .init("grad", "1")],
    ]
    // B: mean 26/4 = 6.5, ‖B‖₂ = √(25 + 36 + 49 + 64) = √174 ≈ 13.19; ‖∂loss/∂C‖₂ = √4 = 2.

    @Test func matmulNodesShowShapeValuesSummaryAndGradient() throws {
        let (a, b, loss) = try Self.matmulExample(Double.self)
        let drawing = GraphDrawing(tracing: loss, detail: .full)
        #expect(drawing.nodes.count == 4)
        #expect(drawing.nodes.map(\.title) == ["A", "B", nil, nil])
        #expect(drawing.nodes[0].key == a.id && drawing.nodes[1].key == b.id && drawing.nodes[3].key == loss.id)
        #expect(drawing.nodes[2].op == "@")
        #expect(drawing.nodes[3].op?.hasPrefix("Σ") == true)
        #expect(drawing.nodes[2].inputs.map(\.position) == [0, 1])
        #expect(drawing.nodes[3].inputs.map(\.position) == [2])
        #expect(drawing.nodes.map(\.rows) == Self.expectedRows)
        // Coloured by max |grad|: 15, 6, 1 and 1.
        #expect(drawing.nodes.map(\.gradientMagnitude) == [15, 6, 1, 1])
        #expect(drawing.nodes.allSatisfy { !$0.isNonFinite })
    }

    @Test func floatTensorsDrawLikeDoubleTensors() throws {
        let drawing = GraphDrawing(tracing: try Self.matmulExample(Float.self).loss, detail: .full)
        #expect(drawing.nodes.map(\.rows) == Self.expectedRows)
        #expect(drawing.nodes.map(\.gradientMagnitude) == [15, 6, 1, 1])
    }

    @Test func dotColoursEachNodeByItsLargestGradient() throws {
        let dot = GraphDrawing(tracing: try Self.matmulExample(Double.self).loss, detail: .full).dot()
        // max |∂loss/∂A| = 15 is in the 10 – 100 bin, 6 and 1 in the 1 – 10 bin.
        #expect(attribute("fillcolor", in: try #require(statement(of: "v0", in: dot))) == GradientScale.fillColors[5])
        #expect(attribute("fillcolor", in: try #require(statement(of: "v1", in: dot))) == GradientScale.fillColors[4])
        #expect(attribute("fillcolor", in: try #require(statement(of: "v2", in: dot))) == GradientScale.fillColors[4])
        #expect(edges(in: dot).contains("v0 -> op2;"))
        #expect(edges(in: dot).contains("v1 -> op2;"))
        #expect(dot.contains("72.07"))
    }

    @Test func unreachedGradientsShowADash() throws {
        let x = try Tensor<Double>(rows: [[1, -2], [3, -4]], requiresGrad: true)
        let constant = Tensor<Double>([10, 20])  // no requiresGrad: backward never reaches it
        let y = (x + constant).relu().sum()
        let before = GraphDrawing(tracing: y, detail: .full)
        #expect(before.nodes.allSatisfy { $0.gradientMagnitude == nil })
        #expect(before.nodes.allSatisfy { $0.rows.contains(.init("grad", GraphDrawing.notReached)) })

        y.backward()
        let after = GraphDrawing(tracing: y, detail: .full)
        let constantNode = try #require(after.nodes.first { $0.key == constant.id })
        #expect(constantNode.gradientMagnitude == nil)
        #expect(constantNode.rows.last == .init("grad", GraphDrawing.notReached))
        // x + [10, 20] = [[11, 18], [13, 16]], all positive, so ∂y/∂x = 1 everywhere.
        let xNode = try #require(after.nodes.first { $0.key == x.id })
        #expect(xNode.rows.contains(.init("grad", "[[1, 1], [1, 1]]")))
        #expect(xNode.gradientMagnitude == 1)
    }

    @Test func nanAndInfinityAreMarkedAndCounted() throws {
        let x = Tensor<Double>([-1, 0, 1], requiresGrad: true)
        let y = x.log()  // log(-1) = NaN, log(0) = -∞, log(1) = 0
        let drawing = GraphDrawing(tracing: y, detail: .full)
        let node = drawing.nodes[1]
        #expect(node.isNonFinite)
        #expect(node.rows.contains(.init("data", "[NaN, -∞, 0]")))
        // NaN is left out of min and max; the NaN makes the mean and the norm NaN.
        #expect(node.rows.contains(.init("data min / mean / max", "-∞ / NaN / 0")))
        #expect(node.rows.contains(.init("data NaN / ±∞", "1 / 1")))
        #expect(!drawing.nodes[0].isNonFinite)
        let dot = drawing.dot()
        #expect(attribute("fillcolor", in: try #require(statement(of: "v1", in: dot))) == GradientScale.nonFiniteFill)
    }

    @Test func largeTensorsShowOnlyTheSummary() throws {
        // 0, 1, …, 19: mean 9.5, Σk² = 19·20·39/6 = 2470, ‖x‖₂ = √2470 ≈ 49.7.
        let x = try Tensor<Float>(shape: [5, 4], elements: (0..<20).map(Float.init))
        let drawing = GraphDrawing(tracing: x, detail: .full)
        #expect(drawing.nodes[0].rows == [
            .init("shape", "5×4"), .init("data min / mean / max", "0 / 9.5 / 19"), .init("‖data‖₂", "49.7"),
            .init("grad", GraphDrawing.notReached),
        ])
        // Sixteen elements are still written out.
        let sixteen = try Tensor<Float>(shape: [2, 8], elements: (0..<16).map(Float.init))
        #expect(GraphDrawing(tracing: sixteen, detail: .full).nodes[0].rows[1].name == "data")
    }

    @Test func summaryOfPlainNumbers() {
        let summary = TensorSummary([3, -4, 0, 1])
        #expect(summary.min == -4 && summary.max == 3 && summary.mean == 0)
        #expect(Swift.abs(summary.norm - 26.0.squareRoot()) < 1e-12)
        #expect(summary.maxMagnitude == 4)
        #expect(TensorSummary([]).count == 0 && TensorSummary([]).norm == 0)
        #expect(GraphDrawing.formatElements([1, 2, 3, 4, 5, 6], shape: [2, 1, 3]) == "[[[1, 2, 3]], [[4, 5, 6]]]")
        #expect(GraphDrawing.formatShape([]) == "scalar" && GraphDrawing.formatShape([7]) == "7")
    }

    @Test func bigGraphsAreSummarizedNotCut() {
        var x = Tensor<Double>([1, 2], requiresGrad: true)
        for _ in 0..<40 { x = x.tanh() }
        let drawing = GraphDrawing(tracing: x, nodeLimit: 10)
        #expect(drawing.nodes.count <= 10 && drawing.isSummary)
        // Every one of the 41 tensors is in exactly one box.
        #expect(drawing.totalCount == 41)
        #expect(drawing.nodes.reduce(0) { $0 + $1.represents } == 41)
        let dot = drawing.dot()
        #expect(dot.contains("tanh") && !dot.contains("not drawn"))
    }

    @Test func rendersToSVG() throws {
        let dot = GraphDrawing(tracing: try Self.matmulExample(Float.self).loss, detail: .full).dot(options: DrawingOptions(title: "sum(A @ B)"))
        let svg = String(decoding: try Graphviz.render(dot: dot, as: .svg), as: UTF8.self)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("72.07"))
        #expect(svg.contains("26.31"))
    }
}
