// DecisionBoundary.swift — what a 2-D classifier decides, everywhere in the plane.
//
// The classifier is any function score(x, y): positive means one class, negative the other.
// It is evaluated on a grid over the data's bounding box; the picture tints each pixel by the
// sign and size of the (bilinearly interpolated) score, traces the line where the score is 0
// (marching squares on the same grid), and draws the data points on top, coloured by class.
//
// Read next: Axes.swift (ticks, labels and the data-to-pixel mapping).

import Files
import Foundation

/// A heat map of a 2-D classifier's score with its decision boundary (score = 0) and the
/// labelled data points.
///
/// ```swift
/// let plot = DecisionBoundaryPlot(title: "two moons, step 100", points: data)
/// try plot.write(to: "boundary.png") { x, y in model([x, y]).data }
/// ```
/// Points whose `label` is positive belong to the positive class (orange), the others to the
/// negative class (blue), so labels 0/1 and -1/+1 both work.
public struct DecisionBoundaryPlot: Sendable {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: Int

        public init(x: Double, y: Double, label: Int) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public var title: String
    public var points: [Point]
    public var xLabel: String
    public var yLabel: String
    /// The score is evaluated at (gridSize + 1)² points: 3721 calls for the default 60.
    /// Between grid points the picture interpolates, so the boundary stays smooth. 1 to 1000.
    public var gridSize: Int

    public init(title: String, points: [Point], xLabel: String = "x₁", yLabel: String = "x₂", gridSize: Int = 60) {
        self.title = title
        self.points = points
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.gridSize = gridSize
    }

    /// Fill of positive and negative points, and the tint of the regions the classifier gives them.
    static let positiveColor = Color(hex: 0xE8590C)
    static let negativeColor = Color(hex: 0x1971C2)
    static let positiveTint = Color(hex: 0xFFC078)
    static let negativeTint = Color(hex: 0x8EC5F5)
    /// Where the score is NaN or ±∞.
    static let undefinedTint = Color(hex: 0xCED4DA)
    static let boundaryColor = Color(hex: 0x212529)

    /// The smallest picture that leaves room for the axes, labels and some data.
    public static let minimumSize = (width: 240, height: 200)

    /// The plot as PNG or SVG bytes, `width` × `height` pixels. `score` is called on the grid
    /// points only, in a fixed order.
    public func render(
        as format: PlotFormat, width: Int = 640, height: Int = 600, score: (Double, Double) -> Double
    ) throws(PlotError) -> [UInt8] {
        switch format {
        case .png:
            return try draw(on: .image, width: width, height: height, score: score).canvas.pngBytes()
        case .svg:
            return try draw(on: .svg, width: width, height: height, score: score).canvas.svgBytes()
        }
    }

