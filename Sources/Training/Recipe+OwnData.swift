// Recipe+OwnData.swift — a recipe made from the user's own table: `lumen train --data
// FILE.csv|FILE.npy --target COLUMN --model 64-128-10 [--task classification|regression]`.
//
// The data: a CSV file with a header (FileFormats/CSVFile+Target.swift) or a 2-D .npy array
// [rows, columns]; the target is a column's name (CSV) or index (.npy, 0-based; -1 is the
// last), every other column is an input. The values are used as they are (no scaling).
//
// The task, unless --task says: classification when the target holds text, or whole numbers
// with at most 20 distinct values; regression otherwise. Classification makes one class per
// distinct target value (sorted: numerically when all are numbers, else as text), and the
// model ends in one output per class (cross-entropy); regression ends in one output (mean
// squared error).
//
// The model: an MLP. `--model` lists the hidden widths ("64-128", or "" for none), and the
// input and output widths come from the data. A list whose first width is the number of
// input columns and whose last is the number of outputs, with at least one width between,
// is read as the whole network ("64-128-10" for 64 inputs and 10 classes: one hidden layer
// of 128). Default: one hidden layer of 64, ReLU.
//
// The split: 80 % train, 20 % test, by a shuffle with the fixed seed 7, so that every run on
// one file sees the same test rows whatever --seed (the weights' and batch order's seed) says.
//
// Read next: Trainer.swift, whose loop trains both tasks.

import Basics
import Datasets
import FileFormats
import Foundation
import Layers
import Tensors

extension Recipe {
    /// The most classes a classification target may have.
    public static let maximumClasses = 1000
    /// A numeric target with at most this many distinct whole numbers is taken for classes.
    public static let classLikeDistinctValues = 20
    /// The hidden widths when --model and --hidden are left out.
    public static let defaultHidden = [64]

    /// The recipe that trains on `options.dataFile`, predicting `options.target`. `name` is
    /// the recipe's name (by default the file's name, e.g. "houses.csv").
    ///
    /// The file is read once, here (to learn the input width, the classes and the task);
    /// `loadData()` splits the table read then.
    ///
    /// - Throws: `TrainingError.invalidOption` for a missing --target or a bad --model,
    ///   `.dataFile` for a file that cannot be read or has a bad cell (with its line and column).
    public static func ownData(_ options: RecipeOptions, name: String? = nil) throws(TrainingError) -> Recipe {
        guard let file = options.dataFile else {
            throw .invalidOption(option: "--data", value: "(missing)", allowed: "a .csv or .npy file")
        }
        guard let target = options.target else {
            throw .invalidOption(option: "--target", value: "(missing)",
                                 allowed: "given with --data \(file): the column to predict (its header name in a CSV file, its index in a .npy file)")
        }
        if options.points != nil || options.noise != nil {
            throw .invalidOption(option: options.points != nil ? "--points" : "--noise", value: "(given)",
                                 allowed: "left out: it applies only to \(tunable.joined(separator: " and "))")
        }
        try options.validate()
        let table = try OwnTable.read(file, target: target, task: options.task)
        let outputs = table.task == .regression ? 1 : table.classNames.count
        let hidden = Self.hiddenWidths(options.hidden ?? defaultHidden, inputs: table.featureCount, outputs: outputs)
        let activation = options.activation ?? .relu
        var saved = options
        saved.task = table.task
        saved.hidden = hidden
        let widths = [table.featureCount] + hidden + [outputs]
        let what = table.task == .regression ? "predicting \(target) (regression)"
                                             : "\(table.classNames.count) classes of \(target)"
        let recipeName = name ?? (file as NSString).lastPathComponent
        var recipe = Recipe(
            name: recipeName,
            summary: "an MLP \(widths.map(String.init).joined(separator: " → ")), \(activation.rawValue); "
                + "\(table.rowCount) rows of \(recipeName), \(what)",
            defaults: TrainingSettings(epochs: 20, batchSize: 32, learningRate: 0.01, optimizer: .adam),
            isPlanar: table.featureCount == 2 && table.task == .classification,
            task: table.task, options: saved,
            load: { _ throws(TrainingError) in try table.split() },
            build: { rng in mlp(widths, activation: activation, using: &rng) })
        recipe.inputNames = table.featureNames
        return recipe
    }

