// BackpropFrame.swift — one step of backward as a learner sees it: the node, the gradient that
// arrived at it (upstream), and for each input the local derivative and their product.
//
// The numbers come from Engine's `BackwardStep`, so they are exactly what `backward()` adds.
// Read next: FrameWriter.swift (the picture of the graph at this step).

import Engine

/// One backward step, explained and drawn.
public struct BackpropFrame: Sendable {
    /// One input edge of the node: what the chain rule sent along it.
    public struct Edge: Sendable, Equatable {
        /// The input's name (its label, or `#id`).
        public let input: String
        /// ∂node/∂input.
        public let local: Double
        /// upstream × local, added to the input's gradient.
        public let contribution: Double
        /// The input's gradient after this step added the contribution.
        public let inputGradAfter: Double
    }

    /// 1-based position in the walk, and the walk's length.
    public let index: Int
    public let total: Int
    /// The title of the walk (the expression).
    public let title: String
    /// The root's name, for ∂root/∂node.
    public let rootName: String
    /// The node's name, its op symbol (nil for a leaf) and its value.
    public let node: String
    public let nodeID: Int
    public let op: String?
    public let data: Double
    /// ∂root/∂node, the gradient that arrived at the node.
    public let upstream: Double
    public let edges: [Edge]
    /// The picture's SVG file, the same picture as PNG, its SVG text (for the HTML export),
    /// or why there is none.
    public let file: String?
    public let png: String?
    public let svg: String?
    public let problem: String?

    init(step: BackwardStep, index: Int, total: Int, title: String, done: Set<Int>, root: Value, writer: FrameWriter?) {
        self.index = index
        self.total = total
        self.title = title
        self.rootName = BackpropFrame.name(root)
        self.node = BackpropFrame.name(step.node)
        self.nodeID = step.node.id
        self.op = step.node.op?.symbol
        self.data = step.node.data
        self.upstream = step.upstream
        self.edges = step.contributions.map { input, local, contribution in
            Edge(input: BackpropFrame.name(input), local: local, contribution: contribution,
                 inputGradAfter: input.grad ?? 0)
        }
        if let writer {
            let caption = "backward step \(index) of \(total): " + (edges.isEmpty
                ? "\(node) is a leaf; its gradient \(num(step.upstream)) is final"
                : "\(node) sends " + edges.map { "\(num($0.contribution)) to \($0.input)" }.joined(separator: ", "))
            let result = writer.write(root: root, title: title, caption: caption, highlighted: step.node.id, done: done)
            (file, png, svg, problem) = (result.svgFile, result.pngFile, result.svg, result.problem)
        } else {
            (file, png, svg, problem) = (nil, nil, nil, nil)
        }
    }

    static func name(_ value: Value) -> String { value.label ?? "#\(value.id)" }

    /// The frame as text lines: what the terminal shows and the HTML export prints.
    public func lines(style: TerminalStyle) -> [String] {
        var out: [String] = []
        out.append(style.bold("Backward step \(index) of \(total)") + style.dim("  ·  \(title)"))
        out.append("")
        let what = op.map { "made by \($0)" } ?? "a leaf (an input or a parameter)"
        out.append("  node        \(style.accent(node)) = \(num(data))   \(style.dim(what))")
        out.append("  upstream    ∂\(rootName)/∂\(node) = \(style.bold(num(upstream)))")
        if edges.isEmpty {
            out.append("")
            out.append("  A leaf has no inputs: its gradient \(num(upstream)) is final.")
        }
        for edge in edges {
            out.append("")
            out.append("  to \(style.accent(edge.input)):")
            out.append("    local     ∂\(node)/∂\(edge.input) = \(num(edge.local))")
            out.append("    product   \(num(upstream)) × \(num(edge.local)) = \(style.bold(num(edge.contribution)))")
            out.append("    \(edge.input).grad is now \(num(edge.inputGradAfter))")
        }
        out.append("")
        if let file { out.append(style.dim("  graph: \(file)")) }
        if let png { out.append(style.dim("  graph: \(png)")) }
        if let problem { out.append(style.dim("  (no picture: \(problem))")) }
        return out
    }
}