    /// Writes the plot to `path` as PNG or SVG, chosen by the extension, atomically.
    public func write(
        to path: String, width: Int = 640, height: Int = 600, score: (Double, Double) -> Double
    ) throws(PlotError) {
        let bytes = try render(as: PlotFormat(path: path), width: width, height: height, score: score)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .unwritable(path: error.path, reason: error.reason)
        }
    }

    /// The pixels, and where a data point lands in them: for tests.
    func raster(
        width: Int = 640, height: Int = 600, score: (Double, Double) -> Double
    ) throws(PlotError) -> (raster: Raster, pixel: (Double, Double) -> (x: Int, y: Int)) {
        let drawn = try draw(on: .image, width: width, height: height, score: score)
        return (drawn.canvas.raster(), drawn.pixel)
    }

    // MARK: - Drawing

    /// The axes: the points' bounding box, widened by 10 % of its size on each side, with
    /// ticks for a picture of the given size.
    func axes(width: Int, height: Int) throws(PlotError) -> (x: Axis, y: Axis) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !finite.isEmpty else { throw .noData(plot: title) }
        func padded(_ values: [Double], ticks: Int) -> Axis {
            let low = values.min()!, high = values.max()!
            let pad = high > low ? (high - low) * 0.1 : 0.5
            return Axis.linear(low - pad, high + pad, padToTicks: false, targetTicks: ticks)
        }
        // The plot area is about 110 pixels narrower and 124 pixels lower than the picture.
        return (padded(finite.map(\.x), ticks: tickCount(forLength: Double(width - 110), spacing: 110)),
                padded(finite.map(\.y), ticks: tickCount(forLength: Double(height - 124), spacing: 60)))
    }

    private func draw(
        on target: Canvas.Target, width: Int, height: Int, score: (Double, Double) -> Double
    ) throws(PlotError) -> DrawnPlot {
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
            throw .invalidSize(width: width, height: height)
        }
        guard (1...1000).contains(gridSize) else { throw .invalidGridSize(gridSize) }
        let (xAxis, yAxis) = try axes(width: width, height: height)
        let canvas = try Canvas(target: target, width: width, height: height)
        let labelWidth = yAxis.ticks.map { canvas.textWidth(yAxis.label($0), size: 11) }.max() ?? 0
        let area = PlotArea(
            left: (36 + labelWidth).rounded(), top: 66, right: Double(width) - 24, bottom: Double(height) - 58)

        let grid = ScoreGrid(size: gridSize, x: xAxis, y: yAxis, score: score)
        try drawHeatMap(grid, on: canvas, area: area)
        drawBoundary(grid, on: canvas, area: area)
        drawPoints(on: canvas, area: area, x: xAxis, y: yAxis)
        drawAxes(on: canvas, area: area, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel, grid: false)
        canvas.text(title, x: Double(width) / 2, y: 28, size: 16, bold: true, align: .center)
        drawLegend(on: canvas, centerX: Double(width) / 2, y: 50)
        try canvas.check()
        return DrawnPlot(canvas: canvas, area: area, x: xAxis, y: yAxis)
    }

    /// Each pixel of the plot area tinted by the interpolated score: the sign picks orange or
    /// blue, and |score| / max|score| (square-rooted, to lift small values) picks how strong.
    private func drawHeatMap(_ grid: ScoreGrid, on canvas: Canvas, area: PlotArea) throws(PlotError) {
        let columns = Int(area.width.rounded(.up)), rows = Int(area.height.rounded(.up))
        let largest = grid.largestMagnitude
        try canvas.drawPixels(x: area.left, y: area.top, width: columns, height: rows) { column, row in
            let fx = (Double(column) + 0.5) / area.width
            let fy = 1 - (Double(row) + 0.5) / area.height
            let value = grid.interpolated(fx, fy)
            guard value.isFinite else { return Self.undefinedTint }
            let strength = largest > 0 ? (min(1, abs(value) / largest)).squareRoot() : 0
            return Color.white.mixed(with: value > 0 ? Self.positiveTint : Self.negativeTint, 0.3 + 0.7 * strength)
        }
    }

    /// The score = 0 line: a dark line on a pale halo, so it shows on either tint.
    private func drawBoundary(_ grid: ScoreGrid, on canvas: Canvas, area: PlotArea) {
        let segments = grid.zeroCrossings().map { segment in
            (area.point(segment.0.x, segment.0.y), area.point(segment.1.x, segment.1.y))
        }
        for (width, color, alpha) in [(5.0, Color.white, 0.8), (2.0, Self.boundaryColor, 1.0)] {
            canvas.setColor(color, alpha: alpha)
            canvas.strokeSegments(segments, lineWidth: width)
        }
    }

    private func drawPoints(on canvas: Canvas, area: PlotArea, x: Axis, y: Axis) {
        for point in points where point.x.isFinite && point.y.isFinite {
            let p = area.point(x.fraction(point.x), y.fraction(point.y))
            canvas.circle(x: p.x, y: p.y, radius: 4.5, fill: point.label > 0 ? Self.positiveColor : Self.negativeColor,
                          outline: .white, lineWidth: 1.2)
        }
    }

    /// One line under the title: the two region tints, the boundary, and the two classes.
    private func drawLegend(on canvas: Canvas, centerX: Double, y: Double) {
        let positive = Set(points.map(\.label).filter { $0 > 0 }).sorted()
        let negative = Set(points.map(\.label).filter { $0 <= 0 }).sorted()
        func className(_ labels: [Int], _ fallback: String) -> String {
            labels.isEmpty ? fallback : "class " + labels.map(String.init).joined(separator: ", ")
        }
        enum Swatch { case region(Color), line, dot(Color) }
        let entries: [(Swatch, String)] = [
            (.region(Self.positiveTint), "score > 0"), (.region(Self.negativeTint), "score < 0"), (.line, "score = 0"),
            (.dot(Self.positiveColor), className(positive, "positive")),
            (.dot(Self.negativeColor), className(negative, "negative")),
        ]
        let swatchWidth = 16.0, gap = 6.0, spacing = 18.0
        let widths = entries.map { swatchWidth + gap + canvas.textWidth($0.1, size: 11) }
        var left = centerX - (widths.reduce(0, +) + spacing * Double(entries.count - 1)) / 2
        for ((swatch, name), width) in zip(entries, widths) {
            switch swatch {
            case .region(let color):
                canvas.fillRectangle(x: left, y: y - 9, width: swatchWidth, height: 11, color: color)
            case .line:
                canvas.line(from: (left, y - 3.5), to: (left + swatchWidth, y - 3.5), color: Self.boundaryColor, lineWidth: 2)
            case .dot(let color):
                canvas.circle(x: left + swatchWidth / 2, y: y - 3.5, radius: 4.5, fill: color, outline: .white, lineWidth: 1.2)
            }
            canvas.text(name, x: left + swatchWidth + gap, y: y, size: 11)
            left += width + spacing
        }
    }
}

