// Trainer+Checkpoint.swift — saving a run after an epoch and resuming it later, exactly.
//
// A checkpoint is one safetensors file (Checkpoints): the model's state under PyTorch's names,
// the optimizer's state (momentum buffers, Adam's moments and step counts), and metadata
// strings: the recipe, the settings, the epochs completed and their records. That is all a run
// depends on: the batch order of epoch e is a function of the shuffle seed and e, and the
// recipes draw no other random numbers while training (no dropout). So training N epochs,
// saving, and resuming up to M gives the same weights and losses as training M epochs at once.
//
// Read next: TrainingOutputFolder.swift.

import Checkpoints
import Datasets
import Foundation
import Layers
import Optimizers
import Tensors

extension Trainer {
    /// The metadata keys of a `lumen train` checkpoint.
    public enum MetadataKey {
        /// "lumen-train 1": marks a checkpoint `--resume` can read, and its layout.
        public static let format = "lumen.format"
        public static let recipe = "lumen.recipe"
        /// The number of finished epochs, e.g. "2".
        public static let completedEpochs = "lumen.completed_epochs"
        /// `TrainingSettings` as JSON.
        public static let settings = "lumen.settings"
        /// `[EpochRecord]` as JSON, one per finished epoch.
        public static let history = "lumen.history"
        /// "classification" or "regression" (`TaskKind`): what the outputs mean.
        public static let task = "lumen.task"
        /// Set by `lumen quantize` (Interop/Quantization.swift) to its scheme: the weights were
        /// rounded to int8 and the optimizer's state left out, so the file cannot be resumed.
        public static let quantization = "lumen.quantization"
    }

    static let formatVersion = "lumen-train 1"

    /// Saves the model, the optimizer's state and the run's metadata to `path`, atomically.
    ///
    /// - Throws: `TrainingError.checkpoint` when the file cannot be written.
    public func saveCheckpoint(to path: String) throws(TrainingError) {
        do {
            try Checkpoint.save(model, to: path, metadata: metadata, optimizerState: optimizer.namedState)
        } catch {
            throw .checkpoint(error)
        }
    }

    /// The metadata strings a checkpoint of this run carries.
    public var metadata: [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Plain structs of numbers and strings always encode.
        let settingsJSON = String(decoding: try! encoder.encode(settings), as: UTF8.self)
        let historyJSON = String(decoding: try! encoder.encode(history), as: UTF8.self)
        let run = [
            MetadataKey.format: Self.formatVersion, MetadataKey.recipe: recipe.name,
            MetadataKey.completedEpochs: String(completedEpochs), MetadataKey.settings: settingsJSON,
            MetadataKey.history: historyJSON, MetadataKey.task: recipe.task.rawValue,
        ].merging(recipe.options.isEmpty ? [:] : [RecipeOptions.metadataKey: recipe.options.json]) { ours, _ in ours }
        return run.merging(modelSpec?.metadata ?? [:]) { ours, _ in ours }
    }

    /// The model's architecture, input shape and class names, which make the checkpoint
    /// self-describing (Checkpoints/ModelSpec.swift); `nil` when a layer has no spec yet.
    public var modelSpec: ModelSpec? {
        let classNames = data.train.classNames ?? (0..<data.train.classCount).map(String.init)
        return try? ModelSpec(describing: model, inputShape: data.train.exampleShape, classNames: classNames)
    }

    /// Settings a resumed run may change. `nil` keeps the checkpoint's value.
    public struct Overrides: Sendable, Equatable {
        public var epochs: Int?
        public var batchSize: Int?
        public var learningRate: Double?
        public var optimizer: OptimizerKind?
        public var seed: UInt64?
        /// Start the optimizer afresh instead of loading its saved state (`--reset-optimizer`):
        /// for a checkpoint without it, or to change `optimizer`.
        public var resetOptimizer: Bool

        public init(epochs: Int? = nil, batchSize: Int? = nil, learningRate: Double? = nil,
                    optimizer: OptimizerKind? = nil, seed: UInt64? = nil, resetOptimizer: Bool = false) {
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.optimizer = optimizer
            self.seed = seed
            self.resetOptimizer = resetOptimizer
        }

