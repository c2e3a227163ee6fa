// GraphDrawing+Clusters.swift — a tensor graph with its nodes grouped into labelled boxes,
// for example one box per layer of a model.
//
// Viz knows nothing about layers (it depends only on Engine and Tensors), so whoever knows
// which tensor belongs where says so with two maps keyed by `Tensor.id`: the box (cluster)
// each tensor is drawn in, and a name that replaces its title (a parameter's dotted name,
// such as `0.weight`). Sources/Training/ModelGraph.swift builds both maps from a `Module`.
//
// Read next: GraphDrawing+DOT.swift (`writeClusters`), which draws the boxes.

import Basics
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
        detail: TensorDetail = .compact, nodeLimit: Int = GraphDrawing.defaultNodeLimit
    ) {
        let plain = GraphDrawing(tracing: root, detail: detail, nodeLimit: .max)
        let nodes = plain.nodes.map { node in
            var grouped = node
            grouped.cluster = clusters[node.key] ?? node.cluster
            grouped.title = titles[node.key] ?? node.title
            return grouped
        }
        self.init(nodes: nodes, nodeLimit: nodeLimit)
    }

    /// The names of the boxes the drawn nodes belong to, each once, in the order the DOT
    /// writer draws them.
    public var clusterNames: [String] {
        var seen = Set<String>()
        return nodes.compactMap(\.cluster).filter { seen.insert($0).inserted }
    }
}

extension GraphDrawing {
    /// The drawing with each box (cluster) folded into a single node titled by the box's
    /// name, except the boxes named in `expanded`, which stay open with every node inside.
    /// A folded node says how many nodes it holds and which ops; `rows` may replace that
    /// with the caller's own description of the box (a layer's parameter shapes, say).
    ///
    /// ```swift
    /// // Every layer one box, except layer 1 (its ops drawn inside its cluster):
    /// let drawing = traced.foldingClusters(except: ["1: Linear(128 → 64)"])
    /// ```
    public func foldingClusters(except expanded: Set<String> = [], rows: [String: [Row]] = [:]) -> GraphDrawing {
        let groups = nodes.map { node in node.cluster.flatMap { expanded.contains($0) ? nil : $0 } }
        var folded = GraphDrawing.fold(nodes, groups: groups, names: { $0 })
        for k in folded.indices where folded[k].represents > 1 || groups.contains(folded[k].title) {
            guard let title = folded[k].title, let replacement = rows[title] else { continue }
            folded[k].rows = replacement
        }
        return GraphDrawing(checkedNodes: folded, totalCount: totalCount)
    }
}

extension GraphDrawing {
    /// The same drawing with each node changed by `transform` (its inputs must stay valid),
    /// still standing for the same number of traced nodes.
    public func mappingNodes(_ transform: (Node) -> Node) -> GraphDrawing {
        let changed = nodes.map(transform)
        for (position, node) in changed.enumerated() {
            trapUnless(node.inputs.allSatisfy { $0.position >= 0 && $0.position < position },
                       "GraphDrawing.mappingNodes: node at position \(position) has an input at or after it")
        }
        return GraphDrawing(checkedNodes: changed, totalCount: totalCount)
    }
}
