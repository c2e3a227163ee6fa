// GraphDrawing+Layout.swift — where each box goes, for graphs too big for Graphviz's `dot`.
//
// Graphviz's `dot` draws the nicest layered pictures, but its cost grows much faster than the
// graph: about 0.8 s of CPU for 1,000 scalar nodes, 8 s for 3,000, more than 30 s for 10,000.
// Above `GraphDrawing.dotLayoutLimit` nodes Lumen places the boxes itself, with the same idea
// made cheap, and Graphviz only draws them where they are told to be (`layout=nop2`: keep each
// node's `pos`, draw edges as straight lines). The idea is the classic layered ("Sugiyama")
// drawing, in three steps:
// 1. Layers. A node's layer is its depth (`GraphDrawing.depths(of:)`): one more than its
//    deepest input; a leaf sits one layer before the first node that uses it.
// 2. Coordinates across the layers. Layers stand side by side (left to right for
//    `rankdir=LR`), each as thick as its thickest box.
// 3. Coordinates along a layer. Each box wants to sit at the mean position of its neighbours
//    (its inputs on a forward sweep, the nodes it feeds on a backward sweep); the boxes of a
//    layer are sorted by that wish and then placed as close to it as they can be without
//    overlapping (`pack`, a pool-adjacent-violators pass: neighbours that collide move as one
//    block to the mean of their wishes).
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
        let depth = depths(of: nodes)
        var layers = [[Int]](repeating: [], count: (depth.max() ?? 0) + 1)
        for position in nodes.indices { layers[depth[position]].append(position) }
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (position, node) in nodes.enumerated() {
            for input in node.inputs { consumers[input.position].append(position) }
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
        func mean(_ neighbours: [Int]) -> Double? {
            neighbours.isEmpty ? nil : neighbours.reduce(0) { $0 + along[$1] } / Double(neighbours.count)
        }
        func place(_ d: Int, wish: (Int) -> Double?) {
            let wishes = layers[d].map { wish($0) ?? along[$0] }
            let order = layers[d].indices.sorted { wishes[$0] != wishes[$1] ? wishes[$0] < wishes[$1] : $0 < $1 }
            layers[d] = order.map { layers[d][$0] }
            let placed = pack(wishes: order.map { wishes[$0] }, breadths: layers[d].map { sizes[$0].breadth })
            for (k, position) in layers[d].enumerated() { along[position] = placed[k] }
        }
        for _ in 0..<layoutSweeps {
            // Forward: toward the inputs (a leaf has none: toward the nodes it feeds).
            for d in layers.indices {
                place(d) { nodes[$0].inputs.isEmpty ? mean(consumers[$0]) : mean(nodes[$0].inputs.map(\.position)) }
            }
            // Backward: toward the nodes each one feeds (the root feeds none: stays).
            for d in layers.indices.reversed() {
                place(d) { mean(consumers[$0]) }
            }
        }
        return Placement(across: nodes.indices.map { layerCentre[depth[$0]] }, along: along)
    }

    /// Centres for boxes in a row, in the given order, as close to `wishes` as they can be
    /// (least squares) while each box keeps `boxGap` from the next.
    ///
    /// Pool adjacent violators: each box starts as a block of its own at its wish; while a
    /// block would overlap the block before it, the two merge into one block placed at the
    /// mean of its members' wishes (each wish shifted by the member's offset in the block).
    static func pack(wishes: [Double], breadths: [Double]) -> [Double] {
        // A block: its first box, how many boxes, the sum of (wish − offset), its length.
        var blocks: [(first: Int, count: Int, sum: Double, length: Double)] = []
        for k in wishes.indices {
            var block = (first: k, count: 1, sum: wishes[k], length: breadths[k])
            while let last = blocks.last {
                let lastStart = last.sum / Double(last.count) - breadths[last.first] / 2
                let start = block.sum / Double(block.count) - breadths[block.first] / 2
                guard lastStart + last.length + boxGap > start else { break }
                // Merge: the later boxes' offsets grow by the earlier block's length + gap.
                let shift = last.length + boxGap + breadths[block.first] / 2 - breadths[last.first] / 2
                block = (last.first, last.count + block.count, last.sum + block.sum - shift * Double(block.count),
                         last.length + boxGap + block.length)
                blocks.removeLast()
            }
            blocks.append(block)
        }
        var centres = [Double](repeating: 0, count: wishes.count)
        for block in blocks {
            var next = block.sum / Double(block.count) - breadths[block.first] / 2
            for k in block.first..<(block.first + block.count) {
                centres[k] = next + breadths[k] / 2
                next += breadths[k] + boxGap
            }
        }
        return centres
    }
}
