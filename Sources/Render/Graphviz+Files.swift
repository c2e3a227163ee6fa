// Graphviz+Files.swift — writing a graph to a file whose extension picks the format.
//
// `graph.dot` gets the DOT text itself, `graph.svg` and `graph.png` get Graphviz's drawing.
// The file appears all at once or not at all (see Sources/Files/AtomicFile.swift).
//
// Read next: Sources/Files/AtomicFile.swift.

import Files

/// The kinds of file a graph can be written to, named by their extension.
public enum GraphFileFormat: String, Sendable, CaseIterable {
    /// The DOT text, unchanged: readable, diffable, and renderable by Graphviz's `dot` tool.
    case dot
    case svg
    case png

    /// The format named by the extension of `path`, ignoring case (`.DOT` is `.dot`).
    public init(path: String) throws(RenderError) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex,
              let format = GraphFileFormat(rawValue: name[name.index(after: dot)...].lowercased())
        else { throw .unknownExtension(path: path) }
        self = format
    }
}

extension Graphviz {
    /// Writes `dot` to `path` as DOT text, SVG or PNG, chosen by the path's extension, and
    /// returns the format it chose.
    ///
    /// ```swift
    /// try Graphviz.write(dot: drawing.dot(), to: "neuron.svg")
    /// ```
    /// The extension is checked and the picture rendered before anything touches the disk; then
    /// the bytes go to a temporary file in the same directory, which is renamed over `path`.
    @discardableResult
    public static func write(dot: String, to path: String) throws(RenderError) -> GraphFileFormat {
        let format = try GraphFileFormat(path: path)
        let bytes: [UInt8]
        switch format {
        case .dot: bytes = Array(dot.utf8)
        case .svg: bytes = try render(dot: dot, as: .svg)
        case .png: bytes = try render(dot: dot, as: .png)
        }
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .unwritable(path: error.path, reason: error.reason)
        }
        return format
    }
}
