// OwnDataTests.swift — `lumen train --data FILE.csv|FILE.npy --target COLUMN --model …`: the
// table read (text and numeric targets, the task decided), short runs whose loss falls, a
// regression's mean squared error against a forward pass written here in plain Double, the
// fixed split, --model's reading, resuming, and the errors that name the file, line and column.

import Checkpoints
import Foundation
import Layers
import Tensors
import Testing
@testable import Training

@Suite struct OwnDataTests {
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-own-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Three well separated blobs in the plane, the class as text in the middle column.
    static func blobsCSV(rows: Int = 150) -> String {
        var rng = SplitMix64(seed: 5)
        var text = "x1, species ,x2\n"
        let centres = [(-2.0, -2.0, "setosa"), (2.0, -2.0, "versicolor"), (0.0, 2.0, "virginica")]
        for row in 0 ..< rows {
            let (cx, cy, name) = centres[row % 3]
            let x = String(format: "%.4f", cx + 0.5 * (rng.nextUnit() - 0.5)), y = String(format: "%.4f", cy + 0.5 * (rng.nextUnit() - 0.5))
            text += "\(x),\(name),\(y)\n"
        }
        return text
    }

    /// y = 2·a − 3·b + 1 on a grid of points in [−1, 1]², with a little noise.
    static func linearCSV(rows: Int = 200) -> String {
        var rng = SplitMix64(seed: 9)
        var text = "a,b,y\n"
        for _ in 0 ..< rows {
            let a = 2 * rng.nextUnit() - 1, b = 2 * rng.nextUnit() - 1
            text += String(format: "%.5f,%.5f,%.5f\n", a, b, 2 * a - 3 * b + 1 + 0.01 * (rng.nextUnit() - 0.5))
        }
        return text
    }

    static let fast = TrainingSettings(epochs: 8, batchSize: 16, learningRate: 0.01, optimizer: .adam, seed: 3)

    @Test func threeTextClassesTrainTheirLossFallsAndTheRegionsAreDrawn() throws {
        let directory = try Self.folder()
        let path = directory + "/iris-like.csv"
        try Self.write(Self.blobsCSV(), to: path)
        let recipe = try Recipe.ownData(RecipeOptions(hidden: [16], dataFile: path, target: "species"))
        #expect(recipe.name == "iris-like.csv")
        #expect(recipe.task == .classification && recipe.isPlanar)
        let trainer = try Trainer(recipe: recipe, settings: Self.fast)
        // 80 % / 20 %, class names sorted, features the other two columns in file order.
        #expect(trainer.data.train.count == 120 && trainer.data.test.count == 30)
        #expect(trainer.data.train.classNames == ["setosa", "versicolor", "virginica"])
        #expect(trainer.data.train.exampleShape == [2])
        #expect(trainer.model.layers.count == 3)  // Linear(2 → 16), ReLU, Linear(16 → 3)
        try trainer.train(progress: nil)
        #expect(trainer.history.last!.trainLoss < trainer.history.first!.trainLoss * 0.5)
        #expect(trainer.history.last!.testAccuracy > 0.9)

        let folder = try TrainingOutputFolder(directory + "/out")
        let written = try folder.writeDecisionBoundary(trainer)
        #expect(written.map { ($0 as NSString).lastPathComponent } == ["decision-boundary.png", "decision-boundary.svg"])
        let svg = try String(contentsOfFile: written[1], encoding: .utf8)
        #expect(svg.contains("<svg"))
    }

    @Test func theSplitIsFixedWhateverTheSeed() throws {
        let path = try Self.folder() + "/blobs.csv"
        try Self.write(Self.blobsCSV(rows: 30), to: path)
        let recipe = try Recipe.ownData(RecipeOptions(dataFile: path, target: "species"))
        let a = try recipe.loadData(), b = try recipe.loadData()
        #expect(a.test.features == b.test.features && a.test.labels == b.test.labels)
        #expect(a.train.count + a.test.count == 30 && a.test.count == 6)
    }

