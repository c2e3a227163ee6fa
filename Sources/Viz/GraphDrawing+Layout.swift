// GraphDrawing+Layout.swift — where each box goes, for graphs too big for Graphviz's `dot`.
//
// Graphviz's `dot` draws the nicest layered pictures, but its cost grows much faster than the
// graph: about 0.8 s of CPU for 1,000 scalar nodes, 8 s for 3,000, more than 30 s for 10,000.
// Above `GraphDrawing.dotLayoutLimit` nodes Lumen places the boxes itself, with the same idea
// made cheap, and Graphviz only draws them where they are told to be (`layout=nop2`: keep each
// node's `pos`, draw edges as straight lines). The idea is the classic layered ("Sugiyama")
// drawing, in three steps:
// 1. Layers, as late as possible: each node sits one layer before the first node that uses
//    it (the root, which feeds nothing, at its depth: one more than its deepest input). So the
//    terms of a long sum each sit next to the addition that takes them, not all in one layer.
// 2. Coordinates across the layers. Layers stand side by side (left to right for
//    `rankdir=LR`), each as thick as its thickest box.
// 3. Coordinates along a layer. Each box wants to sit level with its most important
//    neighbours (on a forward sweep its inputs, on a backward sweep the nodes it feeds; the
//    important ones are the deepest, the mean of them if several tie), so a long chain such
//    as a running sum stays one straight line and its terms hang beside it. The boxes of a
//    layer are sorted by that wish, then placed in order of importance, each as close to its
//    wish as the boxes placed before it allow (`placeByPriority`, the "priority method" of
//    layered drawing).
// Every sweep is linear in nodes and edges, apart from sorting each layer, so a 10,000-node
// graph is laid out in milliseconds, and the drawing keeps every node.
//
// Read next: GraphDrawing+DOT.swift, which writes the positions as `pos` attributes.

extension GraphDrawing {
    /// Up to this many nodes a drawing is laid out by Graphviz's `dot`; above it, by Lumen's
    /// own layered layout (this file), which is fast at any size.
    public static let dotLayoutLimit = 1_000

    /// Whether `dot(options:)` gives this drawing positions of its own (see the top of
    /// GraphDrawing+Layout.swift) rather than leaving the layout to Graphviz's `dot`.
    public var usesOwnLayout: Bool { nodes.count > GraphDrawing.dotLayoutLimit }

    /// A box's size in points: `thickness` across the layers (its width when the graph flows
    /// left to right), `breadth` along its layer.
    struct BoxSize {
        var thickness: Double
        var breadth: Double
    }

    /// Where each node's centre goes, in points: `across` (which layer) and `along` (where in
    /// its layer). Positions are indexed like `nodes`.
    struct Placement {
        var across: [Double]
        var along: [Double]
    }

    /// Gap between the boxes of one layer, in points.
    static let boxGap = 12.0
    /// Forward-and-backward sweeps of step 3.
    static let layoutSweeps = 3

    /// Places every node (see the top of this file). `sizes[k]` is node k's box; `layerGap` is
    /// the room between layers, for edges and their labels.
    static func layeredPlacement(of nodes: [Node], sizes: [BoxSize], layerGap: Double) -> Placement {
        // 1. Layers, each in topological order to start with.
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (position, node) in nodes.enumerated() {
            for input in node.inputs { consumers[input.position].append(position) }
        }
        var depth = depths(of: nodes)
        for position in nodes.indices.reversed() where !consumers[position].isEmpty {
            depth[position] = consumers[position].map { depth[$0] }.min()! - 1
        }
        let shallowest = depth.min() ?? 0
        var layers = [[Int]](repeating: [], count: (depth.max() ?? 0) - shallowest + 1)
        for position in nodes.indices {
            depth[position] -= shallowest
            layers[depth[position]].append(position)
        }

        // 2. Across: each layer as thick as its thickest box.
        var layerCentre = [Double](repeating: 0, count: layers.count)
        var edge = 0.0
        for (d, layer) in layers.enumerated() {
            let thickness = layer.map { sizes[$0].thickness }.max() ?? 0
            layerCentre[d] = edge + thickness / 2
            edge += thickness + layerGap
        }

        // 3. Along: start stacked, then sweep.
        var along = [Double](repeating: 0, count: nodes.count)
        for layer in layers {
            var next = 0.0
            for position in layer {
                along[position] = next + sizes[position].breadth / 2
                next += sizes[position].breadth + boxGap
            }
        }
        // Importance: the longest path from the leaves (the spine of a running sum is deepest).
        let importance = depths(of: nodes)
        /// Where the most important of `neighbours` sit (their mean when several tie).
        func level(_ neighbours: [Int]) -> Double? {
            guard let top = neighbours.map({ importance[$0] }).max() else { return nil }
            let chosen = neighbours.filter { importance[$0] == top }
            return chosen.reduce(0) { $0 + along[$1] } / Double(chosen.count)
        }
        func place(_ d: Int, wish: (Int) -> Double?) {
            let wishes = layers[d].map { wish($0) ?? along[$0] }
            let order = layers[d].indices.sorted { wishes[$0] != wishes[$1] ? wishes[$0] < wishes[$1] : $0 < $1 }
            layers[d] = order.map { layers[d][$0] }
            let placed = placeByPriority(wishes: order.map { wishes[$0] }, breadths: layers[d].map { sizes[$0].breadth },
                                         priorities: layers[d].map { importance[$0] })
            for (k, position) in layers[d].enumerated() { along[position] = placed[k] }
        }
        for _ in 0..<layoutSweeps {
            // Forward: toward the inputs (a leaf has none: toward the nodes it feeds).
            for d in layers.indices {
                place(d) { nodes[$0].inputs.isEmpty ? level(consumers[$0]) : level(nodes[$0].inputs.map(\.position)) }
            }
            // Backward: toward the nodes each one feeds (the root feeds none: stays).
            for d in layers.indices.reversed() {
                place(d) { level(consumers[$0]) }
            }
        }
        return Placement(across: nodes.indices.map { layerCentre[depth[$0]] }, along: along)
    }

    /// Centres for boxes in a row, in the given order, each `boxGap` from the next: boxes are
    /// placed one at a time, most important first (ties: earlier first), each at its wish or
    /// as near as the boxes already placed allow, leaving room for the ones still to come
    /// between them.
    static func placeByPriority(wishes: [Double], breadths: [Double], priorities: [Int]) -> [Double] {
        let n = wishes.count
        // room[k]: the length boxes 0..<k take, each with the gap after it.
        var room = [Double](repeating: 0, count: n + 1)
        for k in 0..<n { room[k + 1] = room[k] + breadths[k] + boxGap }
        var centre = [Double?](repeating: nil, count: n)
        let byImportance = wishes.indices.sorted { priorities[$0] != priorities[$1] ? priorities[$0] > priorities[$1] : $0 < $1 }
        for k in byImportance {
            var low = -Double.infinity, high = Double.infinity
            if let left = (0..<k).last(where: { centre[$0] != nil }) {
                low = centre[left]! + breadths[left] / 2 + boxGap + (room[k] - room[left + 1]) + breadths[k] / 2
            }
            if let right = ((k + 1)..<n).first(where: { centre[$0] != nil }) {
                high = centre[right]! - breadths[right] / 2 - boxGap - (room[right] - room[k + 1]) - breadths[k] / 2
            }
            centre[k] = min(max(wishes[k], low), high)
        }
        return centre.map { $0! }
    }
}
