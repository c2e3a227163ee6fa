// Value+FastPath.swift — NOT IN THE READING ORDER. The same backward pass and the same
// teardown as Value+Backward.swift and Value.swift, rewritten for speed.
//
// Read the readable versions first; this file changes how, never what. `backward()` and
// `Value.deinit` run the code below while `Value.usesFastPath` is true (the default), and
// the readable code when it is false. EngineTests/FastPathTests.swift runs both on random
// graphs and checks that they visit the nodes in the same order, give the same gradients
// bit for bit, and free the same nodes. Why each trick is here, with the measurements,
// is in Docs/performance.md ("The Engine's fast path").
//
// The tricks:
// - The walk reads nodes through `Unmanaged` references (no reference counting) and marks
//   them with a walk number (`visitMark`) instead of a `Set`; it clears interior gradients
//   as it visits, instead of in a second pass.
// - The walk's two arrays are kept from one walk to the next (`WalkBuffers`).
// - The teardown frees exactly newest first with a stack plus a small heap (`NewestFirst`),
//   instead of collecting and sorting.

import Synchronization

extension Value {
    /// Whether `backward()` and `deinit` take this file's path. Both paths give the same
    /// results; the switch exists so that tests can compare them.
    public static var usesFastPath: Bool {
        get { fastPath.load(ordering: .relaxed) }
        set { fastPath.store(newValue, ordering: .relaxed) }
    }
    private static let fastPath = Atomic<Bool>(true)

    // MARK: - Backward

    /// `backward()`: what `BackwardPass(from: self)` run to the end does, without reference
    /// counting.
    func fastBackward() {
        let order = unretainedTopologicalOrder()
        grad = (grad ?? 0) + 1
        for node in order.reversed() {
            node._withUnsafeGuaranteedRef { $0.sendGradientToUnretainedInputs() }
        }
        WalkBuffers.giveBack(order: order)
    }

    /// `sendGradientToInputs()`, the same arithmetic in the same order, reaching the inputs
    /// without retaining and releasing them.
    @inline(__always)
    private func sendGradientToUnretainedInputs() {
        let upstream = grad ?? 0
        if let lhs = unretainedLhs {
            lhs._withUnsafeGuaranteedRef { $0.grad = ($0.grad ?? 0) + dLhs * upstream }
        }
        if let rhs = unretainedRhs {
            rhs._withUnsafeGuaranteedRef { $0.grad = ($0.grad ?? 0) + dRhs * upstream }
        }
    }

    /// The order of `topologicalOrder()`, as unretained references (valid while `self`
    /// lives, since `self` keeps the graph alive), clearing each interior node's gradient.
    func unretainedTopologicalOrder() -> [Unmanaged<Value>] {
        let mark = Value.newVisitMark()
        var (order, stack) = WalkBuffers.take()
        stack.append((.passUnretained(self), false))
        while let (entry, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(entry)
                continue
            }
            entry._withUnsafeGuaranteedRef { node in
                guard node.visitMark != mark else { return }
                node.visitMark = mark
                if !node.isLeaf { node.grad = nil }
                stack.append((entry, true))
                if let rhs = node.unretainedRhs, rhs._withUnsafeGuaranteedRef({ $0.visitMark != mark }) { stack.append((rhs, false)) }
                if let lhs = node.unretainedLhs, lhs._withUnsafeGuaranteedRef({ $0.visitMark != mark }) { stack.append((lhs, false)) }
            }
        }
        WalkBuffers.giveBack(stack: stack)
        return order
    }

    /// The inputs as unretained references: `self` keeps them alive.
    @inline(__always) var unretainedLhs: Unmanaged<Value>? { unsafeBitCast(lhs, to: Unmanaged<Value>?.self) }
    @inline(__always) var unretainedRhs: Unmanaged<Value>? { unsafeBitCast(rhs, to: Unmanaged<Value>?.self) }

    private static let visitCounter = Atomic<UInt32>(0)

    private static func newVisitMark() -> UInt32 {
        // 0 is the "never visited" mark of a new node, so skip it if the counter wraps.
        let mark = visitCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return mark == 0 ? newVisitMark() : mark
    }

    // MARK: - Teardown

    /// `deinit`'s loop: frees every node that only `root` still holds, directly or through
    /// other such nodes, exactly newest first (largest `id` first), one at a time.
    static func tearDownNewestFirst(inputsOf root: Value) {
        var pending = NewestFirst()
        detachInputs(of: root, into: &pending)
        while let next = pending.popNewest() {
            // `next` holds the last reference to its node: the node is freed at the end of
            // this iteration, once its own inputs have been detached.
            detachInputs(of: next, into: &pending)
        }
    }

    /// Empties `node`'s input slots, moving into `pending` each input that only `node` held
    /// (an input that someone else holds stays alive, so letting it go cannot recurse).
    @inline(__always)
    private static func detachInputs(of node: Value, into pending: inout NewestFirst) {
        // Moved out, not copied (`take()` leaves `nil` behind), so no count changes here.
        var older = node.lhs.take(), newer = node.rhs.take()
        if !isKnownUniquelyReferenced(&older) { older = nil }
        if !isKnownUniquelyReferenced(&newer) { newer = nil }
        // Older first, so that both usually land on top of `pending`'s ascending run.
        if let olderID = older?.id, let newerID = newer?.id, newerID < olderID { swap(&older, &newer) }
        if let input = older.take() { pending.insert(input) }
        if let input = newer.take() { pending.insert(input) }
    }
}