    /// A one-hidden-layer MLP's forward pass in Double, from the model's own weights.
    static func forward(_ model: Sequential<Float>, _ x: [Double]) -> Double {
        let state = Dictionary(uniqueKeysWithValues: model.namedState.map { ($0.name, $0.tensor) })
        let w0 = state["0.weight"]!, b0 = state["0.bias"]!, w2 = state["2.weight"]!, b2 = state["2.bias"]!
        let hidden = (0 ..< w0.shape[0]).map { i in
            max(0, (0 ..< x.count).reduce(Double(b0.scalars[i])) { $0 + Double(w0.scalars[i * x.count + $1]) * x[$1] })
        }
        return (0 ..< hidden.count).reduce(Double(b2.scalars[0])) { $0 + Double(w2.scalars[$1]) * hidden[$1] }
    }

    @Test func aRegressionTrainsWithMeanSquaredErrorThatMatchesPlainDouble() throws {
        let path = try Self.folder() + "/linear.csv"
        try Self.write(Self.linearCSV(), to: path)
        let recipe = try Recipe.ownData(RecipeOptions(hidden: [32], dataFile: path, target: "y"))
        // Real-valued targets: regression, one output.
        #expect(recipe.task == .regression)
        var settings = Self.fast
        settings.epochs = 30
        let trainer = try Trainer(recipe: recipe, settings: settings)
        try trainer.train(progress: nil)
        let first = trainer.history.first!, last = trainer.history.last!
        #expect(last.trainLoss < first.trainLoss * 0.1)
        #expect(last.testAccuracy > 0.9)  // R²

        // The test MSE and R², recomputed from the weights in Double.
        let test = trainer.data.test
        var squares = 0.0
        let targets = test.targets!.map(Double.init)
        for index in 0 ..< test.count {
            let x = test.example(at: index).map(Double.init)
            let error = Self.forward(trainer.model, x) - targets[index]
            squares += error * error
        }
        let mse = squares / Double(test.count)
        let mean = targets.reduce(0, +) / Double(targets.count)
        let variance = targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(targets.count)
        #expect(abs(last.testLoss - mse) <= 1e-5 * max(1, mse))
        #expect(abs(last.testAccuracy - (1 - mse / variance)) <= 1e-5)
        #expect(zip(trainer.predictions(of: test), (0 ..< test.count).map { Self.forward(trainer.model, test.example(at: $0).map(Double.init)) })
            .allSatisfy { abs($0 - $1) <= 1e-4 })
    }

    /// --diagnostics on a regression: the gradients it draws are those of the mean squared
    /// error, ∂/∂ŷᵢ (1/n) Σ (ŷ − y)² = 2(ŷᵢ − yᵢ)/n on the probe batch.
    @Test func aRegressionsDiagnosticsDrawTheGradientsOfItsMeanSquaredError() throws {
        let path = try Self.folder() + "/linear.csv"
        try Self.write(Self.linearCSV(rows: 100), to: path)
        let recipe = try Recipe.ownData(RecipeOptions(hidden: [8], dataFile: path, target: "y"))
        let trainer = try Trainer(recipe: recipe, settings: Self.fast)
        trainer.diagnostics = Diagnostics(model: trainer.model)
        try trainer.train(progress: nil)
        let output = try #require(trainer.diagnostics?.epochs.last?.layers.last)
        let train = trainer.data.train
        let n = min(Diagnostics.probeSize, train.count)
        let probe = try train.subset(0 ..< n)
        let gradients = zip(trainer.predictions(of: probe), probe.targets!).map { 2 * ($0 - Double($1)) / Double(n) }
        #expect(abs(output.gradients.low - gradients.min()!) <= 1e-6 && abs(output.gradients.high - gradients.max()!) <= 1e-6)
        #expect(output.gradients.high > output.gradients.low)
    }

    @Test func theTaskIsDecidedFromTheTargetUnlessGiven() throws {
        let directory = try Self.folder()
        let whole = directory + "/whole.csv"
        try Self.write("a,b,label\n" + (0 ..< 20).map { "\($0),\($0 * 2),\($0 % 4)" }.joined(separator: "\n"), to: whole)
        #expect(try Recipe.ownData(RecipeOptions(dataFile: whole, target: "label")).task == .classification)
        #expect(try Recipe.ownData(RecipeOptions(dataFile: whole, target: "label", task: .regression)).task == .regression)
        // Class names sort as numbers: 0, 1, 2, 3.
        let data = try Recipe.ownData(RecipeOptions(dataFile: whole, target: "label")).loadData()
        #expect(data.train.classNames == ["0", "1", "2", "3"])
    }

    @Test func theModelOptionReadsHiddenWidthsOrTheWholeNetwork() throws {
        #expect(try RecipeOptions.widths("64-128-10", option: "--model") == [64, 128, 10])
        #expect(Recipe.hiddenWidths([64, 128, 10], inputs: 64, outputs: 10) == [128])
        #expect(Recipe.hiddenWidths([64, 128, 10], inputs: 2, outputs: 3) == [64, 128, 10])
        #expect(Recipe.hiddenWidths([32, 16], inputs: 32, outputs: 16) == [32, 16])  // no middle: hidden widths
        #expect(try RecipeOptions.widths("8,8", option: "--hidden") == [8, 8])
        #expect(throws: TrainingError.self) { try RecipeOptions.widths("8,x", option: "--hidden") }
        #expect(throws: TrainingError.self) { try RecipeOptions.widths("0", option: "--hidden") }
    }

    @Test func aRunOnOwnDataResumesExactly() throws {
        let directory = try Self.folder()
        let path = directory + "/blobs.csv"
        try Self.write(Self.blobsCSV(rows: 60), to: path)
        let checkpoint = directory + "/model.safetensors"
        var settings = Self.fast
        settings.epochs = 2
        let recipe = try Recipe.ownData(RecipeOptions(hidden: [8, 8], activation: .tanh, dataFile: path, target: "species"))
        let first = try Trainer(recipe: recipe, settings: settings)
        try first.train(progress: nil, checkpointPath: checkpoint)

        // The recipe comes back from the checkpoint alone: same name, same options.
        let remade = try Trainer.savedRecipe(at: checkpoint)
        #expect(remade.name == "blobs.csv" && remade.options == recipe.options)
        let resumed = try Trainer(resumingFrom: checkpoint, recipe: remade, overrides: .init(epochs: 4))
        try resumed.train(progress: nil)
        settings.epochs = 4
        let straight = try Trainer(recipe: recipe, settings: settings)
        try straight.train(progress: nil)
        for ((name, a), (_, b)) in zip(resumed.model.namedState, straight.model.namedState) {
            #expect(a.scalars == b.scalars, "\(name)")
        }
        #expect(resumed.model.layers.contains { $0 is Tanh<Float> })
        // The checkpoint describes itself: architecture, input shape, class names, task.
        let metadata = try Safetensors.read(from: checkpoint).metadata
        let spec = try ModelSpec.read(from: metadata)
        #expect(spec?.inputShape == [2] && spec?.classNames == ["setosa", "versicolor", "virginica"])
        #expect(metadata[Trainer.MetadataKey.task] == "classification")
    }

    @Test func anotherTableOfTheSameLayoutIsReadWithTheModelsClasses() throws {
        let directory = try Self.folder()
        let path = directory + "/new.csv"
        // Columns in another order; classes by name, not all of them present.
        try Self.write("species,x2,x1\nvirginica,1,0\nsetosa,-2,-2\n", to: path)
        let options = RecipeOptions(dataFile: directory + "/gone.csv", target: "species")
        let names = ["setosa", "versicolor", "virginica"]
        let data = try Recipe.ownDataSet(path, options: options, task: .classification, classNames: names)
        #expect(data.labels == [2, 0] && data.classNames == names && data.features == [1, 0, -2, -2])
        try Self.write("species,x2,x1\nvirginica,1,0\nrose,-2,-2\n", to: path)
        #expect {
            try Recipe.ownDataSet(path, options: options, task: .classification, classNames: names)
        } throws: { error in
            "\(error)" == "\(path), line 3, column 1: the target 'rose' is none of the model's classes (setosa, versicolor, virginica)"
        }
    }

    // MARK: - Errors name the file, the line and the column

    static func error(_ options: RecipeOptions) -> String {
        do {
            _ = try Recipe.ownData(options).loadData()
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func badTablesGetErrorsNamingTheFileLineAndColumn() throws {
        let directory = try Self.folder()
        let path = directory + "/bad.csv"
        try Self.write("a,b,y\n1,2,3\n4,5,6\n7,oops,9\n", to: path)
        #expect(Self.error(RecipeOptions(dataFile: path, target: "y")) == "\(path), line 4, column 2: 'oops' in column 'b' is not a finite number")
        #expect(Self.error(RecipeOptions(dataFile: path, target: "z"))
            == "\(path), line 1: the header has no column named 'z' for --target; its columns are 'a', 'b', 'y'")

        try Self.write("a,b,y\n1,2,3\n4,5\n", to: path)
        #expect(Self.error(RecipeOptions(dataFile: path, target: "y")) == "\(path), line 3: the row has 2 values, but the header names 3 columns")

        try Self.write("1,2,3\n4,5,6\n", to: path)
        #expect(Self.error(RecipeOptions(dataFile: path, target: "y")).hasPrefix("\(path), line 1: the first line is numbers, not a header"))

        try Self.write("a,y\n" + (1 ... 6).map { "\($0),\($0 == 5 ? "five" : String($0 * 2))" }.joined(separator: "\n"), to: path)
        #expect(Self.error(RecipeOptions(dataFile: path, target: "y", task: .regression))
            == "\(path), line 6, column 2: the target 'five' is not a number, and --task regression predicts numbers")

        try Self.write("a,y\n1,2\n2,3\n", to: path)
        #expect(Self.error(RecipeOptions(dataFile: path, target: "y")) == "\(path) holds 2 rows of data, but the model expects at least 5 (80 % train, 20 % test)")

        #expect(Self.error(RecipeOptions(dataFile: directory + "/missing.csv", target: "y")).hasPrefix("cannot read \(directory)/missing.csv"))
        #expect(Self.error(RecipeOptions(dataFile: path)).hasPrefix("--target (missing) is not allowed"))
        #expect(Self.error(RecipeOptions(dataFile: directory + "/table.txt", target: "y"))
            == "cannot read \(directory)/table.txt: lumen train reads a .csv table with a header or a 2-D .npy array, not a .txt file")
    }

    @Test func aNpyTableTakesItsTargetByIndex() throws {
        let path = try Self.folder() + "/table.npy"
        // Rows (x, label, y): the label is column 1.
        var values: [Float] = []
        for row in 0 ..< 40 { values += [Float(row % 2 == 0 ? -1 : 1) + Float(row) * 0.001, Float(row % 2), Float(row % 2 == 0 ? 1 : -1)] }
        try Data(Self.npy(shape: [40, 3], values: values)).write(to: URL(fileURLWithPath: path))
        let recipe = try Recipe.ownData(RecipeOptions(dataFile: path, target: "1"))
        #expect(recipe.task == .classification && recipe.isPlanar)
        let data = try recipe.loadData()
        #expect(data.train.classNames == ["0", "1"] && data.train.exampleShape == [2])
        #expect(Self.error(RecipeOptions(dataFile: path, target: "3"))
            == "\(path) holds 3 columns, and --target 3, but the model expects --target as a column index 0 to 2 (or -1 for the last)")
        #expect(try Recipe.ownData(RecipeOptions(dataFile: path, target: "-1")).task == .classification)
    }

    /// A version-1 .npy file of little-endian float32 values.
    static func npy(shape: [Int], values: [Float]) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.map(String.init).joined(separator: ", ") + "), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return bytes
    }
}
