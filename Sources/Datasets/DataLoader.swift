// DataLoader.swift — cutting a data set into batches, one epoch at a time, in a shuffled
// order that a seed and the epoch number fix (or in an order the caller gives).
//
// Read next: EpochOrder.swift (the shuffle), then Synthetic.swift (data to load).

import Basics
import Tensors

/// Serves a data set in batches.
///
/// ```swift
/// let loader = try DataLoader(data, batchSize: 64, ordering: .shuffled(seed: 3000))
/// for epoch in 0..<20 {
///     for batch in loader.batches(epoch: epoch) {   // batch.inputs: [64, …], batch.labels
///         …
///     }
/// }
/// ```
///
/// With n examples and batch size b an epoch has ⌈n/b⌉ batches: ⌊n/b⌋ full ones and, when b
/// does not divide n, a last partial batch of n mod b examples (left out with
/// `dropLast: true`). Each example appears exactly once per epoch.
public struct DataLoader<Scalar: TensorScalar>: Sendable {
    /// The order in which an epoch visits the examples.
    public enum Ordering: Sendable, Equatable {
        /// 0, 1, …, n − 1 in every epoch (for evaluation).
        case sequential
        /// Epoch e visits `epochOrder(seed: seed + e, count: n)`: a fresh Fisher–Yates shuffle
        /// per epoch, the same on every run and machine. This is the batch order of
        /// ../shared/bench/WORKLOADS.md (W3 uses seed 3000), so runs match the peers'.
        case shuffled(seed: UInt64)
    }

    /// The data set being served.
    public let dataset: any Dataset<Scalar>
    /// The number of examples per batch (the last one may have fewer).
    public let batchSize: Int
    /// How each epoch orders the examples.
    public let ordering: Ordering
    /// Whether to leave out a last batch smaller than `batchSize`.
    public let dropLast: Bool

    /// - Throws: `DatasetError.invalidBatchSize` when batchSize < 1.
    public init(_ dataset: some Dataset<Scalar>, batchSize: Int, ordering: Ordering = .sequential,
                dropLast: Bool = false) throws(DatasetError) {
        guard batchSize >= 1 else { throw .invalidBatchSize(batchSize) }
        self.dataset = dataset
        self.batchSize = batchSize
        self.ordering = ordering
        self.dropLast = dropLast
    }

    /// The order of the examples in epoch `epoch` (0-based).
    public func order(epoch: Int) -> [Int] {
        switch ordering {
        case .sequential:
            Array(0..<dataset.count)
        case let .shuffled(seed):
            epochOrder(seed: seed &+ UInt64(truncatingIfNeeded: epoch), count: dataset.count)
        }
    }

    /// The batches of epoch `epoch`, in the loader's ordering.
    public func batches(epoch: Int) -> BatchSequence<Scalar> {
        BatchSequence(dataset: dataset, order: order(epoch: epoch), batchSize: batchSize, dropLast: dropLast)
    }

    /// The batches for an explicit order of example indices, such as the `epoch_order` of
    /// WORKLOADS.md computed elsewhere. The order is cut into consecutive slices of
    /// `batchSize`; it need not be a permutation (repeats and subsets are allowed).
    ///
    /// - Throws: `DatasetError.indexOutOfRange` for an index outside 0..<count, checked
    ///   here, before any batch is made.
    public func batches(order: [Int]) throws(DatasetError) -> BatchSequence<Scalar> {
        if let position = order.firstIndex(where: { $0 < 0 || $0 >= dataset.count }) {
            throw .indexOutOfRange(index: order[position], position: position, count: dataset.count)
        }
        return BatchSequence(dataset: dataset, order: order, batchSize: batchSize, dropLast: dropLast)
    }

    /// The number of batches per epoch: ⌈n/b⌉, or ⌊n/b⌋ with `dropLast`.
    public var batchCount: Int {
        BatchSequence<Scalar>.batchCount(examples: dataset.count, batchSize: batchSize, dropLast: dropLast)
    }
}

/// The batches of one epoch. A random-access collection: `batches.count` for a progress bar,
/// `batches[i]` gathers batch i (a fresh tensor each time it is read).
public struct BatchSequence<Scalar: TensorScalar>: RandomAccessCollection {
    let dataset: any Dataset<Scalar>
    /// The example indices of the whole epoch, in visiting order; every index is in range.
    public let order: [Int]
    public let batchSize: Int
    let batchTotal: Int

    init(dataset: any Dataset<Scalar>, order: [Int], batchSize: Int, dropLast: Bool) {
        self.dataset = dataset
        self.order = order
        self.batchSize = batchSize
        batchTotal = Self.batchCount(examples: order.count, batchSize: batchSize, dropLast: dropLast)
    }

    static func batchCount(examples: Int, batchSize: Int, dropLast: Bool) -> Int {
        // Not (examples + batchSize − 1) / batchSize, which overflows for a huge batch size.
        let full = examples / batchSize
        return dropLast || examples % batchSize == 0 ? full : full + 1
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { batchTotal }

    /// Batch `position`: the examples `order[position·b ..< min((position+1)·b, n)]`.
    public subscript(position: Int) -> Batch<Scalar> {
        trapUnless(position >= 0 && position < batchTotal,
                   "BatchSequence[\(position)]: the epoch has \(batchTotal) batches")
        let start = position * batchSize
        let indices = Array(order[start ..< Swift.min(start + batchSize, order.count)])
        // The order was checked when the sequence was made, so gathering cannot fail.
        return try! dataset.gather(indices)
    }
}
