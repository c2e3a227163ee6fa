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

    /// Moves each input that only `node` holds into `pending`, the older one first, and
    /// simply drops the others, which someone else keeps alive.
    @inline(__always)
    private static func detachInputs(of node: Value, into pending: inout NewestFirst) {
        let lhs = takeIfOnlyHolder(&node.lhs), rhs = takeIfOnlyHolder(&node.rhs)
        // Older first: then both usually land on the end of `pending`'s ascending run
        // (see `NewestFirst`). In `act + w * x` the left input is the older one; in
        // `(-y) * score` the right one is.
        if let lhs, let rhs, rhs.id < lhs.id {
            pending.insert(rhs)
            pending.insert(lhs)
        } else {
            if let lhs { pending.insert(lhs) }
            if let rhs { pending.insert(rhs) }
        }
    }

    /// Empties `slot` and returns its node with the reference the slot held, if `slot` was
    /// its only holder; otherwise just empties it. `take()` moves the reference out and
    /// `passRetained` keeps it, so no reference count changes on the way.
    @inline(__always)
    private static func takeIfOnlyHolder(_ slot: inout Value?) -> NewestFirst.Entry? {
        guard isKnownUniquelyReferenced(&slot) else {
            slot = nil
            return nil
        }
        let node = slot.take()!
        return NewestFirst.Entry(id: node.id, node: .passRetained(node))
    }
}

/// The nodes waiting to be freed: `popNewest()` returns the most recently created one.
///
/// Why newest first is always possible: a node is created after all of its inputs, so
/// everyone who holds a node is newer than it. Once every node newer than the newest waiting
/// one is freed, nobody is left holding it, so freeing it next is exactly creation order
/// reversed.
///
/// Two stores, because most nodes arrive in order. `ascending` is a plain stack whose ids
/// increase from bottom to top: a node newer than its top is pushed there, and that is the
/// common case, since a node's unique inputs are usually newer than everything still
/// waiting (`act + w * x`: the sum `act`, then the product). A node that arrives older than
/// the top goes into `outOfOrder`, a binary max-heap on id, which keeps the order exact
/// whatever the graph's shape. In W1 that is the outputs of a layer, which wait while the
/// layer after it is freed: about 5% of the nodes.
///
/// Measured on W1 (callgrind, `lumen-bench measure w1`): with every node going through the
/// heap, as before, the teardown loop itself took 1.19 G of W1's 5.80 G instructions, about
/// 180 per node (the heap holds a few dozen nodes); with the ascending stack in front of it,
/// 0.61 G.
struct NewestFirst {
    /// A waiting node and its id (kept here so that comparing two entries reads no node).
    /// `node` owns one reference (+1).
    struct Entry {
        let id: Int
        let node: Unmanaged<Value>
    }

    /// Ids increase towards the end; the newest of these is `ascending.last`.
    private var ascending: [Entry] = []
    /// A max-heap: `outOfOrder[0]` has the largest id, and each entry's id is larger than
    /// its two children's, at 2i + 1 and 2i + 2.
    private var outOfOrder: [Entry] = []

    /// Adds `node`, which comes with a reference (+1) that `NewestFirst` now owns.
    mutating func insert(_ node: Unmanaged<Value>) {
        insert(Entry(id: node._withUnsafeGuaranteedRef { $0.id }, node: node))
    }

    /// Adds `entry`, whose reference `NewestFirst` now owns.
    mutating func insert(_ entry: Entry) {
        if let top = ascending.last, top.id > entry.id {
            insertOutOfOrder(entry)
        } else {
            ascending.append(entry)
        }
    }

    /// Removes and returns the newest node, with the reference that came with it.
    mutating func popNewest() -> Unmanaged<Value>? {
        if let heapTop = outOfOrder.first, ascending.last.map({ $0.id < heapTop.id }) ?? true {
            return popOutOfOrder()
        }
        return ascending.popLast()?.node
    }

    private mutating func insertOutOfOrder(_ entry: Entry) {
        outOfOrder.append(entry)
        // Sift up: move older parents down one level until the entry's place is found.
        // (Through a buffer pointer: the indices are in range by construction.)
        outOfOrder.withUnsafeMutableBufferPointer { heap in
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

    private mutating func popOutOfOrder() -> Unmanaged<Value> {
        let last = outOfOrder.removeLast()
        guard !outOfOrder.isEmpty else { return last.node }
        let newest = outOfOrder[0].node
        // Sift `last` down from the top: move the newer child up one level until the
        // place for `last` is found.
        outOfOrder.withUnsafeMutableBufferPointer { heap in
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
