// DrawTensorCommandTests.swift — `lumen draw ... --shape`: tensor expressions on the real binary.
//
// The hand-worked case: sum(relu(x @ W + b)) with x a 1×2 of 2s, W a 2×2 of 0.5s and b a
// vector of two 0.5s (all given with --set):
//   x @ W = [[2·0.5 + 2·0.5, 2·0.5 + 2·0.5]] = [[2, 2]];  + b = [[2.5, 2.5]];  relu keeps it;
//   sum = 5. Every element is positive, so ∂sum/∂(x @ W + b) = 1 everywhere, and
//   ∂/∂b = [1, 1] (summed over the broadcast row), ∂/∂x = 1·Wᵀ = [[0.5 + 0.5, 0.5 + 0.5]] = [[1, 1]],
//   ∂/∂W = xᵀ·1 = [[2, 2], [2, 2]].

import Foundation
import XCTest

final class DrawTensorCommandTests: XCTestCase {
    func testGivenValuesGiveHandDerivedGradients() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["draw", "sum(relu(x @ W + b))", "--shape", "x=1x2,W=2x2,b=2",
                                "--set", "x=2,W=0.5,b=0.5", "--detail", "full", "-o", "g.dot", "-o", "g.svg"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("sum(relu(x @ W + b)) = 5\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("x: 1×2    ∂/∂x = [[1, 1]]"), run.stdout)
        XCTAssertTrue(run.stdout.contains("W: 2×2    ∂/∂W = [[2, 2], [2, 2]]"), run.stdout)
        XCTAssertTrue(run.stdout.contains("b: 2    ∂/∂b = [1, 1]"), run.stdout)

        let dot = try String(contentsOf: folder.appendingPathComponent("g.dot"), encoding: .utf8)
        XCTAssertTrue(dot.contains("[[2.5, 2.5]]"), "the drawing shows x @ W + b")
        XCTAssertTrue(dot.contains("label=<@>"), "the matmul op node")
        let svg = try String(contentsOf: folder.appendingPathComponent("g.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"))
    }

    func testRandomValuesFollowTheSeed() throws {
        let arguments = ["draw", "sum(relu(x @ W + b))", "--shape", "x=2x3,W=3x4,b=4", "-o", "mlp.dot"]
        let first = try LumenRun(arguments + ["--seed", "1"], in: try temporaryFolder())
        let again = try LumenRun(arguments + ["--seed", "1"], in: try temporaryFolder())
        let other = try LumenRun(arguments + ["--seed", "2"], in: try temporaryFolder())
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, again.stdout)
        XCTAssertNotEqual(first.stdout, other.stdout)
        XCTAssertTrue(first.stdout.contains("W: 3×4"), first.stdout)
    }

    func testShapeErrorsPointAtTheOperator() throws {
        let cases: [(arguments: [String], text: String, column: Int, message: String)] = [
            (["draw", "x @ W", "--shape", "x=2x3,W=4x5"], "x @ W", 2, "'@' cannot multiply shapes 2×3 and 4×5"),
            (["draw", "sum(x + y)", "--shape", "x=2x3,y=4"], "sum(x + y)", 6, "'+' cannot combine shapes 2×3 and 4"),
            (["draw", "x @ 2", "--shape", "x=3"], "x @ 2", 2, "'@' needs tensors with at least one axis"),
            (["draw", "x", "--shape", "x=2xa"], "x=2xa", 4, "the shape of x, '2xa', is not a shape"),
            (["draw", "x", "--shape", "x=2x0"], "x=2x0", 4, "is not a shape"),
            (["draw", "x + q", "--shape", "x=2"], "x + q", 4, "'q' has no shape and no value"),
            (["draw", "summ(x)", "--shape", "x=2"], "summ(x)", 0, "did you mean sum?"),
        ]
        for (arguments, text, column, message) in cases {
            let folder = try temporaryFolder()
            let run = try LumenRun(arguments, in: folder)
            XCTAssertNotEqual(run.status, 0, "\(arguments)")
            XCTAssertLessThan(run.status, 128, "\(arguments) must exit, not crash")
            let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let line = try XCTUnwrap(lines.firstIndex(of: text), "\(arguments): \(run.stderr)")
            XCTAssertEqual(lines[line + 1], String(repeating: " ", count: column) + "^", "\(arguments)")
            XCTAssertTrue(lines[line + 2].contains(message), "\(arguments): \(run.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("graph.svg").path))
        }
    }

    func testOptionMisuseIsRefused() throws {
        let cases: [(arguments: [String], message: String)] = [
            (["draw", "x*2", "--set", "x=1", "--seed", "3"], "--seed chooses random tensor values"),
            (["draw", "--example", "--shape", "x=2"], "leave out --shape"),
            (["draw", "x @ x", "--set", "x=1"], "'@' multiplies tensors: give the variables shapes with --shape"),
            (["draw", "sum(x)", "--set", "x=1"], "unknown function 'sum'"),
            (["draw", "x", "--shape", "x=100000x100000"], "more than 4194304 elements"),
        ]
        for (arguments, message) in cases {
            let run = try LumenRun(arguments, in: try temporaryFolder())
            XCTAssertNotEqual(run.status, 0, "\(arguments)")
            XCTAssertLessThan(run.status, 128, "\(arguments) must exit, not crash")
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }
}
