// DrawingOptions.swift — choices about how a drawing looks, separate from what it shows.
//
// Lessons use these to draw backward one step at a time: the node being processed is
// highlighted, the nodes that have already sent their gradient on are marked done, and the
// caption says what is happening.
//
// Read next: GraphDrawing+DOT.swift, which applies them.

/// How to lay out and annotate a `GraphDrawing`.
public struct DrawingOptions: Sendable {
    /// The direction the graph flows, from inputs to the root.
    public enum Direction: String, Sendable {
        /// Inputs on the left, the root on the right (Graphviz `rankdir=LR`), the default.
        case leftToRight = "LR"
        /// Inputs at the top, the root at the bottom (`rankdir=TB`).
        case topToBottom = "TB"
    }

    /// A bold line above the graph, for example `tanh(x·w + b)`.
    public var title: String?
    /// A line under the title, for example `step 2 of 6: n sends 0.5 to each input`.
    /// A newline in it starts a new line.
    public var caption: String?
    /// The key of one node to draw with a thick orange outline, together with its op node
    /// and the edges into it: in a backward step, the node sending its gradient on.
    public var highlighted: Int?
    /// Keys of nodes to mark done (green outline and a ✓ before the title); every other node
    /// is pending. `nil` (the default) marks nothing, for drawings outside a lesson.
    public var done: Set<Int>?
    /// Layout direction; left to right by default.
    public var direction: Direction
    /// Whether to add the legend of the gradient colours (only drawn when some node has a
    /// gradient or a non-finite number, since otherwise there is nothing to explain).
    public var showsLegend: Bool
    /// Whether each node shows its key as `#key` (a `Value`'s or `Tensor`'s `id`), for text
    /// that names nodes that way, such as a lesson's backward steps. Off by default: ids
    /// depend on how many nodes the program made before, so they would change a drawing's
    /// text from run to run.
    public var showsIDs: Bool

    public init(
        title: String? = nil, caption: String? = nil, highlighted: Int? = nil, done: Set<Int>? = nil,
        direction: Direction = .leftToRight, showsLegend: Bool = true, showsIDs: Bool = false
    ) {
        self.showsIDs = showsIDs
        self.title = title
        self.caption = caption
        self.highlighted = highlighted
        self.done = done
        self.direction = direction
        self.showsLegend = showsLegend
    }
}
