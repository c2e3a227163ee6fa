// LargeBlockPool.swift — fast path, outside the reading order: a pool that recycles large
// blocks of tensor memory. A training step frees and allocates the same big activations and
// gradients every step; handing a freed block of the same size straight back saves malloc's
// work and the page faults of fresh memory. Behind the same two calls as plain memory
// (`allocate`, `deallocate`), so TensorStorage.swift reads as if it were plain memory.
// What it saves, measured: Docs/performance.md ("The readable core and the fast path").
//
// Read next: nothing; back to TensorStorage.swift.

import Synchronization

/// Blocks of 4 KB or more, kept after their storage is freed and handed to the next storage
/// of exactly the same size, up to 64 MB in all. Smaller blocks go straight to malloc, which
/// recycles them well. Large ones malloc returns to the kernel, and the next block of that
/// size starts as unmapped pages, a page fault per 4 KB when it is first written; between
/// 4 and 64 KB malloc keeps the memory but spends time sorting its bins.
enum LargeBlockPool {
    static let smallestBytes = 4 << 10
    static let mostBytesKept = 64 << 20

    /// The free blocks. (Addresses as integers, which can cross threads; the pool owns the
    /// blocks while they are listed.)
    private static let free = Mutex(FreeBlocks(capacity: mostBytesKept))

    static func allocate<S>(_: S.Type, capacity: Int) -> UnsafeMutablePointer<S> {
        let bytes = capacity * MemoryLayout<S>.stride
        if bytes >= smallestBytes, let address = free.withLock({ $0.take(bytes) }) {
            return UnsafeMutableRawPointer(bitPattern: address)!.bindMemory(to: S.self, capacity: capacity)
        }
        return .allocate(capacity: capacity)
    }

    static func deallocate<S>(_ pointer: UnsafeMutablePointer<S>, capacity: Int) {
        let bytes = capacity * MemoryLayout<S>.stride
        let kept = bytes >= smallestBytes && free.withLock { blocks in
            blocks.keep(Int(bitPattern: pointer), bytes) { evicted in
                UnsafeMutableRawPointer(bitPattern: evicted)!.deallocate()
            }
        }
        if !kept { pointer.deallocate() }
    }
}

/// The pool's bookkeeping, kept apart from the memory so that it can be tested on its own:
/// the addresses of free blocks by exact size in bytes, their total, and when each size was
/// last asked for.
///
/// When keeping a block would pass `capacity`, the blocks of the size asked for least
/// recently are let go first (all of that size, then the next stalest size, …). Without
/// that, a pool filled by one model's sizes stayed full of them, and every block of the
/// next model went back to malloc.
struct FreeBlocks {
    /// The most bytes kept.
    let capacity: Int
    private(set) var blocks: [Int: [Int]] = [:]
    /// The total size of the blocks kept.
    private(set) var bytes = 0
    /// For each size, the value of `requests` when it was last asked for.
    private var lastAsked: [Int: Int] = [:]
    private var requests = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// A kept block of exactly `size` bytes, taken out of the pool, or nil.
    mutating func take(_ size: Int) -> Int? {
        requests += 1
        lastAsked[size] = requests
        guard let address = blocks[size]?.popLast() else { return nil }
        if blocks[size]!.isEmpty { blocks[size] = nil }
        bytes -= size
        return address
    }

    /// How many sizes the pool remembers a last request for (bounded, see `keep`).
    var rememberedSizes: Int { lastAsked.count }

    /// Keeps the block at `address` (`size` bytes) for a later `take`, making room by letting
    /// go of blocks of other, less recently asked-for sizes: `release` is called with each
    /// address the pool gives up. Returns false, keeping nothing, if there is still no room
    /// (the block is larger than the pool, or the pool is full of blocks of this size).
    mutating func keep(_ address: Int, _ size: Int, release: (Int) -> Void) -> Bool {
        guard size <= capacity else { return false }
        while bytes + size > capacity {
            let others = blocks.filter { $0.key != size && !$0.value.isEmpty }.keys
            guard let stalest = others.min(by: { lastAsked[$0, default: 0] < lastAsked[$1, default: 0] }) else {
                return false
            }
            for evicted in blocks[stalest]! { release(evicted) }
            bytes -= stalest * blocks[stalest]!.count
            blocks[stalest] = nil
        }
        blocks[size, default: []].append(address)
        bytes += size
        // Forget the requests for sizes the pool holds no block of, once they outnumber the
        // sizes it does hold: a program whose shapes keep changing would otherwise grow this
        // table (and the search above) without end.
        if lastAsked.count > 2 * blocks.count + 64 {
            lastAsked = lastAsked.filter { blocks[$0.key] != nil }
        }
        return true
    }
}
