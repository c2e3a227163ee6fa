// Dataset.swift — what a classification data set is to Lumen: n examples of one shape, each
// with a class label, the features stored as one flat row-major buffer.
//
// Read next: InMemoryDataset.swift (the one concrete set every loader returns), then
// DataLoader.swift (cutting a set into shuffled batches).

import Basics
import Tensors

/// A classification data set held in memory.
///
/// The features of all examples sit in one contiguous row-major buffer, example after example,
/// so example `i` is the slice `features[i·exampleSize ..< (i+1)·exampleSize]` and gathering a
/// batch is one memory copy per row. Generic over the scalar type: `Float` to train, `Double`
/// when a test wants the extra precision; the loaders compute in `Double` and round once.
public protocol Dataset<Scalar>: Sendable {
    associatedtype Scalar: TensorScalar

    /// The number of examples, n.
    var count: Int { get }
    /// The shape of one example: `[2]` for a point in the plane, `[64]` or `[1, 8, 8]` for a digit.
    var exampleShape: [Int] { get }
    /// The number of classes, k. Every label is in 0..<k.
    var classCount: Int { get }
    /// A name per class (`classNames[label]`), when the set has them.
    var classNames: [String]? { get }
    /// All features, n · exampleSize scalars, example after example (row-major).
    var features: [Scalar] { get }
    /// The class of each example, n labels in 0..<classCount.
    var labels: [Int] { get }
}

extension Dataset {
    /// The number of scalars in one example: the product of `exampleShape`.
    public var exampleSize: Int { exampleShape.reduce(1, *) }

    /// The features of example `index`, a slice of `features` (no copy).
    public func example(at index: Int) -> ArraySlice<Scalar> {
        trapUnless(index >= 0 && index < count,
                   "Dataset.example(at: \(index)): the index must be in 0..<\(count)")
        let size = exampleSize
        return features[index * size ..< (index + 1) * size]
    }

    /// How many examples carry each label: `classCounts()[c]` for class c.
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// The examples at `indices`, in that order, as a batch tensor of shape
    /// `[indices.count] + exampleShape`, with their labels. Each row is copied with one
    /// `memcpy`. Indices out of range throw `DatasetError.indexOutOfRange`.
    public func gather(_ indices: [Int]) throws(DatasetError) -> Batch<Scalar> {
        let size = exampleSize
        var batchLabels = [Int]()
        batchLabels.reserveCapacity(indices.count)
        let allLabels = labels
        for (position, index) in indices.enumerated() {
            guard index >= 0 && index < count else {
                throw .indexOutOfRange(index: index, position: position, count: count)
            }
            batchLabels.append(allLabels[index])
        }
        let source = features
        // Each row goes straight from the data set's buffer into the tensor's storage.
        // `init(shape:filling:)` throws only for a negative extent, which a data set cannot have.
        let tensor = try! Tensor<Scalar>(shape: [indices.count] + exampleShape) { rows in
            source.withUnsafeBufferPointer { from in
                guard let fromBase = from.baseAddress, let toBase = rows.baseAddress else { return }
                for (row, index) in indices.enumerated() {
                    (toBase + row * size).update(from: fromBase + index * size, count: size)
                }
            }
        }
        return Batch(inputs: tensor, labels: batchLabels, indices: indices)
    }
}

/// A batch: the inputs stacked along a new first axis, their labels, and which examples they
/// were (the indices into the data set), in the same order.
public struct Batch<Scalar: TensorScalar> {
    /// Shape `[b] + exampleShape`, where b is the number of examples in the batch.
    public let inputs: Tensor<Scalar>
    /// The b class labels, `labels[r]` for row r of `inputs`.
    public let labels: [Int]
    /// The b example indices, `indices[r]` for row r of `inputs`.
    public let indices: [Int]

    /// The number of examples in the batch, b.
    public var count: Int { labels.count }
}
