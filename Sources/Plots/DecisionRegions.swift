// DecisionRegions.swift — what a 2-D classifier of any number of classes decides, everywhere
// in the plane: each pixel tinted by the class with the largest score there, pale where that
// class only just wins, and the borders between classes drawn dark.
//
// DecisionBoundary.swift draws two classes by the sign of one score; this draws k ≥ 2 by the
// argmax of k scores (a model's logits). The scores are sampled on the same kind of grid and
// interpolated bilinearly, class by class, so the regions stay smooth between grid points.
// Confidence is the softmax probability of the winning class, p = 1 / Σⱼ exp(sⱼ − s_max).
//
// Read next: ScatterPlot.swift.

import Files
import Foundation

/// The decision regions of a k-class classifier in the plane, with the labelled points.
///
/// ```swift
/// let plot = DecisionRegionsPlot(title: "blobs", points: data, classNames: ["a", "b", "c"])
/// try plot.write(to: "regions.png") { x, y in model.logits(x, y) }   // returns 3 scores
/// ```
public struct DecisionRegionsPlot: Sendable {
    public typealias Point = DecisionBoundaryPlot.Point

    public var title: String
    /// The points; `label` is the class index, 0 ..< classNames.count.
    public var points: [Point]
    public var classNames: [String]
    public var xLabel: String
    public var yLabel: String
    /// The scores are evaluated at (gridSize + 1)² points. 1 to 1000.
    public var gridSize: Int

    public init(title: String, points: [Point], classNames: [String], xLabel: String = "x₁", yLabel: String = "x₂",
                gridSize: Int = 60) {
        self.title = title
        self.points = points
        self.classNames = classNames
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.gridSize = gridSize
    }

    /// The class colours (LinePlot's palette, repeating after seven).
    static func color(_ label: Int) -> Color {
        Color(hex: LinePlot.palette[((label % LinePlot.palette.count) + LinePlot.palette.count) % LinePlot.palette.count])
    }

    /// The plot as PNG or SVG bytes. `scores(x, y)` returns one score per class (called on
    /// the grid points only, in a fixed order).
    public func render(as format: PlotFormat, width: Int = 640, height: Int = 600,
                       scores: (Double, Double) -> [Double]) throws(PlotError) -> [UInt8] {
        switch format {
        case .png: return try draw(on: .image, width: width, height: height, scores: scores).canvas.pngBytes()
        case .svg: return try draw(on: .svg, width: width, height: height, scores: scores).canvas.svgBytes()
        }
    }

