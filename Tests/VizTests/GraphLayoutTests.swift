// GraphLayoutTests.swift — Lumen's own layered layout (GraphDrawing+Layout.swift), used above
// GraphDrawing.dotLayoutLimit nodes: every node drawn, each at a position of its own, no two
// boxes overlapping, chains straight, and the row packing exact on hand-worked cases.

import Engine
import Foundation
import Testing
@testable import Viz

@Suite struct GraphLayoutTests {
    /// A node's box read back from the DOT text: centre and size in points.
    struct Box {
        var name: String
        var x, y, width, height: Double
    }

    /// Every `vN` node's `pos`, `width` and `height` in the DOT text (width and height are in
    /// inches there).
    func boxes(in dot: String) -> [Box] {
        dot.split(separator: "\n").compactMap { line -> Box? in
            let statement = line.drop { $0 == " " }
            guard statement.hasPrefix("v"), let space = statement.firstIndex(of: " "),
                  let pos = attribute("pos", in: String(statement)) else { return nil }
            func number(_ name: String) -> Double? {
                guard let start = statement.range(of: ", \(name)=") else { return nil }
                return Double(statement[start.upperBound...].prefix { $0.isNumber || $0 == "." })
            }
            let xy = pos.dropLast().split(separator: ",").compactMap { Double($0) }
            guard xy.count == 2, let width = number("width"), let height = number("height") else { return nil }
            return Box(name: String(statement[..<space]), x: xy[0], y: xy[1], width: width * 72, height: height * 72)
        }
    }

    /// Pairs of boxes that overlap (a sweep over the boxes sorted by their left side).
    func overlaps(_ boxes: [Box]) -> [(String, String)] {
        let sorted = boxes.sorted { $0.x - $0.width / 2 < $1.x - $1.width / 2 }
        var active: [Box] = []
        var found: [(String, String)] = []
        for box in sorted {
            let left = box.x - box.width / 2
            active.removeAll { $0.x + $0.width / 2 <= left }
            for other in active where abs(other.y - box.y) < (other.height + box.height) / 2 - 0.01 {
                found.append((other.name, box.name))
            }
            active.append(box)
        }
        return found
    }

    /// W2's graph (the one `lumen-bench render` draws): k terms tanh(aᵢ·bᵢ + cᵢ) summed left to
    /// right, 7k − 1 nodes, after backward.
    func sumOfTanhs(terms k: Int) -> Value {
        var s: Value?
        for i in 0..<k {
            let t = (Value(Double(i % 7) / 7) * Value(Double(i % 5) / 5 - 0.5) + Value(0.1)).tanh()
            s = s.map { $0 + t } ?? t
        }
        s!.backward()
        return s!
    }

