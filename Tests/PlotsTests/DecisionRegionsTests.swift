// DecisionRegionsTests.swift — the picture of a classifier of three classes, checked pixel by
// pixel against scores whose argmax is known by hand (the nearest of three centres), and the
// scatter plot of a regression's predictions: points where they belong, and the diagonal.

import Foundation
@testable import Plots
import Testing
import _TestSupport

@Suite struct DecisionRegionsTests {
    typealias RGB = (red: Int, green: Int, blue: Int)

    /// Class c wins where centre c is nearest: scores −|p − centre|².
    static let centres = [(-1.0, -1.0), (1.0, -1.0), (0.0, 1.0)]
    static func scores(_ x: Double, _ y: Double) -> [Double] {
        centres.map { -(($0.0 - x) * ($0.0 - x) + ($0.1 - y) * ($0.1 - y)) }
    }

    let plot = DecisionRegionsPlot(title: "three centres",
                                   points: centres.enumerated().map { .init(x: $1.0, y: $1.1, label: $0) },
                                   classNames: ["a", "b", "c"])

    @Test func eachRegionHasItsClassColourAndTheBordersAreDark() throws {
        let (raster, pixel) = try plot.raster(scores: Self.scores)
        func at(_ x: Double, _ y: Double) -> RGB { let p = pixel(x, y); return raster.pixel(x: p.x, y: p.y) }
        // LinePlot's palette: blue 1C7ED6, orange E8590C, green 2F9E44, each tinted towards white.
        let a = at(-0.9, -0.6), b = at(0.9, -0.6), c = at(0.0, 0.6)
        #expect(a.blue > a.red + 30 && a.blue > a.green, "\(a)")
        #expect(b.red > b.blue + 30 && b.red > b.green, "\(b)")
        #expect(c.green > c.red + 20 && c.green > c.blue, "\(c)")
        // Between a and b the border is x = 0 (below y = −0.25, where all three meet at (0, −0.25)).
        let border = pixel(0, -1.0)
        let darkest = (-2 ... 2).map { raster.pixel(x: border.x + $0, y: border.y) }.map { max($0.red, $0.green, $0.blue) }.min()!
        #expect(darkest < 100)
        #expect(max(b.red, b.green, b.blue) > 150)  // inside a region: light
    }

    @Test func scoresMustBeFiniteSomewhereAndTheSizesChecked() {
        #expect(throws: PlotError.self) { try plot.render(as: .png, width: 10, height: 10, scores: Self.scores) }
        var coarse = plot
        coarse.gridSize = 0
        #expect(throws: PlotError.self) { try coarse.render(as: .png, scores: Self.scores) }
        // All scores NaN: the undefined tint, not a crash.
        #expect((try? plot.render(as: .svg) { _, _ in [.nan, .nan, .nan] }) != nil)
    }

    @Test func aScatterPlotPutsEachPointWhereItBelongsAndDrawsTheDiagonal() throws {
        let scatter = ScatterPlot(title: "predicted against actual", xLabel: "actual", yLabel: "predicted",
                                  x: [0, 1, 2, 3, 4], y: [0.5, 1, 1.5, 3.5, 4], diagonal: true)
        let (raster, pixel) = try scatter.raster()
        for (x, y) in [(0.0, 0.5), (2.0, 1.5), (3.0, 3.5)] {
            let p = pixel(x, y), colour = raster.pixel(x: p.x, y: p.y)
            #expect(colour.blue > colour.red + 60, "(\(x), \(y)): \(colour)")
        }
        // The diagonal at (2.5, 2.5), away from every point: orange within a pixel.
        let d = pixel(2.5, 2.5)
        let orange = (-1 ... 1).flatMap { dx in (-1 ... 1).map { raster.pixel(x: d.x + dx, y: d.y + $0) } }
            .contains { $0.red > $0.blue + 60 }
        #expect(orange)
        #expect(throws: PlotError.self) { try ScatterPlot(title: "t", xLabel: "x", yLabel: "y", x: [1], y: []).render(as: .png) }
        #expect(throws: PlotError.self) { try ScatterPlot(title: "t", xLabel: "x", yLabel: "y", x: [.nan], y: [1]).render(as: .png) }
    }
}