        /// `settings` with every value given here put in.
        public func applied(to settings: TrainingSettings) -> TrainingSettings {
            var result = settings
            if let epochs { result.epochs = epochs }
            if let batchSize { result.batchSize = batchSize }
            if let learningRate { result.learningRate = learningRate }
            if let optimizer { result.optimizer = optimizer }
            if let seed { result.seed = seed }
            return result
        }
    }

    /// A run continued from the checkpoint at `path`, written by `saveCheckpoint`.
    ///
    /// The model's weights, the optimizer's state, the settings and the history come from the
    /// file; `overrides` may change the settings: most often `epochs`, the total to reach.
    /// Changing the batch size, learning rate or seed is allowed (the run then goes on
    /// differently from an uninterrupted one); changing the optimizer is not, since its
    /// saved state belongs to the saved kind, unless `overrides.resetOptimizer` starts the
    /// optimizer afresh (the saved state is then ignored).
    ///
    /// Every parameter's optimizer state must be in the file (Adam's step count and moments,
    /// momentum's buffer; plain SGD has none): a run resumed without it would not continue
    /// the saved one, so a file that lacks any is refused unless `resetOptimizer`.
    ///
    /// - Throws: `TrainingError.checkpoint` for a file that cannot be read, does not fit the
    ///   recipe's model or holds NaN or ±∞, `.notResumable` for one not written by
    ///   `lumen train` for this recipe and optimizer, `.missingOptimizerState`,
    ///   `.optimizer` for optimizer state that does not fit (a damaged step count, a wrong
    ///   shape), `.nothingToResume` when it has already trained `epochs` epochs, and
    ///   whatever loading the data throws.
    public convenience init(resumingFrom path: String, recipe: Recipe, overrides: Overrides = Overrides(),
                            dataDirectory: String? = nil, data: TrainTestSplit<Float>? = nil) throws(TrainingError) {
        let file: SafetensorsFile
        do {
            file = try Safetensors.read(from: path)
        } catch {
            throw .checkpoint(error)
        }
        try Self.checkNotQuantized(file.metadata, path: path)
        // Read and check the metadata before touching a model.
        let saved = try Self.savedRun(in: file.metadata, path: path, recipe: recipe)
        if let kind = overrides.optimizer, kind != saved.settings.optimizer, !overrides.resetOptimizer {
            throw .notResumable(path: path, reason: "it was trained with --optimizer \(saved.settings.optimizer.rawValue), "
                                + "whose saved state does not fit \(kind.rawValue); leave --optimizer out to resume, "
                                + "or add --reset-optimizer to start \(kind.rawValue) afresh")
        }
        let settings = overrides.applied(to: saved.settings)
        try settings.validate()
        guard settings.epochs > saved.history.count else {
            throw .nothingToResume(path: path, completed: saved.history.count, epochs: settings.epochs)
        }

        let model = recipe.makeModel(seed: settings.seed)
        let loaded: LoadedCheckpoint<Float>
        do {
            loaded = try Checkpoint.load(file, into: model)
        } catch {
            throw .checkpoint(error)
        }
        let optimizer = try settings.optimizer.make(model.parameters, learningRate: settings.learningRate)
        if !overrides.resetOptimizer {
            let missing = settings.optimizer.missingState(loaded.optimizerState.map(\.name),
                                                          parameterCount: model.parameters.count)
            if !missing.isEmpty {
                throw .missingOptimizerState(path: path, names: missing.map { Checkpoint.optimizerPrefix + $0 })
            }
            do {
                try optimizer.loadState(loaded.optimizerState)
            } catch {
                throw .optimizer(error)
            }
        }
        let split = if let data { data } else { try recipe.loadData(from: dataDirectory) }
        self.init(recipe: recipe, settings: settings, data: split, model: model, optimizer: optimizer,
                  history: saved.history)
    }

