// SavedModelTests.swift — a checkpoint of `lumen train` comes back as a working model from the
// file alone; an older checkpoint (no description) comes back through its recipe with a note;
// one that describes nothing, or whose description does not fit its tensors, is refused
// before a layer is built.
//
// Read next: EvaluationTests.swift.

import Checkpoints
import Engine
import FileFormats
import Foundation
import Layers
import Tensors
import Testing
import Training
import _TestSupport
@testable import Interop

@Suite struct SavedModelTests {
    @Test func aTrainedCheckpointDescribesItselfAndComputesWhatTheTrainerComputed() throws {
        let trainer = TrainedDigits.trainer
        let file = try Safetensors.read(from: TrainedDigits.checkpoint)
        let written = try #require(try ModelSpec.read(from: file.metadata))
        #expect(written.inputShape == [64])
        let digitNames: [String] = (0..<10).map { String($0) }
        #expect(written.classNames == digitNames)
        let layers: [LayerSpec] = [.linear(inFeatures: 64, outFeatures: 128, bias: true), .relu,
                                   .linear(inFeatures: 128, outFeatures: 64, bias: true), .relu,
                                   .linear(inFeatures: 64, outFeatures: 10, bias: true)]
        #expect(written.layers == layers)

        let saved = try SavedModel.load(TrainedDigits.checkpoint)
        #expect(saved.notes.isEmpty)
        #expect(saved.recipe?.name == "digits-mlp")
        #expect(saved.outputShape == [10])
        let test = trainer.data.test
        let inputs = try Tensor<Float>(shape: [test.count, 64], elements: test.features)
        trainer.model.eval()
        let expected = withoutGradients { trainer.model(inputs) }.scalars
        #expect(withoutGradients { saved.model(inputs) }.scalars == expected)
    }

