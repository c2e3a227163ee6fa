// GraphDrawing.swift — what a picture of a computation graph shows, independent of what computed it.
//
// The DOT writer never sees a `Value`: it draws `GraphDrawing.Node`s, which hold text and a few
// facts (how big the gradient is, whether a number went bad). Anything that records a graph
// (`Value` graphs, GraphDrawing+Value.swift; `Tensor` graphs, GraphDrawing+Tensor.swift) makes a drawing by filling in these nodes.
//
// Read next: GraphDrawing+Value.swift (a `Value` graph as a drawing), then GradientScale.swift.

/// A computation graph ready to be drawn: nodes in topological order, each after its inputs.
///
/// Nodes are identified in two ways:
/// - by **position**: a node's index in the full topological order. Inputs refer to positions,
///   and the DOT writer names nodes by position (`v0`, `v1`, ...), so the same program gives
///   the same DOT text on every run.
/// - by **key**: an identifier chosen by whoever made the drawing (for a `Value`, its `id`),
///   used by `DrawingOptions` to highlight nodes or mark them done.
///
/// A large graph keeps only its last `nodeLimit` nodes (those nearest the root); the rest are
/// counted in `omittedCount` and drawn as one note, so a huge graph never hangs the renderer.
public struct GraphDrawing: Sendable {
    /// The default for `nodeLimit`: about the most a reader can follow, and a few seconds
    /// of layout at most.
    public static let defaultNodeLimit = 500

    /// The nodes that are drawn, in topological order. `nodes[k]` has position `omittedCount + k`.
    public let nodes: [Node]

    /// How many nodes at the start of the topological order were left out (0 for a small graph).
    public let omittedCount: Int

    /// One labelled line inside a node, such as `data 0.7071` or `shape 2×3`.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// An edge into a node: where it comes from and an optional label.
    public struct Input: Sendable, Equatable {
        /// The position of the input node in the full topological order (always smaller than
        /// the position of the node it feeds).
        public var position: Int
        /// Text on the edge, for example `0.5 × -3 = -1.5`.
        public var label: String?

        public init(_ position: Int, label: String? = nil) {
            self.position = position
            self.label = label
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

        public init(
            key: Int, title: String? = nil, op: String? = nil, rows: [Row] = [],
            gradientMagnitude: Double? = nil, isNonFinite: Bool = false,
            inputs: [Input] = [], cluster: String? = nil
        ) {
            self.key = key
            self.title = title
            self.op = op
            self.rows = rows
            self.gradientMagnitude = gradientMagnitude
            self.isNonFinite = isNonFinite
            self.inputs = inputs
            self.cluster = cluster
        }
    }

    /// A drawing of `nodes`, given in topological order (each node's inputs have smaller
    /// positions than the node itself). Keeps only the last `nodeLimit` of them.
    ///
    /// An input that points at itself or later in the order is a programmer error and traps.
    public init(nodes: [Node], nodeLimit: Int = GraphDrawing.defaultNodeLimit) {
        precondition(nodeLimit > 0, "GraphDrawing: nodeLimit must be positive, got \(nodeLimit)")
        for (position, node) in nodes.enumerated() {
            for input in node.inputs {
                precondition(
                    input.position >= 0 && input.position < position,
                    "GraphDrawing: node at position \(position) (key \(node.key)) has input position "
                        + "\(input.position); nodes must come after their inputs (topological order)")
            }
        }
        let omitted = max(0, nodes.count - nodeLimit)
        self.init(keptNodes: Array(nodes[omitted...]), omittedCount: omitted)
    }

    /// The already trimmed form; `init(tracing:)` uses it to avoid formatting nodes it drops.
    init(keptNodes: [Node], omittedCount: Int) {
        self.nodes = keptNodes
        self.omittedCount = omittedCount
    }

    /// All nodes in the graph, drawn or not.
    public var totalCount: Int { omittedCount + nodes.count }
}
