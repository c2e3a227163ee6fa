// GraphDrawing+Fit.swift — a drawing made to fit a laptop screen without shrinking its text:
// turned, and if need be folded around the node that matters.
//
// Graphviz scales a picture that is too big down to its page, text and all, and a long graph
// laid out left to right (an LSTM unrolled over two steps, an attention block) is thousands of
// pixels wide. Lesson frames never let that happen. Before drawing, the picture's size is
// estimated from its layers, the same depths Lumen's own layout uses: across the layers, each
// as thick as its thickest box; along a layer, its boxes side by side (`estimatedExtent`).
// Then (`fitted(within:options:)`):
// 1. If the drawing fits flowing the way it was asked to (left to right by default), it stays
//    so; else, if it fits flowing the other way, it is turned.
// 2. If it fits neither way, it keeps a window of consecutive depths around the node that
//    matters (the highlighted one, which backward is at; the root when none is), as many as
//    fit, and the depths before and after the window fold into one box each that counts what
//    it holds (`fold`, GraphDrawing+Summary.swift). Nothing is dropped.
// Text keeps its size: 11-point labels and 9-point edge labels are 14.7 and 12 pixels at
// Graphviz's 96 dpi.
//
// Read next: GraphDrawing+DOT.swift, which writes the drawing that fits.

extension GraphDrawing {
    /// The largest side of a lesson frame, in points: 1,500 points are 2,000 pixels at 96 dpi.
    public static let screenLimit = 1_500.0

    /// Graphviz's gaps between the boxes of a layer and between layers (`nodesep`, `ranksep`
    /// in `writeDefaults`), and the padding round the picture, in points.
    static let nodeGap = 18.0, layerGap = 28.8, picturePad = 14.4

    /// The size, in points, that Graphviz's `dot` gives `dot(options:)`, estimated from the
    /// layers (see the top of this file), erring large. Long edges count as a small box in each
    /// layer they pass; edge labels, op nodes, the legends and the heading add their own room.
    public func estimatedExtent(options: DrawingOptions) -> (width: Double, height: Double) {
        let writer = DOTWriter(drawing: self, options: options)
        let leftToRight = options.direction == .leftToRight
        let depth = GraphDrawing.depths(of: nodes)
        let layerCount = (depth.max() ?? 0) + 1
        var thickness = [Double](repeating: 0, count: layerCount)
        var breadth = [Double](repeating: 0, count: layerCount)
        /// Across and along for a box `width` × `height`.
        func turned(_ width: Double, _ height: Double) -> (across: Double, along: Double) {
            leftToRight ? (width, height) : (height, width)
        }
        var opLayers = Set<Int>()
        var labelThickness: [Int: Double] = [:]
        for (k, node) in nodes.enumerated() {
            let box = turned(writer.estimatedSize(node).width, writer.estimatedSize(node).height)
            thickness[depth[k]] = max(thickness[depth[k]], box.across)
            breadth[depth[k]] += box.along + Self.nodeGap
            if node.op != nil && !node.opInside { opLayers.insert(depth[k]) }
            for input in node.inputs {
                for d in stride(from: depth[input.position] + 1, to: depth[k], by: 1) { breadth[d] += Self.nodeGap }
                guard let label = input.label, options.done.map({ $0.contains(node.key) || options.highlighted == node.key }) ?? true
                else { continue }
                var size = (width: Double(label.count) * 9 * DOTWriter.characterWidth, height: 13.0)
                if let map = input.heatMap {
                    size = (max(size.width, Double(map.columns * DOTWriter.cellSize + 3)), size.height + Double(map.rows * DOTWriter.cellSize + 5))
                }
                let room = turned(size.width + 8, size.height + 4)
                labelThickness[depth[k]] = max(labelThickness[depth[k]] ?? 0, room.across)
                breadth[depth[k]] += room.along
            }
        }
        // An op drawn as its own small node (scalar graphs) takes a layer of its own.
        let opThickness = leftToRight ? 40.0 : 26.0
        var across = thickness.reduce(0, +) + Double(layerCount - 1) * Self.layerGap
            + Double(opLayers.count) * (opThickness + Self.layerGap) + labelThickness.values.reduce(0) { $0 + $1 + Self.layerGap / 2 }
        var along = breadth.max() ?? 0
        // The legends sit in a layer after the root, side by side.
        let hasGradients = nodes.contains { $0.gradientMagnitude != nil || $0.isNonFinite }
        let hasMaps = nodes.contains { !$0.heatMaps.isEmpty }
        if options.showsLegend && (hasGradients || hasMaps) {
            let legends = [hasGradients ? turned(100, 150) : nil, hasMaps ? turned(130, 80) : nil].compactMap { $0 }
            across += Self.layerGap + (legends.map(\.across).max() ?? 0)
            along = max(along, legends.reduce(0) { $0 + $1.along + Self.nodeGap })
        }
        var (width, height) = leftToRight ? (across, along) : (along, across)
        // The heading: a 16-point title and 12-point caption lines above the graph.
        let captionLines = options.caption.map { $0.split(separator: "\n", omittingEmptySubsequences: false) } ?? []
        let titleWidth = Double(options.title?.count ?? 0) * 16 * DOTWriter.characterWidth
        let captionWidth = captionLines.map { Double($0.count) * 12 * DOTWriter.characterWidth }.max() ?? 0
        width = max(width, titleWidth, captionWidth)
        height += (options.title == nil ? 0 : 22) + Double(captionLines.count) * 16
        return (width + 2 * Self.picturePad, height + 2 * Self.picturePad)
    }

