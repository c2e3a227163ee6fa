// TensorStorage.swift — the flat block of memory that tensors look into.
//
// A tensor is a *view*: a shape, strides and an offset into a storage. Several tensors can
// share one storage (a transpose, a slice, a reshape), which is why the storage is a class:
// a write through one view is seen by every other view of the same storage.
//
// Memory comes from `LargeBlockPool` (FastPath/LargeBlockPool.swift), which recycles large
// blocks; for reading, think of it as `allocate` and `deallocate`.
//
// Read next: Tensor.swift.

/// A fixed-size, heap-allocated array of scalars, shared by every view onto it.
public final class TensorStorage<Scalar: TensorScalar> {
    /// The number of scalars in the block.
    public let count: Int
    /// The first scalar. Kernels read and write through this pointer.
    @usableFromInline let pointer: UnsafeMutablePointer<Scalar>

    /// A block of `count` copies of `value`. (Pre-specialized: tensor code calls this from
    /// generic context, where the fill would otherwise make one witness call per element.)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(count: Int, repeating value: Scalar) {
        guard count >= 0 else { fatalError("TensorStorage: negative count \(count)") }
        self.count = count
        // Capacity at least 1, so that an empty tensor still has a valid base address.
        pointer = LargeBlockPool.allocate(Scalar.self, capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    /// A block of `count` scalars with no values yet, for an op's output that its kernel
    /// overwrites in full: skipping the fill saves a pass over the memory on every op.
    /// (Float and Double are trivial types, so unset memory needs no initialization first.)
    init(unfilledCount count: Int) {
        guard count >= 0 else { fatalError("TensorStorage: negative count \(count)") }
        self.count = count
        pointer = LargeBlockPool.allocate(Scalar.self, capacity: max(count, 1))
        #if DEBUG
        // In debug builds (the tests) an unfilled block starts as NaN, so that a kernel which
        // leaves an element of its output unwritten shows up as NaN instead of silently
        // passing with whatever a recycled block held before.
        pointer.initialize(repeating: .nan, count: max(count, 1))
        #endif
    }

    /// A block holding a copy of `elements`.
    public init(copying elements: [Scalar]) {
        count = elements.count
        pointer = LargeBlockPool.allocate(Scalar.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        elements.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: count) }
        }
    }

    deinit {
        pointer.deinitialize(count: max(count, 1))
        LargeBlockPool.deallocate(pointer, capacity: max(count, 1))
    }
}
