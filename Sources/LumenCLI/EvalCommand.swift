// EvalCommand.swift — `lumen eval CHECKPOINT`: how well a saved model does on its recipe's test
// split (or on other data): loss, accuracy and the confusion matrix.
//
// The model comes back from the checkpoint alone (Interop/SavedModel.swift); the data from the
// recipe the checkpoint names, or from --data.
//
// Read next: PredictCommand.swift.

import ArgumentParser
import Checkpoints
import Datasets
import FileFormats
import Foundation
import Interop
import Training

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a saved model: loss, accuracy and confusion matrix on test data.",
        discussion: """
            The model is rebuilt from the checkpoint alone (lumen train writes its architecture, \
            input shape and class names into it). The data is the test split of the recipe that \
            trained it, or --data: a folder for recipes that read files (mnist), or a CSV file \
            whose rows are one example each, the class index in the last column. A model trained on \
            your own table (lumen train --data FILE --target COLUMN) is evaluated on that table's \
            test rows, or on another table of the same layout (--data new.csv: a header, the same \
            target column, classes by name); a regression reports its MSE, R² and mean absolute error.

            Examples:
              lumen eval lumen-out/digits-cnn/model.safetensors
              lumen eval lumen-out/mnist/model.safetensors --data ~/data/mnist
              lumen eval model.safetensors --data test.csv
            """
    )

    @Argument(help: ArgumentHelp("A checkpoint written by lumen train.", valueName: "checkpoint"))
    var checkpoint: String

    @Option(help: ArgumentHelp("The recipe's data folder, or a CSV file of examples with the label last.", valueName: "path"))
    var data: String?

    func run() throws {
        do {
            try evaluate()
        } catch let error as InteropError {
            throw fail(error.description, hint: hint(for: error))
        } catch let error as FileFormatError {
            throw fail(error.description, hint: hint(for: error))
        } catch let error as TrainingError {
            throw fail(error.description)
        }
    }

    private func evaluate() throws {
        let saved = try SavedModel.load(checkpoint)
        for note in saved.notes { warn(note) }
        let (dataset, name) = try testData(for: saved)
        if saved.task == .regression {
            let result = try RegressionEvaluation(model: saved.model, spec: saved.spec, data: dataset, dataName: name)
            print("\(checkpoint): \(saved.spec.layers.count) layers, input \(saved.spec.inputShape), "
                  + "a regression predicting \(saved.spec.classNames.first ?? "a number")")
            print("data: \(name), \(result.count) examples")
            print(String(format: "mean squared error %.6g   R² %.4f   mean absolute error %.6g",
                         result.meanSquaredError, result.rSquared, result.meanAbsoluteError))
            return
        }
        let evaluation = try Evaluation(model: saved.model, spec: saved.spec, data: dataset, dataName: name)
        let correct = evaluation.confusion.indices.reduce(0) { $0 + evaluation.confusion[$1][$1] }
        print("\(checkpoint): \(saved.spec.layers.count) layers, input \(saved.spec.inputShape), "
              + "\(saved.spec.classNames.count) classes" + (saved.recipe.map { ", recipe \($0.name)" } ?? ""))
        print("data: \(name), \(evaluation.count) examples")
        print(String(format: "loss %.6f   accuracy %.2f%% (%d/%d)", evaluation.loss, 100 * evaluation.accuracy,
                     correct, evaluation.count))
        print("confusion matrix (rows: true class, columns: predicted class)")
        print(evaluation.confusionTable(classNames: saved.spec.classNames))
    }

    /// The recipe's test split, the recipe's data from a folder, or a CSV file of labelled rows.
    private func testData(for saved: SavedModel) throws -> (InMemoryDataset<Float>, String) {
        if let data, saved.metadata[RecipeOptions.metadataKey]?.contains("\"dataFile\"") == true,
           ["csv", "npy"].contains(URL(fileURLWithPath: data).pathExtension.lowercased()) {
            // A model trained on the user's own table reads another table of the same layout
            // (the same target column, classes by name); the table it was trained on need not be there.
            let options = try JSONDecoder().decode(RecipeOptions.self, from: Data(saved.metadata[RecipeOptions.metadataKey]!.utf8))
            return (try Recipe.ownDataSet(data, options: options, task: saved.task, classNames: saved.spec.classNames), data)
        }
        if let data, URL(fileURLWithPath: data).pathExtension.lowercased() == "csv" {
            return (try labelledCSV(data, spec: saved.spec, regression: saved.task == .regression), data)
        }
        guard let recipe = try saved.trainingRecipe() else {
            throw fail("\(checkpoint) names no built-in recipe, so it has no test split of its own",
                       hint: "give the data with --data FILE.csv (one example per row, the class index last)")
        }
        if data != nil && !recipe.needsDataDirectory {
            throw fail("--data \(data!) is not a CSV file, and \(recipe.name) uses data bundled with Lumen",
                       hint: "leave --data out to use \(recipe.name)'s test split, or give a .csv file")
        }
        let split = try recipe.loadData(from: data)
        return (split.test, "the test split of \(recipe.name)")
    }

    /// A CSV file whose rows are an example's values and then its class index.
    private func labelledCSV(_ path: String, spec: ModelSpec, regression: Bool) throws -> InMemoryDataset<Float> {
        let table = try CSVTable.read(path)
        let width = spec.inputShape.reduce(1, *)
        guard table.width == width + 1 else {
            throw FileFormatError.inputDoesNotFit(path: path, found: "rows of \(table.width) values",
                                                   expected: "\(width + 1): \(width) inputs (shape \(spec.inputShape)) and the class index")
        }
        var features: [Float] = [], labels: [Int] = []
        features.reserveCapacity(table.rowCount * width)
        if regression {
            var targets: [Float] = []
            for row in 0 ..< table.rowCount {
                let values = table.values[row * (width + 1) ..< (row + 1) * (width + 1)]
                features += values.dropLast()
                targets.append(values.last!)
            }
            // One target per row of `width` features.
            return try! InMemoryDataset.regression(features: features, targets: targets, exampleShape: spec.inputShape,
                                                   name: spec.classNames.first ?? "target")
        }
        for row in 0 ..< table.rowCount {
            let values = table.values[row * (width + 1) ..< (row + 1) * (width + 1)]
            let label = values.last!
            guard label == label.rounded(), label >= 0, Int(label) < spec.classNames.count else {
                throw FileFormatError.csv(path: path, line: table.lines[row], column: width + 1,
                                          problem: "the label \(label) is not a class index 0 to \(spec.classNames.count - 1)")
            }
            features += values.dropLast()
            labels.append(Int(label))
        }
        // The sizes were checked above.
        return try! InMemoryDataset(features: features, labels: labels, exampleShape: spec.inputShape,
                                    classCount: spec.classNames.count, classNames: spec.classNames)
    }
}

/// What to do about an Interop error, when there is something to say.
func hint(for error: InteropError) -> String? {
    switch error {
    case .undescribedModel: "checkpoints written by lumen train describe their model; train again, or resume it for one more epoch"
    case .input(let error): hint(for: error)
    case .cannotExport: "the layers ONNX export covers: Linear, Conv2d, MaxPool2d, AvgPool2d, BatchNorm1d/2d, LayerNorm, Flatten, Dropout, "
        + "the activations, TokenEmbedding, LSTM, TransformerBlock and LastPosition"
    default: nil
    }
}

/// What to do about an input file that does not fit, when there is something to say.
func hint(for error: FileFormatError) -> String? {
    switch error {
    case .unsupportedInput: "save inputs with numpy.save(path, x) (.npy), as comma-separated rows (.csv), or as a gray picture (.png)"
    case .inputDoesNotFit: "give one example per row (.csv) or an array of shape [N] + the input shape (.npy)"
    default: nil
    }
}
