// ScatterPlot.swift — points, not lines: a regression's predictions against the true values,
// with the diagonal y = x where every point of a perfect model would lie.
//
// Read next: Histogram.swift.

import Files

/// Points (x, y) on linear axes, optionally with the line y = x.
///
/// ```swift
/// let plot = ScatterPlot(title: "houses.csv: test set", xLabel: "actual price", yLabel: "predicted price",
///                        x: actual, y: predicted, diagonal: true)
/// try plot.write(to: "predicted-vs-actual.svg")
/// ```
public struct ScatterPlot: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var y: [Double]
    /// Draw y = x (and give both axes the same range, so that the line is the diagonal).
    public var diagonal: Bool

    public init(title: String, xLabel: String, yLabel: String, x: [Double], y: [Double], diagonal: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.diagonal = diagonal
    }

    static let pointColor = Color(hex: 0x1C7ED6)
    static let diagonalColor = Color(hex: 0xE8590C)

    /// The plot as PNG or SVG bytes.
    public func render(as format: PlotFormat, width: Int = 640, height: Int = 600) throws(PlotError) -> [UInt8] {
        switch format {
        case .png: return try draw(on: .image, width: width, height: height).canvas.pngBytes()
        case .svg: return try draw(on: .svg, width: width, height: height).canvas.svgBytes()
        }
    }

    /// Writes the plot to `path` as PNG or SVG, chosen by the extension, atomically.
    public func write(to path: String, width: Int = 640, height: Int = 600) throws(PlotError) {
        let bytes = try render(as: PlotFormat(path: path), width: width, height: height)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .unwritable(path: error.path, reason: error.reason)
        }
    }

    /// The pixels, and where a data point lands in them: for tests.
    func raster(width: Int = 640, height: Int = 600) throws(PlotError) -> (raster: Raster, pixel: (Double, Double) -> (x: Int, y: Int)) {
        let drawn = try draw(on: .image, width: width, height: height)
        return (drawn.canvas.raster(), drawn.pixel)
    }

    private func draw(on target: Canvas.Target, width: Int, height: Int) throws(PlotError) -> DrawnPlot {
        guard width >= LinePlot.minimumSize.width, height >= LinePlot.minimumSize.height else {
            throw .invalidSize(width: width, height: height)
        }
        guard x.count == y.count else { throw .mismatchedLengths(series: title, xCount: x.count, yCount: y.count) }
        let finite = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard !finite.isEmpty else { throw .noData(plot: title) }
        var xs = finite.map(\.0), ys = finite.map(\.1)
        if diagonal {
            xs += ys
            ys = xs
        }
        let xAxis = Axis.linear(xs.min()!, xs.max()!, padToTicks: true, targetTicks: tickCount(forLength: Double(width - 110), spacing: 110))
        let yAxis = Axis.linear(ys.min()!, ys.max()!, padToTicks: true, targetTicks: tickCount(forLength: Double(height - 106), spacing: 60))
        let canvas = try Canvas(target: target, width: width, height: height)
        let labelWidth = yAxis.ticks.map { canvas.textWidth(yAxis.label($0), size: 11) }.max() ?? 0
        let area = PlotArea(left: 36 + labelWidth, top: 48, right: Double(width) - 24, bottom: Double(height) - 58)
        canvas.text(title, x: Double(width) / 2, y: 30, size: 16, bold: true, align: .center)
        drawAxes(on: canvas, area: area, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel, grid: true)
        if diagonal {
            let low = max(xAxis.value(atFraction: 0), yAxis.value(atFraction: 0))
            let high = min(xAxis.value(atFraction: 1), yAxis.value(atFraction: 1))
            canvas.line(from: area.point(xAxis.fraction(low), yAxis.fraction(low)),
                        to: area.point(xAxis.fraction(high), yAxis.fraction(high)), color: Self.diagonalColor, lineWidth: 1.5)
        }
        for (px, py) in finite {
            let p = area.point(xAxis.fraction(px), yAxis.fraction(py))
            canvas.circle(x: p.x, y: p.y, radius: 3, fill: Self.pointColor, outline: .white, lineWidth: 0.8)
        }
        try canvas.check()
        return DrawnPlot(canvas: canvas, area: area, x: xAxis, y: yAxis)
    }
}
