// Value+Identity.swift — where a node's `id` comes from.
//
// An id counts the nodes created before it, so ids follow creation order and the same
// program numbers its nodes the same way on every run. Ids must also be unique when several
// threads build graphs, so they come from one process-wide atomic counter, but not one at a
// time: a thread takes a block of `IDBlock.size` ids with one atomic add and then hands them
// out one by one with plain arithmetic. A program with one thread gets 0, 1, 2, … as from a
// plain counter; with several, ids are unique, and in creation order within each thread.
//
// Why blocks: an atomic add is a locked instruction, and a locked instruction waits until
// every store before it has reached the cache. Making a node is mostly stores into memory
// that malloc has just handed out, so one atomic add per node waited for them: on W1 it was
// 88% of the time spent inside `+` and `*`, about 7% of the whole run (perf, quiet machine).
//
// Read next: Value+Primitives.swift.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

extension Value {
    /// The next id on this thread.
    static func makeID() -> Int {
        let block = IDBlock.ofCurrentThread()
        if block.pointee.next == block.pointee.end { block.pointee.refill() }
        let id = block.pointee.next
        block.pointee.next += 1
        return id
    }
}

/// The ids a thread has taken from the shared counter and not yet handed out: `next..<end`.
struct IDBlock {
    var next = 0
    var end = 0

    /// How many ids a thread takes at a time: the atomic add then happens once per 4,096
    /// nodes. A thread that ends leaves the rest of its block unused, which costs nothing.
    static let size = 4096

    private static let counter = Atomic<Int>(0)

    /// Takes the next `size` ids from the shared counter.
    mutating func refill() {
        next = IDBlock.counter.wrappingAdd(IDBlock.size, ordering: .relaxed).oldValue
        end = next + IDBlock.size
    }

    /// This thread's block: made (empty) on the thread's first node, freed when the thread ends.
    static func ofCurrentThread() -> UnsafeMutablePointer<IDBlock> {
        if let block = pthread_getspecific(key) {
            return block.assumingMemoryBound(to: IDBlock.self)
        }
        let block = malloc(MemoryLayout<IDBlock>.size)!.bindMemory(to: IDBlock.self, capacity: 1)
        block.initialize(to: IDBlock())
        pthread_setspecific(key, block)
        return block
    }

    /// The thread-local slot that holds each thread's block; its destructor frees the block.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { block in free(block) }
        precondition(status == 0, "Value ids: pthread_key_create failed with \(status)")
        return key
    }()
}