/// The topological walk's two arrays, kept from one walk to the next so that the next walk
/// of a graph that size finds them allocated. Arrays of more than `largestKept` entries are
/// not kept, so one huge graph does not hold on to its memory for the rest of the program.
enum WalkBuffers {
    typealias Order = [Unmanaged<Value>]
    typealias Stack = [(node: Unmanaged<Value>, inputsDone: Bool)]

    private static let spare = Mutex<(order: Order, stack: Stack)>(([], []))
    static let largestKept = 1 << 18

    /// The spare arrays, emptied, with their capacity.
    static func take() -> (order: Order, stack: Stack) {
        var buffers: (order: Order, stack: Stack) = ([], [])
        spare.withLock { swap(&$0, &buffers) }
        buffers.order.removeAll(keepingCapacity: true)
        buffers.stack.removeAll(keepingCapacity: true)
        return buffers
    }

    /// Keeps `order`'s storage for the next walk, if it is larger than the spare one.
    static func giveBack(order: Order) {
        guard order.capacity <= largestKept else { return }
        spare.withLock { if $0.order.capacity < order.capacity { $0.order = order } }
    }

    /// The same for the walk's stack.
    static func giveBack(stack: Stack) {
        guard stack.capacity <= largestKept else { return }
        spare.withLock { if $0.stack.capacity < stack.capacity { $0.stack = stack } }
    }
}

/// The nodes waiting to be freed: `popNewest()` returns the most recently created one.
///
/// Newest first is always possible: a node is created after its inputs, so everyone who
/// holds a node is newer than it. Two stores, because most nodes arrive in order:
/// `ascending`, a stack whose ids increase towards the top, takes a node newer than its top;
/// an older one goes into `outOfOrder`, a binary max-heap on id.
struct NewestFirst {
    /// A waiting node and its id (read once, on the way in).
    struct Entry {
        let id: Int
        let node: Value
    }

    private var ascending: [Entry] = []
    /// A max-heap: each entry's id is larger than its children's, at 2i + 1 and 2i + 2.
    private var outOfOrder: [Entry] = []

    /// Adds `node`, taking over the caller's reference to it.
    mutating func insert(_ node: consuming Value) {
        let entry = Entry(id: node.id, node: node)
        if let top = ascending.last, top.id > entry.id {
            insertOutOfOrder(entry)
        } else {
            ascending.append(entry)
        }
    }

    /// Removes and returns the newest node.
    mutating func popNewest() -> Value? {
        if let heapTop = outOfOrder.first, ascending.last.map({ $0.id < heapTop.id }) ?? true {
            return popOutOfOrder()
        }
        return ascending.popLast()?.node
    }

    private mutating func insertOutOfOrder(_ entry: Entry) {
        outOfOrder.append(entry)
        var child = outOfOrder.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard outOfOrder[parent].id < outOfOrder[child].id else { break }
            outOfOrder.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func popOutOfOrder() -> Value {
        outOfOrder.swapAt(0, outOfOrder.count - 1)
        let newest = outOfOrder.removeLast().node
        var parent = 0
        while true {
            var child = 2 * parent + 1
            guard child < outOfOrder.count else { break }
            if child + 1 < outOfOrder.count, outOfOrder[child + 1].id > outOfOrder[child].id { child += 1 }
            guard outOfOrder[child].id > outOfOrder[parent].id else { break }
            outOfOrder.swapAt(parent, child)
            parent = child
        }
        return newest
    }
}
