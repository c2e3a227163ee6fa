// DecisionBoundaryTests.swift — the classifier picture, checked pixel by pixel: which side is
// which colour, where the score = 0 line is, the points on top, and the grid underneath.

import Foundation
@testable import Plots
import Testing
import _TestSupport

@Suite struct DecisionBoundaryTests {
    typealias RGB = (red: Int, green: Int, blue: Int)

    /// Four points at the corners of [-1, 1]²; the axes add 10 % of the size on each side,
    /// so the plot shows [-1.2, 1.2]².
    let corners = DecisionBoundaryPlot(title: "corners", points: [
        .init(x: -1, y: -1, label: 0), .init(x: 1, y: 1, label: 1), .init(x: -1, y: 1, label: 0), .init(x: 1, y: -1, label: 1),
    ])

    func isOrange(_ p: RGB) -> Bool { p.red > p.blue + 60 }
    func isBlue(_ p: RGB) -> Bool { p.blue > p.red + 60 }
    func isDark(_ p: RGB) -> Bool { max(p.red, p.green, p.blue) < 100 }
    func near(_ p: RGB, _ hex: UInt32, tolerance: Int) -> Bool {
        abs(p.red - Int(hex >> 16 & 0xFF)) <= tolerance && abs(p.green - Int(hex >> 8 & 0xFF)) <= tolerance
            && abs(p.blue - Int(hex & 0xFF)) <= tolerance
    }

    @Test func eachSideHasItsColourAndTheBoundaryIsDark() throws {
        let (raster, pixel) = try corners.raster { x, _ in x }  // positive on the right
        func at(_ x: Double, _ y: Double) -> RGB { let p = pixel(x, y); return raster.pixel(x: p.x, y: p.y) }
        #expect(isOrange(at(1.1, 0)) && isOrange(at(0.6, 0.5)))
        #expect(isBlue(at(-1.1, 0)) && isBlue(at(-0.6, -0.5)))
        // The score = 0 line, x = 0, is dark (it is 2 pixels wide and antialiased: look at the
        // darkest of three neighbours), and it is dark nowhere else on this row.
        for y in [-0.5, 0, 0.5] {
            let p = pixel(0, y)
            let darkest = (-1...1).map { raster.pixel(x: p.x + $0, y: p.y) }.min { max($0.red, $0.green, $0.blue) < max($1.red, $1.green, $1.blue) }!
            #expect(isDark(darkest), "no boundary at (0, \(y))")
        }
        #expect(!isDark(at(0.3, 0)) && !isDark(at(-0.3, 0)))
        // The tint grows with |score|: deeper orange (less blue) far from the boundary.
        #expect(at(1.1, 0).blue < at(0.2, 0).blue)
    }

    @Test func positiveScoresAtTheTopWhenTheScoreGrowsWithY() throws {
        let (raster, _) = try corners.raster(width: 640, height: 600) { _, y in y }
        // Rows near the top and bottom of the picture's middle column, inside the plot area
        // (which leaves 66 pixels above it and 58 below it).
        #expect(isOrange(raster.pixel(x: 330, y: 75)))
        #expect(isBlue(raster.pixel(x: 330, y: 600 - 70)))
    }

    @Test func pointsAreDrawnOnTopInTheirClassColour() throws {
        let (raster, pixel) = try corners.raster { x, y in x * y }  // disagrees with two of the labels
        let positive = pixel(1, 1), negative = pixel(-1, -1), positiveOnBlue = pixel(1, -1)
        #expect(near(raster.pixel(x: positive.x, y: positive.y), 0xE8590C, tolerance: 30))
        #expect(near(raster.pixel(x: negative.x, y: negative.y), 0x1971C2, tolerance: 30))
        // Label 1 at (1, -1), where the score x·y = -1 is negative: still orange, on blue.
        #expect(near(raster.pixel(x: positiveOnBlue.x, y: positiveOnBlue.y), 0xE8590C, tolerance: 30))
        #expect(isBlue(raster.pixel(x: positiveOnBlue.x + 10, y: positiveOnBlue.y)))
    }

