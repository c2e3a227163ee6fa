// LinePlotTests.swift — line plots: exact picture sizes, valid SVG, lines where the data says,
// gaps at NaN, and typed errors for bad input.

import Foundation
@testable import Plots
import Testing
import _TestSupport

@Suite struct LinePlotTests {
    /// Line colour of the first series, #1c7ed6.
    static let blue = (red: 0x1C, green: 0x7E, blue: 0xD6)

    func isBlue(_ pixel: (red: Int, green: Int, blue: Int)) -> Bool {
        abs(pixel.red - Self.blue.red) < 40 && abs(pixel.green - Self.blue.green) < 40 && abs(pixel.blue - Self.blue.blue) < 40
    }

    /// True if any pixel within `radius` of (x, y) is the line colour (lines are antialiased).
    func blueNear(_ raster: Raster, _ point: (x: Int, y: Int), radius: Int = 1) -> Bool {
        for dy in -radius...radius {
            for dx in -radius...radius where isBlue(raster.pixel(x: point.x + dx, y: point.y + dy)) { return true }
        }
        return false
    }

    let plot = LinePlot(
        title: "Training", xLabel: "step", yLabel: "loss",
        series: [.init(name: "loss", values: [0.9, 0.5, 0.3, 0.2, 0.15]), .init(name: "accuracy", values: [0.5, 0.6, 0.8, 0.85, 0.9])])

    @Test(arguments: [(800, 500), (640, 400), (201, 151)])
    func pngHasTheRequestedSize(width: Int, height: Int) throws {
        let png = try plot.render(as: .png, width: width, height: height)
        let size = try #require(pngSize(png))
        #expect(size.width == width && size.height == height)
    }

    @Test func svgParsesAndHasTheRequestedSize() throws {
        let svg = parseSVG(try plot.render(as: .svg, width: 640, height: 400))
        #expect(svg.parsed)
        #expect(svg.rootName == "svg")
        #expect(svg.rootAttributes["width"] == "640px" && svg.rootAttributes["height"] == "400px")
    }

    @Test func theLineRisesWhereTheDataRises() throws {
        let rising = LinePlot(title: "y = x", xLabel: "x", yLabel: "y", series: [.init(name: "y", x: [0, 10], y: [0, 10])])
        let (raster, pixel) = try rising.raster()
        // Higher y is higher on the picture (a smaller row).
        #expect(pixel(2.5, 7.5).y < pixel(2.5, 2.5).y)
        // On the line: blue. Off it: not.
        for t in [1.0, 2.5, 5, 7.5] { #expect(blueNear(raster, pixel(t, t)), "no line at (\(t), \(t))") }
        #expect(!blueNear(raster, pixel(2.5, 7.5), radius: 3))
        #expect(!blueNear(raster, pixel(7.5, 2.5), radius: 3))
    }

    @Test func nanLeavesAGapAndALonePointIsADot() throws {
        let gappy = LinePlot(
            title: "gap", xLabel: "x", yLabel: "y",
            series: [.init(name: "y", x: [1, 2, 3, 4, 5, 6, 7], y: [1, 2, .nan, 4, 5, .infinity, 7])])
        let (raster, pixel) = try gappy.raster()
        #expect(blueNear(raster, pixel(1.5, 1.5)))  // between 1 and 2: drawn
        #expect(!blueNear(raster, pixel(3, 3), radius: 2))  // 2 → 4 would pass here: gap
        #expect(blueNear(raster, pixel(4.5, 4.5)))
        #expect(blueNear(raster, pixel(7, 7)))  // 7 alone, between ∞ and the end: a dot
        #expect(!blueNear(raster, pixel(6, 6), radius: 2))
    }

    @Test func aLogarithmicAxisSkipsZeroAndNegativeValues() throws {
        var logPlot = LinePlot(title: "loss", xLabel: "step", yLabel: "loss", series: [.init(name: "loss", values: [1, 0.1, 0, -1, 0.01])],
                               yScale: .logarithmic)
        let (raster, pixel) = try logPlot.raster()
        // 1 → 0.1 is drawn; equal ratios are equal heights.
        #expect(blueNear(raster, pixel(1.5, 0.316227766)))  // halfway in log space: √(1 · 0.1)
        #expect(abs((pixel(1, 0.1).y - pixel(1, 1).y) - (pixel(1, 0.01).y - pixel(1, 0.1).y)) <= 1)
        #expect(blueNear(raster, pixel(5, 0.01)))  // alone after the skipped 0 and -1: a dot
        #expect(!blueNear(raster, pixel(3.5, 0.0316), radius: 2))  // no line from 0.1 to 0.01
        logPlot.series = [.init(name: "loss", values: [0, -2])]
        #expect(throws: PlotError.noPositiveValues(plot: "loss")) { try logPlot.render(as: .png) }
    }

    @Test func badInputGivesTypedErrors() {
        let mismatched = LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "loss", x: [1, 2, 3], y: [1, 2])])
        #expect(throws: PlotError.mismatchedLengths(series: "loss", xCount: 3, yCount: 2)) { try mismatched.render(as: .png) }
        let empty = LinePlot(title: "nothing", xLabel: "x", yLabel: "y", series: [.init(name: "loss", values: [.nan, .infinity])])
        #expect(throws: PlotError.noData(plot: "nothing")) { try empty.render(as: .svg) }
        let noSeries = LinePlot(title: "none", xLabel: "x", yLabel: "y", series: [])
        #expect(throws: PlotError.noData(plot: "none")) { try noSeries.render(as: .png) }
        #expect(throws: PlotError.invalidSize(width: 100, height: 400)) { try plot.render(as: .png, width: 100, height: 400) }
        #expect(throws: PlotError.invalidSize(width: 800, height: -1)) { try plot.render(as: .svg, width: 800, height: -1) }
        #expect(throws: PlotError.invalidSize(width: 40000, height: 400)) { try plot.render(as: .png, width: 40000, height: 400) }
    }
}
