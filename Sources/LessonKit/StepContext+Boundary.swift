// StepContext+Boundary.swift — a classifier's decision boundary, as text and as a picture.
//
// `boundary` draws it in characters: each cell is marked by what the classifier says there,
// with the data points on top, so it shows in any terminal, in pipes and in the HTML export.
// `plotBoundary` draws the real picture through Plots (DecisionBoundaryPlot: the score as a
// tint, the line where it is 0, the points), written as numbered SVG and PNG files beside the
// lesson's graph frames; calling it at several moments of training gives frames of the
// boundary evolving. Read next: LessonRunner.swift.

import Plots

extension StepContext {
    /// Prints a `width`×`height` character map of the plane around `points`. Cells where
    /// `classify(x, y) > 0` are `·`, the rest blank; points labelled +1 are `o`, −1 are `x`.
    public func boundary(points: [[Double]], labels: [Double], width: Int = 56, height: Int = 18,
                         classify: (Double, Double) -> Double) {
        guard !points.isEmpty, width > 1, height > 1 else { return }
        let xs = points.map { $0[0] }, ys = points.map { $0[1] }
        let (x0, x1) = (xs.min()! - 0.25, xs.max()! + 0.25)
        let (y0, y1) = (ys.min()! - 0.25, ys.max()! + 0.25)
        // Cell (col, row) covers x0 + (col + 0.5)·dx, top row is the largest y.
        let dx = (x1 - x0) / Double(width), dy = (y1 - y0) / Double(height)
        var grid = (0..<height).map { row in
            (0..<width).map { col -> Character in
                classify(x0 + (Double(col) + 0.5) * dx, y1 - (Double(row) + 0.5) * dy) > 0 ? "·" : " "
            }
        }
        for (point, label) in zip(points, labels) {
            let col = min(width - 1, max(0, Int((point[0] - x0) / dx)))
            let row = min(height - 1, max(0, Int((y1 - point[1]) / dy)))
            grid[row][col] = label > 0 ? "o" : "x"
        }
        print("┌" + String(repeating: "─", count: width) + "┐")
        for row in grid { print("│" + String(row) + "│") }
        print("└" + String(repeating: "─", count: width) + "┘")
    }

    /// Draws the decision boundary of `score` (positive: the +1 class) over `points` as a picture,
    /// SVG and PNG, numbered like the graph frames (`step-04-boundary-002.png`), and records it
    /// in the step's output with its paths. Without a frame folder it records only the title.
    public func plotBoundary(points: [[Double]], labels: [Double], title: String,
                             score: (Double, Double) -> Double) {
        guard let frames else {
            record(FrameWriter.Written(), title: title)
            return
        }
        let plot = DecisionBoundaryPlot(
            title: title,
            points: zip(points, labels).map { DecisionBoundaryPlot.Point(x: $0[0], y: $0[1], label: $1 > 0 ? 1 : -1) },
            gridSize: 40)
        // Evaluate the classifier once and draw both formats from the same numbers.
        var cache: [Pair: Double] = [:]
        let written = frames.writeBoth(frames.nextName("boundary")) { format in
            do {
                return try plot.render(as: format == "png" ? .png : .svg, width: 480, height: 440) { x, y in
                    if let known = cache[Pair(x: x, y: y)] { return known }
                    let value = score(x, y)
                    cache[Pair(x: x, y: y)] = value
                    return value
                }
            } catch {
                throw PictureProblem(text: "\(error)")
            }
        }
        record(written, title: title)
    }
}

/// A grid point, as a dictionary key.
private struct Pair: Hashable {
    let x: Double
    let y: Double
}
