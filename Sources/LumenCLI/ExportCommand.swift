// ExportCommand.swift — `lumen export CHECKPOINT -o model.onnx`: a saved model as an ONNX
// file, for onnxruntime and every other engine that reads ONNX.
//
// Read next: Sources/Interop/ONNXExport.swift.

import ArgumentParser
import Interop

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved model as ONNX (opset 17), for onnxruntime and other engines.",
        discussion: """
            The graph's input is `input`, shape [N] + the model's input shape (N free), and its \
            output `logits`, [N, classes]; the weights keep their checkpoint names. Covered: \
            Linear, Conv2d, MaxPool2d, AvgPool2d, BatchNorm1d/2d, LayerNorm, Flatten, Dropout \
            (the identity, as in evaluation) and the activations.

            Example:
              lumen export lumen-out/digits-cnn/model.safetensors -o digits-cnn.onnx
              python -c "import onnxruntime as ort, numpy as np; \\
                s = ort.InferenceSession('digits-cnn.onnx'); \\
                print(s.run(None, {'input': np.zeros((1, 1, 8, 8), np.float32)}))"
            """
    )

    @Argument(help: ArgumentHelp("A checkpoint written by lumen train.", valueName: "checkpoint"))
    var checkpoint: String

    @Option(name: [.short, .long], help: ArgumentHelp("The ONNX file to write.", valueName: "file"))
    var output: String

    func run() throws {
        do {
            let saved = try SavedModel.load(checkpoint)
            for note in saved.notes { warn(note) }
            try ONNXExport.write(saved, to: output)
            print("wrote \(output): \(saved.spec.layers.count) layers, input [N, "
                  + saved.spec.inputShape.map(String.init).joined(separator: ", ") + "], opset \(ONNXExport.opsetVersion)")
        } catch {
            throw fail(error.description, hint: hint(for: error))
        }
    }
}
