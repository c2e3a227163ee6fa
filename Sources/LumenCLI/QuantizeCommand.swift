// QuantizeCommand.swift — `lumen quantize CHECKPOINT --int8 -o q.safetensors`: the weights as
// 8-bit integers with a scale per output channel (Interop/Quantization.swift), with the size
// saved and what it costs in test accuracy.
//
// Read next: Sources/Interop/Quantization.swift.

import ArgumentParser
import Datasets
import FileFormats
import Foundation
import Interop
import Training

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Store a saved model's weights as int8 (per output channel), and report size and accuracy.",
        discussion: """
            Every weight of two or more axes becomes int8 with one F32 scale per output channel \
            (symmetric: s = max |w| / 127 over the channel, q = round(w / s)); biases and norms \
            stay F32. The output is a safetensors file that lumen eval, predict and export read \
            like any checkpoint. The command prints both files' sizes and, for a recipe's \
            checkpoint, the test accuracy and loss before and after.

            Example:
              lumen quantize lumen-out/digits-cnn/model.safetensors --int8 -o digits-cnn-int8.safetensors
            """
    )

    @Argument(help: ArgumentHelp("A checkpoint written by lumen train.", valueName: "checkpoint"))
    var checkpoint: String

    @Flag(help: "8-bit integer weights (the one scheme there is; required, so that the command says what it does).")
    var int8 = false

    @Option(name: [.short, .long], help: ArgumentHelp("The quantized file to write.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("The recipe's data folder (mnist), for the accuracy report.", valueName: "folder"))
    var data: String?

    func run() throws {
        guard int8 else { throw fail("say which quantization: --int8", hint: "lumen quantize \(checkpoint) --int8 -o q.safetensors") }
        do {
            let saved = try SavedModel.load(checkpoint)
            for note in saved.notes { warn(note) }
            let written = try Quantization.write(saved, to: output)
            let original = (try? FileManager.default.attributesOfItem(atPath: checkpoint)[.size] as? Int) ?? 0
            let floatBytes = saved.model.namedState.reduce(0) { $0 + 4 * $1.tensor.count }
            print("wrote \(output): \(written) bytes; \(checkpoint) has \(original) (optimizer state and history included), "
                  + "its float weights \(floatBytes): "
                  + String(format: "%.2f× smaller than the file, %.2f× than the float weights",
                           Double(original) / Double(max(1, written)), Double(floatBytes) / Double(max(1, written))))
            guard let recipe = saved.recipe, data != nil || !recipe.needsDataDirectory else {
                print("no test split to compare on (the checkpoint names no recipe with bundled data; use lumen eval --data)")
                return
            }
            let test = try recipe.loadData(from: data).test
            let quantized = try SavedModel.load(output)
            let before = try Evaluation(model: saved.model, spec: saved.spec, data: test, dataName: recipe.name)
            let after = try Evaluation(model: quantized.model, spec: quantized.spec, data: test, dataName: recipe.name)
            print(String(format: "test accuracy %.2f%% → %.2f%% (%+.2f points), test loss %.6f → %.6f, on %d examples of %@",
                         100 * before.accuracy, 100 * after.accuracy, 100 * (after.accuracy - before.accuracy),
                         before.loss, after.loss, test.count, recipe.name))
        } catch let error as InteropError {
            throw fail(error.description, hint: hint(for: error))
        } catch let error as TrainingError {
            throw fail(error.description)
        }
    }
}
