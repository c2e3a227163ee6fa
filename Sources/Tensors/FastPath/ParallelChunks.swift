// ParallelChunks.swift — how the BLAS backend's elementwise, reduction and optimizer loops, and
// its large matrix products, use more than one thread (`LUMEN_THREADS`, `Backends.setThreads`).
// Part of the fast path; the reference loops never split.
//
// The rule that keeps results bit-identical for any thread count: work is cut into chunks
// whose boundaries depend only on the sizes, never on the number of threads (fixed
// chunking), and no number is ever computed from two chunks' work. Elementwise loops and the
// optimizers' updates compute each element on its own, so any split gives the same bits; a
// reduction is split only between outputs (whole rows, or whole columns of a column sum),
// so every output is still summed in the same order, by one thread.
//
// Below `threshold` elements a loop runs on the calling thread: waking a second thread
// costs a few microseconds, which is what a loop of 65,536 Floats takes.
//
// Matrix products split too, above `gemmThreshold`: C's longer side in one block per thread,
// each block a single-threaded OpenBLAS call. Every element of C is still one dot product over
// the whole of k, but OpenBLAS may pick another kernel for a block's size than for the whole,
// so a product on several threads can differ from one thread's in the last bits (OpenBLAS's
// own threading did too); ThreadsTests checks them against the reference to rounding.
// OpenBLAS's own threads are never used: after a product its workers keep polling for about
// 0.1 s, and a worker polling on one of two cores starved this file's threads
// (Docs/performance.md, "Session 8").
//
// The threads themselves are WorkerThreads.swift's.
//
// Read next: WorkerThreads.swift.

#if BLAS

enum ParallelChunks {
    /// Loops over fewer elements than this run on the calling thread.
    static let threshold = 1 << 16
    /// The fixed chunk, in elements: 16,384 Floats (64 KB, within a core's L2).
    static let chunk = 1 << 14
    /// Products of at least this many multiply-adds (m·n·k, about 2 · 10⁶: tens of µs on one
    /// core) are split between the threads (`BLASBackend.gemm`).
    static let gemmThreshold = 1 << 21

    /// A thread count for the current task that wins over `Backends.threads` (tests).
    @TaskLocal static var threadsOverride: Int? = nil

    static var threads: Int { threadsOverride ?? Backends.threads }

    /// True when `elements` of work are worth splitting on this process's threads.
    @inline(__always)
    static func shouldSplit(_ elements: Int) -> Bool {
        elements >= threshold && threads > 1
    }

    /// Calls `body` with consecutive ranges covering 0..<count, each `perChunk` items long
    /// (the last shorter), spread over the threads: thread t takes chunks t, t + T, t + 2T, …
    /// The ranges are the same whatever the thread count.
    static func forEach(count: Int, perChunk: Int, _ body: (Range<Int>) -> Void) {
        let size = max(1, perChunk)
        let chunks = (count + size - 1) / size
        let workers = max(1, min(threads, chunks))
        // With one part, `run` calls it here, on this thread.
        WorkerThreads.shared.run(parts: workers) { worker in
            for c in stride(from: worker, to: chunks, by: workers) { body(c * size ..< min(count, (c + 1) * size)) }
        }
    }

    /// The chunk length, in items of `itemSize` elements, that makes a chunk about `chunk` elements.
    @inline(__always)
    static func items(perChunkOf itemSize: Int) -> Int { max(1, chunk / max(1, itemSize)) }
}
#endif
