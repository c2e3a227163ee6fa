// GraphDrawingDOTTests.swift — targeted checks of the DOT writer: gradients not reached, bad
// numbers, colours, escaping, the node limit, lesson options, clusters and determinism.

import Engine
import Testing
import Viz

@Suite struct GraphDrawingDOTTests {
    @Test func unreachedGradientShowsADashNotZero() throws {
        let x = Value(3, label: "x")
        let y = x * 2
        let before = GraphDrawing(tracing: y).dot()
        for name in ["v0", "v2"] {
            let node = try #require(statement(of: name, in: before))
            #expect(node.contains("<td align=\"left\">grad</td><td align=\"right\">  —</td>"))
            #expect(!node.contains("  0<"))
            #expect(attribute("style", in: node) == "rounded,filled,dashed")
        }
        // The literal 2 (v1) is a constant: grey, titled 2, with no gradient row at all.
        let two = try #require(statement(of: "v1", in: before))
        #expect(two.contains("<b>2</b>") && !two.contains("grad") && attribute("fillcolor", in: two) == "#f1f3f5")

        // One backward step: the root has sent its gradient to its two inputs; the leaves,
        // z among them, are not reached yet and keep their dash.
        let z = Value(5, label: "z")
        let r = (x * 2) + z * 0
        var pass = BackwardPass(from: r)
        _ = pass.next()
        let drawing = GraphDrawing(tracing: r)
        let dot = drawing.dot()
        let keysToPositions = Dictionary(uniqueKeysWithValues: drawing.nodes.enumerated().map { ($1.key, $0) })
        let zNode = try #require(statement(of: "v\(keysToPositions[z.id]!)", in: dot))
        #expect(zNode.contains("grad</td><td align=\"right\">  —<"))
        let rootNode = try #require(statement(of: "v\(keysToPositions[r.id]!)", in: dot))
        #expect(rootNode.contains("grad</td><td align=\"right\">  1<"))

        // After backward, z's gradient is ∂(z·0)/∂z · 1 = 0 · 1 = 0: a real zero, printed as 0.
        r.backward()
        let after = GraphDrawing(tracing: r).dot()
        let zAfter = try #require(statement(of: "v\(keysToPositions[z.id]!)", in: after))
        #expect(zAfter.contains("grad</td><td align=\"right\">  0<"))
        #expect(attribute("fillcolor", in: zAfter) == GradientScale.fillColors[0])
    }

    @Test func nonFiniteNodesAreRedAndOthersAreNot() throws {
        let z = Value(-1, label: "z")
        let l = log(z)  // ln(-1) = NaN
        let y = l * 2
        y.backward()
        let dot = GraphDrawing(tracing: y).dot()
        // Order: z (v0), log z (v1), 2 (v2), y (v3). z's gradient is 2 · (1/z) = -2: finite.
        let zNode = try #require(statement(of: "v0", in: dot))
        #expect(attribute("color", in: zNode) != GradientScale.nonFiniteOutline)
        #expect(zNode.contains("  -2<"))
        for name in ["v1", "v3"] {  // data NaN
            let node = try #require(statement(of: name, in: dot))
            #expect(attribute("fillcolor", in: node) == GradientScale.nonFiniteFill)
            #expect(attribute("color", in: node) == GradientScale.nonFiniteOutline)
            #expect(node.contains("data</td><td align=\"right\">  NaN<"))
        }
        // The constant 2 has a finite value but gradient ∂y/∂2 = ln(-1) = NaN.
        let constant = try #require(statement(of: "v2", in: dot))
        #expect(attribute("fillcolor", in: constant) == GradientScale.nonFiniteFill)

        // Infinity counts too: exp(1000) overflows to +∞.
        let big = exp(Value(1000))
        let infinite = try #require(statement(of: "v1", in: GraphDrawing(tracing: big).dot()))
        #expect(attribute("color", in: infinite) == GradientScale.nonFiniteOutline)
        #expect(infinite.contains("  ∞<"))
    }

