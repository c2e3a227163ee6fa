// RenderError.swift — everything that can go wrong between DOT text and a picture on disk.
//
// Each case says what failed in one line (`description`) and what to do about it (`hint`),
// so the `lumen` command can print both and exit.
//
// Read next: Graphviz.swift.

/// Why a graph could not be rendered or written.
public enum RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Graphviz could not parse the DOT text; `message` is Graphviz's own, such as
    /// `syntax error in line 1 near '}'`.
    case syntax(message: String)
    /// The layout engine (`dot`) is not among Graphviz's registered plugins.
    case layoutPluginMissing(engine: String, message: String)
    /// The layout plugin exists but failed on this graph.
    case layoutFailed(message: String)
    /// No plugin renders this output format, such as `png:cairo` without Graphviz's cairo plugin.
    case formatPluginMissing(format: String, message: String)
    /// The renderer exists but failed on this graph.
    case renderFailed(format: String, message: String)
    /// The output path does not end in `.dot`, `.svg` or `.png`.
    case unknownExtension(path: String)
    /// The output file could not be written; `reason` is the system's (for example
    /// `No such file or directory`).
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let message):
            "Graphviz could not read the DOT text: \(message)"
        case .layoutPluginMissing(let engine, _):
            "Graphviz has no '\(engine)' layout plugin registered"
        case .layoutFailed(let message):
            "Graphviz could not lay out the graph: \(message)"
        case .formatPluginMissing(let format, _):
            "Graphviz has no plugin that renders '\(format)'"
        case .renderFailed(let format, let message):
            "Graphviz could not render the graph as '\(format)': \(message)"
        case .unknownExtension(let path):
            "cannot tell the output format of '\(path)' from its extension"
        case .unwritable(let path, let reason):
            "cannot write '\(path)': \(reason)"
        }
    }

    /// One line on how to fix it.
    public var hint: String {
        switch self {
        case .syntax:
            "check the DOT text near the line Graphviz names; in HTML-like labels, & < > \" must be escaped"
        case .layoutPluginMissing:
            "install Graphviz's plugins with `apt-get install libgvc6`, then register them with `libgvc6-config-update -c` (as root)"
        case .layoutFailed, .renderFailed:
            "try a smaller graph; if the problem stays, write the .dot file and run Graphviz's `dot` on it to see more"
        case .formatPluginMissing(let format, _) where format.hasPrefix("png"):
            "PNG output needs Graphviz's cairo plugin (libgvplugin_pango, in libgvc6): `apt-get install libgvc6`, then `libgvc6-config-update -c` (as root); SVG and DOT output work without it"
        case .formatPluginMissing:
            "install Graphviz's plugins with `apt-get install libgvc6`, then register them with `libgvc6-config-update -c` (as root)"
        case .unknownExtension:
            "use a path ending in .dot (Graphviz text), .svg or .png"
        case .unwritable:
            "check that the directory exists and that you may write to it"
        }
    }
}
