// ScalingDocTests.swift — Docs/scaling.md's snippets are run as they are written, so the page
// cannot drift from what works. The tests take the code blocks out of the page itself, run
// them in a folder laid out as the page assumes (lumen-out/digits-cnn/model.safetensors, here
// the shipped pre-trained model, and batch.npy), and compare what they compute with Lumen's
// own outputs on the same images.
//
// - "Into onnxruntime": the `lumen export` line and the Python block, in the interop tests'
//   environment, on every run.
// - "Into PyTorch": the Python block, when a Python with torch is found (optional, as in
//   SafetensorsPythonTests: PyTorch is too large for the test environment).
//
// Read next: ONNXExportTests.swift.

import Foundation
import Tensors
import Testing
import Training
import _TestSupport
@testable import Interop

/// The fenced code blocks of one `## ` section of Docs/scaling.md, with their language.
func scalingSnippets(section heading: String) throws -> [(language: String, code: String)] {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    let page = try String(contentsOf: root.appendingPathComponent("Docs/scaling.md"), encoding: .utf8)
    var blocks: [(String, String)] = []
    var inSection = false, language: String?, lines: [String] = []
    for line in page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if language == nil, line.hasPrefix("## ") { inSection = line == "## " + heading; continue }
        guard inSection else { continue }
        if let open = language {
            if line == "```" {
                blocks.append((open, lines.joined(separator: "\n")))
                language = nil
            } else {
                lines.append(line)
            }
        } else if line.hasPrefix("```") {
            language = String(line.dropFirst(3))
            lines = []
        }
    }
    return blocks
}

@Suite struct ScalingDocTests {
    /// A folder laid out as the page assumes: the shipped digits-cnn as
    /// lumen-out/digits-cnn/model.safetensors, and 32 of its test images as batch.npy
    /// ([N, 1, 8, 8], pixels / 16). Returns the folder, the model and Lumen's logits.
    func pageFolder() throws -> (folder: String, saved: SavedModel, logits: [Float], count: Int) {
        let folder = try makeFolder()
        try FileManager.default.createDirectory(atPath: folder + "/lumen-out/digits-cnn", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Pretrained.digitsCNN, toPath: folder + "/lumen-out/digits-cnn/model.safetensors")
        let saved = try SavedModel.load(Pretrained.digitsCNN)
        let test = try Recipe.digitsCNN.loadData().test
        let count = 32, shape = [count] + test.exampleShape
        #expect(test.exampleShape == [1, 8, 8])
        let inputs = Array(test.features[0 ..< count * 64])
        try write(npyBytes(shape: shape, values: inputs), to: folder + "/batch.npy")
        let logits = withoutGradients { saved.model(try! Tensor<Float>(shape: shape, elements: inputs)) }.scalars
        return (folder, saved, logits, count)
    }

    /// The last line of a script's output, read as a JSON array of arrays of numbers.
    func lastLineMatrix(_ output: Data) throws -> [[Double]] {
        let text = String(decoding: output, as: UTF8.self)
        let last = try #require(text.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [[Double]])
    }

    func expectClose(_ theirs: [[Double]], _ ours: [Float], count: Int) {
        #expect(theirs.count == count && theirs.allSatisfy { $0.count == 10 })
        var worst = 0.0
        for (their, our) in zip(theirs.flatMap { $0 }, ours.map(Double.init)) {
            worst = max(worst, abs(their - our) / max(1, abs(our)))
        }
        #expect(worst <= 1e-5, "largest difference \(worst)")
    }

    @Test(.enabled(if: Python.interop != nil, Comment(rawValue: Python.interopMissing)))
    func theOnnxruntimeSnippetRunsAsWrittenAndComputesLumensLogits() throws {
        let blocks = try scalingSnippets(section: "Into onnxruntime")
        let shell = try #require(blocks.first { $0.language == "sh" }).code
        let python = try #require(blocks.first { $0.language == "python" }).code
        let (folder, _, logits, count) = try pageFolder()
        defer { removeFolder(folder) }

        // The page's one shell line, `lumen export …`, run with the built lumen in that folder.
        var words = shell.split(separator: " ").map(String.init)
        #expect(words.first == "lumen")
        words.removeFirst()
        let run = try Lumen(words.map { $0.hasPrefix("-") || $0 == "export" ? $0 : folder + "/" + $0 })
        #expect(run.status == 0, "\(run.stderr)")

        // The Python block as written, then one line that hands its logits back.
        let script = "import os; os.chdir(\(quoted(folder)))\n" + python + "\nimport json; print(json.dumps(logits.tolist()))\n"
        let (status, output, errors) = try #require(Python.interop).run(["-c", script])
        #expect(status == 0, "\(errors)")
        let theirs = try lastLineMatrix(output)
        expectClose(theirs, logits, count: count)
        // The block's own print: the predicted digits.
        let predicted = theirs.map { row in row.indices.max { row[$0] < row[$1] }! }
        let printed = String(decoding: output, as: UTF8.self).split(separator: "\n").dropLast().joined(separator: " ")
        #expect(printed.filter(\.isNumber).map { Int(String($0))! } == predicted)
    }

    @Test(.enabled(if: Python.withTorch != nil, "needs a Python with torch (optional: set LUMEN_TORCH_PYTHON)"))
    func thePyTorchSnippetRunsAsWrittenAndComputesLumensLogits() throws {
        let python = try #require(try scalingSnippets(section: "Into PyTorch").first { $0.language == "python" }).code
        let (folder, _, logits, count) = try pageFolder()
        defer { removeFolder(folder) }
        // The block builds `model` from the file's metadata and loads it strictly; then the
        // page's batch goes through it.
        let script = "import os; os.chdir(\(quoted(folder)))\n" + python + """

            import json, numpy as np
            with torch.no_grad():
                out = model(torch.from_numpy(np.load("batch.npy")))
            print(json.dumps(out.double().tolist()))
            """
        let (status, output, errors) = try #require(Python.withTorch).run(["-c", script])
        #expect(status == 0, "\(errors)")
        expectClose(try lastLineMatrix(output), logits, count: count)
    }

    /// A Python string literal for `text` (a temporary folder's path).
    func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
