// GraphFitTests.swift — drawings made to fit a laptop screen (GraphDrawing+Fit.swift): a small
// graph stays as it is, a long one turns top to bottom, a longer one keeps a window of depths
// around the highlighted node and folds the rest into counted boxes. Each is laid out by
// Graphviz and measured: at most 2,000 × 2,000 px, and never scaled (so its text keeps its size).

import _TestSupport
import Render
import Tensors
import Testing
@testable import Viz

@Suite struct GraphFitTests {
    /// x (2×3) through `length` alternating tanh and ×2, summed, after backward.
    static func chain(_ length: Int) -> Tensor<Double> {
        var x = (try! Tensor<Double>(shape: [2, 3], elements: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6])).requiringGrad()
        x.label = "x"
        for k in 0..<length { x = k.isMultiple(of: 2) ? x.tanh() : x * x }
        let loss = x.sum()
        loss.backward()
        return loss
    }

    /// The PNG's size when `fitted` is drawn; Graphviz's own scaling (above 4,800 px) is off the
    /// table, since both sides must come out at most 2,000.
    static func renderedSize(of fitted: (drawing: GraphDrawing, options: DrawingOptions)) throws -> (width: Int, height: Int) {
        let png = try Graphviz.render(dot: fitted.drawing.dot(options: fitted.options), as: .png)
        return try #require(pngSize(png))
    }

    @Test func aSmallGraphStaysAsItIs() throws {
        let drawing = GraphDrawing(tracing: Self.chain(3))
        let fitted = drawing.fitted(options: DrawingOptions(title: "small"))
        #expect(fitted.options.direction == .leftToRight)
        #expect(fitted.drawing.nodes.count == drawing.nodes.count && !fitted.drawing.isSummary)
    }

    @Test func theEstimateBoundsWhatGraphvizDraws() throws {
        // The estimate errs large, but not by more than half: it is what decides the folding.
        for (length, direction) in [(3, DrawingOptions.Direction.leftToRight), (8, .topToBottom), (12, .leftToRight)] {
            let drawing = GraphDrawing(tracing: Self.chain(length))
            let options = DrawingOptions(title: "chain of \(length)", direction: direction)
            let estimate = drawing.estimatedExtent(options: options)
            let size = try Self.renderedSize(of: (drawing, options))
            // Points to pixels at 96 dpi.
            let (width, height) = (estimate.width * 4 / 3, estimate.height * 4 / 3)
            #expect(Double(size.width) <= width && Double(size.height) <= height, "\(length): \(size) against \(estimate)")
            #expect(Double(size.width) >= width / 2 && Double(size.height) >= height / 2, "\(length): \(size) against \(estimate)")
        }
    }

    @Test func aLongGraphTurnsTopToBottom() throws {
        // 8 steps: about 2,050 px left to right, 1,720 px top to bottom.
        let drawing = GraphDrawing(tracing: Self.chain(8))
        let options = DrawingOptions(title: "chain of 8")
        #expect(drawing.estimatedExtent(options: options).width > GraphDrawing.screenLimit)
        let fitted = drawing.fitted(options: options)
        #expect(fitted.options.direction == .topToBottom && !fitted.drawing.isSummary)
        let size = try Self.renderedSize(of: fitted)
        #expect(size.width <= 2000 && size.height <= 2000, "\(size)")
    }

    @Test func aLongerGraphKeepsAWindowAroundTheHighlightedNodeAndCountsTheRest() throws {
        let loss = Self.chain(60)
        let drawing = GraphDrawing(tracing: loss)
        let middle = drawing.nodes[drawing.nodes.count / 2]
        let options = DrawingOptions(title: "chain of 60", caption: "backward at the middle", highlighted: middle.key,
                                     done: Set(drawing.nodes.suffix(drawing.nodes.count / 2 - 1).map(\.key)), showsIDs: true)
        let fitted = drawing.fitted(options: options)
        let size = try Self.renderedSize(of: fitted)
        #expect(size.width <= 2000 && size.height <= 2000, "\(size)")
        // The highlighted node and its input are drawn; the rest fold into two boxes, before and
        // after the window, that between them hold every node left out.
        let nodes = fitted.drawing.nodes
        #expect(nodes.contains { $0.key == middle.key })
        #expect(nodes.contains { $0.key == drawing.nodes[drawing.nodes.count / 2 - 1].key })
        let boxes = nodes.filter { $0.title?.hasPrefix("depth") == true }
        #expect(boxes.count == 2, "\(nodes.map(\.title))")
        #expect(nodes.reduce(0) { $0 + $1.represents } == drawing.nodes.count)
        #expect(fitted.drawing.totalCount == drawing.nodes.count)
        // The boxes are never highlighted or marked done, whatever their members are.
        #expect(boxes.allSatisfy { $0.key != middle.key && !options.done!.contains($0.key) })
        // The window is as wide as fits: a few tanh-and-square steps, not one.
        #expect(nodes.count - boxes.count >= 6, "\(nodes.count)")
    }

    @Test func withoutAHighlightTheWindowEndsAtTheRoot() throws {
        let drawing = GraphDrawing(tracing: Self.chain(60))
        let fitted = drawing.fitted(options: DrawingOptions(title: "chain of 60"))
        #expect(fitted.drawing.nodes.last?.key == drawing.nodes.last?.key)
        #expect(fitted.drawing.nodes.filter { $0.title?.hasPrefix("depth") == true }.count == 1)
        let size = try Self.renderedSize(of: fitted)
        #expect(size.width <= 2000 && size.height <= 2000, "\(size)")
    }

    @Test func foldingKeepsTheHeatMapsOnTheEdgesOfKeptNodes() {
        // A backward frame draws what each input receives on its edge; folding the depths far
        // from the node must not drop it.
        let drawing = GraphDrawing(tracing: Self.chain(20))
        let last = drawing.nodes.count - 1
        let marked = drawing.mappingNodes { node in
            var node = node
            if node.key == drawing.nodes[last].key {
                node.inputs[0].label = "→ 2×3"
                node.inputs[0].heatMap = HeatMap(name: "sent", elements: [1, 2, 3, 4, 5, 6], shape: [2, 3])
            }
            return node
        }
        let depth = GraphDrawing.depths(of: marked.nodes)
        let folded = marked.folded(keeping: (depth.max()! - 3)...depth.max()!, depth: depth)
        #expect(folded.nodes.last?.inputs[0].heatMap != nil && folded.nodes.last?.inputs[0].label == "→ 2×3")
    }
}
