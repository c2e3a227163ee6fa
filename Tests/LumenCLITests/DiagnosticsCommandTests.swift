// DiagnosticsCommandTests.swift — `lumen train --diagnostics` on the built binary: the page is
// written beside the other results, and recipes outside the tensor trainer refuse the flag.

import Foundation
import XCTest

final class DiagnosticsCommandTests: XCTestCase {
    func testADiagnosedRunWritesItsPage() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--epochs", "2", "--diagnostics", "-o", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("wrote out/diagnostics.html"), run.stdout)
        let page = try String(contentsOf: folder.appendingPathComponent("out/diagnostics.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<h2>Confusion matrix (test set)</h2>"))
        XCTAssertTrue(page.contains("<th>epoch 2</th>"))
    }

    func testRecipesOutsideTheTrainerRefuseIt() throws {
        let folder = try temporaryFolder()
        for recipe in ["gan-2d", "scalar-moons"] {
            let run = try LumenRun(["train", recipe, "--diagnostics"], in: folder)
            XCTAssertNotEqual(run.status, 0)
            XCTAssertTrue(run.stderr.contains("--diagnostics applies to the recipes trained by the tensor trainer"), run.stderr)
        }
    }
}