    @Test func anOlderCheckpointLoadsThroughItsRecipeWithANote() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let model = Recipe.digitsCNN.makeModel(seed: 3)
        let path = folder + "/old.safetensors"
        try Checkpoint.save(model, to: path, metadata: [Trainer.MetadataKey.recipe: "digits-cnn"])
        let saved = try SavedModel.load(path)
        #expect(saved.notes.count == 1)
        #expect(saved.notes[0].contains("records no architecture") && saved.notes[0].contains("'digits-cnn'"))
        #expect(saved.spec.inputShape == [1, 8, 8])
        let digitNames: [String] = (0..<10).map { String($0) }
        #expect(saved.spec.classNames == digitNames)
        let input = try Tensor<Float>(shape: [2, 1, 8, 8], elements: (0..<128).map { Float($0 % 17) / 16 })
        model.eval()
        #expect(saved.model(input).scalars == model(input).scalars)
    }

    @Test func aFileThatDescribesNoModelIsRefused() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        var rng = SplitMix64(seed: 1)
        let model = Sequential<Float>(Linear(in: 2, out: 2, using: &rng))
        let bare = folder + "/bare.safetensors", unknown = folder + "/unknown.safetensors"
        try Checkpoint.save(model, to: bare)
        try Checkpoint.save(model, to: unknown, metadata: [Trainer.MetadataKey.recipe: "cifar"])
        for (path, words) in [(bare, "neither lumen.architecture nor lumen.recipe"), (unknown, "its recipe 'cifar' is not one Lumen knows")] {
            do {
                _ = try SavedModel.load(path)
                Issue.record("loaded \(path)")
            } catch {
                #expect(error.description.contains(path) && error.description.contains(words), "\(error)")
            }
        }
    }

    /// A description asking for Linear(64 → 4096) over a file holding a 10 × 64 weight is
    /// refused by comparing shapes, before the 4096 × 64 layer is made.
    @Test func aDescriptionThatDoesNotFitTheTensorsIsRefusedBeforeBuilding() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        var rng = SplitMix64(seed: 1)
        let model = Sequential<Float>(Linear(in: 64, out: 10, using: &rng))
        var metadata = ModelSpec(layers: [.linear(inFeatures: 64, outFeatures: 4096, bias: true), .relu,
                                          .linear(inFeatures: 4096, outFeatures: 10, bias: true)],
                                 inputShape: [64], classNames: (0..<10).map(String.init)).metadata
        metadata[Trainer.MetadataKey.recipe] = "digits-mlp"
        let path = folder + "/lying.safetensors"
        try Checkpoint.save(model, to: path, metadata: metadata)
        #expect(throws: InteropError.self) { try SavedModel.load(path) }
        do {
            _ = try SavedModel.load(path)
        } catch {
            #expect(error.description.contains("2.weight") || error.description.contains("0.weight"), "\(error)")
        }
        // Class names that do not match the outputs are refused too.
        var wrongNames = try ModelSpec(describing: model, inputShape: [64], classNames: ["a", "b"]).metadata
        wrongNames[Trainer.MetadataKey.recipe] = "digits-mlp"
        try Checkpoint.save(model, to: path, metadata: wrongNames)
        #expect(throws: InteropError.self) { try SavedModel.load(path) }
    }

    /// The character models describe themselves too (TokenEmbedding, LSTM, TransformerBlock,
    /// LastPosition): `lumen eval` gives the cross-entropy that plain Double math gives on the
    /// same logits, `lumen predict` reads contexts of ids, and values that are not ids of the
    /// vocabulary are refused naming the file and the value.
    @Test(arguments: ["names-lstm", "names-gpt"])
    func theCharacterModelsDescribeThemselvesForEvalAndPredict(recipeName: String) throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let recipe = try Recipe.named(recipeName)
        let trainer = try Trainer(recipe: recipe, settings: recipe.defaults)
        let spec = try #require(trainer.modelSpec)
        #expect(spec.inputShape == [8] && spec.classNames.count == 27)
        #expect(spec.layers.first == .tokenEmbedding(vocabularySize: 27, dimension: recipeName == "names-lstm" ? 24 : 32,
                                                      positions: recipeName == "names-lstm" ? nil : 8))
        let path = folder + "/model.safetensors"
        try trainer.saveCheckpoint(to: path)
        let saved = try SavedModel.load(path)
        #expect(saved.notes.isEmpty && saved.spec == spec)

        // 100 validation examples as CSV rows: 8 ids, then the next character's id.
        let test = trainer.data.test
        let count = 100
        let features = Array(test.features[0 ..< count * 8])
        let rows = (0 ..< count).map { row in
            (features[row * 8 ..< (row + 1) * 8].map { String(Int($0)) } + [String(test.labels[row])]).joined(separator: ",")
        }
        try write(Array((rows.joined(separator: "\n") + "\n").utf8), to: folder + "/labelled.csv")
        let eval = try Lumen(["eval", path, "--data", folder + "/labelled.csv"])
        #expect(eval.status == 0, "\(eval.stderr)")
        trainer.model.eval()
        let logits = withoutGradients { trainer.model(try! Tensor<Float>(shape: [count, 8], elements: features)) }.scalars
        var loss = 0.0
        for row in 0 ..< count {
            let z = logits[row * 27 ..< (row + 1) * 27].map(Double.init)
            let m = z.max()!
            loss += m + Foundation.log(z.map { Foundation.exp($0 - m) }.reduce(0, +)) - z[test.labels[row]]
        }
        let printed = try #require(eval.stdout.split(separator: "\n").first { $0.hasPrefix("loss ") })
        let value = try #require(Double(printed.split(separator: " ")[1]))
        #expect(abs(value - loss / Double(count)) <= 1e-5, "\(printed) against \(loss / Double(count))")

        try write(Array(rows.map { $0.split(separator: ",").dropLast().joined(separator: ",") }.joined(separator: "\n").utf8),
                  to: folder + "/contexts.csv")
        let predict = try Lumen(["predict", path, folder + "/contexts.csv", "--top", "1"])
        #expect(predict.status == 0, "\(predict.stderr)")
        #expect(predict.stdout.split(separator: "\n").count == count)

        for (name, row, shown) in [("big.csv", "0,1,2,3,4,5,6,27", "27.0"), ("half.csv", "0,1,2,3,4,5,1.5,0", "1.5"),
                                   ("negative.csv", "-1,1,2,3,4,5,6,7", "-1.0")] {
            try write(Array(row.utf8), to: folder + "/" + name)
            let refused = try Lumen(["predict", path, folder + "/" + name])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(folder + "/" + name) && refused.stderr.contains("the value \(shown)")
                    && refused.stderr.contains("token ids, whole numbers 0 to 26"), "\(refused.stderr)")
        }
    }

    /// The outside view: Python rebuilds the model from the checkpoint alone (safetensors and
    /// its metadata, in numpy: Fixtures/rebuild_with_numpy.py) and gets Lumen's outputs, for
    /// the MLP that one epoch trained and for the CNN as `Trainer` saves it before training.
    @Test(.enabled(if: Python.interop != nil, Comment(rawValue: Python.interopMissing)),
          arguments: ["digits-mlp", "digits-cnn"])
    func pythonRebuildsTheModelFromTheCheckpointAlone(recipeName: String) throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        var path = TrainedDigits.checkpoint
        if recipeName == "digits-cnn" {
            path = folder + "/cnn.safetensors"
            try Trainer(recipe: .digitsCNN, settings: Recipe.digitsCNN.defaults).saveCheckpoint(to: path)
        }
        let saved = try SavedModel.load(path)
        let test = try saved.recipe!.loadData().test
        let width = test.exampleShape.reduce(1, *)
        let inputs = Array(test.features[0 ..< 32 * width])
        try write(npyBytes(shape: [32] + test.exampleShape, values: inputs), to: folder + "/input.npy")
        let report = try #require(Python.interop).runJSON([fixtures + "/rebuild_with_numpy.py", path, folder + "/input.npy",
                                                            folder + "/output.npy"])
        #expect(report["class_names"] as? [String] == (0..<10).map(String.init))
        #expect((report["layers"] as? [String])?.count == saved.spec.layers.count)
        let theirs = try NPYFile.read(folder + "/output.npy")
        let ours = withoutGradients { saved.model(try! Tensor<Float>(shape: [32] + test.exampleShape, elements: inputs)) }.scalars
        #expect(theirs.shape == [32, 10])
        let worst: Double = zip(ours, theirs.values).map { (a: Float, b: Float) -> Double in
            abs(Double(a) - Double(b)) / max(1, abs(Double(b)))
        }.max() ?? .nan
        #expect(worst <= 1e-5, "largest difference \(worst)")
    }
}