    /// Writes the plot to `path` as PNG or SVG, chosen by the extension, atomically.
    public func write(to path: String, width: Int = 640, height: Int = 600,
                      scores: (Double, Double) -> [Double]) throws(PlotError) {
        let bytes = try render(as: PlotFormat(path: path), width: width, height: height, scores: scores)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .unwritable(path: error.path, reason: error.reason)
        }
    }

    /// The pixels, and where a data point lands in them: for tests.
    func raster(width: Int = 640, height: Int = 600,
                scores: (Double, Double) -> [Double]) throws(PlotError) -> (raster: Raster, pixel: (Double, Double) -> (x: Int, y: Int)) {
        let drawn = try draw(on: .image, width: width, height: height, scores: scores)
        return (drawn.canvas.raster(), drawn.pixel)
    }

    private func draw(on target: Canvas.Target, width: Int, height: Int,
                      scores: (Double, Double) -> [Double]) throws(PlotError) -> DrawnPlot {
        guard width >= DecisionBoundaryPlot.minimumSize.width, height >= DecisionBoundaryPlot.minimumSize.height else {
            throw .invalidSize(width: width, height: height)
        }
        guard (1...1000).contains(gridSize) else { throw .invalidGridSize(gridSize) }
        // The same axes as the two-class plot: the points' box, widened by 10 %.
        let (xAxis, yAxis) = try DecisionBoundaryPlot(title: title, points: points).axes(width: width, height: height)
        let canvas = try Canvas(target: target, width: width, height: height)
        let labelWidth = yAxis.ticks.map { canvas.textWidth(yAxis.label($0), size: 11) }.max() ?? 0
        let area = PlotArea(left: (36 + labelWidth).rounded(), top: 66, right: Double(width) - 24, bottom: Double(height) - 58)

        // One grid per class: grids[c].values[j][i] is class c's score at grid point (i, j).
        let k = max(1, classNames.count)
        var columns = Array(repeating: [[Double]](), count: k)
        for j in 0...gridSize {
            let yValue = yAxis.value(atFraction: Double(j) / Double(gridSize))
            var rows = Array(repeating: [Double](), count: k)
            for i in 0...gridSize {
                let s = scores(xAxis.value(atFraction: Double(i) / Double(gridSize)), yValue)
                for c in 0 ..< k { rows[c].append(c < s.count ? s[c] : -.infinity) }
            }
            for c in 0 ..< k { columns[c].append(rows[c]) }
        }
        let grids = columns.map { ScoreGrid(size: gridSize, values: $0) }
        try drawRegions(grids, on: canvas, area: area)
        for point in points where point.x.isFinite && point.y.isFinite {
            let p = area.point(xAxis.fraction(point.x), yAxis.fraction(point.y))
            canvas.circle(x: p.x, y: p.y, radius: 4.5, fill: Self.color(point.label), outline: .white, lineWidth: 1.2)
        }
        drawAxes(on: canvas, area: area, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel, grid: false)
        canvas.text(title, x: Double(width) / 2, y: 28, size: 16, bold: true, align: .center)
        drawLegend(on: canvas, centerX: Double(width) / 2, y: 50)
        try canvas.check()
        return DrawnPlot(canvas: canvas, area: area, x: xAxis, y: yAxis)
    }

    /// Each pixel: the winning class's tint, mixed towards white as its softmax probability
    /// falls towards 1/k; pixels whose winner differs from the pixel right or below are the
    /// border, drawn dark.
    private func drawRegions(_ grids: [ScoreGrid], on canvas: Canvas, area: PlotArea) throws(PlotError) {
        let columns = Int(area.width.rounded(.up)), rows = Int(area.height.rounded(.up))
        var winner = [Int](repeating: -1, count: columns * rows)
        var confidence = [Double](repeating: 0, count: columns * rows)
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                let fx = (Double(column) + 0.5) / area.width, fy = 1 - (Double(row) + 0.5) / area.height
                let s = grids.map { $0.interpolated(fx, fy) }
                guard let top = s.indices.max(by: { s[$0] < s[$1] }), s[top].isFinite else { continue }
                winner[row * columns + column] = top
                confidence[row * columns + column] = 1 / s.reduce(0) { $0 + Foundation.exp($1 - s[top]) }
            }
        }
        let k = Double(max(2, grids.count))
        try canvas.drawPixels(x: area.left, y: area.top, width: columns, height: rows) { column, row in
            let index = row * columns + column
            let top = winner[index]
            guard top >= 0 else { return DecisionBoundaryPlot.undefinedTint }
            let right = column + 1 < columns ? winner[index + 1] : top
            let below = row + 1 < rows ? winner[index + columns] : top
            if right != top || below != top { return DecisionBoundaryPlot.boundaryColor }
            // p runs from 1/k (a tie of all) to 1 (certain).
            let strength = min(1, max(0, (confidence[index] - 1 / k) / (1 - 1 / k))).squareRoot()
            return Color.white.mixed(with: Self.color(top), 0.15 + 0.35 * strength)
        }
    }

    /// One line under the title: a dot per class with its name.
    private func drawLegend(on canvas: Canvas, centerX: Double, y: Double) {
        let names = classNames.isEmpty ? ["class 0"] : classNames
        let swatch = 10.0, gap = 5.0, spacing = 16.0
        let widths = names.map { swatch + gap + canvas.textWidth($0, size: 11) }
        var left = centerX - (widths.reduce(0, +) + spacing * Double(names.count - 1)) / 2
        for (label, (name, width)) in zip(names, widths).enumerated() {
            canvas.circle(x: left + swatch / 2, y: y - 3.5, radius: 4.5, fill: Self.color(label), outline: .white, lineWidth: 1.2)
            canvas.text(name, x: left + swatch + gap, y: y, size: 11)
            left += width + spacing
        }
    }
}

extension ScoreGrid {
    /// A grid of values already computed (`values[j][i]`, (size + 1)² of them).
    init(size: Int, values: [[Double]]) {
        self.size = size
        self.values = values
    }
}