    /// Every row of a table in the layout a run on own data was trained with (`options`: the
    /// same target column; `task`), as one data set whose classes are `classNames`, in order:
    /// for `lumen eval --data new.csv` on a model trained on the user's own data.
    ///
    /// - Throws: `TrainingError.dataFile` for a file that cannot be read, a bad cell, or a
    ///   target that is not one of `classNames` (naming its line and column).
    public static func ownDataSet(_ file: String, options: RecipeOptions, task: TaskKind,
                                  classNames: [String]) throws(TrainingError) -> InMemoryDataset<Float> {
        guard let target = options.target else {
            throw .invalidOption(option: "--data", value: file, allowed: "used with a model trained on --data FILE --target COLUMN")
        }
        var table = try OwnTable.read(file, target: target, task: task, classNames: task == .classification ? classNames : nil)
        table.isSplit = false
        return try table.split().train
    }

    /// The hidden widths from a --model list: the list itself, or its middle when its ends
    /// are the data's input and output widths (and it has a middle).
    static func hiddenWidths(_ list: [Int], inputs: Int, outputs: Int) -> [Int] {
        if list.count >= 3 && list.first == inputs && list.last == outputs { return Array(list.dropFirst().dropLast()) }
        return list
    }
}

/// A table of the user's, read: the inputs of every row, the target of every row (a class
/// index, or the number), the class names and the task.
struct OwnTable {
    var features: [Float]
    var featureCount: Int
    var labels: [Int]
    var numbers: [Float]
    var classNames: [String]
    var task: TaskKind
    var targetName: String
    var path: String
    /// The input columns' names: the CSV header's, or "column i" for a .npy table.
    var featureNames: [String] = []

    var rowCount: Int { task == .regression ? numbers.count : labels.count }

    /// The fraction of rows that train; the rest test.
    static let trainFraction = 0.8
    /// The fewest rows a table may have (four to train, one to test).
    static let minimumRows = 5

