// GraphDrawing+DOT.swift — a drawing as Graphviz DOT text.
//
// The output is plain text that Graphviz lays out: `Render` turns it into SVG or PNG, and the
// `dot` tool reads it too. Nodes are named by position in topological order (`v0`, `v1`, ...;
// op nodes `op2`, ...), never by memory address or creation counter, so the same graph always
// gives the same text, which the snapshot tests in Tests/VizTests/Snapshots rely on.
// All text goes into HTML-like labels, escaped by `escapeHTML`.
//
// Read next: Sources/Render/Graphviz.swift, which lays the text out and draws it.

import Foundation

extension GraphDrawing {
    /// The drawing as a Graphviz `digraph`.
    public func dot(options: DrawingOptions = DrawingOptions()) -> String {
        var writer = DOTWriter(drawing: self, options: options)
        return writer.write()
    }

    /// Escapes text for a Graphviz HTML-like label: `&`, `<`, `>` and `"` become entities, a
    /// newline becomes `<br/>`, other control characters (which the label parser rejects)
    /// become `�`, and text longer than `maxLabelLength` characters is cut with `…`, since
    /// Graphviz refuses HTML labels longer than 16384 bytes.
    public static func escapeHTML(_ text: String) -> String {
        let clipped = text.count > maxLabelLength ? text.prefix(maxLabelLength - 1) + "…" : Substring(text)
        var out = ""
        out.reserveCapacity(clipped.utf8.count)
        for scalar in clipped.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "<br/>"
            case "\t": out += " "
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The longest user text (title, row, edge label, caption) a drawing shows, in characters.
    public static let maxLabelLength = 200
}

/// Writes one drawing; split out of `dot(options:)` so each part of the text has its own method.
struct DOTWriter {
    let drawing: GraphDrawing
    let options: DrawingOptions
    var lines: [String] = []
    /// Each node's centre in Graphviz's points (y grows upward), when Lumen lays the drawing
    /// out itself (`GraphDrawing.usesOwnLayout`); nil when Graphviz's `dot` does.
    var positions: [(x: Double, y: Double)]?
    /// Each node's box in points (width, height), with `positions`.
    var boxes: [(width: Double, height: Double)] = []

    static let font = "Helvetica,Arial,sans-serif"
    static let defaultOutline = "#495057"
    static let highlightColor = "#f76707"
    static let doneColor = "#2f9e44"
    static let mutedFill = "#f1f3f5"
    static let mutedText = "#495057"
    static let mutedRowText = "#868e96"
    /// Above this many nodes, layout runs in its quick settings (see `writeDefaults`).
    static let bigGraph = 600

    init(drawing: GraphDrawing, options: DrawingOptions) {
        self.drawing = drawing
        self.options = options
    }

