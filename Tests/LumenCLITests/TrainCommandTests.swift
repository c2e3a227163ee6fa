// TrainCommandTests.swift — `lumen train` end to end on the built binary: a tensor recipe
// (plain progress lines when piped, the summary, the output folder), resuming from its
// checkpoint, the scalar-moons demo, and every kind of bad input as a typed error.

import Foundation
import XCTest

final class TrainCommandTests: XCTestCase {
    func testMoonsPrintsOneLinePerEpochAndWritesTheFolder() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--epochs", "2", "--output", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("moons: an MLP 2 → 16 → 16 → 2"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("backend "), lines[1])
        XCTAssertTrue(lines[1].contains("adam, lr 0.01 · batch 32 · 2 epochs · seed 0 · 300 train, 100 test examples"), lines[1])
        XCTAssertTrue(run.stdout.contains("Linear(16 → 2)"), "the model summary is printed")
        // Not a terminal: no carriage returns or escape sequences, one line per epoch.
        XCTAssertFalse(run.stdout.contains("\r") || run.stdout.contains("\u{1B}"))
        let epochLines = lines.filter { $0.hasPrefix("epoch ") }
        XCTAssertEqual(epochLines.count, 2, run.stdout)
        XCTAssertTrue(epochLines[0].hasPrefix("epoch 1/2  loss "), epochLines[0])
        XCTAssertTrue(epochLines[1].contains("test acc") && epochLines[1].contains("samples/s"), epochLines[1])
        XCTAssertTrue(lines.contains { $0.hasPrefix("done: 2 epochs (2 this run) in ") && $0.contains("test accuracy ") },
                      run.stdout)

