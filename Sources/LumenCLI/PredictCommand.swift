// PredictCommand.swift — `lumen predict CHECKPOINT INPUT…`: a saved model's most likely
// classes for each example of some .csv, .npy or .png files, as text or JSON.
//
// Read next: ExportCommand.swift.

import ArgumentParser
import FileFormats
import Foundation
import Interop

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Classify inputs with a saved model: the top classes and their probabilities.",
        discussion: """
            Inputs: a .csv file gives one example per row (a header line is allowed), each row \
            as many numbers as the model's input has values (64 for the digits recipes); a \
            .npy file (numpy.save) holds one example of the input shape, or N of them as \
            [N] + the input shape or [N, values]. Inputs are used as they are: scale them as \
            the training data was (the digits recipes: pixels 0 to 16, divided by 16). A .png \
            picture is one example for a model whose input is one gray image (digits: 8 × 8, \
            or 64 values read as 8 × 8): its gray values (0 black, 1 white) are averaged down \
            to the input's size, which must have the picture's shape (8 × 8, 16 × 16, 32 × 32 …). \
            The digits were written light on dark: draw so, or pass --invert for dark ink on white.

            Examples:
              lumen predict lumen-out/digits-mlp/model.safetensors digits.csv
              lumen predict lumen-out/digits-cnn/model.safetensors batch.npy --top 1 --json
              lumen predict lumen-out/digits-cnn/model.safetensors seven.png --invert
            """
    )

    @Argument(help: ArgumentHelp("A checkpoint written by lumen train.", valueName: "checkpoint"))
    var checkpoint: String

    @Argument(help: ArgumentHelp("Input files: .csv, .npy or .png.", valueName: "input"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("How many classes to show per example (default 3).", valueName: "k"))
    var top: Int = 3

    @Flag(help: "For .png inputs: use 1 − gray, so that dark ink on white paper reads as the digits recipes' bright ink.")
    var invert = false

    @Flag(help: "Print JSON: one object per example, {input, index, top: [{label, probability}]}.")
    var json = false

    @Option(help: ArgumentHelp("Instead of printing predictions, time n passes over all the inputs (batches of 256) and print the median (Scripts/bench-predict.sh).",
                               valueName: "n"))
    var benchmark: Int?

    func run() throws {
        guard !inputs.isEmpty else {
            throw fail("lumen predict needs at least one input file after the checkpoint",
                       hint: "lumen predict \(checkpoint) digits.csv")
        }
        guard top >= 1 else { throw fail("--top must be at least 1, got \(top)") }
        do {
            let saved = try SavedModel.load(checkpoint)
            for note in saved.notes { warn(note) }
            // Read every input before printing anything, so that a bad file stops the run whole.
            var batches: [(path: String, count: Int, values: [Float])] = []
            for path in inputs {
                let (count, values) = try InputFile.examples(path, inputShape: saved.spec.inputShape, invertImages: invert)
                try saved.spec.checkInputValues(values, path: path)
                batches.append((path, count, values))
            }
            if let benchmark {
                guard benchmark >= 1 else { throw fail("--benchmark must be at least 1, got \(benchmark)") }
                try time(saved, batches, runs: benchmark)
                return
            }
            var predictions: [Prediction] = []
            for batch in batches {
                predictions += Prediction.predict(saved.model, spec: saved.spec, values: batch.values, count: batch.count,
                                                  input: batch.path, top: min(top, saved.spec.classNames.count),
                                                  regression: saved.task == .regression)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(predictions), as: UTF8.self))
            } else {
                for prediction in predictions { print(prediction.text) }
            }
        } catch let error as InteropError {
            throw fail(error.description, hint: hint(for: error))
        } catch let error as FileFormatError {
            throw fail(error.description, hint: hint(for: error))
        }
    }

    /// `runs` timed passes (after one untimed warm-up) of the whole prediction (forward in
    /// batches of 256, softmax, top classes) over every input; prints the median and the spread.
    private func time(_ saved: SavedModel, _ batches: [(path: String, count: Int, values: [Float])], runs: Int) throws {
        let clock = ContinuousClock()
        let examples = batches.reduce(0) { $0 + $1.count }
        var seconds: [Double] = []
        for run in 0 ... runs {
            let start = clock.now
            for batch in batches {
                _ = Prediction.predict(saved.model, spec: saved.spec, values: batch.values, count: batch.count,
                                       input: batch.path, top: 1, batchSize: 256)
            }
            let (whole, fraction) = (clock.now - start).components
            if run > 0 { seconds.append(Double(whole) + Double(fraction) * 1e-18) }
        }
        seconds.sort()
        let median = seconds[seconds.count / 2]
        print(String(format: "lumen predict: %d examples, %d runs: median %.3f ms per pass (%.0f examples/s), fastest %.3f ms, slowest %.3f ms",
                     examples, runs, median * 1e3, Double(examples) / median, seconds.first! * 1e3, seconds.last! * 1e3))
    }
}
