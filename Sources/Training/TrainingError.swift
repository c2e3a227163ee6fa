// TrainingError.swift — everything a user can get wrong about a training run: the recipe's
// name, an option's value, a missing data folder, a checkpoint that does not fit, a learning
// rate so large the loss blows up. Each case names what was wrong and says how to fix it;
// `lumen train` prints the description and exits, it never traps.
//
// Read next: Recipe.swift.

import Checkpoints
import Datasets
import FileFormats
import Optimizers
import Tensors

/// A training run that cannot start or cannot go on.
public enum TrainingError: Error, CustomStringConvertible {
    /// No built-in recipe has this name.
    case unknownRecipe(String, known: [String])
    /// `--optimizer` named none of the optimizers.
    case unknownOptimizer(String, known: [String])
    /// An option's value is out of range: `option` (e.g. "--epochs"), the value as given,
    /// and what is allowed, in words.
    case invalidOption(option: String, value: String, allowed: String)
    /// The recipe reads files the user has (MNIST) and `--data` was not given.
    case missingDataDirectory(recipe: String, expectedFiles: [String])
    /// The recipe's data could not be loaded.
    case data(DataFileError)
    /// The user's own data file (`--data FILE.csv|.npy`) cannot be read or has a bad cell:
    /// the error names the file, and the line and column where it can.
    case dataFile(FileFormatError)
    /// The recipe's data loaded, but its examples do not fit the recipe's model (MNIST files
    /// whose images are not 28 × 28), or a part holds no examples.
    case dataDoesNotFit(recipe: String, part: String, found: String, expected: String)
    /// An optimizer rejected its hyperparameters or its saved state.
    case optimizer(OptimizerError)
    /// A checkpoint could not be read or written.
    case checkpoint(CheckpointError)
    /// A checkpoint that is readable but cannot be resumed: not written by `lumen train`,
    /// written for another recipe or optimizer, or with metadata that does not parse.
    case notResumable(path: String, reason: String)
    /// `--resume` from a checkpoint that has already trained `completed` epochs, with a
    /// target of `epochs` (not more).
    case nothingToResume(path: String, completed: Int, epochs: Int)
    /// A checkpoint given to `--resume` lacks the optimizer's state for some parameters
    /// (`names`: the tensors it should hold), so the resumed run would not continue the saved
    /// one. `--reset-optimizer` starts the optimizer afresh instead.
    case missingOptimizerState(path: String, names: [String])
    /// The loss became NaN or infinite, or larger than `Trainer.divergenceBound`: the run diverged.
    case diverged(epoch: Int, batch: Int, loss: Double, learningRate: Double)
    /// With anomaly detection on (`--detect-anomaly`): the first op that produced a NaN or ±∞,
    /// and the drawing that marks it (`graphPath`, when one was written).
    case anomaly(epoch: Int, batch: Int, TensorAnomaly, graphPath: String?)
    /// A file of the output folder could not be written (`reason` from the writer).
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownRecipe(name, known):
            "unknown recipe '\(name)': the recipes are \(known.joined(separator: ", "))"
        case let .unknownOptimizer(name, known):
            "unknown optimizer '\(name)' for --optimizer: choose one of \(known.joined(separator: ", "))"
        case let .invalidOption(option, value, allowed):
            "\(option) \(value) is not allowed: \(option) must be \(allowed)"
        case let .missingDataDirectory(recipe, expectedFiles):
            "the \(recipe) recipe needs its data files: pass --data DIR, a folder holding "
                + "\(expectedFiles.joined(separator: ", ")) (plain or .gz); Lumen does not download them"
        case let .data(error):
            error.description
        case let .dataFile(error):
            error.description
        case let .dataDoesNotFit(recipe, part, found, expected):
            "the \(recipe) recipe's \(part) data holds \(found), but its model needs \(expected); "
                + "check the files in --data"
        case let .optimizer(error):
            "\(error)"
        case let .checkpoint(error):
            "\(error)"
        case let .notResumable(path, reason):
            "cannot resume from \(path): \(reason)"
        case let .nothingToResume(path, completed, epochs):
            "\(path) has already trained \(completed) epochs, and --epochs is \(epochs): "
                + "pass --epochs with more than \(completed) to train further"
        case let .missingOptimizerState(path, names):
            "cannot resume from \(path): it lacks the optimizer's state "
                + (names.count <= 6 ? names.joined(separator: ", ")
                                    : names.prefix(6).joined(separator: ", ") + " and \(names.count - 6) more")
                + ", so the run would not go on as it stopped; resume from a complete checkpoint, or pass "
                + "--reset-optimizer to keep the weights and start the optimizer afresh"
        case let .diverged(epoch, batch, loss, learningRate):
            // NaN prints as "nan" or "-nan" (its sign bit); say it the way the docs do.
            "the loss became \(loss.isNaN ? "NaN" : loss.isFinite ? "\(loss), above \(Trainer.divergenceBound)," : "\(loss)") "
                + "in epoch \(epoch), batch \(batch): training diverged at learning rate \(learningRate); try a smaller --lr"
        case let .anomaly(epoch, batch, anomaly, graphPath):
            "anomaly in epoch \(epoch), batch \(batch): \(anomaly)"
                + (graphPath.map { "; the graph, with that node marked, is in \($0)" } ?? "")
        case let .unwritable(path, reason):
            "cannot write \(path): \(reason); choose a folder you can write to with --output"
        }
    }
}
