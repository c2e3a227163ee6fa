// GraphDrawing.swift — what a picture of a computation graph shows, independent of what computed it.
//
// The DOT writer never sees a `Value`: it draws `GraphDrawing.Node`s, which hold text and a few
// facts (how big the gradient is, whether a number went bad). Anything that records a graph
// (`Value` graphs, GraphDrawing+Value.swift; `Tensor` graphs, GraphDrawing+Tensor.swift) makes a drawing by filling in these nodes.
//
// Read next: GraphDrawing+Value.swift (a `Value` graph as a drawing), then GradientScale.swift.

import Basics

/// A computation graph ready to be drawn: nodes in topological order, each after its inputs.
///
/// Nodes are identified in two ways:
/// - by **position**: a node's index in the full topological order. Inputs refer to positions,
///   and the DOT writer names nodes by position (`v0`, `v1`, ...), so the same program gives
///   the same DOT text on every run.
/// - by **key**: an identifier chosen by whoever made the drawing (for a `Value`, its `id`),
///   used by `DrawingOptions` to highlight nodes or mark them done.
///
/// A graph of up to `nodeLimit` nodes is drawn whole. A larger one is *summarized*, never cut:
/// groups of nodes fold into boxes that say what they hold (GraphDrawing+Summary.swift), so
/// every node is accounted for and a huge graph never hangs the renderer.
public struct GraphDrawing: Sendable {
    /// The default for `nodeLimit`: 12,000 nodes, so graphs of 10,000 nodes and a little over
    /// (such as `lumen-bench render`'s 10,002-node graph) are drawn whole. Up to
    /// `dotLayoutLimit` nodes Graphviz's `dot` lays them out; above that Lumen places them
    /// itself (GraphDrawing+Layout.swift), since `dot` takes more than 30 s on 10,000 nodes.
    /// Above the limit a drawing is a summary, which is fast at any size.
    public static let defaultNodeLimit = 12_000

    /// The nodes that are drawn, in topological order: `nodes[k]` has position `k`.
    public let nodes: [Node]

    /// How many nodes of the traced graph the drawing stands for: `nodes.count` when drawn
    /// whole, more when groups were folded into summary boxes.
    public let totalCount: Int

    /// One labelled line inside a node, such as `data 0.7071` or `shape 2×3`.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var value: String
        /// Drawn in grey: in a model's box, a frozen parameter (one that requires no gradient).
        public var isMuted: Bool

