// Graphviz.swift — DOT text to SVG or PNG bytes, in this process, through Graphviz's libgvc.
//
// One render is: make a context, parse the text (agmemread), lay it out with `dot`, render the
// layout to memory, copy the bytes out, and free everything in reverse order. Graphviz keeps
// global state and is not thread-safe, so every gv*/ag* call in Lumen runs while holding
// `graphvizLock`, one render at a time; Swift Testing and the lesson runner call in from
// many threads.
//
// Read next: Graphviz+Files.swift (choosing the format from a file name, writing atomically).

import CGraphviz
import Glibc
import Synchronization

/// The picture formats Graphviz renders for Lumen.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// Scalable vector graphics, from Graphviz's core plugin.
    case svg
    /// PNG through Graphviz's cairo renderer (`png:cairo`), which draws text better than `png:gd`.
    case png

    /// Graphviz's name for the output device.
    var device: String {
        switch self {
        case .svg: "svg"
        case .png: "png:cairo"
        }
    }

    /// The renderer plugin behind `device`, as `gvPluginList(_, "render", ...)` names it.
    var renderer: String {
        switch self {
        case .svg: "svg"
        case .png: "cairo"
        }
    }
}

/// Lays out and draws DOT text with Graphviz's `dot` engine.
public enum Graphviz {
    /// The layout engine unless the text names another: layered drawing, edges pointing one
    /// way, which suits computation graphs.
    static let defaultLayoutEngine = "dot"

    /// The engine the graph's own `layout` attribute names (as Graphviz's command-line tools
    /// honour it), else `defaultLayoutEngine`. Lumen's drawings of more than
    /// `GraphDrawing.dotLayoutLimit` nodes say `layout=nop2`: keep the positions Lumen gave.
    private static func chosenLayoutEngine(of graph: UnsafeMutablePointer<Agraph_t>) -> String {
        withMutableCString("layout") { name in
            guard let value = agget(graph, name), value.pointee != 0 else { return defaultLayoutEngine }
            return String(cString: value)
        }
    }

    /// Renders DOT text to the bytes of an SVG or PNG file.
    ///
    /// ```swift
    /// let svg = try Graphviz.render(dot: drawing.dot(), as: .svg)
    /// ```
    /// Safe to call from any thread; calls run one at a time. Graphviz's messages never reach
    /// stderr: they come back inside the thrown `RenderError`. Only the first graph in the text
    /// is drawn. A PNG larger than `maximumPNGInches` on a side is scaled down to fit.
    public static func render(dot: String, as format: ImageFormat) throws(RenderError) -> [UInt8] {
        try graphvizLock.withLock { _ throws(RenderError) -> [UInt8] in
            try renderHoldingLock(dot: dot, as: format)
        }
    }

    /// The whole pipeline; call only while holding `graphvizLock`. The `defer`s free in the
    /// reverse order of allocation: render data, layout, graph, context.
    private static func renderHoldingLock(dot: String, as format: ImageFormat) throws(RenderError) -> [UInt8] {
        graphvizMessages = ""
        _ = agseterrf(collectGraphvizMessage)
        _ = agseterr(AGWARN)  // every warning and error goes to the function above, none to stderr

        guard let context = gvContext() else {
            throw .renderFailed(format: format.device, message: "could not create a Graphviz context")
        }
        defer { gvFreeContext(context) }

        agsetfile(nil)  // count lines from 1 in this text's error messages
        guard let graph = dot.withCString({ agmemread($0) }) else {
            throw .syntax(message: lastMessage(or: "the text holds no graph (expected `digraph { ... }`)"))
        }
        defer { agclose(graph) }
        discardUnreadInput()

        if format == .png { limitPictureSize(of: graph) }
        let layoutEngine = chosenLayoutEngine(of: graph)
        guard gvLayout(context, graph, layoutEngine) == 0 else {
            let message = lastMessage(or: "gvLayout failed")
            if !pluginNames(context, kind: "layout").contains(layoutEngine) {
                throw .layoutPluginMissing(engine: layoutEngine, message: message)
            }
            throw .layoutFailed(message: message)
        }
        defer { gvFreeLayout(context, graph) }

        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        let status = gvRenderData(context, graph, format.device, &data, &length)
        defer { if let data { gvFreeRenderData(data) } }
        guard status == 0, let data else {
            let message = lastMessage(or: "gvRenderData failed")
            if !pluginNames(context, kind: "render").contains(format.renderer) {
                throw .formatPluginMissing(format: format.device, message: message)
            }
            throw .renderFailed(format: format.device, message: message)
        }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
    }