    /// This drawing and options that fit within `limit` points on each side (see the top of
    /// this file): as asked, turned, or folded around the highlighted node (the root when
    /// none is). A drawing that Lumen lays out itself (over `dotLayoutLimit` nodes) is
    /// returned as it is. When even the narrowest window does not fit, that window is drawn.
    public func fitted(within limit: Double = GraphDrawing.screenLimit,
                       options: DrawingOptions) -> (drawing: GraphDrawing, options: DrawingOptions) {
        guard !usesOwnLayout, !nodes.isEmpty else { return (self, options) }
        var turned = options
        turned.direction = options.direction == .leftToRight ? .topToBottom : .leftToRight
        /// The options, as asked or turned, under which `drawing` fits; nil if neither does.
        func fitting(_ drawing: GraphDrawing) -> DrawingOptions? {
            [options, turned].first { choice in
                let extent = drawing.estimatedExtent(options: choice)
                return extent.width <= limit && extent.height <= limit
            }
        }
        if let choice = fitting(self) { return (self, choice) }

        // 2. A window of depths around the node that matters, widened one depth at a time
        // (first toward its inputs, then by turns) while it fits.
        let depth = GraphDrawing.depths(of: nodes)
        let deepest = depth.max()!
        let centre = options.highlighted.flatMap { key in nodes.firstIndex { $0.key == key } }.map { depth[$0] } ?? deepest
        var window = centre...centre
        var best = (drawing: folded(keeping: window, depth: depth), options: options)
        if let choice = fitting(best.drawing) { best.options = choice } else {
            // Even one depth is too big: draw it the way that is smaller.
            let asked = best.drawing.estimatedExtent(options: options), other = best.drawing.estimatedExtent(options: turned)
            if max(other.width, other.height) < max(asked.width, asked.height) { best.options = turned }
            return best
        }
        var towardInputs = true
        var blocked = (inputs: window.lowerBound == 0, output: window.upperBound == deepest)
        while !(blocked.inputs && blocked.output) {
            if blocked.inputs { towardInputs = false } else if blocked.output { towardInputs = true }
            let wider = towardInputs ? (window.lowerBound - 1)...window.upperBound : window.lowerBound...(window.upperBound + 1)
            let drawing = folded(keeping: wider, depth: depth)
            if let choice = fitting(drawing) {
                window = wider
                best = (drawing, choice)
                if towardInputs { blocked.inputs = wider.lowerBound == 0 } else { blocked.output = wider.upperBound == deepest }
            } else if towardInputs {
                blocked.inputs = true
            } else {
                blocked.output = true
            }
            towardInputs.toggle()
        }
        return best
    }

    /// The drawing with the nodes deeper than `window` folded into one box and the nodes
    /// shallower folded into another (`depth` as `depths(of:)` gives it). The boxes get keys
    /// below every node's, so they are never highlighted or marked done.
    func folded(keeping window: ClosedRange<Int>, depth: [Int]) -> GraphDrawing {
        let deepest = depth.max() ?? 0
        let before = window.lowerBound == 1 ? "depth 0" : "depths 0–\(window.lowerBound - 1)"
        let after = window.upperBound + 1 == deepest ? "depth \(deepest)" : "depths \(window.upperBound + 1)–\(deepest)"
        let groups = nodes.indices.map { k -> String? in
            depth[k] < window.lowerBound ? before : depth[k] > window.upperBound ? after : nil
        }
        guard groups.contains(where: { $0 != nil }) else { return self }
        let lowest = nodes.map(\.key).min() ?? 0
        var folded = GraphDrawing.fold(nodes, groups: groups, names: { $0 })
        for k in folded.indices where folded[k].title == before || folded[k].title == after {
            folded[k].key = lowest - 1 - (folded[k].title == before ? 0 : 1)
        }
        return GraphDrawing(checkedNodes: folded, totalCount: totalCount)
    }
}
