// GraphDrawing+Repeats.swift — the same small subgraph used many times, folded into one box
// that says how many times and what it computes: a summary by structure.
//
// Two nodes have the same *shape* when the same op made them from inputs of the same shapes
// (every leaf has one shape). Shapes are numbered as they are met, so finding them is one pass
// in topological order. A shape with at least `minimumRepeats` copies, each a small tree
// (2 … `maximumRepeatSize` nodes), is a repeated subgraph when its copies are not themselves
// inside copies of a larger repeated shape: all its copies, each with the nodes only it uses,
// become one box, such as "×14,286: tanh((leaf × leaf) + leaf)". The nodes around them (the
// running sum that adds the copies up, say) stay, and fold by depth if still too many.
// Copies never depend on one another: a copy that used another's result would have a larger
// shape than the other, so the fold never makes a cycle.
//
// Read next: GraphDrawing+DOT.swift.

extension GraphDrawing {
    /// The fewest copies of a subgraph that are folded into one box.
    public static let minimumRepeats = 8
    /// The largest subgraph (in nodes, counted as a tree) that is looked for as a repeat.
    public static let maximumRepeatSize = 64

    /// For each node, the title of the repeated-subgraph box it folds into, or nil.
    static func repeatedSubgraphs(of nodes: [Node]) -> [String?] {
        struct Key: Hashable {
            var op: String?
            var inputs: [Int]
        }
        // 1. Shapes (interned), tree sizes (capped), and a description of each small shape.
        var shapeOf = [Int](repeating: 0, count: nodes.count)
        var size = [Int](repeating: 0, count: nodes.count)
        var shapeIDs: [Key: Int] = [:]
        var descriptions: [String?] = []
        var copies: [Int] = []
        var consumers = [[Int]](repeating: [], count: nodes.count)
        for (position, node) in nodes.enumerated() {
            let inputShapes = node.inputs.map { shapeOf[$0.position] }
            let key = Key(op: node.op.map { String($0.prefix { $0 != "\n" }) }, inputs: inputShapes)
            size[position] = min(maximumRepeatSize + 1, 1 + node.inputs.reduce(0) { $0 + size[$1.position] })
            if let known = shapeIDs[key] {
                shapeOf[position] = known
            } else {
                shapeOf[position] = descriptions.count
                shapeIDs[key] = descriptions.count
                descriptions.append(size[position] <= maximumRepeatSize ? formula(key.op, inputShapes.map { descriptions[$0] }) : nil)
                copies.append(0)
            }
            copies[shapeOf[position]] += 1
            for input in node.inputs { consumers[input.position].append(position) }
        }
        func repeats(_ position: Int) -> Bool {
            copies[shapeOf[position]] >= minimumRepeats && size[position] >= 2 && size[position] <= maximumRepeatSize
        }
        // 2. Roots: repeated nodes not feeding only repeated nodes (so the largest repeat wins),
        //    each claiming the nodes under it that only it uses.
        var group = [String?](repeating: nil, count: nodes.count)
        var roots: [Int: Int] = [:]  // shape -> how many copies were folded
        for position in nodes.indices.reversed() where group[position] == nil && repeats(position)
            && !(consumers[position].count > 0 && consumers[position].allSatisfy(repeats)) {
            let shape = shapeOf[position]
            var subtree: Set<Int> = [position]
            var stack = [position]
            while let next = stack.popLast() {
                for input in nodes[next].inputs where subtree.insert(input.position).inserted { stack.append(input.position) }
            }
            let name = "repeat \(shape)"
            group[position] = name
            // Consumers come later in the order: going down the positions, a node joins once
            // every node that uses it has joined.
            for member in subtree.sorted(by: >) where member != position && group[member] == nil
                && consumers[member].allSatisfy({ group[$0] == name && subtree.contains($0) }) {
                group[member] = name
            }
            roots[shape, default: 0] += 1
        }
        return group.map { name in
            guard let name, let shape = Int(name.dropFirst("repeat ".count)) else { return nil }
            return "×\(groupedDigits(roots[shape]!)): \(descriptions[shape] ?? "a repeated subgraph")"
        }
    }

    /// A shape as a formula: `leaf`, `tanh(x)`, `(a × b)` for one-character binary ops.
    static func formula(_ op: String?, _ inputs: [String?]) -> String? {
        guard let op else { return "leaf" }
        let parts = inputs.map { $0 ?? "…" }
        if parts.count == 2 && op.count == 1 { return "(\(parts[0]) \(op) \(parts[1]))" }
        // A function's argument needs no parentheses of its own: tanh(a + b), not tanh((a + b)).
        let bare = parts.map { $0.hasPrefix("(") && $0.hasSuffix(")") ? String($0.dropFirst().dropLast()) : $0 }
        return "\(op)(\(bare.joined(separator: ", ")))"
    }
}
