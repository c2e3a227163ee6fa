// StepContext+Grids.swift — two pictures the later lessons need: grids of numbers as shaded
// cells (attention weights per head, bigram counts), and histograms (how a layer's
// activations or gradients are spread).
//
// A grid is drawn as a Graphviz HTML table, one coloured cell per number, so it goes through
// the same renderer as the graph frames (SVG and PNG). A histogram is counted here
// (Plots' `Histogram`) and drawn as one step-shaped line per series through `plotLines`.
// Read next: LessonRunner.swift.

import Basics
import Foundation
import Plots
import Render

/// One grid of numbers to shade: `values[row][column]`, with labels along both sides.
public struct ShadedGrid: Sendable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var values: [[Double]]

    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]]) {
        trapUnless(values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count },
                   "ShadedGrid: \(values.count) rows for \(rowLabels.count) labels, columns for \(columnLabels.count) labels")
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
    }
}

extension StepContext {
    /// Draws `grids` side by side, each cell shaded from white (0) to dark blue (the grid's
    /// largest value; values are expected ≥ 0, such as probabilities or counts). With
    /// `numbers`, each cell also shows its value (for small grids).
    public func shadedGrids(_ grids: [ShadedGrid], title: String, numbers: Bool = false) {
        guard let frames else {
            record(FrameWriter.Written(), title: title)
            return
        }
        let dot = Self.gridDOT(grids, title: title, numbers: numbers)
        let written = frames.writeBoth(frames.nextName("grid")) { format in
            do {
                return try Graphviz.render(dot: dot, as: format == "png" ? .png : .svg)
            } catch {
                throw PictureProblem(text: "\(error)")
            }
        }
        record(written, title: title)
    }

    /// Draws one histogram per series (name, values) over the same bins as lines in one chart
    /// and returns the histograms, so the step can print what the picture shows.
    @discardableResult
    public func histograms(title: String, xLabel: String, series: [(name: String, values: [Double])],
                           bins: Int = 40, low: Double, high: Double) -> [Histogram] {
        let counted = series.map { Histogram($0.values, bins: bins, low: low, high: high) }
        let width = (high - low) / Double(bins)
        plotLines(title: title, xLabel: xLabel, yLabel: "share of values per bin", series: zip(series, counted).map { item, histogram in
            // A step outline: each bin's share held flat across the bin.
            let total = Double(max(1, item.values.count))
            var x: [Double] = [], y: [Double] = []
            for (bin, count) in histogram.counts.enumerated() {
                x += [low + Double(bin) * width, low + Double(bin + 1) * width]
                y += [Double(count) / total, Double(count) / total]
            }
            return (item.name, x, y)
        })
        return counted
    }

    /// The DOT text of `grids`: an HTML table per grid, its cells shaded.
    static func gridDOT(_ grids: [ShadedGrid], title: String, numbers: Bool) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        let quoted = title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var lines = ["digraph grids {", "  graph [label=\"\(quoted)\", labelloc=t, fontname=\"Helvetica\", fontsize=14, rankdir=TB];",
                     "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=9];"]
        for (index, grid) in grids.enumerated() {
            let largest = grid.values.joined().filter(\.isFinite).max() ?? 0
            var table = "<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"2\" COLOR=\"#dddddd\">"
            table += "<TR><TD BORDER=\"0\" COLSPAN=\"\(grid.columnLabels.count + 1)\"><B>\(escape(grid.title))</B></TD></TR>"
            table += "<TR><TD BORDER=\"0\"></TD>" + grid.columnLabels.map { "<TD BORDER=\"0\">\(escape($0))</TD>" }.joined() + "</TR>"
            for (label, row) in zip(grid.rowLabels, grid.values) {
                table += "<TR><TD BORDER=\"0\">\(escape(label))</TD>"
                for value in row {
                    let share = largest > 0 && value.isFinite ? max(0, min(1, value / largest)) : 0
                    let (r, g) = (Int((255 * (1 - share)).rounded()), Int((255 * (1 - 0.8 * share)).rounded()))
                    let colour = String(format: "#%02x%02xff", r, g)
                    let text = numbers ? (value == 0 ? "" : GridNumber.text(value)) : ""
                    let ink = share > 0.6 ? "white" : "black"
                    // (An empty <FONT></FONT> is a syntax error for Graphviz: only wrap real text.)
                    let content = text.isEmpty ? "" : "<FONT COLOR=\"\(ink)\">\(text)</FONT>"
                    table += "<TD BGCOLOR=\"\(colour)\" WIDTH=\"16\" HEIGHT=\"16\">\(content)</TD>"
                }
                table += "</TR>"
            }
            table += "</TABLE>>"
            lines.append("  g\(index) [label=\(table)];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}

/// A cell's number: two decimals for values below 10, whole numbers above.
enum GridNumber {
    static func text(_ value: Double) -> String {
        abs(value) >= 10 ? String(Int(value.rounded())) : String(format: "%.2f", value)
    }
}