    /// The largest PNG side, in inches at Graphviz's 96 pixels per inch: 50 inches is 4800
    /// pixels. A 500-node chain laid out left to right is about 38 000 points wide; drawn
    /// unscaled it would be a 30 000 × 5 000 pixel image that takes seconds and half a
    /// gigabyte to make, and nobody could read it anyway.
    public static let maximumPNGInches = 50

    /// Asks Graphviz to scale the drawing down to `maximumPNGInches` on each side when it is
    /// larger (Graphviz's `size` attribute), unless the DOT text chose its own size.
    private static func limitPictureSize(of graph: UnsafeMutablePointer<Agraph_t>) {
        withMutableCString("size") { name in
            if let current = agget(graph, name), current.pointee != 0 { return }
            withMutableCString("\(maximumPNGInches),\(maximumPNGInches)") { value in
                withMutableCString("") { empty in _ = agsafeset(graph, name, value, empty) }
            }
        }
    }

    /// Graphviz's parser reads one graph and leaves the rest of the text in its lexer's buffer,
    /// where the *next* agmemread would find it first: after "digraph { a } digraph { b }",
    /// parsing "digraph { c }" returns graph b, and a leftover newline shifts the line numbers
    /// of the next error message. So, after each parse, read whatever is left (extra graphs are
    /// closed, extra text is dropped) until nothing remains. Only the first graph is drawn.
    private static func discardUnreadInput() {
        for _ in 0..<10_000 {
            guard let extra = agmemread("") else { break }
            agclose(extra)
        }
        graphvizMessages = ""
    }

    /// The plugins of one kind ("layout", "render", ...) this context has loaded.
    private static func pluginNames(_ context: OpaquePointer, kind: String) -> [String] {
        var count: Int32 = 0
        guard let list = gvPluginList(context, kind, &count, nil) else { return [] }
        defer { free(list) }
        return (0..<Int(count)).compactMap { i in
            guard let name = list[i] else { return nil }
            defer { free(name) }
            return String(cString: name)
        }
    }

    /// Graphviz's last error (with its continuation lines, joined by " / ") without the
    /// `Error: ` prefix, or `fallback` if Graphviz reported no error.
    private static func lastMessage(or fallback: String) -> String {
        guard let start = graphvizMessages.ranges(of: "Error: ").last else { return fallback }
        let lines = graphvizMessages[start.upperBound...].split(separator: "\n")
            .map { $0.trimmingCharacters(in: " \t") }
            .filter { !$0.isEmpty }
        return lines.isEmpty ? fallback : lines.joined(separator: " / ")
    }
}

/// Calls `body` with a mutable copy of `text` as a C string, for Graphviz functions that take
/// `char *` even though they do not change it.
private func withMutableCString<Result>(_ text: String, _ body: (UnsafeMutablePointer<CChar>) -> Result) -> Result {
    var characters = Array(text.utf8CString)
    return characters.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

/// Serializes every call into Graphviz in this process.
private let graphvizLock = Mutex(())

/// What Graphviz reported during the current render. Read and written only while holding
/// `graphvizLock` (by the render and by `collectGraphvizMessage`, which Graphviz calls from
/// inside it), so the unchecked access is safe.
nonisolated(unsafe) private var graphvizMessages = ""

/// Graphviz's error callback (`agseterrf`). It receives a message in pieces: "Error", ": ",
/// then the text with its newline.
private let collectGraphvizMessage: @convention(c) (UnsafeMutablePointer<CChar>?) -> Int32 = { piece in
    if let piece { graphvizMessages += String(cString: piece) }
    return 0
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> Substring {
        var text = self
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return text
    }
}
