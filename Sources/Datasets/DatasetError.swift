// DatasetError.swift — the errors of building, cutting and batching a data set in memory.
// Errors reading files (the digits CSV, MNIST IDX) are in DataFileError.swift.
//
// Read next: DataFileError.swift.

/// Bad data handed to a data set or a loader, thrown rather than trapping.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// A negative extent in an example shape, or a negative number of classes.
    case invalidShape(exampleShape: [Int], classCount: Int)
    /// The features do not fill `examples` examples of `exampleShape`.
    case featureCountMismatch(features: Int, examples: Int, exampleShape: [Int])
    /// A label outside 0..<classCount, at position `index` of the labels.
    case labelOutOfRange(label: Int, index: Int, classCount: Int)
    /// Class names given, but not one per class.
    case classNameCountMismatch(names: Int, classCount: Int)
    /// An example index outside 0..<count, at position `position` of a list of indices.
    case indexOutOfRange(index: Int, position: Int, count: Int)
    /// A new example shape whose size differs from the old one.
    case reshapeMismatch(from: [Int], to: [Int])
    /// A training-set size larger than the rows available (or negative).
    case invalidSplit(trainCount: Int, available: Int)
    /// A training fraction outside [0, 1].
    case invalidFraction(Double)
    /// A batch size below 1.
    case invalidBatchSize(Int)

    public var description: String {
        switch self {
        case let .invalidShape(exampleShape, classCount):
            "the example shape \(exampleShape) and class count \(classCount) must not be negative"
        case let .featureCountMismatch(features, examples, exampleShape):
            "\(features) feature values do not fill \(examples) examples of shape \(exampleShape), which need "
                + "\(examples * exampleShape.reduce(1, *)); give one label per example and its features row by row"
        case let .labelOutOfRange(label, index, classCount):
            "label \(label) at position \(index) is out of range: with \(classCount) classes a label must be in "
                + "0..<\(classCount)"
        case let .classNameCountMismatch(names, classCount):
            "\(names) class names were given for \(classCount) classes; give one name per class"
        case let .indexOutOfRange(index, position, count):
            "example index \(index) at position \(position) is out of range: the data set has \(count) examples, "
                + "so an index must be in 0..<\(count)"
        case let .reshapeMismatch(from, to):
            "examples of shape \(from) (\(from.reduce(1, *)) values) cannot be seen as shape \(to) "
                + "(\(to.reduce(1, *)) values); the sizes must match"
        case let .invalidSplit(trainCount, available):
            "a training set of \(trainCount) rows cannot be cut from \(available); choose 0...\(available)"
        case let .invalidFraction(fraction):
            "the training fraction \(fraction) must be between 0 and 1"
        case let .invalidBatchSize(size):
            "the batch size \(size) must be at least 1"
        }
    }
}
