// CommandTests.swift — `lumen eval`, `lumen predict` and `lumen export` run as a user runs
// them, on a checkpoint that `Trainer` saved: their numbers agree with the library's (whose
// tests check them against independent oracles), and bad inputs get one clear error line.
//
// Read next: ONNXExportTests.swift.

import Datasets
import Foundation
import Layers
import Tensors
import Testing
import Training
import _TestSupport
@testable import Interop

@Suite struct CommandTests {
    @Test func evalPrintsTheRecordedTestLossAccuracyAndConfusionMatrix() throws {
        let recorded = try #require(TrainedDigits.trainer.history.last)
        let run = try Lumen(["eval", TrainedDigits.checkpoint])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let correct = Int((recorded.testAccuracy * 297).rounded())
        #expect(run.stdout.contains(String(format: "accuracy %.2f%% (%d/297)", 100 * recorded.testAccuracy, correct)), "\(run.stdout)")
        #expect(run.stdout.contains("data: the test split of digits-mlp, 297 examples"))
        let lossLine = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("loss ") })
        let loss = try #require(Double(lossLine.split(separator: " ")[1]))
        #expect(abs(loss - recorded.testLoss) < 1e-5)
        // The matrix: a header and ten rows whose counts add up to the test set.
        let rows = run.stdout.split(separator: "\n").filter { $0.contains("│           ") }
        #expect(rows.count == 10)
        let total = rows.flatMap { $0.split(separator: "│")[1].split(separator: " ").compactMap { Int($0) } }.reduce(0, +)
        #expect(total == 297)
    }

    @Test func evalReadsALabelledCSV() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let test = TrainedDigits.trainer.data.test
        var text = (0..<64).map { "p\($0)" }.joined(separator: ",") + ",label\n"
        for row in 0..<20 {
            text += test.features[row * 64 ..< (row + 1) * 64].map { String($0) }.joined(separator: ",") + ",\(test.labels[row])\n"
        }
        try write(Array(text.utf8), to: folder + "/twenty.csv")
        let saved = try SavedModel.load(TrainedDigits.checkpoint)
        let expected = try Evaluation(model: saved.model, spec: saved.spec, data: try test.subset(0..<20), dataName: "")
        let run = try Lumen(["eval", TrainedDigits.checkpoint, "--data", folder + "/twenty.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(String(format: "loss %.6f   accuracy %.2f%%", expected.loss, 100 * expected.accuracy)), "\(run.stdout)")

        try write(Array("1,2,3\n".utf8), to: folder + "/narrow.csv")
        let narrow = try Lumen(["eval", TrainedDigits.checkpoint, "--data", folder + "/narrow.csv"])
        #expect(narrow.status != 0)
        #expect(narrow.stderr.hasPrefix("error: \(folder)/narrow.csv holds rows of 3 values, but the model expects 65"), "\(narrow.stderr)")
    }

    @Test func predictGivesTheLibrarysTopClassesAsTextAndJSON() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let test = TrainedDigits.trainer.data.test
        let batch = Array(test.features[0 ..< 5 * 64])
        try write(npyBytes(shape: [5, 64], values: batch), to: folder + "/five.npy")
        let csv = (0..<2).map { row in test.features[row * 64 ..< (row + 1) * 64].map { String($0) }.joined(separator: ",") }
        try write(Array((csv.joined(separator: "\n") + "\n").utf8), to: folder + "/two.csv")

        let saved = try SavedModel.load(TrainedDigits.checkpoint)
        let logits = withoutGradients { saved.model(try! Tensor<Float>(shape: [5, 64], elements: batch)) }.scalars
        let run = try Lumen(["predict", TrainedDigits.checkpoint, folder + "/five.npy", folder + "/two.csv", "--json", "--top", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 7)
        for (index, object) in objects.prefix(5).enumerated() {
            let top = try #require(object["top"] as? [[String: Any]])
            #expect(top.count == 2)
            // Softmax in plain Double from the logits the library computed.
            let z = logits[index * 10 ..< (index + 1) * 10].map(Double.init)
            let exps = z.map { exp($0 - z.max()!) }
            let best = exps.indices.max { exps[$0] < exps[$1] }!
            #expect(top[0]["label"] as? String == String(best))
            let probability = try #require(top[0]["probability"] as? Double)
            #expect(abs(probability - exps[best] / exps.reduce(0, +)) < 1e-12)
            #expect(object["input"] as? String == folder + "/five.npy" && object["index"] as? Int == index)
        }
        // The CSV rows are the first two examples again: the same answers.
        #expect((objects[5]["top"] as? [[String: Any]])?.first?["label"] as? String
                == (objects[0]["top"] as? [[String: Any]])?.first?["label"] as? String)

        let text = try Lumen(["predict", TrainedDigits.checkpoint, folder + "/two.csv", "--top", "1"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("\(folder)/two.csv[0]: ") && lines[0].hasSuffix(" %)"))
    }

    @Test func predictNamesTheBadInputAndPrintsNothingElse() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        try write(npyBytes(shape: [3, 64], values: Array(repeating: 0, count: 192)), to: folder + "/good.npy")
        try write(npyBytes(shape: [3, 60], values: Array(repeating: 0, count: 180)), to: folder + "/bad.npy")
        let run = try Lumen(["predict", TrainedDigits.checkpoint, folder + "/good.npy", folder + "/bad.npy"])
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("error: \(folder)/bad.npy holds an array of shape [3, 60], but the model expects an array of shape [64]"),
                "\(run.stderr)")
        let none = try Lumen(["predict", TrainedDigits.checkpoint])
        #expect(none.status != 0 && none.stderr.contains("needs at least one input file"))
        let notCheckpoint = try Lumen(["predict", folder + "/good.npy", folder + "/good.npy"])
        #expect(notCheckpoint.status != 0 && notCheckpoint.stderr.hasPrefix("error: ") && notCheckpoint.stderr.contains("good.npy"))
    }
}

/// "No interop test skips in CI": under ./run-tests (which sets LUMEN_PYTHON) or in CI, the
/// interop tests' Python must be there and import all four packages, so that the tests
/// enabled only with it cannot quietly skip.
@Test func theInteropPythonIsThereWhenRunTestsOrCIRuns() {
    let environment = ProcessInfo.processInfo.environment
    guard environment["CI"] == "true" || environment["LUMEN_PYTHON"] != nil else { return }
    #expect(Python.interop?.canImport("numpy, safetensors, onnx, onnxruntime") == true,
            "LUMEN_PYTHON=\(environment["LUMEN_PYTHON"] ?? "(unset)") cannot import them: run Scripts/python-env.sh")
}
