// PlotFilesTests.swift — writing plots to .png and .svg: the format comes from the extension,
// and a failed write leaves nothing behind.

import Foundation
import Plots
import Testing
import _TestSupport

@Suite struct PlotFilesTests {
    let plot = LinePlot(title: "loss", xLabel: "step", yLabel: "loss", series: [.init(name: "loss", values: [3, 2, 1])])
    let boundary = DecisionBoundaryPlot(title: "b", points: [.init(x: 0, y: 0, label: 1), .init(x: 1, y: 1, label: -1)])

    @Test func theExtensionPicksTheFormat() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try plot.write(to: "\(directory)/loss.png", width: 400, height: 300)
        try plot.write(to: "\(directory)/loss.SVG")
        try boundary.write(to: "\(directory)/boundary.png") { x, y in x - y }
        #expect(try #require(pngSize(try bytesOfFile("\(directory)/loss.png"))) == (400, 300))
        #expect(parseSVG(try bytesOfFile("\(directory)/loss.SVG")).rootName == "svg")
        #expect(try #require(pngSize(try bytesOfFile("\(directory)/boundary.png"))) == (640, 600))
        #expect(contentsOfDirectory(directory) == ["boundary.png", "loss.SVG", "loss.png"])
        #expect(try PlotFormat(path: "a/b.c/plot.svg") == .svg)
    }

    @Test(arguments: ["plot.jpg", "plot", ".png", "plot.png.tmp"])
    func unknownExtensionsAreRejectedBeforeDrawing(name: String) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/\(name)"
        var called = false
        #expect(throws: PlotError.unknownExtension(path: path)) {
            try boundary.write(to: path) { x, _ in
                called = true
                return x
            }
        }
        #expect(!called)
        #expect(contentsOfDirectory(directory) == [])
    }

    @Test func unwritablePathsLeaveNoTemporaryFiles() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: PlotError.unwritable(path: "\(directory)/missing/loss.png", reason: "No such file or directory")) {
            try plot.write(to: "\(directory)/missing/loss.png")
        }
        // The destination is a directory: the temporary file is written, then rename(2) fails.
        try FileManager.default.createDirectory(atPath: "\(directory)/loss.svg", withIntermediateDirectories: false)
        #expect(throws: PlotError.unwritable(path: "\(directory)/loss.svg", reason: "Is a directory")) {
            try plot.write(to: "\(directory)/loss.svg")
        }
        #expect(contentsOfDirectory(directory) == ["loss.svg"])
        #expect(contentsOfDirectory("\(directory)/loss.svg") == [])
    }

    @Test func errorsSayWhatFailedAndHowToFixIt() {
        let cases: [(PlotError, String, String)] = [
            (.invalidSize(width: 10, height: 0), "cannot draw a picture of 10×0 pixels",
             "use a width and height of at least 240×200 and at most 32767 pixels, for example 800×500"),
            (.mismatchedLengths(series: "loss", xCount: 3, yCount: 2), "the series 'loss' has 3 x values but 2 y values",
             "give every series one y value per x value"),
            (.unknownExtension(path: "p.gif"), "cannot tell the output format of 'p.gif' from its extension",
             "use a path ending in .png or .svg"),
        ]
        for (error, description, hint) in cases {
            #expect(error.description == description)
            #expect(error.hint == hint)
        }
    }
}
