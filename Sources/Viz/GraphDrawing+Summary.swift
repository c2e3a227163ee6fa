// GraphDrawing+Summary.swift — a graph too big to draw node by node, drawn as boxes that each
// say what they hold.
//
// Nothing is dropped: every node of the traced graph lands in exactly one box, and each box
// counts its nodes and ops ("2,000 nodes: 1,000 +, 999 leaves, 1 tanh"). Three kinds of group
// fold, in this order, until the drawing fits:
// 1. Modules: nodes that share a `cluster` name (one layer of a model) become one box.
// 2. Repeated subgraphs: every copy of a small subgraph used many times becomes one box saying
//    how many copies and what each computes (GraphDrawing+Repeats.swift).
// 3. Depth bands: nodes at similar depth, that is, at similar distance from the graph's
//    inputs, become one box each. A long chain becomes a short chain of boxes, and the
//    layers of a wide network become one box per stretch of layers.
// Edges between boxes are kept (one per pair of boxes, labelled with how many edges it stands
// for), so the picture still shows which part feeds which.
//
// Read next: GraphDrawing+DOT.swift.

import Basics

extension GraphDrawing {
    /// The number of depth bands a summary aims for: few enough to read, and far below any
    /// sensible `nodeLimit`.
    public static let summaryBands = 40

    /// `nodes` (in topological order, more than `limit` of them) folded into at most `limit`
    /// boxes: clusters first, then repeated subgraphs, then depth bands (see the top of this file).
    public static func summarizing(_ nodes: [Node], limit: Int) -> GraphDrawing {
        let total = nodes.count
        var nodes = nodes
        // 1. Modules.
        let clusterGroups = nodes.map(\.cluster)
        if clusterGroups.contains(where: { $0 != nil }) {
            let folded = fold(nodes, groups: clusterGroups, names: { $0 })
            if folded.count <= limit { return GraphDrawing(checkedNodes: folded, totalCount: total) }
        }
        // 2. Repeated subgraphs; what is left folds by depth.
        let repeats = repeatedSubgraphs(of: nodes)
        var kept: Set<Int> = []  // the repeat boxes, kept out of the depth bands when few enough
        if repeats.contains(where: { $0 != nil }) {
            let titles = Set(repeats.compactMap { $0 })
            nodes = fold(nodes, groups: repeats, names: { $0 })
            if nodes.count <= limit { return GraphDrawing(checkedNodes: nodes, totalCount: total) }
            kept = Set(nodes.indices.filter { nodes[$0].represents > 1 && titles.contains(nodes[$0].title ?? "") })
            if kept.count > limit / 2 { kept = [] }
        }
        // 3. Depth bands, over the whole graph.
        let depth = depths(of: nodes)
        let bands = bandsOfDepth(depth, count: min(summaryBands, limit - kept.count))
        let groups = depth.indices.map { kept.contains($0) ? nil : Optional(String(bands[depth[$0]])) }
        let bandRanges = Dictionary(grouping: depth.indices.filter { !kept.contains($0) }, by: { bands[depth[$0]] })
            .mapValues { members in (members.map { depth[$0] }.min()!, members.map { depth[$0] }.max()!) }
        let folded = fold(nodes, groups: groups, names: { name in
            let (low, high) = bandRanges[Int(name)!]!
            return low == high ? "depth \(low)" : "depths \(low)–\(high)"
        })
        return GraphDrawing(checkedNodes: folded, totalCount: total)
    }

    /// The depth of each node: 1 + the largest depth of its inputs for a node with inputs;
    /// for a leaf, one less than the smallest depth of the nodes it feeds (so a parameter sits
    /// next to where it is used, not with every other leaf at depth 0), and 0 if it feeds none.
    static func depths(of nodes: [Node]) -> [Int] {
        var depth = [Int](repeating: 0, count: nodes.count)
        for (position, node) in nodes.enumerated() where !node.inputs.isEmpty {
            depth[position] = 1 + node.inputs.map { depth[$0.position] }.max()!
        }
        var leafDepth = [Int?](repeating: nil, count: nodes.count)
        for (position, node) in nodes.enumerated() {
            for input in node.inputs where nodes[input.position].inputs.isEmpty {
                leafDepth[input.position] = min(leafDepth[input.position] ?? .max, depth[position] - 1)
            }
        }
        for position in nodes.indices where nodes[position].inputs.isEmpty {
            depth[position] = leafDepth[position] ?? 0
        }
        return depth
    }

    /// Splits the depths 0...max into at most `count` consecutive bands holding about the same
    /// number of nodes each; returns the band of each depth.
    static func bandsOfDepth(_ depth: [Int], count: Int) -> [Int] {
        let deepest = depth.max() ?? 0
        var perDepth = [Int](repeating: 0, count: deepest + 1)
        for d in depth { perDepth[d] += 1 }
        let target = max(1, (depth.count + count - 1) / count)
        var band = [Int](repeating: 0, count: deepest + 1)
        var current = 0, filled = 0
        for d in 0...deepest {
            if filled >= target && current < count - 1 {
                current += 1
                filled = 0
            }
            band[d] = current
            filled += perDepth[d]
        }
        return band
    }

