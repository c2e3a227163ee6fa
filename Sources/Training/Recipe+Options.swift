// Recipe+Options.swift — TensorFlow Playground's knobs on the 2-D recipes (`--hidden 8,8`,
// `--activation tanh`, `--noise 0.3`, `--points 1000`), and how a checkpoint remembers them.
//
// A recipe made with options is a new `Recipe` value: the same name, another model or data.
// Its options go into the checkpoint's metadata (`lumen.recipe_options`, JSON), next to the
// architecture that ModelSpec records, so that `--resume` (and `lumen eval`) remake exactly
// the recipe that trained: `Recipe.saved(in:)` reads them back.
//
// Read next: Recipe+OwnData.swift, a recipe made from the user's own file.

import Basics
import Datasets
import Foundation
import Layers

/// What a model learns.
public enum TaskKind: String, CaseIterable, Codable, Sendable {
    /// One class of several: softmax outputs, cross-entropy loss, accuracy.
    case classification
    /// A number: one output, mean squared error loss, R².
    case regression
}

/// The activation between the hidden layers of an MLP (`--activation`).
public enum ActivationKind: String, CaseIterable, Codable, Sendable {
    /// max(0, x); derivative 1 for x > 0, else 0.
    case relu
    /// tanh x; derivative 1 − tanh² x.
    case tanh
    /// σ(x) = 1 / (1 + e⁻ˣ); derivative σ(x)(1 − σ(x)).
    case sigmoid

    /// A new layer of this kind.
    func makeLayer() -> any Layer<Float> {
        switch self {
        case .relu: ReLU<Float>()
        case .tanh: Tanh<Float>()
        case .sigmoid: Sigmoid<Float>()
        }
    }
}

/// The options a recipe was made with; `nil` keeps the recipe's own value.
public struct RecipeOptions: Codable, Equatable, Sendable {
    /// The widths of the hidden layers (`--hidden 8,8`, `--model 64-128-10`).
    public var hidden: [Int]?
    /// The activation between layers (`--activation`).
    public var activation: ActivationKind?
    /// moons, spirals: how many points (`--points`, split 75 % / 25 %).
    public var points: Int?
    /// moons, spirals: the standard deviation of the noise added to each point (`--noise`).
    public var noise: Double?
    /// Own data: the .csv or .npy file (`--data`), its target column (`--target`) and the task.
    public var dataFile: String?
    public var target: String?
    public var task: TaskKind?

    public init(hidden: [Int]? = nil, activation: ActivationKind? = nil, points: Int? = nil, noise: Double? = nil,
                dataFile: String? = nil, target: String? = nil, task: TaskKind? = nil) {
        self.hidden = hidden
        self.activation = activation
        self.points = points
        self.noise = noise
        self.dataFile = dataFile
        self.target = target
        self.task = task
    }

    /// True when no option is set: the recipe as built in.
    public var isEmpty: Bool { self == RecipeOptions() }

    /// The metadata key of the options in a checkpoint.
    public static let metadataKey = "lumen.recipe_options"

    /// The options as sorted JSON, e.g. `{"activation":"tanh","hidden":[8,8]}`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Numbers, strings and enums always encode.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// The largest hidden width and the most hidden layers accepted, and the point counts.
    public static let widthRange = 1 ... 4096
    public static let maximumHiddenLayers = 16
    public static let pointRange = 8 ... 1_000_000

    /// Throws unless every option is in range, naming the option (`--hidden`, `--noise` …).
    public func validate() throws(TrainingError) {
        if let hidden {
            guard hidden.count <= Self.maximumHiddenLayers, hidden.allSatisfy(Self.widthRange.contains) else {
                throw .invalidOption(option: "--hidden", value: hidden.map(String.init).joined(separator: ","),
                                     allowed: "at most \(Self.maximumHiddenLayers) widths, each 1 to \(Self.widthRange.upperBound), such as 8,8")
            }
        }
        if let points, !Self.pointRange.contains(points) {
            throw .invalidOption(option: "--points", value: String(points),
                                 allowed: "\(Self.pointRange.lowerBound) to \(Self.pointRange.upperBound)")
        }
        if let noise, !(noise.isFinite && noise >= 0 && noise <= 10) {
            throw .invalidOption(option: "--noise", value: "\(noise)", allowed: "a number from 0 to 10, such as 0.2")
        }
    }

