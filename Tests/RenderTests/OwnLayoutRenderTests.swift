// OwnLayoutRenderTests.swift — graphs above GraphDrawing.dotLayoutLimit, laid out by Lumen and
// drawn by Graphviz's `nop2`: the boxes Graphviz actually draws (read back from the SVG) keep
// the places Lumen gave, are no bigger than Lumen reserved, so none overlap, and every node
// and its numbers are in the picture.

import Engine
import Foundation
import Render
import _TestSupport
import Testing
import Viz

@Suite struct OwnLayoutRenderTests {
    /// The bounding box of the first shape (path or polygon) of each SVG node group, by the
    /// node's name (its <title>).
    func nodeBoxes(in svg: String) -> [String: (low: (Double, Double), high: (Double, Double))] {
        var boxes: [String: (low: (Double, Double), high: (Double, Double))] = [:]
        for chunk in svg.components(separatedBy: "class=\"node\"").dropFirst() {
            guard let titleStart = chunk.range(of: "<title>"), let titleEnd = chunk.range(of: "</title>"),
                  let shape = chunk.range(of: " d=\"") ?? chunk.range(of: " points=\"") else { continue }
            let name = String(chunk[titleStart.upperBound..<titleEnd.lowerBound])
            let text = chunk[shape.upperBound...].prefix { $0 != "\"" }
            let numbers = text.split(whereSeparator: { !($0.isNumber || $0 == "." || $0 == "-") }).compactMap { Double($0) }
            let xs = stride(from: 0, to: numbers.count - 1, by: 2).map { numbers[$0] }
            let ys = stride(from: 1, to: numbers.count, by: 2).map { numbers[$0] }
            boxes[name] = ((xs.min()!, ys.min()!), (xs.max()!, ys.max()!))
        }
        return boxes
    }

    @Test func plainLabelsComeBackVerbatim() throws {
        let label = "say \"hi\" \\N <b> & \\l"
        var chain = Value(0.5, label: label)
        for _ in 0..<1_000 { chain = chain.tanh() }
        let drawing = GraphDrawing(tracing: chain)
        #expect(drawing.usesOwnLayout)
        let texts = parseSVG(try Graphviz.render(dot: drawing.dot(), as: .svg)).texts
        #expect(texts.contains(label))
        #expect(texts.contains("data 0.5"))
    }

    @Test func graphvizDrawsEveryBoxWhereLumenPutItWithoutOverlaps() throws {
        // 7 × 158 − 1 = 1,105 nodes: sum of tanh(aᵢ·bᵢ + cᵢ), labelled leaves, after backward.
        var sum: Value?
        for i in 0..<158 {
            let term = (Value(Double(i) / 158, label: "a\(i)") * Value(-0.5, label: "b\(i)") + Value(0.25, label: "c\(i)")).tanh()
            sum = sum.map { $0 + term } ?? term
        }
        sum!.backward()
        let drawing = GraphDrawing(tracing: sum!)
        #expect(drawing.usesOwnLayout && drawing.nodes.count == 1_105)
        let svgBytes = try Graphviz.render(dot: drawing.dot(options: DrawingOptions(title: "1,105 nodes")), as: .svg)
        let svg = String(decoding: svgBytes, as: UTF8.self)
        let parsed = parseSVG(svgBytes)
        #expect(parsed.parsed)
        // Every node is drawn, with its label and its op inside the box.
        let boxes = nodeBoxes(in: svg).filter { $0.key.hasPrefix("v") }
        #expect(boxes.count == 1_105)
        for name in ["a0", "b157", "c80", "1,105 nodes", "tanh", "+", "×"] {
            #expect(parsed.texts.contains(name), "missing text \(name)")
        }
        // No two drawn boxes overlap: Graphviz's sizes fit inside the ones Lumen estimated.
        let sorted = boxes.sorted { $0.value.low.0 < $1.value.low.0 }
        var active: [(String, (low: (Double, Double), high: (Double, Double)))] = []
        var clashes: [String] = []
        for (name, box) in sorted {
            active.removeAll { $0.1.high.0 <= box.low.0 }
            for (other, otherBox) in active where otherBox.high.1 > box.low.1 && box.high.1 > otherBox.low.1 {
                clashes.append("\(other)/\(name)")
            }
            active.append((name, box))
        }
        #expect(clashes.isEmpty, "overlapping boxes: \(clashes.prefix(5))")
        // And the PNG renders too, scaled down to Graphviz.maximumPNGInches on its long side.
        let png = try #require(pngSize(try Graphviz.render(dot: drawing.dot(), as: .png)))
        #expect(max(png.width, png.height) <= Graphviz.maximumPNGInches * 96 + 1)
    }
}