        public init(_ name: String, _ value: String, isMuted: Bool = false) {
            self.name = name
            self.value = value
            self.isMuted = isMuted
        }
    }

    /// An edge into a node: where it comes from and an optional label.
    public struct Input: Sendable, Equatable {
        /// The position of the input node in the full topological order (always smaller than
        /// the position of the node it feeds).
        public var position: Int
        /// Text on the edge, for example `0.5 × -3 = -1.5`.
        public var label: String?
        /// A heat map drawn on the edge under its label: in a tensor backward step, what is
        /// sent along it.
        public var heatMap: HeatMap?

        public init(_ position: Int, label: String? = nil, heatMap: HeatMap? = nil) {
            self.position = position
            self.label = label
            self.heatMap = heatMap
        }
    }

    /// One node of the graph, as it will be drawn.
    public struct Node: Sendable {
        /// Identifies the node for `DrawingOptions.highlighted` and `DrawingOptions.done`.
        public var key: Int
        /// A bold first line, such as the user's label `x`; `nil` for none.
        public var title: String?
        /// The operation that produced the node, such as `×` or `tanh`. When set, it is drawn
        /// as a small separate node between this node and its inputs (as micrograd does).
        public var op: String?
        /// Lines of name/value text under the title.
        public var rows: [Row]
        /// |∂root/∂node| for colouring, or `nil` when backward has not reached the node
        /// (drawn with a dashed grey outline). See `GradientScale`.
        public var gradientMagnitude: Double?
        /// True when the node holds NaN or ±∞ (in its value or gradient): drawn in red.
        public var isNonFinite: Bool
        /// The edges into this node (into its op node, when it has one), in argument order.
        public var inputs: [Input]
        /// Nodes with the same cluster name are drawn inside one labelled box (for example,
        /// one per layer of a model). `nil` for none.
        public var cluster: String?
        /// Plain text after the title, such as a tensor's shape `4×5`.
        public var subtitle: String?
        /// Small heat maps of the node's numbers (a tensor's data and gradient), drawn under
        /// the rows. See HeatMap.swift.
        public var heatMaps: [HeatMap]
        /// When true, `op` is written as the node's first line instead of being drawn as a
        /// separate small node: one box per tensor, as compact tensor drawings have it.
        public var opInside: Bool {
            get { flags & 1 != 0 }
            set { flags = newValue ? flags | 1 : flags & ~1 }
        }
        /// Drawn in grey: a constant, or a frozen parameter (one that requires no gradient).
        public var isMuted: Bool {
            get { flags & 2 != 0 }
            set { flags = newValue ? flags | 2 : flags & ~2 }
        }
        /// `opInside` and `isMuted` as bits.
        ///
        /// Note on layout: the fields added after `cluster` (subtitle, heat maps, these bits,
        /// `represents`) are declared last on purpose. With `subtitle` declared before `op`,
        /// Swift 6.3.1's debug build released garbage when an `Optional<Node>` or a
        /// `Result<Node, _>` holding a node with a gradient was destroyed (Tests/VizTests,
        /// `unreachedGradientsShowADash`, crashed in "outlined destroy of GraphDrawing.Node?").
        private var flags: Int = 0
        /// How many nodes of the traced graph this node stands for: 1, or more for a box that
        /// summarizes a group (GraphDrawing+Summary.swift).
        public var represents: Int

        public init(
            key: Int, title: String? = nil, subtitle: String? = nil, op: String? = nil, rows: [Row] = [],
            gradientMagnitude: Double? = nil, isNonFinite: Bool = false,
            inputs: [Input] = [], cluster: String? = nil, heatMaps: [HeatMap] = [],
            opInside: Bool = false, isMuted: Bool = false, represents: Int = 1
        ) {
            self.key = key
            self.title = title
            self.subtitle = subtitle
            self.op = op
            self.rows = rows
            self.gradientMagnitude = gradientMagnitude
            self.isNonFinite = isNonFinite
            self.inputs = inputs
            self.cluster = cluster
            self.heatMaps = heatMaps
            self.flags = (opInside ? 1 : 0) | (isMuted ? 2 : 0)
            self.represents = represents
        }
    }

    /// A drawing of `nodes`, given in topological order (each node's inputs have smaller
    /// positions than the node itself). More than `nodeLimit` nodes are summarized
    /// (`GraphDrawing.summarizing`): modules (clusters) fold first, then bands of nodes at
    /// similar depth, until at most `nodeLimit` boxes remain.
    ///
    /// An input that points at itself or later in the order is a programmer error and traps.
    public init(nodes: [Node], nodeLimit: Int = GraphDrawing.defaultNodeLimit) {
        trapUnless(nodeLimit > 0, "GraphDrawing: nodeLimit must be positive, got \(nodeLimit)")
        for (position, node) in nodes.enumerated() {
            for input in node.inputs {
                trapUnless(
                    input.position >= 0 && input.position < position,
                    "GraphDrawing: node at position \(position) (key \(node.key)) has input position "
                        + "\(input.position); nodes must come after their inputs (topological order)")
            }
        }
        if nodes.count > nodeLimit {
            self = GraphDrawing.summarizing(nodes, limit: nodeLimit)
        } else {
            self.init(checkedNodes: nodes, totalCount: nodes.count)
        }
    }

    /// Nodes already known to be in topological order.
    init(checkedNodes: [Node], totalCount: Int) {
        self.nodes = checkedNodes
        self.totalCount = totalCount
    }

    /// True when some nodes were folded into summary boxes.
    public var isSummary: Bool { totalCount > nodes.count }
}
