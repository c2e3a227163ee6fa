// ThreadsTests.swift — the BLAS backend's loops on several threads (FastPath/ParallelChunks.swift)
// give the same bits for any thread count, and the reference's numbers: elementwise ops,
// broadcasts, reductions along either axis, and the optimizers' update, on tensors above the
// threshold where the work is split; matrix products to rounding. Also BLAS's pow-free squares.

#if BLAS
import Foundation
import Synchronization
import Testing
import COpenBLAS
@testable import Tensors

@Suite struct ThreadsTests {
    /// 300 × 700 = 210,000 elements, above `ParallelChunks.threshold`.
    static let shape = [300, 700]

    /// Every op's result, on BLAS with `threads` threads.
    static func results(threads: Int) -> [[Float]] {
        ParallelChunks.$threadsOverride.withValue(threads) {
            Backends.$scoped.withValue(BLASBackend()) { everything() }
        }
    }

    static func everything() -> [[Float]] {
        var rng = SplitMix64(seed: 21)
        let x = Tensor<Float>.randomUniform(shape, -1, 1, using: &rng)
        let y = Tensor<Float>.randomUniform(shape, -1, 1, using: &rng)
        let bias = Tensor<Float>.randomUniform([700], -1, 1, using: &rng)
        let column = Tensor<Float>.randomUniform([300, 1], 0.5, 1, using: &rng)
        // Adam on a 210,000-element parameter, two steps, and SGD with momentum's axpby.
        let theta = Tensor<Float>.randomUniform([210_000], -1, 1, using: &rng)
        let g = Tensor<Float>.randomUniform([210_000], -1, 1, using: &rng)
        let m = Tensor<Float>.zeros([210_000]), v = Tensor<Float>.zeros([210_000])
        for step in 1...2 {
            theta.update(.adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0,
                               decoupledWeightDecay: 0, step: step), gradient: g, state: (m, v, nil))
        }
        let momentum = Tensor<Float>.randomUniform([210_000], -1, 1, using: &rng)
        momentum.update(.sgd(learningRate: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0,
                             firstStep: false), gradient: g, state: (theta, nil, nil))
        return [
            x.relu().scalars, (x + y).scalars, (x * bias).scalars, (x / column).scalars, (x * 3).scalars,
            x.exp().scalars, x.sum(axis: 0).scalars, x.sum(axis: 1).scalars, x.sum().scalars,
            theta.scalars, m.scalars, v.scalars, momentum.scalars,
        ]
    }

    @Test func theSameBitsForAnyThreadCount() {
        let one = Self.results(threads: 1)
        for threads in [2, 3, 4] {
            let many = Self.results(threads: threads)
            for (index, (a, b)) in zip(one, many).enumerated() {
                #expect(a == b, "result \(index) on \(threads) threads differs from 1 thread")
            }
        }
    }

    @Test func theReferenceNumbers() {
        let many = Self.results(threads: 2)
        let reference = Backends.$scoped.withValue(ReferenceBackend()) { Self.everything() }
        for (index, (a, b)) in zip(reference, many).enumerated() {
            #expect(a.count == b.count)
            // Elementwise results exactly; sums to rounding (BLAS adds in another order).
            let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            #expect(worst <= 1e-4, "result \(index): relative difference \(worst)")
        }
    }

    /// BLAS computes x² as x·x and x¹ as x (no pow per element): exactly those values, and
    /// the reference's pow to rounding, zeros, negatives, ±∞ and NaN included.
    @Test func squaresAndFirstPowersWithoutPow() {
        let x = Tensor<Float>([-3, -0.0, 0, 1e-20, 2.5, 7e18, .infinity, -.infinity, .nan, 0.3])
        let (square, same) = Backends.$scoped.withValue(BLASBackend()) { (x.pow(2).scalars, x.pow(1).scalars) }
        let expected = x.scalars.map { $0 * $0 }
        #expect(zip(square, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        #expect(zip(same, x.scalars).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        let reference = Backends.$scoped.withValue(ReferenceBackend()) { x.pow(2).scalars }
        for (a, b) in zip(square, reference) where !a.isNaN {
            #expect(a == b || abs(a - b) <= 1e-6 * abs(b), "\(a) against pow's \(b)")
        }
    }

    @Test func theSplitHappensAboveTheThreshold() {
        ParallelChunks.$threadsOverride.withValue(2) {
            #expect(ParallelChunks.shouldSplit(ParallelChunks.threshold))
            #expect(!ParallelChunks.shouldSplit(ParallelChunks.threshold - 1))
            // Fixed chunking: the ranges cover everything once, in chunks that do not depend on threads.
            let log = RangeLog()
            ParallelChunks.forEach(count: 100_000, perChunk: ParallelChunks.chunk) { log.append($0) }
            let ranges = log.ranges.sorted { $0.lowerBound < $1.lowerBound }
            #expect(ranges.map(\.count).reduce(0, +) == 100_000)
            #expect(ranges.dropLast().allSatisfy { $0.count == ParallelChunks.chunk })
        }
        ParallelChunks.$threadsOverride.withValue(1) { #expect(!ParallelChunks.shouldSplit(1 << 20)) }
    }

    /// Products above `gemmThreshold`, cut by rows (m > n) and by columns, with op(A) = Aᵀ and
    /// op(B) = Bᵀ, on 1, 2 and 3 threads, against the reference loop. Not bit for bit: a block
    /// of C is a product of another size, for which OpenBLAS may pick another kernel.
    @Test func productsOnSeveralThreads() {
        var rng = SplitMix64(seed: 22)
        func random(_ shape: [Int]) -> Tensor<Float> { Tensor.randomUniform(shape, -1, 1, using: &rng) }
        // m × k · k × n with m = 160, n = 110 (cut by rows) or m = 110, n = 160 (by columns), k = 130.
        let (tall, wide) = (random([160, 130]), random([130, 110]))
        let (tallT, wideT) = (random([130, 160]).transposed(), random([110, 130]).transposed())
        let products: [(String, () -> Tensor<Float>)] = [
            ("rows", { tall.matmul(wide) }), ("rows, Aᵀ and Bᵀ", { tallT.matmul(wideT) }),
            ("columns, Aᵀ and Bᵀ", { wide.transposed().matmul(tall.transposed()) }),
            ("columns", { wideT.transposed().matmul(tallT.transposed()) }),
        ]
        for (name, product) in products {
            let reference = Backends.$scoped.withValue(ReferenceBackend()) { product().scalars }
            for threads in [1, 2, 3] {
                let blas = ParallelChunks.$threadsOverride.withValue(threads) {
                    Backends.$scoped.withValue(BLASBackend()) { product().scalars }
                }
                let worst = zip(reference, blas).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? .infinity
                #expect(blas.count == reference.count && worst <= 1e-5, "\(name) on \(threads) threads: \(worst)")
            }
        }
        #expect(160 * 110 * 130 >= ParallelChunks.gemmThreshold)
    }

    /// OpenBLAS runs on one thread whatever Lumen's thread count: Lumen splits the products
    /// itself. (Setting the process's count for a moment is harmless to tests running beside
    /// this one: every result is the same for any count, as checked above.)
    @Test func openBLASRunsOnOneThread() throws {
        let before = Backends.threads
        try Backends.setThreads(2)
        defer { try? Backends.setThreads(before) }
        #expect(Backends.threads == 2)
        #expect(openblas_get_num_threads() == 1)
    }

    /// Lumen's worker threads run every part of a job exactly once: a plain job, a job
    /// started from inside a part (it runs on that thread, in order, instead of waiting for
    /// itself), a job after the workers have gone to sleep (10 ms, past the 1 ms of polling),
    /// and jobs posted from eight threads at once (one gets the workers, the others run
    /// their parts themselves).
    @Test func workerThreadsRunEveryPartOnce() {
        let pool = WorkerThreads.shared
        @Sendable func job(parts: Int, nested: Bool = false) -> [Int] {
            let log = RangeLog()
            pool.run(parts: parts) { part in
                log.append(part ..< part + 1)
                if nested && part == 0 {
                    for inner in job(parts: 3) { log.append(100 + inner ..< 101 + inner) }
                }
            }
            return log.ranges.map(\.lowerBound).sorted()
        }
        #expect(job(parts: 3) == [0, 1, 2])
        #expect(job(parts: 2, nested: true) == [0, 1, 100, 101, 102])
        Thread.sleep(forTimeInterval: 0.01)
        #expect(job(parts: 4) == [0, 1, 2, 3])
        let results = Mutex<[[Int]]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let parts = job(parts: 2)
            results.withLock { $0.append(parts) }
        }
        #expect(results.withLock { $0 } == Array(repeating: [0, 1], count: 8))
    }
}

/// Ranges collected from the worker threads.
final class RangeLog: Sendable {
    private let stored = Mutex<[Range<Int>]>([])
    func append(_ range: Range<Int>) { stored.withLock { $0.append(range) } }
    var ranges: [Range<Int>] { stored.withLock { $0 } }
}
#endif