    @Test func biggerGradientsAreDarkerOnADecadeScale() throws {
        // One leaf per magnitude; each feeds nothing, so the drawing is built by hand.
        let magnitudes = [0, 0.0005, 0.005, 0.05, 0.5, 5, 50, 500, 5e6]
        let nodes = magnitudes.enumerated().map { i, m in GraphDrawing.Node(key: i, gradientMagnitude: m) }
        let dot = GraphDrawing(nodes: nodes).dot()
        let fills = magnitudes.indices.map { i in
            statement(of: "v\(i)", in: dot).flatMap { attribute("fillcolor", in: $0) } ?? "missing"
        }
        #expect(!fills.contains("missing"))
        let luminance = fills.map(relativeLuminance)
        // 0 and 0.0005 share the lowest bin, 500 and 5e6 the highest; in between, each decade
        // is strictly darker (lower luminance) than the one before.
        #expect(fills[0] == fills[1])
        #expect(fills[7] == fills[8])
        for i in 1..<7 {
            #expect(luminance[i + 1] < luminance[i], "bin of \(magnitudes[i + 1]) should be darker than \(magnitudes[i])")
        }
        // Bins change at powers of ten, including their lower bound.
        #expect(GradientScale.bin(for: 0.999) == 3 && GradientScale.bin(for: 1) == 4 && GradientScale.bin(for: 9.99) == 4)
        #expect(GradientScale.bin(for: 0.0999) == 2 && GradientScale.bin(for: 0.1) == 3)
        // A gradient printed as "1" is coloured as 1, not as 0.99999…
        #expect(GradientScale.bin(for: 0.9999999999999998) == 4)
        // Text stays readable: dark text on light fills, white on the two darkest.
        for bin in GradientScale.fillColors.indices {
            let fill = relativeLuminance(GradientScale.fillColors[bin])
            let text = relativeLuminance(GradientScale.textColors[bin])
            let contrast = (max(fill, text) + 0.05) / (min(fill, text) + 0.05)
            #expect(contrast >= 4.5, "bin \(bin): contrast \(contrast) is below WCAG AA")
        }
    }

    @Test func userTextIsEscaped() throws {
        let label = "a<b & \"c\">d"
        let x = Value(1, label: label)
        let dot = GraphDrawing(tracing: x).dot(options: DrawingOptions(title: label, caption: "1 < 2\nand 3 > 2"))
        let escaped = "a&lt;b &amp; &quot;c&quot;&gt;d"
        #expect(try #require(statement(of: "v0", in: dot)).contains("<b>\(escaped)</b>"))
        #expect(dot.contains("<b>\(escaped)</b></font>"))
        #expect(dot.contains("1 &lt; 2<br align=\"left\"/>and 3 &gt; 2"))
        #expect(!dot.contains(label))
        #expect(GraphDrawing.escapeHTML("tab\there\u{7}bell") == "tab here\u{FFFD}bell")
        // Too long for Graphviz's HTML labels: clipped with an ellipsis.
        let long = String(repeating: "&", count: 1000)
        let clipped = GraphDrawing.escapeHTML(long)
        #expect(clipped == String(repeating: "&amp;", count: GraphDrawing.maxLabelLength - 1) + "…")
    }

    @Test func graphsUpToTheLimitAreDrawnWhole() throws {
        var chain = Value(0, label: "start")
        for _ in 0..<599 { chain = chain.tanh() }  // 600 nodes, once cut to the last 500
        let drawing = GraphDrawing(tracing: chain)
        #expect(!drawing.isSummary && drawing.nodes.count == 600 && drawing.totalCount == 600)
        let dot = drawing.dot()
        let valueNodes = dot.split(separator: "\n").filter { $0.hasPrefix("  v") && $0.contains(" [label=") }
        #expect(valueNodes.count == 600)
        #expect(statement(of: "v0", in: dot) != nil && statement(of: "v599", in: dot) != nil)
        #expect(!dot.contains("omitted"))
    }

    @Test func biggerGraphsFoldIntoBoxesThatCountWhatTheyHold() throws {
        // A 1,000-term sum: 1,000 leaves and 999 additions.
        let terms = (0..<1000).map { Value(Double($0)) }
        var sum = terms[0]
        for term in terms.dropFirst() { sum = sum + term }
        sum.backward()
        let drawing = GraphDrawing(tracing: sum, nodeLimit: 100)
        #expect(drawing.isSummary && drawing.nodes.count <= 100 && drawing.totalCount == 1999)
        // Nothing dropped: the boxes hold every node once.
        #expect(drawing.nodes.reduce(0) { $0 + $1.represents } == 1999)
        // Each box counts its ops: together, 999 "+" and 1,000 leaves.
        var plus = 0, leaves = 0
        for node in drawing.nodes {
            let ops = try #require(node.rows.first { $0.name == "ops" }).value
            for part in ops.split(separator: ", ") {
                let words = part.split(separator: " ")
                let count = Int(words[0].replacing(",", with: ""))!
                if words[1] == "+" { plus += count } else if words[1] == "leaf" { leaves += count }
            }
        }
        #expect(plus == 999 && leaves == 1000)
        // Every gradient is 1, so every box is coloured as 1.
        #expect(drawing.nodes.allSatisfy { $0.gradientMagnitude == 1 })
        // The boxes form a chain: each box after the first is fed by the one before it.
        for (position, node) in drawing.nodes.enumerated().dropFirst() {
            #expect(node.inputs.map(\.position).contains(position - 1))
        }
        let dot = drawing.dot()
        #expect(dot.contains("holds") && !dot.contains("not drawn"))
    }

