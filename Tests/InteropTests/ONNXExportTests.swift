// ONNXExportTests.swift — `lumen export`'s ONNX files are judged by ONNX's own tools: for
// every recipe's model, onnx.checker (full check, with shape inference) accepts the file and
// onnxruntime's outputs on a batch of the recipe's real test inputs equal Lumen's within
// 1e-5. A model with one of every exportable layer (batch norm with non-trivial running
// statistics, both poolings with padding, LayerNorm, both GELUs …) is checked the same way.
//
// The Python side is Fixtures/run_onnx.py in the interop tests' environment (./run-tests
// makes it; Scripts/python-env.sh).

import Checkpoints
import Datasets
import Engine
import FileFormats
import Foundation
import Layers
import Tensors
import Testing
import Training
import _TestSupport
@testable import Interop

@Suite(.enabled(if: Python.interop != nil, Comment(rawValue: Python.interopMissing)))
struct ONNXExportTests {
    /// Exports the checkpoint at `path`, runs it in onnxruntime on `inputs` (shape [N] +
    /// input shape), and compares with Lumen's own outputs. Returns run_onnx.py's report.
    @discardableResult
    func exportAndCompare(_ path: String, inputs: [Float], count: Int, in folder: String) throws -> [String: Any] {
        let saved = try SavedModel.load(path)
        let onnx = folder + "/model.onnx"
        let run = try Lumen(["export", path, "-o", onnx])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("wrote \(onnx): \(saved.spec.layers.count) layers"))
        // The command writes what the library encodes.
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: onnx))) == (try ONNXExport.encode(saved)))

        let shape = [count] + saved.spec.inputShape
        try write(npyBytes(shape: shape, values: inputs), to: folder + "/input.npy")
        let python = try #require(Python.interop)
        let report = try python.runJSON([fixtures + "/run_onnx.py", onnx, folder + "/input.npy", folder + "/output.npy"])
        #expect(report["opset"] as? Int == 17)
        #expect(report["inputs"] as? [String] == ["input"] && report["outputs"] as? [String] == ["logits"])
        #expect(report["output_shape"] as? [Int] == [count] + saved.outputShape)
        let theirs = try NPYFile.read(folder + "/output.npy")
        let ours = withoutGradients { saved.model(try! Tensor<Float>(shape: shape, elements: inputs)) }.scalars
        #expect(theirs.values.count == ours.count)
        let worst: Double = zip(ours, theirs.values).map { (a: Float, b: Float) -> Double in
            abs(Double(a) - Double(b)) / max(1, abs(Double(a)))
        }.max() ?? .nan
        #expect(worst <= 1e-5, "largest difference \(worst)")
        return report
    }

    /// Every built-in recipe's model (weights from seed 1), on 64 examples of its own test
    /// split; mnist, whose files are not bundled, on 64 seeded random images in [0, 1].
    @Test(arguments: Recipe.builtIn.map(\.name))
    func everyRecipesModelRunsInOnnxruntimeAsInLumen(recipeName: String) throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let recipe = try Recipe.named(recipeName)
        let model = recipe.makeModel(seed: 1)
        let inputs: [Float], inputShape: [Int], classes: Int
        if recipe.needsDataDirectory {
            var rng = SplitMix64(seed: 9)
            inputShape = [784]
            inputs = (0 ..< 64 * 784).map { _ in Float(rng.nextUnit()) }
            classes = 10
        } else {
            let test = try recipe.loadData().test
            inputShape = test.exampleShape
            inputs = Array(test.features[0 ..< 64 * test.exampleShape.reduce(1, *)])
            classes = test.classCount
        }
        let path = try saveCheckpoint(model, recipeName: recipe.name, inputShape: inputShape,
                                      classNames: (0..<classes).map(String.init), in: folder)
        let report = try exportAndCompare(path, inputs: inputs, count: 64, in: folder)
        let initializers = try #require(report["initializers"] as? [String])
        let nodes = try #require(report["nodes"] as? [String])
        if LanguageModel.of(recipe) != nil {
            // The character models: ids through Gather, the LSTM as ONNX's own operator (its
            // gates reordered into new initializers), the GPT's attention written out.
            #expect(nodes.contains("Gather") && nodes.contains("Cast"))
            #expect(recipe.name == "names-lstm" ? nodes.contains("LSTM") : nodes.contains("Softmax") && nodes.contains("Split"))
            let kept = model.namedState.map(\.name).filter { !$0.contains("weight_ih") && !$0.contains("weight_hh")
                && !$0.contains("bias_ih") && !$0.contains("bias_hh") && !$0.contains("position") }
            #expect(Set(kept).isSubset(of: initializers))
        } else {
            #expect(Set(model.namedState.map(\.name)).isSubset(of: initializers))
        }
    }

    @Test func oneOfEveryExportableLayerWithRunningStatistics() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        var rng = SplitMix64(seed: 4)
        let model = Sequential<Float>([
            Conv2d(inChannels: 2, outChannels: 4, kernelSize: (3, 2), stride: (1, 2), padding: (1, 1), using: &rng),
            BatchNorm2d(numFeatures: 4, epsilon: 1e-3), LeakyReLU(slope: 0.2),
            MaxPool2d(kernelSize: 2, stride: 1, padding: 1), AvgPool2d(kernelSize: (3, 2), stride: (1, 2), padding: (1, 1)),
            Conv2d(inChannels: 4, outChannels: 3, kernelSize: 1, bias: false, using: &rng), BatchNorm2d(numFeatures: 3, affine: false),
            Flatten(), Dropout(probability: 0.5, seed: 3),
            // [2, 7, 6] → conv [4, 7, 4] → max pool [4, 8, 5] → average pool [4, 8, 3] → conv [3, 8, 3].
            Linear(in: 3 * 8 * 3, out: 8, using: &rng), BatchNorm1d(numFeatures: 8), GELU(approximateTanh: true),
            LayerNorm(8, epsilon: 1e-4), Tanh(), Linear(in: 8, out: 8, bias: false, using: &rng), Sigmoid(), GELU(),
            Softplus(), ReLU(), Identity(), LayerNorm(8, elementwiseAffine: false),
            Linear(in: 8, out: 5, using: &rng), LogSoftmax(axis: 1), Softmax(axis: -1),
        ])
        // Running statistics and affine parameters away from their initial 0 and 1, so that
        // an export that ignored them would differ.
        for (name, tensor) in model.namedState where name.contains("running") || (name.contains("weight") && tensor.rank == 1)
            || (name.contains("bias") && tensor.rank == 1) {
            let values = (0..<tensor.count).map { _ in Float(name.contains("var") || name.contains("weight") ? 0.5 + rng.nextUnit()
                                                                                                             : rng.nextUnit() - 0.5) }
            tensor.assign(try Tensor(shape: tensor.shape, elements: values))
        }
        let path = try saveCheckpoint(model, recipeName: nil, inputShape: [2, 7, 6], classNames: ["a", "b", "c", "d", "e"], in: folder)
        let inputs = (0 ..< 16 * 84).map { _ in Float(rng.nextUnit() * 4 - 2) }
        let report = try exportAndCompare(path, inputs: inputs, count: 16, in: folder)
        let nodes = try #require(report["nodes"] as? [String])
        for op in ["Conv", "BatchNormalization", "LeakyRelu", "MaxPool", "AveragePool", "Reshape", "Gemm", "Erf", "Tanh",
                   "LayerNormalization", "Sigmoid", "Softplus", "Relu", "Identity", "LogSoftmax", "Softmax"] {
            #expect(nodes.contains(op), "no \(op) node")
        }
        #expect((report["metadata"] as? [String: String])?["lumen.class_names"] == #"["a","b","c","d","e"]"#)
    }

    /// Linear over [N, T, features] (more than two axes) takes the MatMul path.
    @Test func aLinearLayerOverThreeAxes() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        var rng = SplitMix64(seed: 6)
        let model = Sequential<Float>([Linear(in: 4, out: 3, using: &rng), ReLU(), Linear(in: 3, out: 2, bias: false, using: &rng),
                                       Flatten()])
        let path = try saveCheckpoint(model, recipeName: nil, inputShape: [5, 4], classNames: (0..<10).map(String.init), in: folder)
        let inputs = (0 ..< 3 * 20).map { _ in Float(rng.nextUnit() * 2 - 1) }
        let report = try exportAndCompare(path, inputs: inputs, count: 3, in: folder)
        #expect((report["nodes"] as? [String])?.contains("MatMul") == true)
    }

    @Test func aLayerWithoutAnONNXFormIsNamed() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        var rng = SplitMix64(seed: 6)
        // Flatten(startAxis: 0) merges the batch with the rows: [N, 2, 3] → [2N, 3].
        let model = Sequential<Float>([Linear(in: 3, out: 3, using: &rng), Flatten(startAxis: 0, endAxis: 1)])
        let path = try saveCheckpoint(model, recipeName: nil, inputShape: [2, 3], classNames: ["a", "b", "c"], in: folder)
        let run = try Lumen(["export", path, "-o", folder + "/x.onnx"])
        #expect(run.status != 0)
        #expect(run.stderr.hasPrefix("error: layer 1, Flatten, cannot be exported to ONNX: it merges the batch axis"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.onnx"))
    }
}
