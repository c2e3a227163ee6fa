// Value+Teardown.swift — freeing a dead graph in a loop, newest node first.
//
// When the last reference to a graph's root goes, Swift frees the root, which releases its
// inputs, which release theirs, and so on: one stack frame per node, so a million-node chain
// would overflow the stack. `Value.deinit` calls `tearDown(inputsOf:)` instead, which frees
// the graph in a loop.
//
// The loop frees the nodes newest first (largest `id` first). malloc hands freed blocks back
// last in, first out, so the next graph built the same way (the next training step) gets the
// same blocks in the same order, and its nodes lie side by side in memory in creation order,
// step after step. Every pass over the graph then reads memory in order. Freed in another
// order (the plain stack this replaced), the blocks were shuffled a little more at every
// step: after 30 steps of W1 hardly two consecutive nodes were neighbours in memory any
// more, and each pass over the graph missed the cache at almost every node.
//
// Read next: Value+Backward.swift.

extension Value {
    /// Frees every node that only `root` still holds, directly or through other such nodes,
    /// newest first. Nodes that something else holds (parameters, a value the caller kept)
    /// are only let go of, not freed.
    static func tearDown(inputsOf root: Value) {
        var pending = NewestFirst()
        detachInputs(of: root, into: &pending)
        while let next = pending.popNewest() {
            // `next` owns the last reference to its node: the node is freed at the end of
            // this iteration, once its own inputs have been detached.
            detachInputs(of: next.takeRetainedValue(), into: &pending)
        }
    }

    /// Moves each input that only `node` holds into `pending`, and simply drops the others,
    /// which someone else keeps alive. `take()` empties the slot and `passRetained` keeps
    /// the reference it held, so no reference count changes on the way.
    @inline(__always)
    private static func detachInputs(of node: Value, into pending: inout NewestFirst) {
        if isKnownUniquelyReferenced(&node.lhs) { pending.insert(.passRetained(node.lhs.take()!)) } else { node.lhs = nil }
        if isKnownUniquelyReferenced(&node.rhs) { pending.insert(.passRetained(node.rhs.take()!)) } else { node.rhs = nil }
    }
}

/// The nodes waiting to be freed, as a binary max-heap on `id`: `popNewest()` returns the
/// most recently created one.
///
/// Why newest first is always possible: a node is created after all of its inputs, so
/// everyone who holds a node is newer than it. Once every node newer than the newest waiting
/// one is freed, nobody is left holding it, so freeing it next is exactly creation order
/// reversed. The heap stays small: it holds only nodes whose users are all gone, a few dozen
/// in W1.
struct NewestFirst {
    /// Each entry owns one reference to its node (+1). `heap[0]` has the largest id, and
    /// each entry's id is larger than its two children's, at 2i + 1 and 2i + 2.
    private var heap: [(id: Int, node: Unmanaged<Value>)] = []

    /// Adds `node`, which comes with a reference (+1) that the heap now owns.
    mutating func insert(_ node: Unmanaged<Value>) {
        let entry = (id: node._withUnsafeGuaranteedRef { $0.id }, node: node)
        heap.append(entry)
        // Sift up: move older parents down one level until the entry's place is found.
        // (Through a buffer pointer: the indices are in range by construction, and this runs
        // once per freed node.)
        heap.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[parent].id < entry.id else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = entry
        }
    }

    /// Removes and returns the newest node, with the reference that came with it.
    mutating func popNewest() -> Unmanaged<Value>? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last.node }
        let newest = heap[0].node
        // Sift `last` down from the top: move the newer child up one level until the
        // place for `last` is found.
        heap.withUnsafeMutableBufferPointer { heap in
            var parent = 0
            while true {
                var child = 2 * parent + 1
                guard child < heap.count else { break }
                if child + 1 < heap.count, heap[child + 1].id > heap[child].id { child += 1 }
                guard heap[child].id > last.id else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
        }
        return newest
    }
}