    @Test func namesDependOnPositionNotOnValueIDs() {
        func build() -> Value {
            let a = Value(1.5, label: "a"), b = Value(-2, label: "b")
            return (a * b + a).relu()
        }
        let first = build()
        _ = (0..<17).map { Value(Double($0)) }  // move the id counter on
        let second = build()
        #expect(first.id != second.id)
        #expect(GraphDrawing(tracing: first).dot() == GraphDrawing(tracing: second).dot())
    }

    @Test func lessonOptionsHighlightOneNodeAndMarkDoneOnes() throws {
        let a = Value(2, label: "a")
        let b = a * 3
        b.label = "b"
        let c = b + 1
        c.label = "c"
        var pass = BackwardPass(from: c)
        let next = pass.next()  // c sends its gradient to b and to 1
        let step = try #require(next)
        let dot = GraphDrawing(tracing: c).dot(
            options: DrawingOptions(highlighted: b.id, done: [step.node.id], direction: .topToBottom))
        // Order: a (v0), 3 (v1), b (v2), 1 (v3), c (v4).
        #expect(dot.contains("rankdir=TB"))
        let highlighted = try #require(statement(of: "v2", in: dot))
        #expect(attribute("color", in: highlighted) == "#f76707" && highlighted.contains("penwidth=3"))
        #expect(try #require(statement(of: "op2", in: dot)).contains("penwidth=3"))
        #expect(edges(in: dot).filter { $0.hasSuffix("-> op2 [color=\"#f76707\", fontcolor=\"#f76707\", penwidth=2];") }.count == 2)
        let done = try #require(statement(of: "v4", in: dot))
        #expect(done.contains("✓ <b>c</b>") && attribute("color", in: done) == "#2f9e44")
        let pending = try #require(statement(of: "v0", in: dot))
        #expect(!pending.contains("✓") && !pending.contains("penwidth"))
        // Without lesson options nothing is marked.
        #expect(!GraphDrawing(tracing: c).dot().contains("✓"))
        #expect(GraphDrawing(tracing: c).dot().contains("rankdir=LR"))
    }

    @Test func legendOnlyWhenThereIsAGradientToExplain() {
        let x = Value(1)
        let y = x * 2
        #expect(!GraphDrawing(tracing: y).dot().contains("legend"))
        y.backward()
        let dot = GraphDrawing(tracing: y).dot()
        #expect(dot.contains("  legend [shape=plain"))
        #expect(dot.contains("v2 -> legend [style=invis];"))
        for (fill, name) in zip(GradientScale.fillColors, GradientScale.binNames) {
            #expect(dot.contains("<td bgcolor=\"\(fill)\" width=\"14\"></td><td align=\"left\">\(GraphDrawing.escapeHTML(name))</td>"))
        }
        #expect(!GraphDrawing(tracing: y).dot(options: DrawingOptions(showsLegend: false)).contains("legend"))
    }

    @Test func clustersGroupNodesAndTheirOpNodes() {
        let nodes = [
            GraphDrawing.Node(key: 10, title: "w", cluster: "layer 1"),
            GraphDrawing.Node(key: 11, title: "x"),
            GraphDrawing.Node(key: 12, op: "×", inputs: [.init(0), .init(1)], cluster: "layer 1"),
            GraphDrawing.Node(key: 13, op: "relu", inputs: [.init(2, label: "to <relu>")], cluster: "layer 2 & out"),
        ]
        let dot = GraphDrawing(nodes: nodes).dot()
        #expect(dot.contains("subgraph cluster_0 { label=<layer 1>; style=rounded; color=\"#ced4da\"; fontsize=11; v0; op2; v2; }"))
        #expect(dot.contains("subgraph cluster_1 { label=<layer 2 &amp; out>; style=rounded; color=\"#ced4da\"; fontsize=11; op3; v3; }"))
        #expect(edges(in: dot).contains("v2 -> op3 [label=<to &lt;relu&gt;>, decorate=true];"))
        // Node 11 (x) is in no cluster.
        #expect(!dot.contains("v1; "))
    }

    @Test func nodesMustComeAfterTheirInputs() async {
        await #expect(processExitsWith: .failure) {
            _ = GraphDrawing(nodes: [GraphDrawing.Node(key: 0, inputs: [.init(0)])])
        }
    }
}