    /// Reads `path` (.csv or .npy) and decides the task (`task`, or from the target's values).
    /// `classNames`, when given, are the classes (every target must be one); otherwise each
    /// distinct target value is one.
    static func read(_ path: String, target: String, task: TaskKind?, classNames known: [String]? = nil) throws(TrainingError) -> OwnTable {
        let features: [Float], featureCount: Int, cells: [String], targetName: String, names: [String]
        var lines: [Int]? = nil, column = 0
        do throws(FileFormatError) {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "csv":
                let table = try TargetCSV.read(path, target: target)
                (features, featureCount, cells, targetName) = (table.features, table.featureCount, table.targets, target)
                names = table.featureNames
                lines = table.lines
                column = table.targetColumn + 1
            case "npy":
                let array = try NPYFile.read(path)
                guard array.shape.count == 2, array.shape[1] >= 2 else {
                    throw FileFormatError.inputDoesNotFit(path: path, found: "an array of shape \(array.shape)",
                                                          expected: "a table: a 2-D array [rows, columns] of at least 2 columns")
                }
                let width = array.shape[1]
                if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
                    throw FileFormatError.npy(path: path, problem: "row \(bad / width), column \(bad % width) holds \(array.values[bad]); "
                                              + "every value must be a finite number")
                }
                guard let index = Int(target), (-width ..< width).contains(index) else {
                    throw FileFormatError.inputDoesNotFit(path: path, found: "\(width) columns, and --target \(target)",
                                                          expected: "--target as a column index 0 to \(width - 1) (or -1 for the last)")
                }
                column = index < 0 ? width + index : index
                var inputs: [Float] = []
                var targets: [String] = []
                inputs.reserveCapacity(array.values.count)
                for row in 0 ..< array.shape[0] {
                    let values = array.values[row * width ..< (row + 1) * width]
                    for (offset, value) in values.enumerated() where offset != column { inputs.append(value) }
                    // Whole numbers as "3", not "3.0", so that they read as class names.
                    let target = values[values.startIndex + column]
                    targets.append(target == target.rounded() && abs(target) < 1e9 ? String(Int(target)) : String(target))
                }
                (features, featureCount, cells, targetName) = (inputs, width - 1, targets, "column \(column)")
                names = (0 ..< width).filter { $0 != column }.map { "column \($0)" }
                column += 1
            case let other:
                throw FileFormatError.unreadable(path: path, reason: "lumen train reads a .csv table with a header or a 2-D .npy array, "
                                                     + "not a\(other.isEmpty ? " file without an extension" : " .\(other) file")")
            }
        } catch {
            throw .dataFile(error)
        }
        // The place of row `row`'s target cell, for messages: a CSV line, or a .npy row.
        func place(_ row: Int, _ problem: String) -> TrainingError {
            if let lines { return .dataFile(.csv(path: path, line: lines[row], column: column, problem: problem)) }
            return .dataFile(.npy(path: path, problem: "row \(row), column \(column - 1): \(problem)"))
        }
        guard cells.count >= (known == nil ? minimumRows : 1) else {
            throw .dataFile(.inputDoesNotFit(path: path, found: "\(cells.count) rows of data",
                                             expected: "at least \(minimumRows) (80 % train, 20 % test)"))
        }
        let numbers = cells.map(TargetCSV.number)
        let decided = task ?? Self.likelyTask(numbers)
        var table = OwnTable(features: features, featureCount: featureCount, labels: [], numbers: [], classNames: [],
                             task: decided, targetName: targetName, path: path, featureNames: names)
        switch decided {
        case .regression:
            if let bad = numbers.firstIndex(where: { $0 == nil }) {
                throw place(bad, "the target '\(cells[bad])' is not a number, and --task regression predicts numbers")
            }
            table.numbers = numbers.map { Float($0!) }
        case .classification:
            if let bad = cells.firstIndex(where: \.isEmpty) { throw place(bad, "the target is empty") }
            if let known {
                let index = Dictionary(known.enumerated().map { ($1, $0) }) { first, _ in first }
                if let bad = cells.firstIndex(where: { index[$0] == nil }) {
                    throw place(bad, "the target '\(cells[bad])' is none of the model's classes (\(known.joined(separator: ", ")))")
                }
                table.classNames = known
                table.labels = cells.map { index[$0]! }
                return table
            }
            var distinct = Array(Set(cells))
            if numbers.allSatisfy({ $0 != nil }) {
                // Numbers sort as numbers ("2" before "10"); "1" and "1.0" stay two classes.
                distinct.sort { (Double($0)!, $0) < (Double($1)!, $1) }
            } else {
                distinct.sort()
            }
            guard distinct.count <= Recipe.maximumClasses else {
                throw place(0, "the target holds \(distinct.count) distinct values, more than the \(Recipe.maximumClasses) classes "
                            + "a classifier here may have; to predict a number, pass --task regression")
            }
            let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            table.classNames = distinct
            table.labels = cells.map { index[$0]! }
        }
        return table
    }

    /// Classification when some target is not a number, or all are whole numbers with at most
    /// `Recipe.classLikeDistinctValues` distinct values; regression otherwise.
    static func likelyTask(_ numbers: [Double?]) -> TaskKind {
        guard numbers.allSatisfy({ $0 != nil }) else { return .classification }
        let values = numbers.map { $0! }
        let whole = values.allSatisfy { $0 == $0.rounded() }
        return whole && Set(values).count <= Recipe.classLikeDistinctValues ? .classification : .regression
    }

    /// False keeps every row in `split()`'s training part (a table only evaluated).
    var isSplit = true

    /// The data set, cut 80 % / 20 % by the fixed seed of the synthetic recipes (or, without
    /// `isSplit`, all of it as the training part).
    func split() throws(TrainingError) -> TrainTestSplit<Float> {
        let data: InMemoryDataset<Float>
        do throws(DatasetError) {
            data = task == .regression
                ? try .regression(features: features, targets: numbers, exampleShape: [featureCount], name: targetName)
                : try InMemoryDataset(features: features, labels: labels, exampleShape: [featureCount],
                                      classCount: classNames.count, classNames: classNames)
        } catch {
            fatalError("OwnTable.split: \(path): the table was checked when read: \(error)")
        }
        // 0.8 and 1 are in [0, 1], so the split cannot fail.
        return try! data.split(trainFraction: isSplit ? Self.trainFraction : 1, seed: Recipe.dataSeed)
    }
}