    /// The recipe the checkpoint at `path` was trained by, remade with the options it was made
    /// with (`Recipe.saved(in:)`): what `lumen train --resume` trains further. `dataFile`
    /// replaces the file of a run on the user's own data (when it has moved).
    ///
    /// - Throws: `TrainingError.checkpoint` for a file that cannot be read, `.notResumable`
    ///   for a quantized one or one that names no recipe, and what remaking the recipe throws.
    public static func savedRecipe(at path: String, dataFile: String? = nil) throws(TrainingError) -> Recipe {
        let file: SafetensorsFile
        do {
            file = try Safetensors.read(from: path)
        } catch {
            throw .checkpoint(error)
        }
        try checkNotQuantized(file.metadata, path: path)
        guard let recipe = try Recipe.saved(in: file.metadata, path: path, dataFile: dataFile) else {
            throw .notResumable(path: path, reason: "it was not written by lumen train (no \(MetadataKey.recipe) in its metadata)")
        }
        return recipe
    }

    /// Refuses a checkpoint that `lumen quantize` wrote.
    static func checkNotQuantized(_ metadata: [String: String], path: String) throws(TrainingError) {
        guard let scheme = metadata[MetadataKey.quantization] else { return }
        throw .notResumable(path: path, reason: "it is a quantized checkpoint (\(scheme), written by lumen quantize): "
                            + "its weights were rounded to 8-bit integers and its optimizer state left out, so training "
                            + "cannot go on from it; resume from the checkpoint it was quantized from (lumen eval and "
                            + "lumen predict read this one)")
    }

    /// The settings and history stored in a checkpoint's metadata, checked.
    static func savedRun(in metadata: [String: String], path: String,
                         recipe: Recipe) throws(TrainingError) -> (settings: TrainingSettings, history: [EpochRecord]) {
        guard metadata[MetadataKey.format] == formatVersion else {
            throw .notResumable(path: path, reason: "it was not written by lumen train (no \(MetadataKey.format) "
                                + "\"\(formatVersion)\" in its metadata)")
        }
        guard let savedRecipe = metadata[MetadataKey.recipe], savedRecipe == recipe.name else {
            throw .notResumable(path: path, reason: "it was trained by the recipe '\(metadata[MetadataKey.recipe] ?? "?")', "
                                + "not '\(recipe.name)'; run lumen train \(metadata[MetadataKey.recipe] ?? "<recipe>") --resume \(path)")
        }
        let decoder = JSONDecoder()
        // The recipe must be the one made with the same options (`savedRecipe(at:)` remakes it);
        // the file of a run on own data may have moved.
        var savedOptions = metadata[RecipeOptions.metadataKey].flatMap { try? decoder.decode(RecipeOptions.self, from: Data($0.utf8)) }
            ?? RecipeOptions()
        var givenOptions = recipe.options
        savedOptions.dataFile = nil
        givenOptions.dataFile = nil
        guard savedOptions == givenOptions else {
            throw .notResumable(path: path, reason: "it was trained with the options \(savedOptions.json), and the recipe given has "
                                + "\(givenOptions.json); remake the recipe from the checkpoint (Trainer.savedRecipe(at:); "
                                + "lumen train --resume does)")
        }
        guard let settingsText = metadata[MetadataKey.settings],
              let settings = try? decoder.decode(TrainingSettings.self, from: Data(settingsText.utf8)) else {
            throw .notResumable(path: path, reason: "its \(MetadataKey.settings) metadata is missing or not valid JSON settings")
        }
        guard let historyText = metadata[MetadataKey.history],
              let history = try? decoder.decode([EpochRecord].self, from: Data(historyText.utf8)) else {
            throw .notResumable(path: path, reason: "its \(MetadataKey.history) metadata is missing or not a valid list of epochs")
        }
        guard metadata[MetadataKey.completedEpochs] == String(history.count),
              history.map(\.epoch) == Array(1 ..< history.count + 1) else {
            throw .notResumable(path: path, reason: "its epoch count and its list of epochs disagree")
        }
        return (settings, history)
    }
}