    @Test func undefinedScoresAreGrey() throws {
        let (raster, pixel) = try corners.raster { x, _ in x < 0 ? .nan : x }
        let p = pixel(-0.6, 0.5)
        #expect(near(raster.pixel(x: p.x, y: p.y), 0xCED4DA, tolerance: 3))
        #expect(isOrange(raster.pixel(x: pixel(0.6, 0.5).x, y: pixel(0.6, 0.5).y)))
    }

    @Test func theScoreIsCalledOncePerGridPoint() throws {
        var calls = 0
        var plot = corners
        plot.gridSize = 10
        _ = try plot.render(as: .png) { x, y in
            calls += 1
            return x + y
        }
        #expect(calls == 11 * 11)
    }

    @Test func pngAndSVGHaveTheRequestedSize() throws {
        let size = try #require(pngSize(try corners.render(as: .png, width: 500, height: 450) { x, _ in x }))
        #expect(size.width == 500 && size.height == 450)
        let svg = parseSVG(try corners.render(as: .svg, width: 500, height: 450) { x, _ in x })
        #expect(svg.parsed && svg.rootName == "svg")
        #expect(svg.rootAttributes["width"] == "500px" && svg.rootAttributes["height"] == "450px")
    }

    @Test func badInputGivesTypedErrors() {
        let empty = DecisionBoundaryPlot(title: "empty", points: [.init(x: .nan, y: 0, label: 1)])
        #expect(throws: PlotError.noData(plot: "empty")) { try empty.render(as: .png) { x, _ in x } }
        #expect(throws: PlotError.invalidSize(width: 100, height: 100)) {
            try corners.render(as: .png, width: 100, height: 100) { x, _ in x }
        }
        for size in [0, 1001] {
            var plot = corners
            plot.gridSize = size
            #expect(throws: PlotError.invalidGridSize(size)) { try plot.render(as: .png) { x, _ in x } }
        }
    }
}

@Suite struct ScoreGridTests {
    let x = Axis.linear(-2, 2, padToTicks: false)
    let y = Axis.linear(0, 10, padToTicks: false)

    @Test func bilinearInterpolationIsExactForLinearScores() {
        // A linear score is reproduced exactly between grid points.
        let grid = ScoreGrid(size: 7, x: x, y: y) { a, b in 3 * a - 0.5 * b + 1 }
        for (fx, fy) in [(0.0, 0.0), (0.13, 0.77), (0.5, 0.5), (0.99, 0.01), (1, 1)] {
            let a = -2 + 4 * fx, b = 10 * fy
            #expect(isClose(grid.interpolated(fx, fy), 3 * a - 0.5 * b + 1, tolerance: 1e-12))
        }
        #expect(grid.largestMagnitude == 10)  // |3 · (-2) − 0.5 · 10 + 1| at a = -2, b = 10
    }

    @Test func zeroCrossingsLieOnTheBoundary() {
        // score = a − 0.5 is zero at a = 0.5, a fraction (0.5 + 2) / 4 = 0.625 along x.
        let grid = ScoreGrid(size: 10, x: x, y: y) { a, _ in a - 0.5 }
        let segments = grid.zeroCrossings()
        #expect(segments.count == 10)  // one per row of cells
        for (start, end) in segments {
            #expect(isClose(start.x, 0.625, tolerance: 1e-12) && isClose(end.x, 0.625, tolerance: 1e-12))
            #expect(isClose(abs(end.y - start.y), 0.1, tolerance: 1e-12))
        }
        // A score with no sign change has no boundary; NaN corners are skipped.
        #expect(ScoreGrid(size: 4, x: x, y: y) { _, _ in 1 }.zeroCrossings().isEmpty)
        #expect(ScoreGrid(size: 4, x: x, y: y) { a, _ in a < 0 ? .nan : a - 1 }.zeroCrossings().count == 4)
    }
}
