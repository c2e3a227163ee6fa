// TrainCommand.swift — `lumen train <recipe>`: train a model, watch it learn, keep the results.
//
// The tensor recipes (moons, spirals, digits-mlp, digits-cnn, mnist) come from the Training
// target: this file turns the options into settings, prints the model summary, runs the
// Trainer with a progress bar (live on a terminal, one line per epoch otherwise), saves a
// checkpoint after every epoch, and writes the curves, the decision boundary, the model graph
// and the summary to the output folder. `scalar-moons` is micrograd's demo on the scalar
// engine (ScalarNN), kept as it was: one line per full-batch step.
//
// Read next: Sources/Training/Trainer.swift, the training loop itself.

import ArgumentParser
import Engine
import Files
import Foundation
import Layers
import LessonKit
import Plots
import ScalarNN
import Tensors
import Training

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model, printing its progress and drawing its curves.",
        discussion: """
            Recipes (defaults: epochs, batch size, learning rate, optimizer):
            \(Recipe.builtIn.map { "  \($0.name)\n    \($0.summary)\n    \(describe($0.defaults))" }.joined(separator: "\n"))
              \(scalarMoons)
                micrograd's demo on scalar Values: MLP 2 → 16 → 16 → 1, 100 moons points,
                hinge loss + L2, full batch; options --steps, --data-seed, --init-seed
              gan-2d
                a GAN (generator and discriminator MLPs 128 → 128) on a ring of 8 Gaussians;
                options --steps (default 1000), --seed, --lr, --batch-size; prints mode coverage

            The digits recipes train on the fixed split of the peer benchmarks (W3): the \
            rows perm[0..<1500] of numpy's RandomState(0).permutation(1797), tested on the other 297.

            names-lstm and names-gpt train on the bundled 1990 US Census first names (4131 \
            train, 516 validation, 516 test names, split by seed 1990): the per-epoch "test" \
            figures are the validation names'; at the end they print the validation and test \
            NLL in nats per character and 20 sampled names (reproducible for a --seed; \
            --temperature t reshapes the distribution), also written to samples.txt.

            The output folder gets loss.png/.svg and accuracy.png/.svg (by epoch), \
            decision-boundary.png/.svg (moons, spirals), model-graph.dot/.svg/.png (one box per module), \
            summary.txt and model.safetensors, the checkpoint, saved after every epoch. \
            --resume continues from a checkpoint exactly where it stopped; --epochs is then the \
            total to reach, and the output goes next to the checkpoint unless -o says otherwise. \
            The backend is LUMEN_BACKEND's (reference or blas) unless --backend says.

            Transfer learning: --init-from FILE starts a new run from another model's weights,             a Lumen checkpoint or a PyTorch state_dict saved with safetensors             (save_file(model.state_dict(), path)). Tensors match by name: an nn.Sequential with             the same layers in the same order has the same names (0.weight, 0.bias, …). Any             difference is an error listing every missing, unexpected and mis-shaped tensor;             --strict false loads what matches and lists the rest. --freeze 0 3 keeps the             parameters of layers 0 and 3 (or one tensor: --freeze 0.weight) as they are.

            Your own data: lumen train --data FILE.csv --target COLUMN (no recipe) trains an MLP \
            on a table: a CSV file whose first line names the columns, or a 2-D .npy array \
            (--target is then a column index, -1 the last). Every other column is an input, \
            used as it is. --model 64-32 lists the hidden widths (default 64); the input width \
            comes from the columns and the output from the classes (1 for a regression), and a \
            list whose ends are those widths (64-128-10 for 64 inputs and 10 classes) reads as \
            the whole network. --task classification|regression; by default text or at most 20 \
            distinct whole numbers are classes, anything else a regression (mean squared error, \
            R², predicted-vs-actual.png). The rows split 80 % / 20 % by the fixed seed 7. A bad \
            cell is an error naming the file, line and column. --resume, lumen eval and lumen \
            predict read the checkpoint alone (it names the file, target and task).

            The 2-D recipes (moons, spirals) take TensorFlow Playground's knobs: --hidden 8,8, \
            --activation relu|tanh|sigmoid, --noise x, --points n; the checkpoint records them, \
            so --resume remakes the same model and data. --frames n draws the decision regions \
            before training and every n epochs into training-frames.html (one offline page, an \
            epoch slider). summary.txt ends with the final metrics.

            A run stops with an error when its loss becomes NaN or ±∞ or exceeds 1000 (diverged). \
            --detect-anomaly names the first op that made a NaN or ±∞. Data and checkpoint files \
            larger than --max-data-size (default 1G, decompressed) are refused before they are read.

            Examples:
              lumen train digits-mlp
              lumen train moons --optimizer sgd --lr 0.1 -o lumen-out/moons-sgd
              lumen train digits-cnn --epochs 2
              lumen train digits-cnn --epochs 4 \\
                  --resume lumen-out/digits-cnn/model.safetensors
              lumen train mnist --data ~/data/mnist
              lumen train names-gpt --temperature 0.8
              lumen train digits-cnn --init-from pretrained.safetensors --freeze 0 3
              lumen train moons --hidden 8,8 --activation tanh --noise 0.3 --frames 5
              lumen train --data houses.csv --target price --model 64-32
              lumen train --resume lumen-out/houses/model.safetensors --epochs 40
            """
    )

    static let scalarMoons = "scalar-moons"
    static var recipeNames: [String] { Recipe.builtIn.map(\.name) + [scalarMoons, GAN2DRun.name] }

    private static func describe(_ settings: TrainingSettings) -> String {
        "\(settings.epochs) epochs, batch \(settings.batchSize), lr \(settings.learningRate), \(settings.optimizer.rawValue)"
    }

    @Argument(help: ArgumentHelp("What to train: \(recipeNames.joined(separator: ", ")); left out with --data FILE.csv|FILE.npy "
                                 + "(your own data) or --resume (the checkpoint's recipe).", valueName: "recipe"))
    var recipeArgument: String?

    /// The recipe's name as given, or "" when it was left out.
    var recipe: String { recipeArgument ?? "" }

    // The numeric options parse their value unconditionally, so that "--epochs -3" reaches
    // the range check ("--epochs must be at least 1") instead of reading "-3" as an option.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Passes over the training set (with --resume: the total to reach).", valueName: "n"))
    var epochs: Int?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: ArgumentHelp("Examples per batch.", valueName: "n"))
    var batchSize: Int?

    @Option(name: .customLong("lr"), parsing: .unconditional, help: ArgumentHelp("The learning rate.", valueName: "rate"),
            transform: { text in try TrainCommand.positiveNumber(text, option: "--lr") })
    var learningRate: Double?

    @Option(help: ArgumentHelp("sgd, momentum, adam, adamw or rmsprop.", valueName: "name"))
    var optimizer: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The seed of the initial weights and the batch order (default 0).", valueName: "n"))
    var seed: UInt64?

    @Option(name: [.short, .long], help: ArgumentHelp("The folder for the results (default lumen-out/<recipe>, or the folder of the --resume checkpoint).", valueName: "folder"))
    var output: String?

    @Option(help: ArgumentHelp("A checkpoint (model.safetensors) to continue training from.", valueName: "checkpoint"))
    var resume: String?

    @Option(help: ArgumentHelp("Your own data, a .csv file (with a header) or a .npy table, with --target; or the folder of mnist's four IDX files.",
                               valueName: "file|folder"))
    var data: String?

    // MARK: Your own data (Sources/Training/Recipe+OwnData.swift)

    @Option(help: ArgumentHelp("With --data FILE: the column to predict (its header name in a CSV file, its index in a .npy table).",
                               valueName: "column"))
    var target: String?

    @Option(help: ArgumentHelp("With --data FILE: the MLP's hidden widths, e.g. 128 or 64-32 (the input and output widths come from the data; "
                               + "64-128-10 with 64 inputs and 10 classes reads as the whole network). Default 64.",
                               valueName: "widths"))
    var model: String?

    @Option(help: ArgumentHelp("With --data FILE: classification or regression (default: classification for text or at most 20 whole-number "
                               + "targets, else regression).", valueName: "task"))
    var task: String?

    // MARK: TensorFlow Playground's knobs (moons, spirals, and --data FILE)

    @Option(help: ArgumentHelp("The hidden layers' widths, e.g. 8,8 (moons, spirals, --data FILE).", valueName: "widths"))
    var hidden: String?

    @Option(help: ArgumentHelp("relu, tanh or sigmoid between the layers (moons, spirals, --data FILE; default relu).", valueName: "name"))
    var activation: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("moons, spirals: the noise's standard deviation (defaults 0.15 and 0.04).", valueName: "x"))
    var noise: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("moons, spirals: the number of points, 75 % to train (default 400).", valueName: "n"))
    var points: Int?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("2-D classifiers: draw the decision regions every n epochs into training-frames.html, an offline page with an epoch slider.",
                               valueName: "n"))
    var frames: Int?

    @Option(help: ArgumentHelp("reference or blas (default: LUMEN_BACKEND, else blas when built in).", valueName: "name"))
    var backend: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Threads for the blas backend's products and loops (default: LUMEN_THREADS, else 1).",
                               valueName: "n"))
    var threads: Int?

    @Option(name: .customLong("max-data-size"), parsing: .unconditional,
            help: ArgumentHelp("The largest data or checkpoint file read, decompressed (default 1G; K, M, G suffixes).",
                               valueName: "size"),
            transform: { text in try TrainCommand.byteSize(text, option: "--max-data-size") })
    var maxDataSize: Int?

    @Flag(name: .customLong("reset-optimizer"),
          help: "With --resume: keep the weights but start the optimizer afresh (its saved state is ignored).")
    var resetOptimizer = false

    @Option(name: .customLong("init-from"),
            help: ArgumentHelp("Start from the weights of this safetensors file (a Lumen checkpoint or a PyTorch state_dict).", valueName: "file"))
    var initFrom: String?

    @Option(help: ArgumentHelp("With --init-from: true (default) refuses any missing, unexpected or mis-shaped tensor; false loads what matches.",
                               valueName: "true|false"))
    var strict: Bool?

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Layers (0, 3 …) or tensors (0.weight) whose parameters do not train.", valueName: "prefix"))
    var freeze: [String] = []

    @Flag(name: .customLong("detect-anomaly"),
          help: "Stop at the first op that makes a NaN or ±∞ (forward or backward), name it, and draw it in anomaly-graph.svg. Slow.")
    var detectAnomaly = false

    @Flag(help: "Write diagnostics.html: per-layer histograms of outputs and gradients by epoch, saturated and dead units, update-to-data ratios, the confusion matrix and the worst test examples.")
    var diagnostics = false

    @Option(parsing: .unconditional,
            help: ArgumentHelp("scalar-moons, gan-2d: training steps (default 100 and 1000).", valueName: "n"))
    var steps: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("scalar-moons: the seed of the data set.", valueName: "n"))
    var dataSeed: UInt64?

    @Option(parsing: .unconditional, help: ArgumentHelp("scalar-moons: the seed of the initial weights.", valueName: "n"))
    var initSeed: UInt64?

    // MARK: Learning-rate schedule and gradient clipping (Sources/Training/Trainer+Schedule.swift)

    @Option(help: ArgumentHelp("constant, step (×0.1 at a third and two thirds of the run) or cosine (down to 0).", valueName: "name"))
    var schedule: String?

    @Option(help: ArgumentHelp("Batches of linear warm-up (from 0.1 × the rate) before the schedule.", valueName: "n"))
    var warmup: Int?

    @Option(name: .customLong("clip-norm"), help: ArgumentHelp("Rescale the gradients when their global norm exceeds this.", valueName: "x"))
    var clipNorm: Double?

    @Option(name: .customLong("expand"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Draw this module of model-graph open, op by op: its path (0, or 1.2 inside a nested block) or its box's name. Repeatable.",
                               valueName: "module"))
    var expand: [String] = []

    // MARK: Character models (names-lstm, names-gpt)

    @Option(help: ArgumentHelp("names-lstm, names-gpt: the temperature of the samples (default 1).", valueName: "t"))
    var temperature: Double?

    func run() throws {
        if diagnostics && (recipe == Self.scalarMoons || recipe == GAN2DRun.name) {
            throw fail("--diagnostics applies to the recipes trained by the tensor trainer (\(Recipe.builtIn.map(\.name).joined(separator: ", "))), not to \(recipe)",
                       hint: "leave --diagnostics out: \(recipe) draws its own pictures")
        }
        if recipe == Self.scalarMoons {
            try ScalarMoonsRun(command: self).run()
            return
        }
        if recipe == GAN2DRun.name {
            try GAN2DRun(command: self).run()
            return
        }
        // The limit holds for every file this run reads; `withValue` rethrows untyped, so the
        // training error comes back through a Result.
        let outcome = ReadLimit.$maximumBytes.withValue(maxDataSize ?? ReadLimit.defaultMaximumBytes) {
            Result { () throws(TrainingError) in try trainRecipe() }
        }
        if case .failure(let error) = outcome { throw fail(error.description) }
    }

    // MARK: - Checking numbers

    /// A finite number > 0, as `--lr` needs: NaN, ∞, 0, negatives, and numbers that overflow
    /// to ∞ (1e309) or underflow to 0 (1e-400) are all refused, each saying why.
    static func positiveNumber(_ text: String, option: String) throws -> Double {
        func refuse(_ why: String) -> ValidationError { ValidationError("\(option) \(text) is not allowed: \(why)") }
        guard let value = Double(text) else { throw refuse("\(option) must be a number, such as 0.01") }
        if value.isNaN { throw refuse("\(option) must be a number greater than 0, not NaN") }
        if value.isInfinite {
            throw refuse(text.lowercased().contains("inf") ? "\(option) must be a finite number greater than 0"
                                                           : "it is too large (numbers must be below about 1.8e308)")
        }
        if value == 0, text.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) }) {
            throw refuse("it is too small and would round to 0 (numbers other than 0 must be at least about 4.9e-324 in size)")
        }
        guard value > 0 else { throw refuse("\(option) must be a number greater than 0") }
        return value
    }

    /// A size in bytes: a whole number with an optional K, M or G (powers of 1024), e.g. 2G.
    static func byteSize(_ text: String, option: String) throws -> Int {
        let units: [Character: Int] = ["K": 10, "M": 20, "G": 30]
        var digits = Substring(text.uppercased())
        var shift = 0
        if let last = digits.last, let unitShift = units[last] {
            shift = unitShift
            digits = digits.dropLast()
        }
        if digits.hasSuffix("I") || digits.hasSuffix("B") {
            throw ValidationError("\(option) \(text) is not a size: write a whole number of bytes, or one with K, M or G, such as 2G")
        }
        guard let count = Int(digits), count >= 1 else {
            throw ValidationError("\(option) must be a size of at least 1 byte, such as 2G, got \(text)")
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow else { throw ValidationError("\(option) \(text) is too large") }
        return bytes
    }

    // MARK: - Tensor recipes

    /// The options of the tensor trainer's recipes that scalar-moons and gan-2d do not take, and whether each was given.
    var playgroundOptionsGiven: [(String, Bool)] {
        [("--target", target != nil), ("--model", model != nil), ("--task", task != nil), ("--hidden", hidden != nil),
         ("--activation", activation != nil), ("--noise", noise != nil), ("--points", points != nil), ("--frames", frames != nil)]
    }

    /// True when --data names a table of the user's (.csv or .npy) rather than a folder.
    var dataIsTable: Bool {
        guard let data else { return false }
        return ["csv", "npy"].contains(URL(fileURLWithPath: data).pathExtension.lowercased())
    }

    /// The options --hidden, --model, --activation, --points, --noise, --target and --task make.
    func recipeOptions() throws(TrainingError) -> RecipeOptions {
        var options = RecipeOptions(points: points, noise: noise, target: target)
        if hidden != nil && model != nil {
            throw .invalidOption(option: "--model", value: model!, allowed: "left out with --hidden, which says the same")
        }
        if let model {
            guard dataIsTable else {
                throw .invalidOption(option: "--model", value: model, allowed: "used with --data FILE.csv|FILE.npy only; the 2-D recipes take --hidden")
            }
            options.hidden = try RecipeOptions.widths(model, option: "--model")
        }
        if let hidden { options.hidden = try RecipeOptions.widths(hidden, option: "--hidden") }
        if let activation {
            guard let kind = ActivationKind(rawValue: activation.lowercased()) else {
                throw .invalidOption(option: "--activation", value: activation,
                                     allowed: "one of \(ActivationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.activation = kind
        }
        if let task {
            guard let kind = TaskKind(rawValue: task.lowercased()) else {
                throw .invalidOption(option: "--task", value: task, allowed: "classification or regression")
            }
            options.task = kind
        }
        if dataIsTable { options.dataFile = data }
        return options
    }

    /// The recipe to train: the one named, with the options given; the user's own data; or,
    /// with --resume, the one the checkpoint was trained by.
    private func chooseRecipe() throws(TrainingError) -> Recipe {
        let options = try recipeOptions()
        if let resume {
            for (name, given) in [("--hidden", hidden != nil), ("--model", model != nil), ("--activation", activation != nil),
                                  ("--points", points != nil), ("--noise", noise != nil), ("--target", target != nil),
                                  ("--task", task != nil)] where given {
                throw .invalidOption(option: name, value: "(given)", allowed: "left out with --resume: the run keeps the checkpoint's")
            }
            let recipe = try Trainer.savedRecipe(at: resume, dataFile: dataIsTable ? data : nil)
            if let recipeArgument, recipeArgument != recipe.name {
                throw .notResumable(path: resume, reason: "it was trained by the recipe '\(recipe.name)', not '\(recipeArgument)'; "
                                    + "leave the recipe out, or run lumen train \(recipe.name) --resume \(resume)")
            }
            if data != nil && !dataIsTable && !recipe.needsDataDirectory {
                throw .invalidOption(option: "--data", value: data!, allowed: "left out: \(recipe.name) does not read a data folder")
            }
            return recipe
        }
        if dataIsTable {
            if let recipeArgument {
                throw .invalidOption(option: "--data", value: data!,
                                     allowed: "given without a recipe (lumen train --data FILE --target COLUMN), not with \(recipeArgument)")
            }
            return try Recipe.ownData(options)
        }
        guard let recipeArgument else {
            throw .invalidOption(option: "recipe", value: "(missing)",
                                 allowed: "one of \(Self.recipeNames.joined(separator: ", ")), or left out with --data FILE.csv|FILE.npy or --resume")
        }
        if options.target != nil || options.task != nil {
            throw .invalidOption(option: options.target != nil ? "--target" : "--task", value: "(given)",
                                 allowed: "used with --data FILE.csv|FILE.npy only")
        }
        let recipe = try Recipe.named(recipeArgument, options: options, known: Self.recipeNames)
        if data != nil && !recipe.needsDataDirectory {
            throw .invalidOption(option: "--data", value: data!,
                                 allowed: "left out: \(recipe.name) uses data bundled with Lumen (your own data: a .csv or .npy file, without a recipe)")
        }
        return recipe
    }

    private func trainRecipe() throws(TrainingError) {
        let recipe = try chooseRecipe()
        for (name, given) in [("--steps", steps != nil), ("--data-seed", dataSeed != nil), ("--init-seed", initSeed != nil)] where given {
            let owners = name == "--steps" ? "\(Self.scalarMoons) and \(GAN2DRun.name)" : Self.scalarMoons
            throw .invalidOption(option: name, value: "(given)", allowed: "left out: it applies only to \(owners)")
        }
        if let frames, !(1 ... 100_000).contains(frames) {
            throw .invalidOption(option: "--frames", value: String(frames), allowed: "a whole number of epochs, at least 1")
        }
        if frames != nil && !recipe.isPlanar {
            throw .invalidOption(option: "--frames", value: String(frames!),
                                 allowed: "left out: it draws the decision regions of 2-D classifiers (moons, spirals, a 2-column --data table)")
        }
        let language = LanguageModel.of(recipe)
        try checkTemperature(for: recipe, language)
        try chooseBackend()

        if resetOptimizer && resume == nil {
            throw .invalidOption(option: "--reset-optimizer", value: "(given)", allowed: "used with --resume only")
        }
        if strict != nil && initFrom == nil {
            throw .invalidOption(option: "--strict", value: "\(strict!)", allowed: "used with --init-from only")
        }
        let overrides = Trainer.Overrides(epochs: epochs, batchSize: batchSize, learningRate: learningRate,
                                          optimizer: try optimizer.map { name throws(TrainingError) in try OptimizerKind(named: name) },
                                          seed: seed, resetOptimizer: resetOptimizer)
        let out = TrainingOutput.standardOutput
        let progress = ProgressBar(output: out)
        let trainer: Trainer
        if let resume {
            for (name, given) in [("--schedule", schedule != nil), ("--warmup", warmup != nil), ("--clip-norm", clipNorm != nil),
                                  ("--init-from", initFrom != nil), ("--freeze", !freeze.isEmpty)]
            where given {
                throw .invalidOption(option: name, value: "(given)", allowed: "left out with --resume: the run keeps the checkpoint's")
            }
            trainer = try Trainer(resumingFrom: resume, recipe: recipe, overrides: overrides, dataDirectory: dataIsTable ? nil : data)
        } else {
            var settings = overrides.applied(to: recipe.defaults)
            // Each replaces the recipe's value only when given.
            if let schedule { settings.schedule = try ScheduleKind(named: schedule) }
            if let warmup { settings.warmupSteps = warmup }
            if let clipNorm { settings.clipNorm = clipNorm }
            trainer = try Trainer(recipe: recipe, settings: settings, dataDirectory: dataIsTable ? nil : data)
        }
        // Without -o, a resumed run writes next to the checkpoint it resumed from (and so
        // keeps its history in one folder); a new run writes to lumen-out/<recipe>.
        let defaultFolder = resume.map { path -> String in
            let folder = (path as NSString).deletingLastPathComponent
            return folder.isEmpty ? "." : folder
        }
        try checkExpand(trainer.model, recipe: recipe.name)
        // (Own data: lumen-out/houses for houses.csv.)
        let folder = try TrainingOutputFolder(output ?? defaultFolder ?? "lumen-out/\((recipe.name as NSString).deletingPathExtension)")
        if diagnostics { trainer.diagnostics = Diagnostics(model: trainer.model) }
        if detectAnomaly {
            trainer.detectsAnomalies = true
            trainer.anomalyGraphPath = folder.path + "/anomaly-graph.svg"
        }

        let settings = trainer.settings
        progress.message("\(recipe.name): \(recipe.summary)")
        progress.message("backend \(Self.backendName) · \(settings.optimizer.rawValue), lr \(settings.learningRate) · "
                         + "batch \(settings.batchSize) · \(settings.epochs) epoch\(settings.epochs == 1 ? "" : "s") · seed \(settings.seed) · "
                         + "\(trainer.data.train.count) train, \(trainer.data.test.count) test examples")
        if Backends.scoped == nil && Backends.processDefault == .blas, let advice = Backends.blasCoreAdvice {
            progress.message("note: \(advice)")
        }
        if settings.schedule != nil || settings.warmupSteps != nil || settings.clipNorm != nil {
            progress.message("schedule \(settings.schedule?.rawValue ?? "constant") · warm-up \(settings.warmupSteps ?? 0) batches · "
                             + "clip-norm \(settings.clipNorm.map { "\($0)" } ?? "none")")
        }
        if let resume {
            progress.message("resuming from \(resume) after epoch \(trainer.completedEpochs)")
        }
        if let initFrom {
            let report = try trainer.initialize(from: initFrom, strict: strict ?? true)
            progress.message("initialized from \(initFrom): \(report.loaded.count) of \(trainer.model.namedState.count) tensors")
            for (what, names) in [("missing from the file (fresh weights)", report.missing),
                                  ("in the file but not the model (ignored)", report.unexpected),
                                  ("of another shape (fresh weights)", report.misShaped)] where !names.isEmpty {
                progress.message("  \(what): \(names.joined(separator: ", "))")
            }
        }
        if !freeze.isEmpty {
            let (names, count) = try trainer.freeze(freeze)
            let total = trainer.model.parameters.reduce(0) { $0 + $1.count }
            progress.message("frozen: \(count) of \(total) parameters (\(names.joined(separator: ", ")))")
        }
        let summary = trainer.model.summary(inputShape: [1] + trainer.data.train.exampleShape)
        progress.message(summary.description)

        var frameList: [FramePlayer.Frame] = []
        if let frames {
            // This run's epochs: the start (a fresh run's epoch 0), every `frames`-th, and the last.
            frameList.append(try Self.frame(of: trainer))
            trainer.afterEpoch = { trainer throws(TrainingError) in
                let epoch = trainer.completedEpochs
                guard epoch % frames == 0 || epoch == trainer.settings.epochs else { return }
                frameList.append(try Self.frame(of: trainer))
            }
        }
        let before = trainer.completedEpochs
        let clock = ContinuousClock()
        let start = clock.now
        progress.heldOut = TrainingOutputFolder.heldOutName(for: trainer.recipe)
        progress.regression = recipe.task == .regression
        try trainer.train(progress: progress, checkpointPath: folder.checkpointPath)
        let (whole, fraction) = (clock.now - start).components
        let seconds = Double(whole) + Double(fraction) * 1e-18

        if let language {
            try reportLanguageModel(recipe, trainer, language, seconds: seconds, before: before, folder: folder,
                                    summary: summary, progress: progress)
            return
        }
        let last = trainer.history.last!
        let testCount = trainer.data.test.count
        if recipe.task == .regression {
            progress.message(doneLine(trainer, before: before, seconds: seconds)
                             + String(format: "test MSE %.6g (R² %.4f), train MSE %.6g (R² %.4f)",
                                      last.testLoss, last.testAccuracy, last.trainLoss, last.trainAccuracy))
        } else {
            let correct = Int((last.testAccuracy * Double(testCount)).rounded())
            progress.message(doneLine(trainer, before: before, seconds: seconds)
                             + String(format: "test accuracy %.2f%% (%d/%d), test loss %.4f, train loss %.4f",
                                      100 * last.testAccuracy, correct, testCount, last.testLoss, last.trainLoss))
        }
        let framesPage = frames == nil ? [] : [try writeFrames(frameList, of: trainer, to: folder)]
        for path in try folder.writeAll(for: trainer, summary: summary, expand: Set(expand)) + diagnosticsPage(trainer, folder)
            + framesPage + [folder.checkpointPath] {
            progress.message("wrote \(path)")
        }
    }

    /// The decision regions now, as one frame of training-frames.html.
    static func frame(of trainer: Trainer) throws(TrainingError) -> FramePlayer.Frame {
        let svg: [UInt8]
        do {
            svg = try TrainingOutputFolder.decisionPicture(trainer, format: .svg)
        } catch {
            throw .unwritable(path: "training-frames.html", reason: "the decision regions could not be drawn: \(error)")
        }
        let epoch = trainer.completedEpochs
        let caption = trainer.history.last.map {
            String(format: "epoch %d: train loss %.4f, accuracy %.1f%%; test loss %.4f, accuracy %.1f%%",
                   epoch, $0.trainLoss, 100 * $0.trainAccuracy, $0.testLoss, 100 * $0.testAccuracy)
        } ?? "epoch 0: the initial weights, before any training"
        return FramePlayer.Frame(caption: caption, svg: String(decoding: svg, as: UTF8.self))
    }

    /// training-frames.html: the decision regions by epoch, with the lessons' slider.
    private func writeFrames(_ frames: [FramePlayer.Frame], of trainer: Trainer,
                             to folder: TrainingOutputFolder) throws(TrainingError) -> String {
        let path = folder.path + "/training-frames.html"
        let page = FramePlayer.page(title: "\(trainer.recipe.name): decision regions by epoch", kicker: "Lumen · lumen train",
                                    introduction: "\(trainer.recipe.summary). One frame every \(self.frames!) epochs and the last; "
                                        + "drag the slider or press ← and →.",
                                    frames: frames, unit: "frame")
        do {
            try AtomicFile.write(Array(page.utf8), to: path)
        } catch {
            throw .unwritable(path: path, reason: error.reason)
        }
        return path
    }

    /// Every --expand names a module of the model (checked before training, not after).
    private func checkExpand(_ model: Sequential<Float>, recipe: String) throws(TrainingError) {
        let modules = ModelGraph.modules(of: model)
        for name in expand where !modules.contains(where: { $0.path == name || $0.name == name }) {
            throw .invalidOption(option: "--expand", value: name,
                                 allowed: "a module of \(recipe)'s model, by path or name: "
                                    + modules.map { "\($0.path) (\($0.name))" }.joined(separator: ", "))
        }
    }

    /// diagnostics.html, when --diagnostics asked for it.
    private func diagnosticsPage(_ trainer: Trainer, _ folder: TrainingOutputFolder) throws(TrainingError) -> [String] {
        guard let diagnostics = trainer.diagnostics else { return [] }
        return [try folder.writeDiagnostics(diagnostics, for: trainer)]
    }

    /// --temperature applies to character models only, and must be a number > 0.
    private func checkTemperature(for recipe: Recipe, _ language: LanguageModel?) throws(TrainingError) {
        guard let temperature else { return }
        guard language != nil else {
            throw .invalidOption(option: "--temperature", value: "\(temperature)",
                                 allowed: "left out: it applies only to names-lstm and names-gpt")
        }
        guard temperature.isFinite && temperature > 0 else {
            throw .invalidOption(option: "--temperature", value: "\(temperature)", allowed: "a number greater than 0, such as 0.8")
        }
    }

    /// The start of the closing line: "done: 3 epochs (2 this run) in 1.2 s; ", one epoch singular.
    private func doneLine(_ trainer: Trainer, before: Int, seconds: Double) -> String {
        let epochs = trainer.completedEpochs
        return "done: \(epochs) epoch\(epochs == 1 ? "" : "s") (\(epochs - before) this run) in "
            + String(format: "%.1f s; ", seconds)
    }

    /// After a character model has trained: its NLLs and samples, then the output folder.
    private func reportLanguageModel(_ recipe: Recipe, _ trainer: Trainer, _ language: LanguageModel, seconds: Double, before: Int,
                                     folder: TrainingOutputFolder, summary: ModelSummary,
                                     progress: ProgressBar) throws(TrainingError) {
        let report = try trainer.languageModelReport(language, temperature: temperature ?? 1)
        progress.message(doneLine(trainer, before: before, seconds: seconds)
                         + String(format: "train loss %.4f", trainer.history.last!.trainLoss))
        for line in report.lines { progress.message(line) }
        var extra = [try folder.writeSamples(report)]
        if recipe.name == Recipe.namesGPT.name {
            // Where each head looks while reading the first validation name.
            let context = try language.context(of: LanguageModel.nameSplit().validation[0])
            extra.append(try folder.writeAttentionMaps(AttentionMaps(model: trainer.model, context: context,
                                                                     vocabulary: language.vocabulary)))
        }
        for path in try folder.writeAll(for: trainer, summary: summary, expand: Set(expand)) + extra
            + diagnosticsPage(trainer, folder) + [folder.checkpointPath] {
            progress.message("wrote \(path)")
        }
    }

    /// Applies --backend and --threads, if given.
    private func chooseBackend() throws(TrainingError) {
        if let threads {
            do {
                try Backends.setThreads(threads)
            } catch {
                throw .invalidOption(option: "--threads", value: String(threads), allowed: "a whole number from 1 to 64")
            }
        }
        guard let backend else { return }
        do {
            try Backends.use(Backends.kind(named: backend))
        } catch {
            let names = BackendKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidOption(option: "--backend", value: backend,
                                 allowed: "one of \(names)" + (error == .blasNotCompiledIn ? " (\(error))" : ""))
        }
    }

    /// The backend the ops run on, by name: "reference", or "blas (OpenBLAS core …, 1 thread)".
    static var backendName: String {
        guard let scoped = Backends.scoped else { return Backends.summary(of: Backends.processDefault) }
        return String(describing: type(of: scoped))
    }
}

// MARK: - scalar-moons

/// micrograd's demo on Lumen's scalar engine: an MLP 2 → 16 → 16 → 1 on 100 noisy two-moons
/// points, hinge loss plus L2, full batch, SGD with a decaying learning rate. It prints one
/// line per step and writes, with Cairo, the loss and accuracy curves and the decision
/// boundary, each as PNG and SVG.
private struct ScalarMoonsRun {
    let steps: Int
    let dataSeed: UInt64
    let initSeed: UInt64
    let output: String

    init(command: TrainCommand) throws {
        for (name, given) in [("--epochs", command.epochs != nil), ("--batch-size", command.batchSize != nil),
                              ("--lr", command.learningRate != nil), ("--optimizer", command.optimizer != nil),
                              ("--seed", command.seed != nil), ("--resume", command.resume != nil),
                              ("--data", command.data != nil), ("--backend", command.backend != nil),
                              ("--max-data-size", command.maxDataSize != nil), ("--reset-optimizer", command.resetOptimizer),
                              ("--detect-anomaly", command.detectAnomaly),
                              ("--temperature", command.temperature != nil),
                              ("--schedule", command.schedule != nil), ("--warmup", command.warmup != nil),
                              ("--clip-norm", command.clipNorm != nil), ("--init-from", command.initFrom != nil),
                              ("--strict", command.strict != nil), ("--freeze", !command.freeze.isEmpty)]
            + command.playgroundOptionsGiven where given {
            throw fail("\(name) does not apply to \(TrainCommand.scalarMoons)",
                       hint: "it trains full batch: use --steps, --data-seed and --init-seed")
        }
        steps = command.steps ?? 100
        guard steps >= 1 else { throw fail("--steps must be at least 1, got \(steps)") }
        dataSeed = command.dataSeed ?? MoonsTraining.defaultDataSeed
        initSeed = command.initSeed ?? MoonsTraining.defaultInitSeed
        output = command.output ?? "lumen-out/\(TrainCommand.scalarMoons)"
    }

    func run() throws {
        let training: MoonsTraining
        do {
            training = try MoonsTraining(dataSeed: dataSeed, initSeed: initSeed, steps: steps)
        } catch {
            throw fail(error.description)
        }
        try makeDirectory(output)

        print("\(TrainCommand.scalarMoons): MLP 2 → 16 → 16 → 1 (\(training.model.parameters.count) parameters), "
              + "\(training.points.count) points, \(steps) steps")
        var reports: [MoonsTrainingStep] = []
        while let report = training.step() {
            reports.append(report)
            print("step \(pad(report.step + 1, to: steps))/\(steps)  loss \(fixed(report.loss, 4))  "
                  + "accuracy \(fixed(100 * report.accuracy, 0))%  lr \(fixed(report.learningRate, 3))")
        }
        print("final accuracy (after the last update): \(fixed(100 * training.accuracy(), 1))%")

        try drawCurves(reports)
        try drawBoundary(training)
    }

    private func drawCurves(_ reports: [MoonsTrainingStep]) throws {
        let steps = reports.map { Double($0.step + 1) }
        let loss = LinePlot(title: "Loss", xLabel: "step", yLabel: "hinge loss + L2",
                            series: [.init(name: "loss", x: steps, y: reports.map(\.loss))])
        let accuracy = LinePlot(title: "Training accuracy", xLabel: "step", yLabel: "accuracy",
                                series: [.init(name: "accuracy", x: steps, y: reports.map(\.accuracy))])
        for (plot, name) in [(loss, "loss"), (accuracy, "accuracy")] {
            for format in PlotFormat.allCases {
                let path = "\(output)/\(name).\(format.rawValue)"
                do { try plot.write(to: path) } catch { throw fail(error.description, hint: error.hint) }
                print("wrote \(path)")
            }
        }
    }

    private func drawBoundary(_ training: MoonsTraining) throws {
        let points = zip(training.points, training.labels).map { point, label in
            DecisionBoundaryPlot.Point(x: point[0], y: point[1], label: label > 0 ? 1 : 0)
        }
        let plot = DecisionBoundaryPlot(title: "Decision boundary after \(steps) steps", points: points)
        for format in PlotFormat.allCases {
            let path = "\(output)/decision-boundary.\(format.rawValue)"
            do {
                try plot.write(to: path) { x, y in training.score(x, y) }
            } catch {
                throw fail(error.description, hint: error.hint)
            }
            print("wrote \(path)")
        }
    }

    private func fixed(_ x: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", x)
    }

    private func pad(_ n: Int, to total: Int) -> String {
        let text = String(n)
        return String(repeating: " ", count: max(0, String(total).count - text.count)) + text
    }
}