    mutating func write() -> String {
        lines.append("// A computation graph drawn by Lumen. Render it with Lumen's Render module or with")
        lines.append("// Graphviz: dot -Tsvg graph.dot -o graph.svg")
        lines.append("digraph lumen {")
        if drawing.usesOwnLayout { placeNodes() }
        writeDefaults()
        for (position, node) in drawing.nodes.enumerated() {
            writeNode(node, position: position)
        }
        writeClusters()
        if options.showsLegend && drawing.nodes.contains(where: { $0.gradientMagnitude != nil || $0.isNonFinite }) {
            writeLegend()
        }
        if options.showsLegend && drawing.nodes.contains(where: { !$0.heatMaps.isEmpty }) {
            writeHeatMapLegend()
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Graph-wide settings

    mutating func writeDefaults() {
        var graph = [
            "rankdir=\(options.direction.rawValue)", "fontname=\"\(Self.font)\"", "bgcolor=\"#ffffff\"",
            "nodesep=0.25", "ranksep=0.4", "pad=0.2",
        ]
        // Big graphs: Graphviz's placement (a network simplex over about three times as many
        // nodes as the graph has), crossing reduction and spline routing grow much faster than
        // the graph, so above `bigGraph` nodes they run briefly and edges are drawn straight.
        // (The *ranking* simplex, nslimit1, must run to the end: unoptimized ranks leave long
        // edges, each a chain of virtual nodes, and crossing reduction then never finishes.)
        if positions != nil {
            // Lumen placed every node (GraphDrawing+Layout.swift): Graphviz keeps the places
            // (`nop2`) and draws straight edges under the boxes.
            graph += ["layout=nop2", "splines=line", "outputorder=edgesfirst"]
        } else if drawing.nodes.count > Self.bigGraph {
            graph += ["mclimit=0.05", "nslimit=0.05", "searchsize=10", "splines=line", "remincross=false"]
        }
        if let heading = heading() {
            graph += ["label=<\(heading)>", "labelloc=t", "labeljust=l"]
        }
        lines.append("  graph [\(graph.joined(separator: ", "))];")
        lines.append(
            "  node [fontname=\"\(Self.font)\", fontsize=11, shape=box, style=\"rounded,filled\", "
                + "color=\"\(Self.defaultOutline)\", fillcolor=\"#ffffff\", fontcolor=\"#000000\", penwidth=1, "
                + "margin=\"0.1,0.05\"];")
        lines.append(
            "  edge [fontname=\"\(Self.font)\", fontsize=9, color=\"#868e96\", fontcolor=\"#495057\", "
                + "arrowsize=0.6];")
    }

    /// Title (bold) and caption, or nil when there are neither.
    func heading() -> String? {
        var parts: [String] = []
        if let title = options.title { parts.append("<font point-size=\"16\"><b>\(GraphDrawing.escapeHTML(title))</b></font>") }
        if let caption = options.caption {
            let lines = GraphDrawing.escapeHTML(caption).replacing("<br/>", with: "<br align=\"left\"/>")
            parts.append("<font point-size=\"12\">\(lines)</font>")
        }
        // Each line ends in a left-aligned break, so the caption starts under the title.
        return parts.isEmpty ? nil : parts.map { $0 + "<br align=\"left\"/>" }.joined()
    }

    // MARK: - Nodes and edges

    mutating func writeNode(_ node: GraphDrawing.Node, position: Int) {
        let name = "v\(position)"
        let isHighlighted = options.highlighted == node.key
        let isReached = node.gradientMagnitude != nil || node.isNonFinite
        // Edges from the inputs end at the op node when there is one. Lumen's own layout
        // places one box per node, so there the op is written inside the box.
        let target: String
        if let op = node.op, !node.opInside, positions == nil {
            target = "op\(position)"
            var attributes = [
                "label=<\(GraphDrawing.escapeHTML(op))>", "shape=ellipse", "fillcolor=\"#f1f3f5\"", "fontsize=10",
                "width=0.3", "height=0.3", "margin=\"0.04,0.02\"",
            ]
            if isHighlighted {
                attributes += ["color=\"\(Self.highlightColor)\"", "penwidth=3"]
            } else if !isReached {
                attributes += ["style=\"filled,dashed\"", "color=\"\(GradientScale.notReachedOutline)\"",
                               "fontcolor=\"\(GradientScale.notReachedText)\""]
            }
            lines.append("  \(target) [\(attributes.joined(separator: ", "))];")
        } else {
            target = name
        }

        var attributes = nodeAttributes(node, isHighlighted: isHighlighted)
        if let positions {
            // `width` and `height` are minimums: a label larger than the estimate still fits.
            attributes += ["pos=\"\(points(positions[position].x)),\(points(positions[position].y))!\"",
                           "width=\(inches(boxes[position].width))", "height=\(inches(boxes[position].height))"]
        }
        lines.append("  \(name) [\(attributes.joined(separator: ", "))];")
        if target != name {
            lines.append("  \(target) -> \(name)\(isHighlighted ? " [color=\"\(Self.highlightColor)\", penwidth=2]" : "");")
        }

        // In a backward walk (`done` set), an edge carries its label only once its node has
        // sent its gradient along it (done) or is sending it now (highlighted).
        let sent = options.done.map { $0.contains(node.key) || isHighlighted } ?? true
        for input in node.inputs {
            var attributes: [String] = []
            if let label = input.label, sent {
                // `decorate` draws a line from the label to its own edge, so two edges into
                // one op node never seem to swap labels.
                var text = GraphDrawing.escapeHTML(label)
                if let map = input.heatMap {
                    text = "<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\"><tr><td>\(text)</td></tr>"
                        + "<tr><td>\(heatMapTable(map))</td></tr></table>"
                }
                attributes += ["label=<\(text)>", "decorate=true"]
            }
            if isHighlighted { attributes += ["color=\"\(Self.highlightColor)\"", "fontcolor=\"\(Self.highlightColor)\"", "penwidth=2"] }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("  v\(input.position) -> \(target)\(suffix);")
        }
    }

    /// Label, fill, outline and text colour of a value node, from its gradient and the lesson state.
    func nodeAttributes(_ node: GraphDrawing.Node, isHighlighted: Bool) -> [String] {
        let isDone = options.done?.contains(node.key) ?? false
        // With Lumen's own layout (big graphs) a node without heat maps is plain text, which
        // Graphviz measures and draws in about half the time of an HTML table.
        var attributes = positions != nil && node.heatMaps.isEmpty
            ? ["label=\"\(plainLabel(node, isDone: isDone))\""] : ["label=<\(label(node, isDone: isDone))>"]
        if node.isMuted && !node.isNonFinite {
            attributes += ["fillcolor=\"\(Self.mutedFill)\"", "color=\"\(GradientScale.notReachedOutline)\"",
                           "fontcolor=\"\(Self.mutedText)\""]
        } else if node.isNonFinite {
            attributes += [
                "fillcolor=\"\(GradientScale.nonFiniteFill)\"", "color=\"\(GradientScale.nonFiniteOutline)\"",
                "fontcolor=\"\(GradientScale.nonFiniteOutline)\"", "penwidth=2",
            ]
        } else if headerColors(node) != nil {
            attributes += ["fillcolor=\"#ffffff\""]
        } else if let magnitude = node.gradientMagnitude {
            let bin = GradientScale.bin(for: magnitude)
            attributes += ["fillcolor=\"\(GradientScale.fillColors[bin])\"", "fontcolor=\"\(GradientScale.textColors[bin])\""]
        } else {
            attributes += [
                "style=\"rounded,filled,dashed\"", "color=\"\(GradientScale.notReachedOutline)\"",
                "fontcolor=\"\(GradientScale.notReachedText)\"",
            ]
        }
        // The lesson state is drawn on the outline, over whatever the gradient chose.
        if isHighlighted {
            attributes += ["color=\"\(Self.highlightColor)\"", "penwidth=3"]
        } else if isDone {
            attributes += ["color=\"\(Self.doneColor)\"", "penwidth=2"]
        }
        return attributes
    }

    /// An HTML table: the first line (✓, op when drawn inside, title, subtitle, #id), then one
    /// row per name/value pair, then the heat maps. A node with heat maps keeps a white
    /// background, so the maps read true, and shows its gradient colour in its first line.
    func label(_ node: GraphDrawing.Node, isDone: Bool) -> String {
        var head: [String] = []
        if isDone { head.append("✓") }
        if node.opInside || positions != nil, let op = node.op {
            let parts = op.split(separator: "\n", maxSplits: 1).map(String.init)
            head.append("<b>\(GraphDrawing.escapeHTML(parts[0]))</b>"
                + (parts.count > 1 ? " <font point-size=\"9\">\(GraphDrawing.escapeHTML(parts[1]))</font>" : ""))
        }
        if let title = node.title { head.append("<b>\(GraphDrawing.escapeHTML(title))</b>") }
        if let subtitle = node.subtitle { head.append(GraphDrawing.escapeHTML(subtitle)) }
        if options.showsIDs && node.represents == 1 { head.append("#\(node.key)") }
        guard !head.isEmpty || !node.rows.isEmpty || !node.heatMaps.isEmpty else { return " " }
        var cells = "<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">"
        if !head.isEmpty {
            var headCell = "<td colspan=\"2\""
            var text = head.joined(separator: " ")
            if let (fill, ink) = headerColors(node) {
                headCell += " bgcolor=\"\(fill)\""
                text = "<font color=\"\(ink)\">\(text)</font>"
            }
            cells += "<tr>\(headCell)>\(text)</td></tr>"
        }
        for row in node.rows {
            // A muted row (a frozen parameter) in light grey, the colour of the edges.
            let (open, close) = row.isMuted ? ("<font color=\"\(Self.mutedRowText)\">", "</font>") : ("", "")
            cells += "<tr><td align=\"left\">\(open)\(GraphDrawing.escapeHTML(row.name))\(close)</td>"
                + "<td align=\"right\">  \(open)\(GraphDrawing.escapeHTML(row.value))\(close)</td></tr>"
        }
        for map in node.heatMaps {
            let range = map.low == map.high ? "all \(GraphDrawing.format(map.low))"
                : "\(GraphDrawing.format(map.low)) … \(GraphDrawing.format(map.high))"
            cells += "<tr><td align=\"left\" valign=\"top\">\(GraphDrawing.escapeHTML(map.name))</td>"
                + "<td align=\"left\">\(heatMapTable(map))</td></tr>"
                + "<tr><td colspan=\"2\" align=\"right\"><font point-size=\"9\">\(GraphDrawing.escapeHTML(range))</font></td></tr>"
        }
        return cells + "</table>"
    }

    /// The same lines as `label` without a table, as a DOT string: each line ends in `\l`
    /// (left-aligned), and backslashes, quotes and control characters are escaped.
    func plainLabel(_ node: GraphDrawing.Node, isDone: Bool) -> String {
        var lines = [headParts(node, isDone: isDone).joined(separator: " ")].filter { !$0.isEmpty }
        lines += node.rows.map { "\($0.name) \($0.value)" }
        func escaped(_ text: String) -> String {
            let clipped = text.count > GraphDrawing.maxLabelLength ? text.prefix(GraphDrawing.maxLabelLength - 1) + "…" : Substring(text)
            var out = ""
            for scalar in clipped.unicodeScalars {
                switch scalar {
                case "\\": out += "\\\\"
                case "\"": out += "\\\""
                case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\u{FFFD}"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        return lines.isEmpty ? " " : lines.map { escaped($0) + "\\l" }.joined()
    }

    /// The words of a node's first line as plain text: ✓, the op (its first line), title,
    /// subtitle, #id.
    func headParts(_ node: GraphDrawing.Node, isDone: Bool) -> [String] {
        var head: [String] = []
        if isDone { head.append("✓") }
        if let op = node.op { head.append(op.replacing("\n", with: " ")) }
        head += [node.title, node.subtitle].compactMap { $0 }
        if options.showsIDs && node.represents == 1 { head.append("#\(node.key)") }
        return head
    }

    /// The gradient colour and its text colour for the first line of a node with heat maps
    /// (whose own fill stays white); nil for other nodes, and before backward reaches it.
    func headerColors(_ node: GraphDrawing.Node) -> (String, String)? {
        guard !node.heatMaps.isEmpty, !node.isNonFinite, !node.isMuted, let magnitude = node.gradientMagnitude else { return nil }
        let bin = GradientScale.bin(for: magnitude)
        return (GradientScale.fillColors[bin], GradientScale.textColors[bin])
    }

    /// The side of one heat-map cell, in points.
    static let cellSize = 8

    /// A heat map as a nested table of coloured cells. The table has a fixed size (one point
    /// more than its cells need: Graphviz aborts when a fixed size is too small), because a
    /// table left free is stretched to its cell's width, which would spread its columns apart.
    func heatMapTable(_ map: HeatMap) -> String {
        let width = map.columns * Self.cellSize + 1, height = map.rows * Self.cellSize + 1
        var table = "<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"0\" "
            + "fixedsize=\"true\" width=\"\(width)\" height=\"\(height)\">"
        let size = Self.cellSize
        for i in 0..<map.rows {
            table += "<tr>"
            for j in 0..<map.columns {
                table += "<td bgcolor=\"\(map.color(ofCell: i * map.columns + j))\" width=\"\(size)\" height=\"\(size)\" fixedsize=\"true\"></td>"
            }
            table += "</tr>"
        }
        return table + "</table>"
    }

    // MARK: - Notes, clusters and the legend

    mutating func writeClusters() {
        var clusterNames: [String] = []
        var members: [String: [String]] = [:]
        for (position, node) in drawing.nodes.enumerated() {
            guard let cluster = node.cluster else { continue }
            if members[cluster] == nil { clusterNames.append(cluster) }
            let hasOpNode = node.op != nil && !node.opInside && positions == nil
            members[cluster, default: []] += (hasOpNode ? ["op\(position)"] : []) + ["v\(position)"]
        }
        for (index, cluster) in clusterNames.enumerated() {
            lines.append(
                "  subgraph cluster_\(index) { label=<\(GraphDrawing.escapeHTML(cluster))>; style=rounded; "
                    + "color=\"#ced4da\"; fontsize=11; \(clusterBox(members[cluster]!))"
                    + "\(members[cluster]!.joined(separator: "; ")); }")
        }
    }

    /// With Lumen's own layout, a cluster's box (Graphviz's `bb`): around its members, with
    /// room for its label on top. It may cover nodes of other clusters placed between them.
    func clusterBox(_ members: [String]) -> String {
        guard let positions else { return "" }
        var low = (x: Double.infinity, y: Double.infinity), high = (x: -Double.infinity, y: -Double.infinity)
        for member in members {
            let k = Int(member.dropFirst())!
            low = (min(low.x, positions[k].x - boxes[k].width / 2), min(low.y, positions[k].y - boxes[k].height / 2))
            high = (max(high.x, positions[k].x + boxes[k].width / 2), max(high.y, positions[k].y + boxes[k].height / 2))
        }
        return "bb=\"\(points(low.x - 8)),\(points(low.y - 8)),\(points(high.x + 8)),\(points(high.y + 24))\"; "
    }

    /// A table of the gradient colours, placed after the root by an invisible edge.
    mutating func writeLegend() {
        var rows = "<tr><td colspan=\"2\"><b>|grad|</b></td></tr>"
        for bin in GradientScale.fillColors.indices.reversed() {
            rows += "<tr><td bgcolor=\"\(GradientScale.fillColors[bin])\" width=\"14\"></td>"
                + "<td align=\"left\">\(GraphDrawing.escapeHTML(GradientScale.binNames[bin]))</td></tr>"
        }
        rows += "<tr><td bgcolor=\"\(GradientScale.nonFiniteFill)\" width=\"14\"></td>"
            + "<td align=\"left\"><font color=\"\(GradientScale.nonFiniteOutline)\">NaN or ∞</font></td></tr>"
        rows += "<tr><td>\(GraphDrawing.notReached)</td><td align=\"left\">not reached</td></tr>"
        lines.append(
            "  legend [shape=plain, fontsize=9, label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" "
                + "cellpadding=\"1\">\(rows)</table>>\(legendPosition(0))];")
        lines.append("  v\(drawing.nodes.count - 1) -> legend [style=invis];")
    }

    /// The heat maps' colour scale: negative blue, zero white, positive red, each map scaled
    /// to its own largest |cell|, whose range is printed under it.
    mutating func writeHeatMapLegend() {
        var cells = ""
        for step in -4...4 {
            let color = HeatMap.color(Double(step), scale: 4)
            cells += "<td bgcolor=\"\(color)\" width=\"12\" height=\"12\" fixedsize=\"true\"></td>"
        }
        let rows = "<tr><td colspan=\"9\"><b>heat maps</b></td></tr><tr>\(cells)</tr>"
            + "<tr><td colspan=\"3\" align=\"left\">−max</td><td colspan=\"3\">0</td><td colspan=\"3\" align=\"right\">+max</td></tr>"
            + "<tr><td colspan=\"9\" align=\"left\">max: the map's largest |x|;<br align=\"left\"/>under it: min … max</td></tr>"
        lines.append(
            "  heatlegend [shape=plain, fontsize=9, label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" "
                + "cellpadding=\"1\">\(rows)</table>>\(legendPosition(1))];")
        lines.append("  v\(drawing.nodes.count - 1) -> heatlegend [style=invis];")
    }

    // MARK: - Lumen's own layout (GraphDrawing+Layout.swift)

    /// Average width of a character, as a fraction of the font size. Helvetica's digits are
    /// 0.56 em and Liberation Sans (what fontconfig gives for Helvetica here) matches it;
    /// DejaVu Sans, a common fallback, is 0.64 em. Erring wide only costs a little space.
    static let characterWidth = 0.64

    /// Places every node, filling `positions` and `boxes`.
    mutating func placeNodes() {
        let leftToRight = options.direction == .leftToRight
        boxes = drawing.nodes.map(estimatedSize)
        let sizes = boxes.map { box in
            leftToRight ? GraphDrawing.BoxSize(thickness: box.width, breadth: box.height)
                : GraphDrawing.BoxSize(thickness: box.height, breadth: box.width)
        }
        // Room between layers: for the edges, and beside them for their labels (left to right
        // a label sits across the gap, so the gap must hold the longest one).
        let longestLabel = drawing.nodes.flatMap(\.inputs).compactMap(\.label)
            .map { Double($0.count) * 9 * Self.characterWidth }.max() ?? 0
        let layerGap = leftToRight ? max(40, longestLabel + 24) : 40 + (longestLabel > 0 ? 16 : 0)
        let placement = GraphDrawing.layeredPlacement(of: drawing.nodes, sizes: sizes, layerGap: layerGap)
        positions = zip(placement.across, placement.along).map { across, along in
            leftToRight ? (x: across, y: -along) : (x: along, y: -across)
        }
    }

    /// The size Graphviz will give the box of `label(node)` in points, estimated from its lines
    /// (fonts of 11 and 9 points, 1.2 × the font size per line, the node margins of
    /// `writeDefaults`), erring large.
    func estimatedSize(_ node: GraphDrawing.Node) -> (width: Double, height: Double) {
        func width(_ text: String, fontSize: Double = 11) -> Double { Double(text.count) * fontSize * Self.characterWidth }
        let head = headParts(node, isDone: options.done?.contains(node.key) ?? false)
        var lines: [(width: Double, height: Double)] = []
        if !head.isEmpty { lines.append((width(head.joined(separator: " ")), 15.2)) }
        for row in node.rows { lines.append((width(row.name + "   " + row.value), 15.2)) }
        for map in node.heatMaps {
            lines.append((width(map.name + " ") + Double(map.columns * Self.cellSize + 3), Double(map.rows * Self.cellSize + 3)))
            lines.append((width("-0.0000 … -0.0000", fontSize: 9), 12.8))
        }
        let labelWidth = lines.map(\.width).max() ?? 8, labelHeight = lines.reduce(0) { $0 + $1.height }
        return (labelWidth + 2 * 7.2 + 8, max(labelHeight, 13.2) + 2 * 3.6 + 4)
    }

    /// Where legend `index` (0: gradient colours, 1: heat maps) goes with Lumen's own layout,
    /// as a `pos` attribute: past the last layer, one beside the other. Empty with `dot`.
    func legendPosition(_ index: Int) -> String {
        guard let positions else { return "" }
        let right = zip(positions, boxes).map { $0.x + $1.width / 2 }.max() ?? 0
        let top = zip(positions, boxes).map { $0.y + $1.height / 2 }.max() ?? 0
        let bottom = zip(positions, boxes).map { $0.y - $1.height / 2 }.min() ?? 0
        let place = options.direction == .leftToRight ? (x: right + 120, y: top - 110 - Double(index) * 230)
            : (x: Double(index) * 230 + 90, y: bottom - 130)
        return ", pos=\"\(points(place.x)),\(points(place.y))!\""
    }

    /// A coordinate in points, with two decimals.
    func points(_ value: Double) -> String { String(format: "%.2f", value) }

    /// A length in points as inches, Graphviz's unit for `width` and `height`, rounded up.
    func inches(_ value: Double) -> String { String(format: "%.3f", (value / 72 * 1000).rounded(.up) / 1000) }
}
