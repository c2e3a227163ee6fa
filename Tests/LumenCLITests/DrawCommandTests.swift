// DrawCommandTests.swift — `lumen draw` on its real output: files, text, errors, exit codes.
//
// Expected numbers are worked by hand: for y = tanh(x·w + b) at x = 2, w = -3, b = 6.88,
// y = tanh(0.88) = 0.70642, 1 - y² = 0.50097, so ∂y/∂x = w(1 - y²) = -1.5029,
// ∂y/∂w = x(1 - y²) = 1.0019 and ∂y/∂b = 1 - y² = 0.50097.

import Foundation
import XCTest

final class DrawCommandTests: XCTestCase {
    func testExampleWritesSVGAndPNGWithHandDerivedGradients() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["draw", "--example"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("= 0.7064"), run.stdout)
        XCTAssertTrue(run.stdout.contains("∂/∂x = -1.503"), run.stdout)
        XCTAssertTrue(run.stdout.contains("∂/∂w = 1.002"), run.stdout)
        XCTAssertTrue(run.stdout.contains("∂/∂b = 0.501"), run.stdout)

        let svg = try String(contentsOf: folder.appendingPathComponent("lumen-out/neuron.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"))
        // Graphviz writes a minus sign as &#45; in SVG text.
        XCTAssertTrue(svg.contains("&#45;1.503"), "the drawing shows x's gradient")
        let png = try Data(contentsOf: folder.appendingPathComponent("lumen-out/neuron.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testOutputFormatFollowsTheExtension() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["draw", "x*x + 1", "--set", "x=3", "-o", "g.dot", "-o", "g.svg", "--edge-labels"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        // d/dx (x² + 1) = 2x = 6: the reused leaf collects both uses.
        XCTAssertTrue(run.stdout.contains("∂/∂x = 6"), run.stdout)
        let dot = try String(contentsOf: folder.appendingPathComponent("g.dot"), encoding: .utf8)
        XCTAssertTrue(dot.contains("digraph"))
        let svg = try String(contentsOf: folder.appendingPathComponent("g.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"))
    }

    func testNoBackwardShowsGradientsAsNotReached() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["draw", "x*w", "--set", "x=2,w=5", "--no-backward", "-o", "g.dot"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("∂/∂x = —"), run.stdout)
        let dot = try String(contentsOf: folder.appendingPathComponent("g.dot"), encoding: .utf8)
        XCTAssertTrue(dot.contains("—"))
    }

    func testNumbersInTheExpressionAreDrawnAsConstantsNotAsWeights() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["draw", "x*2.5 + 1", "--set", "x=2", "-o", "g.dot"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let dot = try String(contentsOf: folder.appendingPathComponent("g.dot"), encoding: .utf8)
        let nodes = dot.split(separator: "\n").filter { $0.hasPrefix("  v") && $0.contains(" [label=") }
        // 2.5 and 1 are grey boxes titled by their number, with no gradient row; x keeps its
        // data and gradient (2.5) and its colour.
        for number in ["2.5", "1"] {
            let node = try XCTUnwrap(nodes.first { $0.contains("<b>\(number)</b>") }, dot)
            XCTAssertTrue(node.contains("fillcolor=\"#f1f3f5\"") && !node.contains(">grad<"), String(node))
        }
        let x = try XCTUnwrap(nodes.first { $0.contains("<b>x</b>") }, dot)
        XCTAssertTrue(x.contains(">grad</td><td align=\"right\">  2.5<") && !x.contains("#f1f3f5"), String(x))
    }

    func testParseErrorShowsACaretUnderThePosition() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["draw", "tanh(x*w + b", "--set", "x=2,w=-3,b=1"], in: folder)
        XCTAssertNotEqual(run.status, 0)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line = try XCTUnwrap(lines.firstIndex(of: "tanh(x*w + b"), run.stderr)
        // The text is 12 characters long; the missing ')' belongs at column 12 (0-based).
        XCTAssertEqual(lines[line + 1], String(repeating: " ", count: 12) + "^")
        XCTAssertTrue(lines[line + 2].contains("missing ')'"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("graph.svg").path))
    }

    func testBadInputsFailWithAReasonAndNoCrash() throws {
        let cases: [(arguments: [String], message: String)] = [
            (["draw", "x*y", "--set", "x=2"], "'y' has no value"),
            (["draw", "x^y", "--set", "x=2,y=3"], "exponent must be a constant"),
            (["draw", "x", "--set", "x=two"], "is not a number"),
            (["draw", "x", "--set", "x=1", "-o", "g.jpg"], "cannot tell the output format"),
            (["draw", "x", "--set", "x=1", "-o", "/nonexistent-lumen-dir/g.svg"], "cannot write"),
            (["draw"], "give an expression"),
            (["draw", "x", "--example"], "--example draws the built-in expression"),
        ]
        for (arguments, message) in cases {
            let run = try LumenRun(arguments, in: try temporaryFolder())
            XCTAssertNotEqual(run.status, 0, "\(arguments)")
            XCTAssertLessThan(run.status, 128, "\(arguments) must exit, not crash")
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    /// With no Graphviz plugins to be found, pictures fail with an installation hint while
    /// DOT text, which needs no Graphviz, still works.
    func testMissingGraphvizPluginsGiveATypedErrorAndDOTStillWorks() throws {
        let folder = try temporaryFolder()
        let empty = folder.appendingPathComponent("no-plugins")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let environment = ["GVBINDIR": empty.path]
        let svg = try LumenRun(["draw", "x*2", "--set", "x=1", "-o", "g.svg"], in: folder, environment: environment)
        XCTAssertNotEqual(svg.status, 0)
        XCTAssertTrue(svg.stderr.contains("hint:"), svg.stderr)
        XCTAssertTrue(svg.stderr.contains("-o graph.dot"), svg.stderr)
        let dot = try LumenRun(["draw", "x*2", "--set", "x=1", "-o", "g.dot"], in: folder, environment: environment)
        XCTAssertEqual(dot.status, 0, dot.stderr)
    }
}