        let names = ["loss.png", "loss.svg", "accuracy.png", "accuracy.svg", "decision-boundary.png",
                     "decision-boundary.svg", "model-graph.dot", "model-graph.svg", "model-graph.png", "summary.txt",
                     "model.safetensors"]
        for name in names {
            XCTAssertTrue(lines.contains("wrote out/\(name)"), name)
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/\(name)").path), name)
        }
        let png = try Data(contentsOf: folder.appendingPathComponent("out/decision-boundary.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    func testExpandOpensOneModuleOfTheModelGraph() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--epochs", "1", "-o", "out", "--expand", "0"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let dot = try String(contentsOf: folder.appendingPathComponent("out/model-graph.dot"), encoding: .utf8)
        // Module 0 is a frame of ops holding its weight and bias by their dotted names; the
        // caption says it was opened.
        XCTAssertTrue(dot.contains("subgraph cluster_0 { label=<0: Linear("), dot)
        XCTAssertTrue(dot.contains("<b>0.weight</b>") && dot.contains("<b>0.bias</b>"), dot)
        XCTAssertTrue(dot.contains("one box per module, 0 opened"), dot)
        // Without --expand, no module is open.
        let plain = try LumenRun(["train", "moons", "--epochs", "1", "-o", "plain"], in: folder)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let plainDOT = try String(contentsOf: folder.appendingPathComponent("plain/model-graph.dot"), encoding: .utf8)
        XCTAssertFalse(plainDOT.contains("subgraph cluster_") || plainDOT.contains("0.weight"), plainDOT)
    }

    func testExpandOfAModuleTheModelLacksIsRefusedBeforeTraining() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--epochs", "1", "-o", "out", "--expand", "9"], in: folder)
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("--expand") && run.stderr.contains("9") && run.stderr.contains("0 (0: Linear("),
                      run.stderr)
        XCTAssertFalse(run.stdout.contains("epoch 1"), "refused before training: \(run.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/model-graph.dot").path))
    }

    /// `--threads N` gives the blas backend N threads, and the run says so.
    func testThreadsOption() throws {
        #if BLAS
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--epochs", "1", "-o", "out", "--threads", "2", "--backend", "blas"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("2 threads)"), run.stdout)
        XCTAssertTrue(run.stdout.contains(" · 1 epoch · "), "one epoch, singular: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("done: 1 epoch (1 this run) in "), "singular at the end too: \(run.stdout)")
        #endif
    }

    func testResumeContinuesFromTheCheckpoint() throws {
        let folder = try temporaryFolder()
        let first = try LumenRun(["train", "moons", "--epochs", "1", "-o", "out", "--seed", "4", "--backend", "reference"],
                                 in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("\nbackend reference · "), first.stdout)
        let second = try LumenRun(["train", "moons", "--epochs", "3", "-o", "out", "--resume", "out/model.safetensors"],
                                  in: folder)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("resuming from out/model.safetensors after epoch 1"), second.stdout)
        XCTAssertTrue(second.stdout.contains("· 3 epochs · seed 4 ·"), "the seed comes from the checkpoint")
        let epochLines = second.stdout.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
        XCTAssertEqual(epochLines.map { String($0.prefix(9)) }, ["epoch 2/3", "epoch 3/3"])
        XCTAssertTrue(second.stdout.contains("done: 3 epochs (2 this run)"), second.stdout)

        let again = try LumenRun(["train", "moons", "--resume", "out/model.safetensors", "-o", "out"], in: folder)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("has already trained 3 epochs, and --epochs is 3"), again.stderr)

        // Without -o, a resumed run writes next to the checkpoint it resumed from.
        let fourth = try LumenRun(["train", "moons", "--epochs", "4", "--resume", "out/model.safetensors"], in: folder)
        XCTAssertEqual(fourth.status, 0, fourth.stderr)
        XCTAssertTrue(fourth.stdout.contains("wrote out/model.safetensors"), fourth.stdout)
        XCTAssertTrue(fourth.stdout.contains("done: 4 epochs (1 this run)"), fourth.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lumen-out").path))
    }

    func testScalarMoonsPrintsEveryStepAndWritesTheSixPictures() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "scalar-moons", "--steps", "3", "--output", "out"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        let stepLines = run.stdout.split(separator: "\n").filter { $0.hasPrefix("step ") }
        XCTAssertEqual(stepLines.count, 3, run.stdout)
        XCTAssertTrue(stepLines[0].hasPrefix("step 1/3  loss "), String(stepLines[0]))
        for name in ["loss", "accuracy", "decision-boundary"] {
            let png = try Data(contentsOf: folder.appendingPathComponent("out/\(name).png"))
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], name)
            let svg = try String(contentsOf: folder.appendingPathComponent("out/\(name).svg"), encoding: .utf8)
            XCTAssertTrue(svg.contains("<svg"), name)
        }
    }

    func testBadInputsAreTypedErrorsNamingTheValue() throws {
        let folder = try temporaryFolder()
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            (["train", "sprials"],
             "unknown recipe 'sprials': the recipes are moons, spirals, digits-mlp, digits-cnn, mnist, names-lstm, names-gpt, scalar-moons, gan-2d"),
            (["train", "moons", "--optimizer", "adamx"],
             "unknown optimizer 'adamx' for --optimizer: choose one of sgd, momentum, adam, adamw, rmsprop"),
            (["train", "moons", "--epochs", "0"], "--epochs 0 is not allowed: --epochs must be at least 1"),
            (["train", "moons", "--batch-size", "0"], "--batch-size 0 is not allowed: --batch-size must be at least 1"),
            (["train", "moons", "--lr", "0"], "--lr 0 is not allowed: --lr must be a number greater than 0"),
            (["train", "moons", "--lr", "nan"], "--lr nan is not allowed"),
            (["train", "moons", "--backend", "gpu"], "--backend gpu is not allowed: --backend must be one of reference, blas"),
            (["train", "moons", "--threads", "0"], "--threads 0 is not allowed: --threads must be a whole number from 1 to 64"),
            (["train", "moons", "--steps", "3"], "--steps (given) is not allowed: --steps must be left out: it applies only to scalar-moons"),
            (["train", "moons", "--data", "somewhere"], "--data somewhere is not allowed"),
            (["train", "mnist"], "the mnist recipe needs its data files: pass --data DIR"),
            (["train", "mnist", "--data", empty.path], "no file named train-images-idx3-ubyte or"),
            (["train", "moons", "--resume", "nowhere.safetensors"], "nowhere.safetensors: no such file"),
            (["train", "scalar-moons", "--epochs", "2"], "--epochs does not apply to scalar-moons"),
            (["train", "scalar-moons", "--steps", "0"], "--steps must be at least 1"),
            (["train", "moons", "--epochs", "two"], "The value 'two' is invalid for '--epochs <n>'"),
        ]
        for (arguments, message) in cases {
            let run = try LumenRun(arguments, in: folder)
            XCTAssertNotEqual(run.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(message), "\(arguments.joined(separator: " ")): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("Fatal error"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lumen-out").path),
                           "\(arguments.joined(separator: " ")) made an output folder")
        }
    }

    /// One batch per epoch: Adam's first step is as large as the learning rate, so the training
    /// loss read before it is finite and only the test loss after it is not. That is a typed
    /// error too, not a crash while the checkpoint is written.
    func testALossThatBlowsUpAfterTheLastStepIsATypedError() throws {
        let folder = try temporaryFolder()
        let run = try LumenRun(["train", "moons", "--batch-size", "300", "--lr", "1e30", "--optimizer", "adam"], in: folder)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("training diverged at learning rate 1e+30; try a smaller --lr"), run.stderr)
        XCTAssertFalse(run.stderr.contains("Fatal error"), run.stderr)
    }
}
