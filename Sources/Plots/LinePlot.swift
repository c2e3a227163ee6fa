// LinePlot.swift — curves over training: loss, accuracy, anything measured step by step.
//
// A plot holds plain arrays (no Engine types), so any loop can record numbers and draw them.
// NaN and ±∞ values are skipped, leaving a gap in the line, so a run that diverged still
// draws and shows where it broke.
//
// Read next: DecisionBoundary.swift.

import Files

/// Several series of (x, y) points drawn as lines on one pair of axes, with a title, axis
/// labels, ticks and a legend.
///
/// ```swift
/// let plot = LinePlot(title: "Training", xLabel: "step", yLabel: "loss",
///                     series: [.init(name: "loss", values: losses)], yScale: .logarithmic)
/// try plot.write(to: "loss.png")
/// ```
public struct LinePlot: Sendable {
    /// One named line.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]

        public init(name: String, x: [Double], y: [Double]) {
            self.name = name
            self.x = x
            self.y = y
        }

        /// y values at x = 1, 2, 3, ... (for example one loss per training step).
        public init(name: String, values: [Double]) {
            self.init(name: name, x: values.indices.map { Double($0 + 1) }, y: values)
        }
    }

    /// How y values map to height.
    public enum YScale: Sendable {
        case linear
        /// log₁₀: equal ratios get equal heights, which suits a loss that falls by orders of
        /// magnitude. Zero and negative values are skipped like NaN.
        case logarithmic
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var yScale: YScale

    public init(title: String, xLabel: String, yLabel: String, series: [Series], yScale: YScale = .linear) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yScale = yScale
    }

    /// The line colours, in series order (repeating after seven): blue, orange, green, purple,
    /// yellow, teal, red.
    static let palette: [UInt32] = [0x1C7ED6, 0xE8590C, 0x2F9E44, 0xAE3EC9, 0xF59F00, 0x0C8599, 0xC92A2A]

    /// The smallest picture that leaves room for the axes, labels and some data.
    public static let minimumSize = (width: 200, height: 150)

    /// The plot as PNG or SVG bytes, `width` × `height` pixels.
    public func render(as format: PlotFormat, width: Int = 800, height: Int = 500) throws(PlotError) -> [UInt8] {
        switch format {
        case .png:
            return try draw(on: .image, width: width, height: height).canvas.pngBytes()
        case .svg:
            return try draw(on: .svg, width: width, height: height).canvas.svgBytes()
        }
    }

    /// Writes the plot to `path` as PNG or SVG, chosen by the extension, atomically.
    public func write(to path: String, width: Int = 800, height: Int = 500) throws(PlotError) {
        let bytes = try render(as: PlotFormat(path: path), width: width, height: height)
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw .unwritable(path: error.path, reason: error.reason)
        }
    }

    /// The pixels, and where a data point lands in them: for tests.
    func raster(width: Int = 800, height: Int = 500) throws(PlotError) -> (raster: Raster, pixel: (Double, Double) -> (x: Int, y: Int)) {
        let drawn = try draw(on: .image, width: width, height: height)
        return (drawn.canvas.raster(), drawn.pixel)
    }

    // MARK: - Drawing

    /// The points that can be drawn: finite, and positive on a logarithmic axis.
    private func isDrawable(_ x: Double, _ y: Double) -> Bool {
        x.isFinite && y.isFinite && (yScale == .linear || y > 0)
    }

    /// The x and y axes that fit every drawable point, with ticks for a picture of the given size.
    func axes(width: Int, height: Int) throws(PlotError) -> (x: Axis, y: Axis) {
        for line in series where line.x.count != line.y.count {
            throw .mismatchedLengths(series: line.name, xCount: line.x.count, yCount: line.y.count)
        }
        let points = series.flatMap { zip($0.x, $0.y) }
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        let drawable = finite.filter { isDrawable($0.0, $0.1) }
        guard !drawable.isEmpty else {
            if yScale == .logarithmic && !finite.isEmpty { throw .noPositiveValues(plot: title) }
            throw .noData(plot: title)
        }
        let xs = drawable.map(\.0), ys = drawable.map(\.1)
        // The plot area is about 110 pixels narrower and 106 pixels lower than the picture.
        // Whole-number x values (steps, epochs) get whole-number ticks.
        let x = Axis.linear(xs.min()!, xs.max()!, padToTicks: false,
                            targetTicks: tickCount(forLength: Double(width - 110), spacing: 110),
                            minimumStep: xs.allSatisfy { $0 == $0.rounded() } ? 1 : 0)
        let y = yScale == .linear
            ? Axis.linear(ys.min()!, ys.max()!, padToTicks: true,
                          targetTicks: tickCount(forLength: Double(height - 106), spacing: 60))
            : Axis.logarithmic(ys.min()!, ys.max()!)
        return (x, y)
    }

    private func draw(on target: Canvas.Target, width: Int, height: Int) throws(PlotError) -> DrawnPlot {
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
            throw .invalidSize(width: width, height: height)
        }
        let (xAxis, yAxis) = try axes(width: width, height: height)
        let canvas = try Canvas(target: target, width: width, height: height)

        let labelWidth = yAxis.ticks.map { canvas.textWidth(yAxis.label($0), size: 11) }.max() ?? 0
        let area = PlotArea(left: 36 + labelWidth, top: 48, right: Double(width) - 24, bottom: Double(height) - 58)
        canvas.text(title, x: Double(width) / 2, y: 30, size: 16, bold: true, align: .center)
        drawAxes(on: canvas, area: area, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel, grid: true)

        for (index, line) in series.enumerated() {
            drawLine(line, color: Color(hex: Self.palette[index % Self.palette.count]), on: canvas, area: area, x: xAxis, y: yAxis)
        }
        drawLegend(on: canvas, area: area, x: xAxis, y: yAxis)
        try canvas.check()
        return DrawnPlot(canvas: canvas, area: area, x: xAxis, y: yAxis)
    }

    /// One polyline per run of consecutive drawable points; a run of a single point is drawn
    /// as a dot so that it stays visible.
    private func drawLine(_ line: Series, color: Color, on canvas: Canvas, area: PlotArea, x: Axis, y: Axis) {
        var run: [(x: Double, y: Double)] = []
        func finishRun() {
            if run.count == 1 {
                canvas.circle(x: run[0].x, y: run[0].y, radius: 3, fill: color, outline: color, lineWidth: 1)
            } else if run.count > 1 {
                canvas.polyline(run, color: color, lineWidth: 2)
            }
            run.removeAll()
        }
        for (px, py) in zip(line.x, line.y) {
            if isDrawable(px, py) {
                run.append(area.point(x.fraction(px), y.fraction(py)))
            } else {
                finishRun()
            }
        }
        finishRun()
    }

    /// A box in the corner of the plot area that covers the fewest data points (top right
    /// when several are free): a short line of each colour and its name.
    private func drawLegend(on canvas: Canvas, area: PlotArea, x: Axis, y: Axis) {
        guard !series.isEmpty else { return }
        let rowHeight = 18.0, sample = 22.0, padding = 8.0, inset = 10.0
        let textWidth = series.map { canvas.textWidth($0.name, size: 11) }.max() ?? 0
        let boxWidth = padding + sample + 6 + textWidth + padding
        let boxHeight = padding * 2 + rowHeight * Double(series.count) - 4

        // Points along every line, about every 4 pixels, to count what each corner would hide.
        var covered: [(x: Double, y: Double)] = []
        for line in series {
            let pixels = zip(line.x, line.y).map { px, py in isDrawable(px, py) ? area.point(x.fraction(px), y.fraction(py)) : nil }
            for (start, end) in zip(pixels, pixels.dropFirst()) {
                guard let start, let end else { continue }
                let samples = max(1, Int(max(abs(end.x - start.x), abs(end.y - start.y)) / 4))
                for k in 0...samples {
                    let t = Double(k) / Double(samples)
                    covered.append((start.x + (end.x - start.x) * t, start.y + (end.y - start.y) * t))
                }
            }
            covered += pixels.compactMap { $0 }
        }
        let corners = [
            (area.right - boxWidth - inset, area.top + inset), (area.left + inset, area.top + inset),
            (area.right - boxWidth - inset, area.bottom - boxHeight - inset), (area.left + inset, area.bottom - boxHeight - inset),
        ]
        let hidden = corners.map { left, top in
            covered.count { $0.x >= left - 4 && $0.x <= left + boxWidth + 4 && $0.y >= top - 4 && $0.y <= top + boxHeight + 4 }
        }
        let (left, top) = corners[hidden.indices.min { hidden[$0] < hidden[$1] }!]

        canvas.fillRectangle(x: left, y: top, width: boxWidth, height: boxHeight, color: .white, alpha: 0.9)
        canvas.strokeRectangle(x: left, y: top, width: boxWidth, height: boxHeight, color: Color(hex: 0xCED4DA), lineWidth: 1)
        for (index, line) in series.enumerated() {
            let rowY = top + padding + 7 + rowHeight * Double(index)
            let color = Color(hex: Self.palette[index % Self.palette.count])
            canvas.line(from: (left + padding, rowY), to: (left + padding + sample, rowY), color: color, lineWidth: 2.5)
            canvas.text(line.name, x: left + padding + sample + 6, y: rowY + 4, size: 11)
        }
    }
}
