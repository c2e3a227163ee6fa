// QuantizationTests.swift — int8 weights (`lumen quantize --int8`). The oracle is plain Double
// arithmetic written here: per row, s = max |w| / 127, q = round(w / s), ŵ = q · s; every
// entry must also keep |w − ŵ| ≤ s / 2, a bound that holds whatever the code computes. A
// quantized checkpoint must load as exactly those weights, and on the shipped pre-trained
// digits-cnn lose at most 0.5 points of test accuracy.
//
// Read next: PretrainedTests.swift.

import Checkpoints
import Engine
import Foundation
import Tensors
import Testing
import Training
import _TestSupport
@testable import Interop

@Suite struct QuantizationTests {
    /// What the weights of `values` (rows of `width`) become, computed in Double.
    static func oracle(_ values: [Float], width: Int) -> (integers: [Int], scales: [Float], weights: [Float]) {
        var integers: [Int] = [], scales: [Float] = [], weights: [Float] = []
        for row in 0 ..< values.count / width {
            let slice = values[row * width ..< (row + 1) * width].map(Double.init)
            let largest = slice.map(abs).max()!
            let scale = largest == 0 ? 1 : Float(largest / 127)
            scales.append(scale)
            for w in slice {
                let q = Int((w / Double(scale)).rounded())
                integers.append(q)
                weights.append(Float(Double(q) * Double(scale)))
            }
        }
        return (integers, scales, weights)
    }

    @Test func eachRowHasItsOwnScaleAndTheErrorIsAtMostHalfAStep() {
        var rng = SplitMix64(seed: 12)
        // Rows of very different sizes, one all zeros, one with a single nonzero entry.
        var values = (0 ..< 6 * 40).map { i in Float((rng.nextUnit() * 2 - 1) * [1e-4, 0.3, 7, 0, 1, 250][i / 40]) }
        values[4 * 40 ..< 5 * 40] = ArraySlice(repeating: 0, count: 40)
        values[4 * 40 + 17] = -0.75
        let (integers, scales) = Quantization.quantize(values, rows: 6)
        let expected = Self.oracle(values, width: 40)
        #expect(integers.map(Int.init) == expected.integers)
        #expect(scales == expected.scales)
        #expect(Quantization.dequantize(integers, scales: scales) == expected.weights)
        for row in 0 ..< 6 {
            let slice = integers[row * 40 ..< (row + 1) * 40].map { abs(Int($0)) }
            #expect(row == 3 ? slice.max() == 0 : slice.max() == 127, "row \(row)")
            for i in row * 40 ..< (row + 1) * 40 {
                let error = abs(Double(values[i]) - Double(expected.weights[i]))
                #expect(error <= Double(scales[row]) / 2 * (1 + 1e-6), "entry \(i)")
            }
        }
    }

    /// The shipped digits-cnn, quantized: the file holds I8 weights and F32 scales (no float
    /// weights), loads as the oracle's weights (biases unchanged), and keeps its accuracy.
    @Test func thePretrainedDigitsCNNQuantizedLoadsAsTheOracleAndKeepsItsAccuracy() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let saved = try SavedModel.load(Pretrained.digitsCNN)
        let path = folder + "/q.safetensors"
        let run = try Lumen(["quantize", Pretrained.digitsCNN, "--int8", "-o", path])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try Safetensors.read(from: path)
        #expect(file.metadata[Quantization.metadataKey] == "int8-symmetric-per-channel")
        #expect(file["0.weight"] == nil && file["0.weight.int8"]?.dtype == .i8 && file["0.weight.scale"]?.dtype == .f32)
        #expect(file["0.bias"]?.dtype == .f32 && file.names.allSatisfy { !$0.hasPrefix("__optimizer__") })

