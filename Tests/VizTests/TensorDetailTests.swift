// TensorDetailTests.swift — the four ways a tensor node can look (compact heat maps, values,
// stats, full), the heat maps themselves, and the size of a real tensor graph's picture.
//
// Heat maps, by hand: a 16 × 16 matrix x[r][c] = 16r + c shrinks to 8 × 8 cells of 2 × 2
// blocks; cell (i, j) is the mean of x[2i][2j], x[2i][2j+1], x[2i+1][2j], x[2i+1][2j+1]
//   = 16·2i + 2j + (0 + 1 + 16 + 17)/4 = 32i + 2j + 8.5.
// Colours: 0 is white; +scale is the darkest red #b2182b and -scale the darkest blue #2166ac;
// half the scale is the middle stop, #f4a582 (red side) or #92c5de (blue side).

import Engine
import Foundation
import Render
import Tensors
import Testing
import Viz
import _TestSupport

@Suite struct TensorDetailTests {
    @Test func heatMapsAreBlockMeansOfTheMatrix() {
        let elements = (0..<256).map(Double.init)
        let map = HeatMap(name: "data", elements: elements, shape: [16, 16])
        #expect(map.rows == 8 && map.columns == 8 && map.low == 0 && map.high == 255)
        for i in 0..<8 {
            for j in 0..<8 { #expect(map.cells[i * 8 + j] == Double(32 * i + 2 * j) + 8.5) }
        }
        // Small tensors keep one cell per element; leading axes become rows.
        let vector = HeatMap(name: "v", elements: [1, -2, 3], shape: [3])
        #expect(vector.rows == 1 && vector.columns == 3 && vector.cells == [1, -2, 3])
        let cube = HeatMap(name: "c", elements: (0..<24).map(Double.init), shape: [2, 3, 4])
        #expect(cube.rows == 6 && cube.columns == 4 && cube.cells == (0..<24).map(Double.init))
        // 10 columns into 8: bands of ⌊10j/8⌋ ..< ⌊10(j+1)/8⌋ = 0..<1, 1..<2, 2..<3, 3..<5, ...
        let wide = HeatMap(name: "w", elements: (0..<10).map(Double.init), shape: [10])
        #expect(wide.columns == 8 && wide.cells[3] == 3.5 && wide.cells[7] == 8.5)
        #expect(HeatMap(name: "e", elements: [], shape: [0, 3]).cells.isEmpty)
    }

    @Test func colorsDivergeFromWhiteAtZero() {
        #expect(HeatMap.color(0, scale: 2) == "#ffffff")
        #expect(HeatMap.color(2, scale: 2) == "#b2182b")
        #expect(HeatMap.color(-2, scale: 2) == "#2166ac")
        #expect(HeatMap.color(1, scale: 2) == "#f4a582")
        #expect(HeatMap.color(-1, scale: 2) == "#92c5de")
        #expect(HeatMap.color(5, scale: 2) == "#b2182b")  // clipped to the scale
        #expect(HeatMap.color(.nan, scale: 2) == HeatMap.nonFiniteCell)
        #expect(HeatMap.color(3, scale: 0) == "#ffffff")  // an all-zero map
    }

    /// A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]], loss = Σ(A @ B), after backward
    /// (the worked example of TensorDrawingTests: ∂loss/∂A = [[11, 15], [11, 15]]).
    static func matmul() throws -> Tensor<Double> {
        let a = try Tensor<Double>(rows: [[1, 2], [3, 4]], requiresGrad: true)
        let b = try Tensor<Double>(rows: [[5, 6], [7, 8]], requiresGrad: true)
        a.label = "A"
        b.label = "B"
        let loss = a.matmul(b).sum()
        loss.backward()
        return loss
    }

    @Test func eachDetailLevelShowsWhatItSays() throws {
        let loss = try Self.matmul()
        let compact = GraphDrawing(tracing: loss)
        // One box per tensor, the op inside it, the shape after the title.
        #expect(compact.nodes.allSatisfy { $0.opInside })
        #expect(compact.nodes.map(\.subtitle) == ["2×2", "2×2", "2×2", "scalar"])
        #expect(compact.nodes[0].heatMaps.map(\.name) == ["data", "grad"])
        #expect(compact.nodes[0].heatMaps[1].cells == [11, 15, 11, 15])
        // A one-element tensor shows its numbers instead.
        #expect(compact.nodes[3].heatMaps.isEmpty && compact.nodes[3].rows == [.init("data", "134"), .init("grad", "1")])
        let compactDOT = compact.dot()
        #expect(!compactDOT.contains("op2 [") && compactDOT.contains("<b>@</b>") && compactDOT.contains("heatlegend"))
        #expect(compactDOT.contains("11 … 15"))

        let values = GraphDrawing(tracing: loss, detail: .values)
        #expect(values.nodes[0].rows == [.init("data", "[[1, 2], [3, 4]]"), .init("grad", "[[11, 15], [11, 15]]")])
        #expect(values.nodes.allSatisfy { $0.heatMaps.isEmpty })

        let stats = GraphDrawing(tracing: loss, detail: .stats)
        // A: min 1, mean 2.5, max 4, ‖A‖₂ = √30 ≈ 5.477; grad: 11 / 13 / 15, √692 ≈ 26.31.
        #expect(stats.nodes[0].rows == [.init("data min / mean / max", "1 / 2.5 / 4"), .init("‖data‖₂", "5.477"),
                                         .init("grad min / mean / max", "11 / 13 / 15"), .init("‖grad‖₂", "26.31")])

