// WorkerThreads.swift — the threads that run ParallelChunks' work beside the calling thread
// (`LUMEN_THREADS` above 1). Part of the fast path.
//
// Why not `DispatchQueue.concurrentPerform`: its worker threads sleep between calls, and
// waking one took 40–75 µs on a 2-vCPU KVM guest (an Intel Xeon, Docs/performance.md,
// "Session 12"). A training step of W4 (1.4 ms) calls for a second thread several times, and
// the wake-ups cost more than the second thread saved: W4 ran slower on two threads than on
// one (0.75 against 0.65 s per epoch).
//
// So these workers are Lumen's own, started once and kept. After a job a worker polls for the
// next one for `pollNanoseconds`, then sleeps on a semaphore until the next job wakes it.
// Jobs that follow each other within a step find it awake; between epochs, or when the
// program does something else, it sleeps. (OpenBLAS's own threads poll for about 0.1 s, and
// on two cores that starved other work: ParallelChunks.swift.)
//
// One job at a time: a call made while another is running (a nested call, or a second
// thread of the program) runs all of its parts on its own thread, in order. ParallelChunks'
// fixed chunking makes that give the same bits.
//
// Read next: BLASBackend.swift.

#if BLAS
import Dispatch
import Foundation
import Synchronization

final class WorkerThreads: Sendable {
    static let shared = WorkerThreads()

    /// How long a worker polls for its next job before it sleeps: 1 ms.
    static let pollNanoseconds: UInt64 = 1_000_000

    /// Whether a job is running.
    private let busy = Atomic<Bool>(false)
    /// The workers started so far; more start when a job needs them.
    private let started = Mutex<[Worker]>([])

    /// Calls `body(0)` on the calling thread and `body(1)` … `body(parts − 1)` on workers,
    /// and returns when every call has returned. When another job is running, calls them all
    /// on the calling thread, in order.
    func run(parts: Int, _ body: (Int) -> Void) {
        guard parts > 1, !busy.exchange(true, ordering: .acquiring) else {
            for part in 0..<parts { body(part) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        let workers = started.withLock { started in
            while started.count < parts - 1 { started.append(Worker()) }
            return Array(started.prefix(parts - 1))
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            for (k, worker) in workers.enumerated() { worker.post { shared.value(k + 1) } }
            body(0)
            for worker in workers { worker.waitUntilDone() }
        }
    }
}

/// One thread that runs the jobs posted to it, one at a time.
private final class Worker: @unchecked Sendable {
    /// Jobs posted, and jobs finished, so far (the worker is idle when they are equal).
    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    /// Set by the worker just before it sleeps; whoever clears it first decides who signals.
    private let sleeping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// The current job: written by the poster before it raises `posted`, read by the worker
    /// after it sees `posted` rise, cleared by the poster after `finished` catches up.
    private var job: (() -> Void)?

    init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "lumen-worker"
        thread.start()
    }

    func post(_ job: @escaping () -> Void) {
        self.job = job
        posted.add(1, ordering: .sequentiallyConsistent)
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { wake.signal() }
    }

    func waitUntilDone() {
        let target = posted.load(ordering: .relaxed)
        while finished.load(ordering: .acquiring) != target {}
        job = nil
    }

    private func loop() {
        var seen = 0
        while true {
            waitForJob(after: seen)
            seen = posted.load(ordering: .acquiring)
            job!()
            finished.store(seen, ordering: .releasing)
        }
    }

    /// Returns once `posted` has moved past `seen`: polling for `pollNanoseconds`, then asleep.
    private func waitForJob(after seen: Int) {
        var deadline = DispatchTime.now().uptimeNanoseconds + WorkerThreads.pollNanoseconds
        var polls = 0
        while posted.load(ordering: .acquiring) == seen {
            polls += 1
            guard polls % 64 == 0, DispatchTime.now().uptimeNanoseconds > deadline else { continue }
            sleeping.store(true, ordering: .sequentiallyConsistent)
            // A job posted since the last check: if the flag is still ours, the poster will
            // not signal, so go and run it; if the poster took it, its signal is on the way.
            if posted.load(ordering: .sequentiallyConsistent) != seen
                && sleeping.exchange(false, ordering: .sequentiallyConsistent) { return }
            wake.wait()
            deadline = DispatchTime.now().uptimeNanoseconds + WorkerThreads.pollNanoseconds
        }
    }
}

/// Hands a closure over raw buffers to the worker threads. Safe here because each part
/// writes a disjoint range and `run` returns only when all parts are done.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
#endif
