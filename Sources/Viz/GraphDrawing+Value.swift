// GraphDrawing+Value.swift — a scalar `Value` graph as a drawing.
//
// Each `Value` becomes one node showing its label, `data` and `grad`; a node made by an
// operation also gets a small op node (`+`, `×`, `tanh`, ...) between it and its inputs, as in
// micrograd's pictures. With edge labels on, each edge into an op node shows the chain rule
// for that input: upstream × local = contribution.
//
// Read next: GraphDrawing+DOT.swift (the drawing as Graphviz text).

import Basics
import Engine

extension GraphDrawing {
    /// A drawing of every node that `root` depends on, ending with `root`.
    ///
    /// - Each node's title is its `label`, its rows are `data` and `grad` (`—` before backward
    ///   reaches it), its key is its `id`, and its op is `op.symbol`.
    /// - With `edgeLabels`, the edge from input i into a node reads
    ///   `upstream × local = contribution`, where upstream = ∂root/∂node (the node's `grad`),
    ///   local = ∂node/∂inputᵢ (`localDerivatives[i]`) and contribution = their product: the
    ///   amount backward adds to the input's gradient along that edge. An edge backward has
    ///   not reached yet (the node has no gradient) carries no label.
    /// - Graphs with more than `nodeLimit` nodes are summarized (`GraphDrawing.summarizing`).
    /// - Constants (numbers written in a formula, such as the 2 in `x * 2`: `Value.isConstant`,
    ///   and the leaves whose ids are in `constants`, for a caller that knows more, as
    ///   `lumen draw` knows its variables) are drawn as tensor constants are: grey, titled by
    ///   their number, with no gradient row, so they are not taken for weights.
    public init(tracing root: Value, edgeLabels: Bool = false, nodeLimit: Int = GraphDrawing.defaultNodeLimit,
                constants: Set<Int> = []) {
        trapUnless(nodeLimit > 0, "GraphDrawing(tracing:): nodeLimit must be positive, got \(nodeLimit)")
        let order = root.topologicalOrder()
        var positions: [ObjectIdentifier: Int] = [:]
        positions.reserveCapacity(order.count)
        for (position, value) in order.enumerated() {
            positions[ObjectIdentifier(value)] = position
        }
        let nodes = order.map { value in
            var node = Node(value, inputPositions: value.inputs.map { positions[ObjectIdentifier($0)]! }, edgeLabels: edgeLabels)
            if value.isLeaf && (value.isConstant || constants.contains(value.id)) {
                node.title = value.label ?? GraphDrawing.format(value.data)
                node.rows = value.label == nil ? [] : [GraphDrawing.Row("data", GraphDrawing.format(value.data))]
                node.isMuted = true
            }
            return node
        }
        self.init(nodes: nodes, nodeLimit: nodeLimit)
    }

    /// The edge label `upstream × local = contribution`, or `nil` when the node has no
    /// gradient yet: nothing has been sent along the edge.
    public static func chainRuleLabel(upstream: Double?, local: Double) -> String? {
        guard let upstream else { return nil }
        return "\(format(upstream)) × \(format(local)) = \(format(upstream * local))"
    }
}

extension GraphDrawing.Node {
    /// One `Value` as a node; `inputPositions` are its inputs' positions in topological order.
    init(_ value: Value, inputPositions: [Int], edgeLabels: Bool) {
        let grad = value.grad
        let inputs = zip(inputPositions, value.localDerivatives).map { position, local in
            GraphDrawing.Input(
                position, label: edgeLabels ? GraphDrawing.chainRuleLabel(upstream: grad, local: local) : nil)
        }
        self.init(
            key: value.id,
            title: value.label,
            op: value.op?.symbol,
            rows: [
                GraphDrawing.Row("data", GraphDrawing.format(value.data)),
                GraphDrawing.Row("grad", grad.map(GraphDrawing.format) ?? GraphDrawing.notReached),
            ],
            gradientMagnitude: grad.map(abs),
            isNonFinite: !value.data.isFinite || !(grad ?? 0).isFinite,
            inputs: inputs)
    }
}