        let full = GraphDrawing(tracing: loss, detail: .full)
        #expect(full.nodes.allSatisfy { !$0.opInside } && full.dot().contains("op2 ["))
    }

    @Test func aConstantIsGreyAndTitledByItsNumber() throws {
        let x = Tensor<Double>([1, 2], requiresGrad: true)
        let y = (x * 3).sum()
        y.backward()
        let drawing = GraphDrawing(tracing: y)
        let constant = try #require(drawing.nodes.first { $0.title == "3" })
        #expect(constant.isMuted && constant.rows.isEmpty && constant.inputs.isEmpty)
    }

    /// mean((tanh(x @ W1 + b1) @ W2 + b2 - y)²) with x 4×3, W1 3×5, b1 5, W2 5×1, b2 1, y 4×1:
    /// the issue's example, which once drew 4800 × 756 px with 8-px text.
    static func mlp() throws -> Tensor<Double> {
        var rng = SplitMix64(seed: 3)
        func leaf(_ name: String, _ shape: [Int]) throws -> Tensor<Double> {
            let t = try Tensor<Double>(shape: shape, elements: (0..<shape.reduce(1, *)).map { _ in rng.nextUniform(-1, 1) }, requiresGrad: true)
            t.label = name
            return t
        }
        let x = try leaf("x", [4, 3]), w1 = try leaf("W1", [3, 5]), b1 = try leaf("b1", [5])
        let w2 = try leaf("W2", [5, 1]), b2 = try leaf("b2", [1]), y = try leaf("y", [4, 1])
        let diff = (x.matmul(w1) + b1).tanh().matmul(w2) + b2 - y
        let loss = (diff * diff).mean()
        loss.backward()
        return loss
    }

    @Test func theMLPGraphFitsOnAScreenWithReadableText() throws {
        let dot = GraphDrawing(tracing: try Self.mlp()).dot(options: DrawingOptions(title: "mean((tanh(x @ W1 + b1) @ W2 + b2 - y)^2)"))
        let png = try #require(pngSize(try Graphviz.render(dot: dot, as: .png)))
        #expect(png.width <= 2000 && png.height <= 2000, "\(png)")
        // Text size in the PNG: font-size (points) × the drawing's scale × 96/72 pixels per point.
        let svg = String(decoding: try Graphviz.render(dot: dot, as: .svg), as: UTF8.self)
        let scale = try #require(svg.firstMatch(of: /transform="scale\(([0-9.]+)/).flatMap { Double($0.1) })
        let sizes = svg.matches(of: /font-size="([0-9.]+)"/).compactMap { Double($0.1) }
        let smallest = try #require(sizes.min())
        #expect(smallest * scale * 96 / 72 >= 12, "smallest text \(smallest) pt at scale \(scale)")
        // The PNG is drawn at that scale (not shrunk to fit a size limit).
        #expect(scale == 1)
    }
}

