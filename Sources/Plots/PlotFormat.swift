// PlotFormat.swift — the two picture formats a plot is written as, named by file extension.
//
// Read next: Canvas.swift, which draws either one.

/// The picture formats a plot can be written as.
public enum PlotFormat: String, Sendable, CaseIterable {
    case png
    case svg

    /// The format named by the extension of `path`, ignoring case.
    public init(path: String) throws(PlotError) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex,
              let format = PlotFormat(rawValue: name[name.index(after: dot)...].lowercased())
        else { throw .unknownExtension(path: path) }
        self = format
    }
}
