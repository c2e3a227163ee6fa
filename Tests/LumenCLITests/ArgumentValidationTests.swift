// ArgumentValidationTests.swift — numbers on the command line: NaN, ∞, zero and negatives are
// refused where they mean nothing, each saying what is allowed ("--epochs must be at least 1",
// not "Missing value"); a number that overflows to ∞ and one that underflows to 0 are both
// refused; an expression may start with a minus; a repeated --set is an error; and `lumen draw`
// refuses a graph whose total work is too large before doing any of it.

import Foundation
import XCTest

final class ArgumentValidationTests: XCTestCase {
    func assertRefused(_ arguments: [String], _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(arguments, in: folder)
        let command = arguments.joined(separator: " ")
        XCTAssertNotEqual(run.status, 0, command, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(message), "\(command): \(run.stderr)", file: file, line: line)
        XCTAssertFalse(run.stderr.contains("Missing value"), "\(command): \(run.stderr)", file: file, line: line)
        XCTAssertFalse(run.stderr.contains("Fatal error"), "\(command): \(run.stderr)", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lumen-out").path),
                       "\(command) made an output folder", file: file, line: line)
    }

    func testTrainNumbersOutOfRange() throws {
        let cases: [([String], String)] = [
            (["--epochs", "-3"], "--epochs -3 is not allowed: --epochs must be at least 1"),
            (["--batch-size", "-1"], "--batch-size -1 is not allowed: --batch-size must be at least 1"),
            (["--lr", "-0.1"], "--lr -0.1 is not allowed: --lr must be a number greater than 0"),
            (["--lr", "nan"], "--lr nan is not allowed: --lr must be a number greater than 0, not NaN"),
            (["--lr", "inf"], "--lr inf is not allowed: --lr must be a finite number greater than 0"),
            (["--lr", "1e309"], "--lr 1e309 is not allowed: it is too large (numbers must be below about 1.8e308)"),
            (["--lr", "1e-400"], "--lr 1e-400 is not allowed: it is too small and would round to 0"),
            (["--seed", "-1"], "The value '-1' is invalid for '--seed <n>'"),
            (["--max-data-size", "0"], "--max-data-size must be a size of at least 1 byte, such as 2G, got 0"),
            (["--max-data-size", "-5M"], "--max-data-size must be a size of at least 1 byte"),
            (["--max-data-size", "2GB"], "--max-data-size 2GB is not a size"),
            (["--max-data-size", "99999999999G"], "--max-data-size 99999999999G is too large"),
            (["--reset-optimizer"], "--reset-optimizer (given) is not allowed: --reset-optimizer must be used with --resume only"),
        ]
        for (options, message) in cases { try assertRefused(["train", "moons"] + options, message) }
        try assertRefused(["train", "scalar-moons", "--steps", "-2"], "--steps must be at least 1, got -2")
        try assertRefused(["train", "scalar-moons", "--detect-anomaly"], "--detect-anomaly does not apply to scalar-moons")
    }

    func testDrawTakesAnExpressionThatStartsWithAMinus() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["draw", "-x^2", "--set", "x=3", "-o", "g.dot"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        // -(x²) at 3 is −9, and its derivative −2x is −6: worked by hand.
        XCTAssertTrue(run.stdout.hasPrefix("-x^2 = -9\n  x = 3    ∂/∂x = -6\n"), run.stdout)
        let options = try LumenRun(["draw", "--set", "x=3", "-o", "h.dot", "-x^2"], in: folder)
        XCTAssertEqual(options.status, 0, options.stderr)
    }

    func testDrawRefusesMistakesInItsArguments() throws {
        try assertRefused(["draw", "x", "--set", "x=1", "--set", "x=2"], "x is given a value twice: keep one x=…")
        try assertRefused(["draw", "x", "--set", "x=1e-400"], "1e-400 is too small: it would round to 0")
        try assertRefused(["draw", "x", "--set", "x=1e400"], "1e400 is too large: numbers must be below about 1.8e308")
        try assertRefused(["draw", "x + 1e-400", "--set", "x=1"], "1e-400 is too small: it would round to 0")
        try assertRefused(["draw", "x", "y"], "give one expression, in quotes")
        try assertRefused(["draw", "x", "--sett", "x=1"], "unknown option '--sett'")
    }

    func testDrawRefusesTooMuchWorkBeforeDoingAny() throws {
        // Forty chained 2048 × 2048 products: 3.4 · 10¹¹ multiply-adds (it once took 80 s and 2.8 GB).
        let chain = "sum(a" + String(repeating: " @ b", count: 40) + ")"
        let start = Date()
        try assertRefused(["draw", chain, "--shape", "a=2048x2048,b=2048x2048"],
                          "the expression would take about 343601577984 arithmetic operations, more than the limit of 1073741824")
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testDetectAnomalyNamesTheOpAndDrawsTheGraph() throws {
        let folder = try temporaryFolder()
        // Adam's first step at lr 1e30 makes weights of ±1e30; the test pass's first product overflows.
        let run = try LumenRun(["train", "moons", "--detect-anomaly", "--lr", "1e30", "--optimizer", "adam",
                                "--batch-size", "300", "-o", "out"], in: folder)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.hasPrefix("error: anomaly in epoch 1, batch 1: forward: op 'matmul' (node "), run.stderr)
        XCTAssertTrue(run.stderr.hasSuffix("; the graph, with that node marked, is in out/anomaly-graph.svg\n"), run.stderr)
        let svg = try String(contentsOf: folder.appendingPathComponent("out/anomaly-graph.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("#f76707"), "the marked node's orange outline is missing")
    }
}
