// TensorBackpropFrame.swift — one step of a tensor backward as a learner sees it: the node,
// the gradient that arrived at it (upstream, shaped like the node), and what its pullback
// sends to each input, shaped like that input.
//
// The numbers come from Tensors' `TensorBackwardStep`, so they are exactly what `backward()`
// adds. When an input was broadcast in the forward pass (b of shape 5 added to 4×5), its
// contribution is the upstream gradient summed back to its shape; the frame says over which
// axes. The picture shows the node highlighted, its upstream gradient as its heat map, and
// each contribution as a heat map on the edge it travels along.
//
// Read next: FrameWriter.swift (how the picture is written).

import Tensors
import Viz

/// One tensor backward step, explained and drawn.
public struct TensorBackpropFrame: Sendable {
    /// What one input received in this step.
    public struct Contribution: Sendable {
        /// The input's name (its label, or `#id`), its id and shape.
        public let input: String
        public let inputID: Int
        public let shape: [Int]
        /// The contribution's elements, row-major: what this step added to the input's gradient.
        public let elements: [Double]
        /// The axes of the node's shape that were summed away because the input was broadcast
        /// along them (empty when the input has the node's shape or the op is not broadcasting).
        public let summedAxes: [Int]
    }

    /// 1-based position in the walk, and the walk's length.
    public let index: Int
    public let total: Int
    public let title: String
    /// The node's name (label or `#id`), id, op symbol and shape.
    public let node: String
    public let nodeID: Int
    public let op: String
    public let shape: [Int]
    /// ∂root/∂node, row-major.
    public let upstream: [Double]
    /// One per input that requires a gradient, in argument order.
    public let contributions: [Contribution]
    /// The picture: SVG file, PNG file, SVG text, or why there is none.
    public let file: String?
    public let png: String?
    public let svg: String?
    public let problem: String?

    init<Scalar: TensorScalar>(step: TensorBackwardStep<Scalar>, index: Int, total: Int, title: String,
                               done: Set<Int>, root: Tensor<Scalar>, writer: FrameWriter?) {
        self.index = index
        self.total = total
        self.title = title
        let node = step.node
        self.node = TensorBackpropFrame.name(node)
        self.nodeID = node.id
        self.op = [node.op?.symbol, node.opDetail].compactMap { $0 }.joined(separator: " ")
        self.shape = node.shape
        self.upstream = step.upstream.scalars.map(Double.init)
        let broadcasting: Set<Primitive> = [.add, .mul, .pow, .maximum]
        var contributions: [Contribution] = []
        for (input, contribution) in zip(node.inputs, step.contributions) {
            guard let contribution else { continue }
            let summed = broadcasting.contains(node.op!) ? TensorBackpropFrame.summedAxes(from: node.shape, to: input.shape) : []
            contributions.append(Contribution(
                input: TensorBackpropFrame.name(input), inputID: input.id, shape: input.shape,
                elements: contribution.scalars.map(Double.init), summedAxes: summed))
        }
        self.contributions = contributions
        if let writer {
            let sends = contributions.map { c in
                "\(c.input) \(GraphDrawing.formatShape(c.shape))" + (c.summedAxes.isEmpty ? "" : " (summed over axes \(c.summedAxes))")
            }.joined(separator: ", ")
            let caption = "backward step \(index) of \(total): \(self.node) (\(op)) sends its gradient to " + (sends.isEmpty ? "no input" : sends)
            var drawing = GraphDrawing(tracing: root)
            drawing = drawing.mappingNodes { drawn in
                guard drawn.key == node.id else { return drawn }
                var highlighted = drawn
                var next = 0
                for k in highlighted.inputs.indices {
                    let inputID = node.inputs[k].id
                    guard next < contributions.count, contributions[next].inputID == inputID else { continue }
                    let c = contributions[next]
                    next += 1
                    highlighted.inputs[k].label = c.summedAxes.isEmpty ? "→ \(GraphDrawing.formatShape(c.shape))"
                        : "Σ axes \(c.summedAxes) → \(GraphDrawing.formatShape(c.shape))"
                    highlighted.inputs[k].heatMap = HeatMap(name: "sent", elements: c.elements, shape: c.shape)
                }
                return highlighted
            }
            let options = DrawingOptions(title: title, caption: caption, highlighted: node.id, done: done, showsIDs: true)
            let result = writer.write(drawing: drawing, options: options)
            (file, png, svg, problem) = (result.svgFile, result.pngFile, result.svg, result.problem)
        } else {
            (file, png, svg, problem) = (nil, nil, nil, nil)
        }
    }

    static func name<Scalar>(_ tensor: Tensor<Scalar>) -> String { tensor.label ?? "#\(tensor.id)" }

    /// The axes of `output` that an input of shape `input` was broadcast along, NumPy style:
    /// shapes aligned at the right; an axis the input lacks, or has as 1 where the output has
    /// more, was summed away in backward.
    static func summedAxes(from output: [Int], to input: [Int]) -> [Int] {
        let lead = output.count - input.count
        return output.indices.filter { axis in
            axis < lead || (input[axis - lead] == 1 && output[axis] != 1)
        }
    }

    /// The frame as text lines: what the terminal shows and the HTML export prints.
    public func lines(style: TerminalStyle) -> [String] {
        let f = GraphDrawing.format
        func describe(_ elements: [Double], _ shape: [Int]) -> String {
            elements.count <= GraphDrawing.maxElementsShown ? GraphDrawing.formatElements(elements, shape: shape)
                : "\(GraphDrawing.formatShape(shape)), min \(f(elements.min()!)), max \(f(elements.max()!))"
        }
        var out: [String] = []
        out.append(style.bold("Backward step \(index) of \(total)") + style.dim("  ·  \(title)"))
        out.append("")
        out.append("  node        \(style.accent(node)) = \(op)(…)   \(style.dim("shape \(GraphDrawing.formatShape(shape))"))")
        out.append("  upstream    ∂/∂\(node) = \(style.bold(describe(upstream, shape)))")
        for c in contributions {
            out.append("")
            out.append("  to \(style.accent(c.input)) (\(GraphDrawing.formatShape(c.shape))):")
            if !c.summedAxes.isEmpty {
                out.append("    \(c.input) was broadcast in the forward pass, so its share is summed over axes \(c.summedAxes)")
            }
            out.append("    sends     \(style.bold(describe(c.elements, c.shape)))")
        }
        out.append("")
        if let file { out.append(style.dim("  graph: \(file)")) }
        if let png { out.append(style.dim("  graph: \(png)")) }
        if let problem { out.append(style.dim("  (no picture: \(problem))")) }
        return out
    }
}
