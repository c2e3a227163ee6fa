// Drawing+Files.swift — one call to draw any `Value` or `Tensor` from Swift:
//
//     y.backward()
//     try y.draw(to: "graph.svg")       // or .png, or .dot
//
// Engine and Tensors cannot know about drawing (they sit below Viz and Render in
// Package.swift), so the call lives here, in the module that writes pictures: `import Render`
// to use it. It is `GraphDrawing(tracing:)` (Viz), `.dot(options:)`, then `Graphviz.write`.
//
// Read next: Graphviz+Files.swift.

import Engine
import Tensors
import Viz

extension Value {
    /// Draws the graph ending at this value (values, and gradients once backward has run) to
    /// `path`; the extension picks the format: `.svg`, `.png` or `.dot`.
    ///
    /// - Throws: `RenderError` for an unknown extension, a Graphviz failure or an unwritable path.
    public func draw(to path: String, title: String? = nil, edgeLabels: Bool = false) throws(RenderError) {
        let dot = GraphDrawing(tracing: self, edgeLabels: edgeLabels).dot(options: DrawingOptions(title: title))
        try Graphviz.write(dot: dot, to: path)
    }
}

extension Tensor {
    /// Draws the tensor graph ending at this tensor to `path` (`.svg`, `.png` or `.dot`), one
    /// box per tensor with its data and gradient as heat maps (or as `detail` says).
    ///
    /// - Throws: `RenderError` for an unknown extension, a Graphviz failure or an unwritable path.
    public func draw(to path: String, title: String? = nil, detail: TensorDetail = .compact) throws(RenderError) {
        let dot = GraphDrawing(tracing: self, detail: detail).dot(options: DrawingOptions(title: title))
        try Graphviz.write(dot: dot, to: path)
    }
}