/// The score sampled at (size + 1)² grid points spanning both axes; `values[j][i]` is at
/// x = i / size and y = j / size of the way along the axes.
struct ScoreGrid {
    let size: Int
    let values: [[Double]]

    init(size: Int, x: Axis, y: Axis, score: (Double, Double) -> Double) {
        self.size = size
        values = (0...size).map { j in
            let yValue = y.value(atFraction: Double(j) / Double(size))
            return (0...size).map { i in score(x.value(atFraction: Double(i) / Double(size)), yValue) }
        }
    }

    /// The largest finite |score| on the grid (0 if there is none).
    var largestMagnitude: Double {
        values.joined().filter(\.isFinite).map(abs).max() ?? 0
    }

    /// The score at fractions (fx, fy) of the axes, interpolated bilinearly between the four
    /// surrounding grid points.
    func interpolated(_ fx: Double, _ fy: Double) -> Double {
        let gx = min(max(fx, 0), 1) * Double(size), gy = min(max(fy, 0), 1) * Double(size)
        let i = min(Int(gx), size - 1), j = min(Int(gy), size - 1)
        let tx = gx - Double(i), ty = gy - Double(j)
        let bottom = values[j][i] * (1 - tx) + values[j][i + 1] * tx
        let top = values[j + 1][i] * (1 - tx) + values[j + 1][i + 1] * tx
        return bottom * (1 - ty) + top * ty
    }

    /// Marching squares: in every grid cell whose corners do not all have the same sign, the
    /// segment where the interpolated score crosses 0, as axis fractions. Cells with a
    /// non-finite corner are skipped.
    func zeroCrossings() -> [((x: Double, y: Double), (x: Double, y: Double))] {
        var segments: [((x: Double, y: Double), (x: Double, y: Double))] = []
        let n = Double(size)
        for j in 0..<size {
            for i in 0..<size {
                // Corners counter-clockwise from the bottom left, as (x, y, score).
                let corners = [
                    (Double(i), Double(j), values[j][i]), (Double(i + 1), Double(j), values[j][i + 1]),
                    (Double(i + 1), Double(j + 1), values[j + 1][i + 1]), (Double(i), Double(j + 1), values[j + 1][i]),
                ]
                guard corners.allSatisfy({ $0.2.isFinite }) else { continue }
                var crossings: [(x: Double, y: Double)] = []
                for k in 0..<4 {
                    let (x0, y0, s0) = corners[k], (x1, y1, s1) = corners[(k + 1) % 4]
                    guard (s0 > 0) != (s1 > 0) else { continue }
                    // Where the straight line from s0 to s1 reaches 0.
                    let t = s0 / (s0 - s1)
                    crossings.append(((x0 + t * (x1 - x0)) / n, (y0 + t * (y1 - y0)) / n))
                }
                // Two crossings give one segment; four (a saddle) give two.
                for pair in stride(from: 0, to: crossings.count - 1, by: 2) {
                    segments.append((crossings[pair], crossings[pair + 1]))
                }
            }
        }
        return segments
    }
}