        let quantized = try SavedModel.load(path)
        for ((name, ours), (_, original)) in zip(quantized.model.namedState, saved.model.namedState) {
            if original.rank >= 2 {
                #expect(ours.scalars == Self.oracle(original.scalars, width: original.count / original.shape[0]).weights, "\(name)")
            } else {
                #expect(ours.scalars == original.scalars, "\(name)")
            }
        }
        let test = try Recipe.digitsCNN.loadData().test
        let before = try Evaluation(model: saved.model, spec: saved.spec, data: test, dataName: "test")
        let after = try Evaluation(model: quantized.model, spec: quantized.spec, data: test, dataName: "test")
        #expect(abs(after.accuracy - before.accuracy) <= 0.005, "\(before.accuracy) → \(after.accuracy)")
        #expect(run.stdout.contains(String(format: "test accuracy %.2f%% → %.2f%%", 100 * before.accuracy, 100 * after.accuracy)),
                "\(run.stdout)")
        // Written small: the int8 file is under a third of the float weights plus its header.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count < 54_824 / 3 + 8_192)
    }

    @Test func aDamagedQuantizedFileIsRefusedNamingTheTensor() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let saved = try SavedModel.load(Pretrained.digitsCNN)
        let path = folder + "/q.safetensors"
        try Quantization.write(saved, to: path)
        let file = try Safetensors.read(from: path)
        var tensors: [(name: String, tensor: SafetensorsTensor)] = []
        for name in file.names where name != "7.weight.scale" {
            let entry = file[name]!
            if entry.dtype == .i8 {
                tensors.append((name, SafetensorsTensor(int8: try file.tensor(name, as: Float.self).scalars.map { Int8($0) },
                                                        shape: entry.shape)))
            } else {
                var tensor = try file.tensor(name, as: Float.self)
                if name == "0.weight.scale" { tensor = try Tensor(shape: tensor.shape, elements: tensor.scalars.map { _ in -1 }) }
                tensors.append((name, SafetensorsTensor(tensor)))
            }
        }
        try Safetensors.write(tensors, metadata: file.metadata, to: folder + "/bad.safetensors")
        let run = try Lumen(["eval", folder + "/bad.safetensors"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("0.weight.scale") || run.stderr.contains("7.weight.scale"), "\(run.stderr)")
        let refused = try Lumen(["quantize", Pretrained.digitsCNN, "-o", folder + "/x.safetensors"])
        #expect(refused.status != 0 && refused.stderr.contains("--int8"))
    }
}

/// `lumen train --resume` on a file that `lumen quantize` wrote: the file keeps its training
/// metadata (recipe, settings, history), so without a check it would get as far as a missing
/// tensor; it must say instead that the file is quantized and cannot be resumed.
@Suite struct QuantizedResumeTests {
    @Test func resumingAQuantizedCheckpointSaysItIsQuantized() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let original = folder + "/model.safetensors", quantized = folder + "/q.safetensors"
        let trainer = try Trainer(recipe: .moons, settings: TrainingSettings(epochs: 1, batchSize: 64, learningRate: 0.01, optimizer: .adam))
        try trainer.train(progress: nil, checkpointPath: original)
        _ = try Quantization.write(try SavedModel.load(original), to: quantized)
        let metadata = try Safetensors.read(from: quantized).metadata
        #expect(metadata[Trainer.MetadataKey.recipe] == "moons" && metadata[Quantization.metadataKey] == Quantization.scheme)

        let expected = "cannot resume from \(quantized): it is a quantized checkpoint (\(Quantization.scheme), written by lumen quantize)"
        for attempt in [{ _ = try Trainer(resumingFrom: quantized, recipe: .moons, overrides: .init(epochs: 3)) },
                        { _ = try Trainer.savedRecipe(at: quantized) }] as [() throws -> Void] {
            #expect {
                try attempt()
            } throws: { error in
                "\(error)".hasPrefix(expected) && "\(error)".contains("resume from the checkpoint it was quantized from")
            }
        }
        // The original still resumes.
        #expect(try Trainer(resumingFrom: original, recipe: .moons, overrides: .init(epochs: 2)).completedEpochs == 1)
    }
}
