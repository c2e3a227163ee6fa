// InMemoryDataset.swift — the concrete data set: a flat feature buffer, labels, and the
// shape of one example. The synthetic sets, the digits and MNIST all come back as one.
// Also: taking a subset, reshaping the examples, and the train/test split.
//
// Read next: DataLoader.swift, then Synthetic.swift.

import Tensors

/// A classification data set whose examples live in one flat array.
///
/// ```swift
/// let points = try InMemoryDataset<Float>(features: [0, 0, 1, 1], labels: [0, 1],
///                                         exampleShape: [2], classCount: 2)
/// let batch = try points.gather([1, 0])      // inputs [[1, 1], [0, 0]], labels [1, 0]
/// ```
public struct InMemoryDataset<Scalar: TensorScalar>: Dataset {
    public let features: [Scalar]
    public let labels: [Int]
    public let exampleShape: [Int]
    public let classCount: Int
    public let classNames: [String]?
    /// For a regression set: the number to predict for each example (n of them). Its labels
    /// are then all 0, of one class named after the target (`withTargets(_:name:)`).
    public private(set) var targets: [Scalar]?

    public var count: Int { labels.count }

    /// A data set over `features` (n · exampleSize scalars, example after example) and
    /// `labels` (n of them).
    ///
    /// - Throws: `DatasetError` when an extent is negative, the features do not fill n
    ///   examples, a label is outside 0..<classCount, or the class names are not one per class.
    public init(features: [Scalar], labels: [Int], exampleShape: [Int], classCount: Int,
                classNames: [String]? = nil) throws(DatasetError) {
        if exampleShape.contains(where: { $0 < 0 }) || classCount < 0 {
            throw .invalidShape(exampleShape: exampleShape, classCount: classCount)
        }
        let size = exampleShape.reduce(1, *)
        guard features.count == labels.count * size else {
            throw .featureCountMismatch(features: features.count, examples: labels.count, exampleShape: exampleShape)
        }
        if let position = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw .labelOutOfRange(label: labels[position], index: position, classCount: classCount)
        }
        if let names = classNames, names.count != classCount {
            throw .classNameCountMismatch(names: names.count, classCount: classCount)
        }
        self.init(checkedFeatures: features, labels: labels, exampleShape: exampleShape,
                  classCount: classCount, classNames: classNames)
    }

    /// For the loaders in this module, which build data that is valid by construction.
    init(checkedFeatures features: [Scalar], labels: [Int], exampleShape: [Int], classCount: Int,
         classNames: [String]?) {
        self.features = features
        self.labels = labels
        self.exampleShape = exampleShape
        self.classCount = classCount
        self.classNames = classNames
    }

    /// A regression set: these examples, each with its target number, `name` naming it.
    ///
    /// - Throws: `DatasetError.featureCountMismatch` when there is not one target per example.
    public static func regression(features: [Scalar], targets: [Scalar], exampleShape: [Int],
                                  name: String) throws(DatasetError) -> InMemoryDataset {
        var data = try InMemoryDataset(features: features, labels: Array(repeating: 0, count: targets.count),
                                       exampleShape: exampleShape, classCount: 1, classNames: [name])
        data.targets = targets
        return data
    }

    /// The targets of the examples at `indices`, in that order (a regression set's; nil otherwise).
    public func targets(at indices: [Int]) -> [Scalar]? {
        guard let targets else { return nil }
        return indices.map { targets[$0] }
    }

    /// A copy of any data set, stored flat.
    public init(_ other: some Dataset<Scalar>) {
        self.init(checkedFeatures: other.features, labels: other.labels, exampleShape: other.exampleShape,
                  classCount: other.classCount, classNames: other.classNames)
    }

    /// The same examples seen with another shape of the same size, e.g. the digits' `[64]`
    /// as `[1, 8, 8]` images for a convolution. No copy.
    ///
    /// - Throws: `DatasetError.reshapeMismatch` when the sizes differ.
    public func reshapingExamples(to shape: [Int]) throws(DatasetError) -> InMemoryDataset {
        guard !shape.contains(where: { $0 < 0 }), shape.reduce(1, *) == exampleSize else {
            throw .reshapeMismatch(from: exampleShape, to: shape)
        }
        var reshaped = InMemoryDataset(checkedFeatures: features, labels: labels, exampleShape: shape,
                                       classCount: classCount, classNames: classNames)
        reshaped.targets = targets
        return reshaped
    }

    /// The examples at `indices`, in that order, as a new data set (rows copied). Repeats
    /// are allowed.
    ///
    /// - Throws: `DatasetError.indexOutOfRange` for an index outside 0..<count.
    public func subset(_ indices: some Collection<Int>) throws(DatasetError) -> InMemoryDataset {
        let size = exampleSize
        var newFeatures = [Scalar]()
        newFeatures.reserveCapacity(indices.count * size)
        var newLabels = [Int]()
        newLabels.reserveCapacity(indices.count)
        for (position, index) in indices.enumerated() {
            guard index >= 0 && index < count else {
                throw .indexOutOfRange(index: index, position: position, count: count)
            }
            newFeatures.append(contentsOf: features[index * size ..< (index + 1) * size])
            newLabels.append(labels[index])
        }
        var picked = InMemoryDataset(checkedFeatures: newFeatures, labels: newLabels, exampleShape: exampleShape,
                                     classCount: classCount, classNames: classNames)
        picked.targets = targets(at: Array(indices))
        return picked
    }

    /// Splits into a training set (the rows `order[0 ..< trainCount]`, in that order) and a
    /// test set (the rows `order[trainCount...]`).
    ///
    /// - Throws: `DatasetError.indexOutOfRange` for a bad index, `.invalidSplit` when
    ///   trainCount is outside 0...order.count.
    public func split(order: [Int], trainCount: Int) throws(DatasetError) -> TrainTestSplit<Scalar> {
        guard trainCount >= 0 && trainCount <= order.count else {
            throw .invalidSplit(trainCount: trainCount, available: order.count)
        }
        return TrainTestSplit(train: try subset(order[..<trainCount]), test: try subset(order[trainCount...]))
    }

    /// A seeded random split: the order is `epochOrder(seed: seed, count: count)` (a
    /// Fisher–Yates shuffle by SplitMix64), the first ⌊trainFraction · count⌉ rows of it
    /// train and the rest test. The same seed gives the same split on every machine.
    ///
    /// - Throws: `DatasetError.invalidSplit` when trainFraction is outside [0, 1].
    public func split(trainFraction: Double, seed: UInt64) throws(DatasetError) -> TrainTestSplit<Scalar> {
        guard trainFraction >= 0 && trainFraction <= 1 else {
            throw .invalidFraction(trainFraction)
        }
        let trainCount = Int((trainFraction * Double(count)).rounded())
        return try split(order: epochOrder(seed: seed, count: count), trainCount: trainCount)
    }
}

/// A training set and a test set cut from one data set.
public struct TrainTestSplit<Scalar: TensorScalar>: Sendable {
    public let train: InMemoryDataset<Scalar>
    public let test: InMemoryDataset<Scalar>

    public init(train: InMemoryDataset<Scalar>, test: InMemoryDataset<Scalar>) {
        self.train = train
        self.test = test
    }
}
