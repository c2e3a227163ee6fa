// OwnDataCommandTests.swift — `lumen train --data FILE.csv --target COLUMN` and the 2-D
// recipes' knobs end to end on the built binary: a regression and a three-class run with
// their files, --frames' page with its player, --resume without naming a recipe, lumen eval
// and predict on the checkpoint, and bad input as errors naming the file, line and column.

import Foundation
import XCTest

final class OwnDataCommandTests: XCTestCase {
    /// y = 3a − 2b + 0.5 on points of [0, 1]², no noise, rows in a fixed order.
    static let houses = "rooms,age,price\n" + (0 ..< 100).map { i -> String in
        let a = Double(i % 10) / 9, b = Double(i / 10) / 9
        return String(format: "%.4f,%.4f,%.4f", a, b, 3 * a - 2 * b + 0.5)
    }.joined(separator: "\n") + "\n"

    /// Three clusters in the plane, the class as text.
    static let blobs = "x,y,kind\n" + (0 ..< 90).map { i -> String in
        let centre = [(-1.0, -1.0), (1.0, -1.0), (0.0, 1.0)][i % 3]
        let jitter = Double(i % 7) / 20 - 0.15
        return String(format: "%.3f,%.3f,", centre.0 + jitter, centre.1 - jitter) + ["a", "b", "c"][i % 3]
    }.joined(separator: "\n") + "\n"

    func testARegressionTrainsResumesAndIsEvaluatedAndPredicted() throws {
        let folder = try temporaryFolder()
        try Self.houses.write(to: folder.appendingPathComponent("houses.csv"), atomically: true, encoding: .utf8)
        let run = try LumenRun(["train", "--data", "houses.csv", "--target", "price", "--model", "16", "--epochs", "6", "--lr", "0.02"],
                               in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("houses.csv: an MLP 2 → 16 → 1, relu; 100 rows of houses.csv, predicting price (regression)"),
                      run.stdout)
        XCTAssertTrue(run.stdout.contains("80 train, 20 test examples"), run.stdout)
        let epochs = run.stdout.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        XCTAssertEqual(epochs.count, 6)
        XCTAssertTrue(epochs[0].contains(" R² ") && !epochs[0].contains(" acc "), String(epochs[0]))
        for name in ["predicted-vs-actual.png", "predicted-vs-actual.svg", "summary.txt", "model.safetensors"] {
            XCTAssertTrue(run.stdout.contains("wrote lumen-out/houses/\(name)"), name)
        }
        let summary = try String(contentsOf: folder.appendingPathComponent("lumen-out/houses/summary.txt"), encoding: .utf8)
        XCTAssertTrue(summary.contains("Final metrics after 6 epochs (80 train, 20 test examples):\n  train: mean squared error "), summary)

        // --resume needs no recipe: the checkpoint names the file, the target and the task.
        let resumed = try LumenRun(["train", "--resume", "lumen-out/houses/model.safetensors", "--epochs", "8"], in: folder)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("resuming from lumen-out/houses/model.safetensors after epoch 6"), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains("done: 8 epochs (2 this run)"), resumed.stdout)

        let eval = try LumenRun(["eval", "lumen-out/houses/model.safetensors"], in: folder)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("a regression predicting price") && eval.stdout.contains("the test split of houses.csv, 20 examples"),
                      eval.stdout)
        try "0.5,0.5\n".write(to: folder.appendingPathComponent("in.csv"), atomically: true, encoding: .utf8)
        let predict = try LumenRun(["predict", "lumen-out/houses/model.safetensors", "in.csv"], in: folder)
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertTrue(predict.stdout.hasPrefix("in.csv[0]: price = "), predict.stdout)
    }

    func testThreeClassesGetRegionsAndFramesWithASlider() throws {
        let folder = try temporaryFolder()
        try Self.blobs.write(to: folder.appendingPathComponent("blobs.csv"), atomically: true, encoding: .utf8)
        let run = try LumenRun(["train", "--data", "blobs.csv", "--target", "kind", "--hidden", "8", "--activation", "tanh",
                                "--epochs", "4", "--frames", "2", "-o", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("wrote out/decision-boundary.svg") && run.stdout.contains("wrote out/training-frames.html"),
                      run.stdout)
        let html = try String(contentsOf: folder.appendingPathComponent("out/training-frames.html"), encoding: .utf8)
        // Frames before training, after epoch 2 and after epoch 4, in the lessons' player.
        XCTAssertEqual(html.components(separatedBy: "data-index=").count - 1, 3, html.prefix(2000).description)
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3)
        XCTAssertTrue(html.contains("class=\"slider\" type=\"range\" min=\"1\" max=\"3\""))
        XCTAssertTrue(html.contains("epoch 0: the initial weights") && html.contains("epoch 4: train loss"))
    }

    func testPlaygroundKnobsAreRecordedAndResumed() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--hidden", "4,4", "--activation", "tanh", "--noise", "0.3", "--points", "200",
                                "--epochs", "2", "-o", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("moons: an MLP 2 → 4 → 4 → 2, tanh, on 200 two-moons points, noise 0.3"), run.stdout)
        XCTAssertTrue(run.stdout.contains("150 train, 50 test examples"), run.stdout)
        let resumed = try LumenRun(["train", "moons", "--resume", "out/model.safetensors", "--epochs", "3"], in: folder)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("Linear(4 → 4)") && resumed.stdout.contains("Tanh"), resumed.stdout)
        let changed = try LumenRun(["train", "--resume", "out/model.safetensors", "--epochs", "4", "--hidden", "8"], in: folder)
        XCTAssertNotEqual(changed.status, 0)
        XCTAssertTrue(changed.stderr.contains("--hidden") && changed.stderr.contains("keeps the checkpoint's"), changed.stderr)
    }

    func testBadTablesAndOptionsAreErrorsThatSayWhere() throws {
        let folder = try temporaryFolder()
        try "a,b,y\n1,2,3\n4,x,6\n7,8,9\n1,1,1\n2,2,2\n".write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let cell = try LumenRun(["train", "--data", "bad.csv", "--target", "y"], in: folder)
        XCTAssertNotEqual(cell.status, 0)
        XCTAssertTrue(cell.stderr.contains("bad.csv, line 3, column 2: 'x' in column 'b' is not a finite number"), cell.stderr)
        let column = try LumenRun(["train", "--data", "bad.csv", "--target", "price"], in: folder)
        XCTAssertTrue(column.stderr.contains("no column named 'price'") && column.stderr.contains("'a', 'b', 'y'"), column.stderr)
        let both = try LumenRun(["train", "digits-mlp", "--data", "bad.csv", "--target", "y"], in: folder)
        XCTAssertTrue(both.stderr.contains("--data") && both.stderr.contains("without a recipe"), both.stderr)
        let hidden = try LumenRun(["train", "digits-mlp", "--hidden", "8"], in: folder)
        XCTAssertTrue(hidden.stderr.contains("--hidden") && hidden.stderr.contains("moons and spirals"), hidden.stderr)
        let frames = try LumenRun(["train", "digits-mlp", "--frames", "2"], in: folder)
        XCTAssertTrue(frames.stderr.contains("--frames") && frames.stderr.contains("2-D classifiers"), frames.stderr)
        let activation = try LumenRun(["train", "moons", "--activation", "swish"], in: folder)
        XCTAssertTrue(activation.stderr.contains("--activation swish is not allowed") && activation.stderr.contains("relu, tanh, sigmoid"),
                      activation.stderr)
        let none = try LumenRun(["train"], in: folder)
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.stderr.contains("recipe") && none.stderr.contains("--data FILE.csv"), none.stderr)
    }
}
