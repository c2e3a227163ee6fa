// GraphDrawing+Clusters.swift — a tensor graph with its nodes grouped into labelled boxes,
// for example one box per layer of a model.
//
// Viz knows nothing about layers (it depends only on Engine and Tensors), so whoever knows
// which tensor belongs where says so with two maps keyed by `Tensor.id`: the box (cluster)
// each tensor is drawn in, and a name that replaces its title (a parameter's dotted name,
// such as `0.weight`). Sources/Training/ModelGraph.swift builds both maps from a `Module`.
//
// Read next: GraphDrawing+DOT.swift (`writeClusters`), which draws the boxes.

import Tensors

extension GraphDrawing {
    /// A drawing of every tensor that `root` depends on, as `init(tracing:nodeLimit:)` makes
    /// it, with each tensor whose id is in `clusters` drawn inside the box of that name, and
    /// each tensor whose id is in `titles` titled by that text instead of its own `label`.
    ///
    /// ```swift
    /// // The first layer's weight, its matmul and its bias add in one box:
    /// let drawing = GraphDrawing(tracing: loss, clusters: [w.id: "0: Linear", xw.id: "0: Linear",
    ///                                                      h.id: "0: Linear"],
    ///                            titles: [w.id: "0.weight"])
    /// ```
    /// Ids that are not in the graph are ignored; tensors in neither map are drawn as usual.
    /// Boxes are listed in the order their first member appears in the topological order.
    public init<Scalar: TensorScalar>(
        tracing root: Tensor<Scalar>, clusters: [Int: String], titles: [Int: String] = [:],
        nodeLimit: Int = GraphDrawing.defaultNodeLimit
    ) {
        let plain = GraphDrawing(tracing: root, nodeLimit: nodeLimit)
        let nodes = plain.nodes.map { node in
            var grouped = node
            grouped.cluster = clusters[node.key] ?? node.cluster
            grouped.title = titles[node.key] ?? node.title
            return grouped
        }
        self.init(keptNodes: nodes, omittedCount: plain.omittedCount)
    }

    /// The names of the boxes the drawn nodes belong to, each once, in the order the DOT
    /// writer draws them.
    public var clusterNames: [String] {
        var seen = Set<String>()
        return nodes.compactMap(\.cluster).filter { seen.insert($0).inserted }
    }
}
