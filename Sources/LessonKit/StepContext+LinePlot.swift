// StepContext+LinePlot.swift — curves as a picture: loss per step, or paths in a plane.
//
// A thin door to Plots' LinePlot, so that a lesson draws a chart without importing Plots:
// each series is a name and its (x, y) points. The picture is written as numbered SVG and PNG
// beside the lesson's other frames (`step-03-plot-001.png`), and the screen prints the paths.
// Read next: LessonRunner.swift.

import Plots

extension StepContext {
    /// Draws `series` (name, x values, y values) as lines in one chart, SVG and PNG, and records
    /// it in the step's output with its paths. `logarithmicY` suits a loss that falls by orders
    /// of magnitude. Without a frame folder it records only the title.
    public func plotLines(title: String, xLabel: String, yLabel: String,
                          series: [(name: String, x: [Double], y: [Double])], logarithmicY: Bool = false) {
        guard let frames else {
            record(FrameWriter.Written(), title: title)
            return
        }
        let plot = LinePlot(title: title, xLabel: xLabel, yLabel: yLabel,
                            series: series.map { LinePlot.Series(name: $0.name, x: $0.x, y: $0.y) },
                            yScale: logarithmicY ? .logarithmic : .linear)
        let written = frames.writeBoth(frames.nextName("plot")) { format in
            do {
                return try plot.render(as: format == "png" ? .png : .svg, width: 640, height: 420)
            } catch {
                throw PictureProblem(text: "\(error)")
            }
        }
        record(written, title: title)
    }
}