    /// Folds each group (nodes with the same non-nil name in `groups`) into one box titled
    /// `names(group)`; other nodes stay as they are. Returns the new nodes in topological order.
    ///
    /// A box's inputs are the boxes (or single nodes) outside it that feed any of its members,
    /// each once, labelled `×n` when n edges go that way. Groups must not form a cycle through
    /// nodes outside them (modules run one after another and depth bands never do).
    static func fold(_ nodes: [Node], groups: [String?], names: (String) -> String) -> [Node] {
        // Units: a group, or a node in no group. unit[position] says which unit a node is in.
        var unitOfGroup: [String: Int] = [:]
        var unit = [Int](repeating: 0, count: nodes.count)
        var members: [[Int]] = []
        for position in nodes.indices {
            if let group = groups[position] {
                if let existing = unitOfGroup[group] {
                    unit[position] = existing
                    members[existing].append(position)
                    continue
                }
                unitOfGroup[group] = members.count
            }
            unit[position] = members.count
            members.append([position])
        }
        // Each unit's inputs (units), with how many edges each stands for, in first-seen order.
        var inputs: [[(unit: Int, edges: Int)]] = Array(repeating: [], count: members.count)
        for (u, list) in members.enumerated() {
            var index: [Int: Int] = [:]
            for position in list {
                for input in nodes[position].inputs where unit[input.position] != u {
                    let from = unit[input.position]
                    if let k = index[from] {
                        inputs[u][k].edges += 1
                    } else {
                        index[from] = inputs[u].count
                        inputs[u].append((from, 1))
                    }
                }
            }
        }
        // Topological order of the units: Kahn's algorithm, taking ready units in the order of
        // their last member, so the result follows the original order where it can.
        var consumers: [[Int]] = Array(repeating: [], count: members.count)
        var waiting = inputs.map(\.count)
        for (u, list) in inputs.enumerated() {
            for input in list { consumers[input.unit].append(u) }
        }
        var ready = Heap(members.indices.filter { waiting[$0] == 0 }.map { (members[$0].last!, $0) })
        var order: [Int] = []
        var newPosition = [Int](repeating: -1, count: members.count)
        while let (_, u) = ready.popMin() {
            newPosition[u] = order.count
            order.append(u)
            for consumer in consumers[u] {
                waiting[consumer] -= 1
                if waiting[consumer] == 0 { ready.insert((members[consumer].last!, consumer)) }
            }
        }
        trapUnless(order.count == members.count, "GraphDrawing.fold: the groups form a cycle")

        return order.map { u -> Node in
            let list = members[u]
            if groups[list[0]] == nil {
                var node = nodes[list[0]]
                node.inputs = node.inputs.map { input in
                    var moved = input  // its label and heat map stay
                    moved.position = newPosition[unit[input.position]]
                    return moved
                }
                return node
            }
            let edges = inputs[u].map { Input(newPosition[$0.unit], label: $0.edges > 1 ? "×\($0.edges)" : nil) }
            return box(of: list.map { nodes[$0] }, title: names(groups[list[0]]!), inputs: edges)
        }
    }

    /// One box standing for `members`: how many nodes, which ops (most frequent first), the
    /// largest gradient among them (for its colour), and whether any number went bad.
    static func box(of members: [Node], title: String, inputs: [Input]) -> Node {
        var opCounts: [String: Int] = [:]
        for member in members {
            // A member that is itself a box (folded before) counts under its own title.
            let op = member.op.map { String($0.prefix(while: { $0 != "\n" })) }
                ?? (member.represents > 1 ? member.title ?? "folded" : "leaf")
            opCounts[op, default: 0] += member.represents
        }
        let ops = opCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let shownOps = ops.prefix(4).map { "\(groupedDigits($0.value)) \($0.key)" }.joined(separator: ", ")
            + (ops.count > 4 ? ", …" : "")
        let count = members.reduce(0) { $0 + $1.represents }
        let magnitudes = members.compactMap(\.gradientMagnitude)
        return Node(
            key: members.last!.key, title: title,
            rows: [Row("holds", "\(groupedDigits(count)) node\(count == 1 ? "" : "s")"), Row("ops", shownOps)],
            gradientMagnitude: magnitudes.isEmpty ? nil : magnitudes.max(),
            isNonFinite: members.contains(where: \.isNonFinite),
            inputs: inputs, represents: count)
    }

    /// 1234567 as "1,234,567" (for counts, which are never negative).
    public static func groupedDigits(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}

/// A small binary min-heap of (key, value) pairs, for `fold`'s topological order.
private struct Heap {
    private var items: [(Int, Int)]

    init(_ items: [(Int, Int)]) {
        self.items = []
        for item in items { insert(item) }
    }

    mutating func insert(_ item: (Int, Int)) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> (Int, Int)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