    /// Widths typed as `8,8` (or `8-8`, `8 8`): whole numbers separated by commas, dashes or
    /// spaces. An empty list is a model with no hidden layer (a linear model).
    ///
    /// - Throws: `TrainingError.invalidOption` naming `option` and the text.
    public static func widths(_ text: String, option: String) throws(TrainingError) -> [Int] {
        let parts = text.split(whereSeparator: { $0 == "," || $0 == "-" || $0 == " " })
        var widths: [Int] = []
        for part in parts {
            guard let width = Int(part), widthRange.contains(width) else {
                throw .invalidOption(option: option, value: text,
                                     allowed: "whole numbers 1 to \(widthRange.upperBound) separated by commas, such as 8,8")
            }
            widths.append(width)
        }
        return widths
    }
}

extension Recipe {
    /// The built-in recipes that take `--hidden`, `--activation`, `--points` and `--noise`.
    public static let tunable = [moons.name, spirals.name]

    /// The built-in recipe `name` with `options` applied.
    ///
    /// - Throws: `TrainingError.unknownRecipe`, `.invalidOption` for an option out of range or
    ///   given to a recipe that does not take it.
    public static func named(_ name: String, options: RecipeOptions,
                             known: [String] = Recipe.builtIn.map(\.name)) throws(TrainingError) -> Recipe {
        let recipe = try named(name, known: known)
        if options.isEmpty { return recipe }
        try options.validate()
        guard tunable.contains(name) else {
            let given = [("--hidden", options.hidden != nil), ("--activation", options.activation != nil),
                         ("--points", options.points != nil), ("--noise", options.noise != nil)].first { $0.1 }
            throw .invalidOption(option: given?.0 ?? "--target", value: "(given)",
                                 allowed: "left out: it applies only to \(tunable.joined(separator: " and ")) and to --data FILE runs")
        }
        if options.dataFile != nil || options.target != nil || options.task != nil {
            throw .invalidOption(option: "--target", value: options.target ?? "(given)",
                                 allowed: "left out: it applies only to --data FILE.csv or FILE.npy runs")
        }
        let isMoons = name == moons.name
        let points = options.points ?? 400
        let noise = options.noise ?? (isMoons ? 0.15 : 0.04)
        let hidden = options.hidden ?? (isMoons ? [16, 16] : [64, 64])
        let activation = options.activation ?? .relu
        let summary = "an MLP \(([2] + hidden + [2]).map(String.init).joined(separator: " → ")), \(activation.rawValue), "
            + "on \(points) \(isMoons ? "two-moons" : "two-spiral") points, noise \(noise)"
        return Recipe(
            name: name, summary: summary, defaults: recipe.defaults, isPlanar: true, options: options,
            load: { _ throws(TrainingError) in
                let data: InMemoryDataset<Float> = isMoons
                    ? .moons(count: points, noise: noise, seed: dataSeed)
                    : .spirals(count: points, arms: 2, turns: 1, noise: noise, seed: dataSeed)
                return try planarSplit(data)
            },
            build: { rng in mlp([2] + hidden + [2], activation: activation, using: &rng) })
    }

    /// The recipe a checkpoint was trained by, from its metadata: a built-in recipe, with the
    /// options it was made with, or the user's own data (whose file `dataFile`, when given,
    /// replaces the one the checkpoint names). `nil` when the metadata names no recipe.
    ///
    /// - Throws: `TrainingError.notResumable` when the options do not parse, and whatever
    ///   making the recipe throws.
    public static func saved(in metadata: [String: String], path: String,
                             dataFile: String? = nil) throws(TrainingError) -> Recipe? {
        guard let name = metadata[Trainer.MetadataKey.recipe] else { return nil }
        var options = RecipeOptions()
        if let text = metadata[RecipeOptions.metadataKey] {
            guard let decoded = try? JSONDecoder().decode(RecipeOptions.self, from: Data(text.utf8)) else {
                throw .notResumable(path: path, reason: "its \(RecipeOptions.metadataKey) metadata is not valid JSON options")
            }
            options = decoded
        }
        if options.dataFile != nil {
            if let dataFile { options.dataFile = dataFile }
            return try ownData(options, name: name)
        }
        return try named(name, options: options)
    }

    /// Linear layers of the given widths with `activation` between each two.
    static func mlp(_ widths: [Int], activation: ActivationKind, using rng: inout SplitMix64) -> Sequential<Float> {
        var layers: [any Layer<Float>] = []
        for (index, (input, output)) in zip(widths, widths.dropFirst()).enumerated() {
            if index > 0 { layers.append(activation.makeLayer()) }
            layers.append(Linear<Float>(in: input, out: output, using: &rng))
        }
        return Sequential(layers)
    }
}