    @Test func placementKeepsImportantWishesAndMakesRoomForTheRest() {
        let gap = GraphDrawing.boxGap
        // Far apart: each box sits exactly where it wishes.
        #expect(GraphDrawing.placeByPriority(wishes: [0, 100, 300], breadths: [10, 20, 30], priorities: [0, 0, 0]) == [0, 100, 300])
        // Three boxes of 10 wishing for 0, the middle one most important: it keeps 0, the
        // others move aside by one box and a gap.
        #expect(GraphDrawing.placeByPriority(wishes: [0, 0, 0], breadths: [10, 10, 10], priorities: [0, 5, 0])
                == [-(10 + gap), 0, 10 + gap])
        // The last box most important: it keeps 0, and the first two are pushed before it,
        // leaving room for the second between them.
        #expect(GraphDrawing.placeByPriority(wishes: [0, 0, 0], breadths: [10, 20, 10], priorities: [0, 0, 9])
                == [-(5 + gap + 20 + gap + 5), -(10 + gap + 5), 0])
        // The two important boxes come first, but the third cannot take its wish (40): the
        // middle box must fit between them, so it goes to 2 × (5 + gap + 5), the middle one
        // halfway, whatever it wished.
        #expect(GraphDrawing.placeByPriority(wishes: [0, 100, 40], breadths: [10, 10, 10], priorities: [5, 0, 5])
                == [0, 5 + gap + 5, 2 * (5 + gap + 5)])
    }

    @Test func aTenThousandNodeGraphIsDrawnWholeWithoutOverlaps() throws {
        let root = sumOfTanhs(terms: 1429)  // 7 × 1429 − 1 = 10,002 nodes
        let drawing = GraphDrawing(tracing: root)
        let whole = !drawing.isSummary && drawing.nodes.count == 10_002 && drawing.totalCount == 10_002
        try #require(whole && drawing.usesOwnLayout, "drawn as \(drawing.nodes.count) boxes for \(drawing.totalCount) nodes")
        let dot = drawing.dot()
        #expect(dot.contains("layout=nop2"))
        let placed = boxes(in: dot)
        // Every node has a place of its own, and no two boxes overlap.
        #expect(placed.count == 10_002)
        let missing = Set((0..<10_002).map { "v\($0)" }).subtracting(placed.map(\.name))
        #expect(missing.isEmpty, "\(missing.count) nodes have no place")
        let clashes = overlaps(placed)
        #expect(clashes.isEmpty, "overlapping boxes, for example \(clashes.prefix(3))")
        // One box per node: the ops are written inside, no separate op nodes.
        #expect(!dot.contains("  op"))
        // Plain-text labels (quicker for Graphviz than tables): op, then data and grad.
        let rootStatement = try #require(statement(of: "v\(drawing.nodes.count - 1)", in: dot))
        #expect(rootStatement.contains("[label=\"+\\ldata ") && rootStatement.contains("\\lgrad 1\\l\""))
        // Inputs sit on the side the graph flows from (left to right by default).
        let x = Dictionary(uniqueKeysWithValues: placed.map { ($0.name, $0.x) })
        for (position, node) in drawing.nodes.enumerated() {
            for input in node.inputs where !(x["v\(input.position)"]! < x["v\(position)"]!) {
                Issue.record("v\(input.position) is not left of v\(position)")
            }
        }
    }

    @Test func theTermsOfALongSumSitBesideTheAdditionsThatTakeThem() throws {
        // Layers as late as possible: tanh(aᵢ·bᵢ + cᵢ) sits one layer before the addition
        // that takes it, so no layer holds more than a few boxes and the picture stays a
        // strip, not a 1,429-box column.
        let drawing = GraphDrawing(tracing: sumOfTanhs(terms: 1429))
        let placed = boxes(in: drawing.dot())
        let perColumn = Dictionary(grouping: placed, by: \.x).mapValues(\.count)
        #expect(perColumn.values.max()! <= 7, "a layer holds \(perColumn.values.max()!) boxes")
        // The running sum is one straight line.
        let sums = drawing.nodes.enumerated().filter { $0.element.op == "+" && $0.element.inputs.count == 2 }
            .map { "v\($0.offset)" }
        let y = Dictionary(uniqueKeysWithValues: placed.map { ($0.name, $0.y) })
        let spine = sums.filter { name in drawing.nodes[Int(name.dropFirst())!].inputs.contains { drawing.nodes[$0.position].op == "+" } }
        #expect(spine.count > 1_000 && Set(spine.map { y[$0]! }).count == 1)
        let ys = placed.map(\.y)
        #expect(ys.max()! - ys.min()! < 1_000, "the drawing is \(ys.max()! - ys.min()!) points tall")
    }

    @Test func aLongChainIsOneStraightRowOrColumn() throws {
        var chain = Value(0.5, label: "x")
        for _ in 0..<1_200 { chain = chain.tanh() }
        let drawing = GraphDrawing(tracing: chain)
        #expect(drawing.usesOwnLayout && drawing.nodes.count == 1_201)
        let row = boxes(in: drawing.dot())
        #expect(row.count == 1_201 && Set(row.map(\.y)).count == 1)
        #expect(overlaps(row).isEmpty)
        let column = boxes(in: drawing.dot(options: DrawingOptions(direction: .topToBottom)))
        #expect(column.count == 1_201 && Set(column.map(\.x)).count == 1)
        // Top to bottom: each node below its input (Graphviz's y grows upward).
        let byName = Dictionary(uniqueKeysWithValues: column.map { ($0.name, $0.y) })
        #expect(byName["v0"]! > byName["v1"]! && byName["v1199"]! > byName["v1200"]!)
    }

    @Test func smallGraphsStayWithGraphvizsDot() {
        let drawing = GraphDrawing(tracing: sumOfTanhs(terms: 100))  // 699 nodes
        #expect(!drawing.usesOwnLayout)
        let dot = drawing.dot()
        #expect(!dot.contains("layout=nop2") && !dot.contains(" pos=\""))
    }

    @Test func repeatedSubgraphsFoldIntoOneBoxThatSaysHowManyAndWhat() throws {
        // 20 terms tanh(aᵢ·bᵢ + cᵢ), 6 nodes each, summed by 19 additions: 139 nodes. With a
        // limit of 30 the terms fold into one box and the running sum stays node by node.
        let drawing = GraphDrawing(tracing: sumOfTanhs(terms: 20), nodeLimit: 30)
        #expect(drawing.isSummary && drawing.totalCount == 139 && drawing.nodes.count == 20)
        let box = try #require(drawing.nodes.first { $0.represents > 1 })
        #expect(box.title == "×20: tanh((leaf × leaf) + leaf)" && box.represents == 120)
        #expect(box.rows.first == .init("holds", "120 nodes"))
        let sums = drawing.nodes.filter { $0.represents == 1 }
        #expect(sums.count == 19 && sums.allSatisfy { $0.op == "+" })
        // Every addition takes one copy: the box feeds each of them.
        let boxPosition = try #require(drawing.nodes.firstIndex { $0.represents > 1 })
        #expect(sums.allSatisfy { $0.inputs.contains { $0.position == boxPosition } })
    }

    @Test func aHundredThousandNodeSumIsSummarizedByItsRepeatedTerm() throws {
        let drawing = GraphDrawing(tracing: sumOfTanhs(terms: 14_286))  // 100,001 nodes
        #expect(drawing.isSummary && drawing.totalCount == 100_001)
        #expect(drawing.nodes.reduce(0) { $0 + $1.represents } == 100_001)
        #expect(drawing.nodes.contains { $0.title == "×14,286: tanh((leaf × leaf) + leaf)" && $0.represents == 85_716 })
    }
}
