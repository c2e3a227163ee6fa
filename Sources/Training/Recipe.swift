// Recipe.swift — a named, ready-to-train setup: where the data comes from, the model, and
// the settings that train it well. `lumen train <recipe>` runs one; the built-in recipes are
// in Recipe+BuiltIn.swift.
//
// Read next: Recipe+BuiltIn.swift, then Trainer.swift.

import Datasets
import Basics
import Layers
import Tensors

/// A data set, a model and default settings under one name.
public struct Recipe: Sendable {
    /// What `lumen train` is given, e.g. `digits-mlp`.
    public let name: String
    /// One line of at most 76 characters (for `--help`): the model and the data, e.g.
    /// "an MLP 64 → 128 → 64 → 10, bundled 8×8 digits (1500 train, 297 test)".
    public let summary: String
    /// The settings a run uses unless options replace them.
    public let defaults: TrainingSettings
    /// True when the data are files the user has, read from `--data DIR`.
    public let needsDataDirectory: Bool
    /// The files `--data DIR` must hold, for the error that asks for them.
    public let dataFiles: [String]
    /// True when every example is a point in the plane with two classes, so that the
    /// decision boundary can be drawn.
    public let isPlanar: Bool
    /// What the model learns: classes (cross-entropy) or a number (mean squared error).
    public let task: TaskKind
    /// The options that made this recipe from a built-in one or from the user's file
    /// (Recipe+Options.swift); saved in checkpoints, so that `--resume` remakes it.
    public let options: RecipeOptions
    /// The names of the input columns, when the data has them (the user's own table): the
    /// decision regions' axes are labelled with them.
    public var inputNames: [String]? = nil

    let load: @Sendable (_ dataDirectory: String?) throws(TrainingError) -> TrainTestSplit<Float>
    let build: @Sendable (_ rng: inout SplitMix64) -> Sequential<Float>

    public init(name: String, summary: String, defaults: TrainingSettings, needsDataDirectory: Bool = false,
                dataFiles: [String] = [], isPlanar: Bool = false, task: TaskKind = .classification,
                options: RecipeOptions = RecipeOptions(),
                load: @escaping @Sendable (_ dataDirectory: String?) throws(TrainingError) -> TrainTestSplit<Float>,
                build: @escaping @Sendable (_ rng: inout SplitMix64) -> Sequential<Float>) {
        self.name = name
        self.summary = summary
        self.defaults = defaults
        self.needsDataDirectory = needsDataDirectory
        self.dataFiles = dataFiles
        self.isPlanar = isPlanar
        self.task = task
        self.options = options
        self.load = load
        self.build = build
    }

    /// The training and test sets. `dataDirectory` is `--data`, which only recipes that
    /// read the user's files need.
    ///
    /// - Throws: `TrainingError.missingDataDirectory` when the recipe needs `--data` and
    ///   has none, `.data` when the files are missing or malformed.
    public func loadData(from dataDirectory: String? = nil) throws(TrainingError) -> TrainTestSplit<Float> {
        if needsDataDirectory && dataDirectory == nil {
            throw .missingDataDirectory(recipe: name, expectedFiles: dataFiles)
        }
        return try load(dataDirectory)
    }

    /// A new model with weights drawn from `SplitMix64(seed: seed)`.
    public func makeModel(seed: UInt64) -> Sequential<Float> {
        var rng = SplitMix64(seed: seed)
        return build(&rng)
    }

    /// The recipe called `name`.
    ///
    /// - Throws: `TrainingError.unknownRecipe`, listing `known` (by default the built-in names).
    public static func named(_ name: String, known: [String] = Recipe.builtIn.map(\.name)) throws(TrainingError) -> Recipe {
        guard let recipe = builtIn.first(where: { $0.name == name }) else {
            throw .unknownRecipe(name, known: known)
        }
        return recipe
    }
}
