// Backends+Choice.swift — choosing the backend for the whole process, in one line:
// `try Backends.use(.reference)` from code, or `LUMEN_BACKEND=reference|blas` from the
// environment. BLAS is the default when it is compiled in (package trait `BLAS`). Also the
// BLAS backend's thread count (`LUMEN_THREADS`, default 1; OpenBLAS itself always runs on
// one, Lumen splits the work), whether its short products may use Lumen's AVX2 loops
// (`LUMEN_AVX2`, default 1), and the core OpenBLAS runs on, which benchmarks and
// `lumen train` report. A scope can still pick its own backend with
// `Backends.$scoped.withValue(…)`, which wins over the process-wide choice.
//
// Read next: BLASBackend.swift, the fast path itself.

import Foundation
import Synchronization
#if BLAS
import COpenBLAS
#endif

/// The backends a process can choose by name.
public enum BackendKind: String, CaseIterable, Sendable {
    /// `ReferenceBackend`: the readable loops.
    case reference
    /// `BLASBackend`: OpenBLAS for gemm, tight loops for contiguous data.
    case blas
}

/// A backend setting that could not be applied. User input (an environment variable, a
/// command-line option), so it is reported, never trapped on.
public enum BackendError: Error, Equatable, CustomStringConvertible {
    /// A backend name that is neither `reference` nor `blas`.
    case unknownBackend(String)
    /// `blas` was asked for, but Lumen was built without the BLAS trait.
    case blasNotCompiledIn
    /// A thread count that is not a whole number from 1 to 64.
    case invalidThreadCount(String)
    /// A LUMEN_AVX2 value other than 0 or 1.
    case invalidAVX2Setting(String)

    public var description: String {
        switch self {
        case .unknownBackend(let name):
            "'\(name)' is not a backend; use one of: \(BackendKind.allCases.map(\.rawValue).joined(separator: ", "))"
        case .blasNotCompiledIn:
            "this build of Lumen has no BLAS backend (it was built with the BLAS trait off); "
                + "use 'reference', or rebuild with the default traits and libopenblas-dev installed"
        case .invalidThreadCount(let text):
            "'\(text)' is not a thread count; give a whole number from 1 to 64"
        case .invalidAVX2Setting(let text):
            "'\(text)' is not an AVX2 setting; give 0 (every product on OpenBLAS) or 1 (the default: "
                + "Lumen's AVX2 loops for short products, where the CPU has AVX2)"
        }
    }
}

extension Backends {
    /// Whether this build contains the BLAS backend (the package trait `BLAS`, on by default).
    #if BLAS
    public static let isBLASAvailable = true
    #else
    public static let isBLASAvailable = false
    #endif

    /// The backend every op uses unless a scope overrides it: set by `use(_:)`, and at
    /// start-up by `LUMEN_BACKEND`. Without either, `.blas` when compiled in.
    public static var processDefault: BackendKind {
        BackendKind.allCases[processChoice.load(ordering: .relaxed)]
    }

    /// The backend of the process's choice, as `current` hands it to the ops.
    public static var processBackend: any Backend {
        #if BLAS
        if processDefault == .blas { return BLASBackend() }
        #endif
        return ReferenceBackend()
    }

    /// Makes `kind` the backend of the whole process (tasks that chose their own with
    /// `$scoped.withValue` keep theirs).
    ///
    /// - Throws: `BackendError.blasNotCompiledIn` for `.blas` in a build without BLAS.
    public static func use(_ kind: BackendKind) throws(BackendError) {
        if kind == .blas && !isBLASAvailable { throw .blasNotCompiledIn }
        processChoice.store(BackendKind.allCases.firstIndex(of: kind)!, ordering: .relaxed)
    }

    /// The backend named `name` (`reference` or `blas`), as a user would type it.
    ///
    /// - Throws: `BackendError.unknownBackend` or `.blasNotCompiledIn`.
    public static func kind(named name: String) throws(BackendError) -> BackendKind {
        guard let kind = BackendKind(rawValue: name.lowercased()) else { throw .unknownBackend(name) }
        if kind == .blas && !isBLASAvailable { throw .blasNotCompiledIn }
        return kind
    }

    /// What was wrong with `LUMEN_BACKEND`, `LUMEN_THREADS` or `LUMEN_AVX2` at start-up, if anything.
    /// Ops cannot throw, so a bad value is reported on stderr once and the default is used;
    /// a command-line program can call this to turn it into an error of its own instead.
    public static var environmentProblems: [BackendError] {
        var problems: [BackendError] = []
        if case .failure(let error) = environmentBackend() { problems.append(error) }
        if case .failure(let error) = environmentThreads() { problems.append(error) }
        if case .failure(let error) = environmentAVX2() { problems.append(error) }
        return problems
    }

    /// A LUMEN_AVX2 value as a user would type it: "0" (false: every Float product on OpenBLAS)
    /// or "1" (true: Lumen's AVX2 loops for the short products, where the CPU has AVX2 and FMA).
    ///
    /// - Throws: `BackendError.invalidAVX2Setting` for anything else.
    public static func avx2Setting(named text: String) throws(BackendError) -> Bool {
        switch text {
        case "0": false
        case "1": true
        default: throw .invalidAVX2Setting(text)
        }
    }

    /// Whether LUMEN_AVX2 allows the AVX2 products: unless it is 0. A bad value is reported on
    /// stderr once and the default (allowed) is used.
    static let avx2Allowed: Bool = {
        switch environmentAVX2() {
        case .success(let allowed): return allowed ?? true
        case .failure(let error):
            warn("LUMEN_AVX2: \(error); using 1")
            return true
        }
    }()

    /// Lumen's thread count for the BLAS backend's loops and products (FastPath/ParallelChunks.swift):
    /// `LUMEN_THREADS` at start-up, else 1. OpenBLAS itself always runs on one. One thread by default
    /// because Lumen's training matrices are small (digits-mlp's are 64 × 128), where waking a second
    /// thread costs more than it saves, and because tests and tasks often run several
    /// products at once on their own threads. 1 without BLAS.
    public static var threads: Int {
        #if BLAS
        _ = threadsConfigured
        return threadCount.load(ordering: .relaxed)
        #else
        1
        #endif
    }

    /// Sets the thread count of the BLAS backend's loops and products for the process.
    ///
    /// - Throws: `BackendError.invalidThreadCount` outside 1...64 (OpenBLAS's maximum here).
    public static func setThreads(_ count: Int) throws(BackendError) {
        guard (1...64).contains(count) else { throw .invalidThreadCount(String(count)) }
        #if BLAS
        _ = threadsConfigured
        threadCount.store(count, ordering: .relaxed)
        #endif
    }

    /// The CPU kernels OpenBLAS runs on (`openblas_get_corename()`, e.g. "Haswell"), or nil
    /// without BLAS. The environment may force it with OPENBLAS_CORETYPE; Lumen never changes that.
    public static var blasCoreName: String? {
        #if BLAS
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
        #else
        nil
        #endif
    }

    /// OpenBLAS's cores whose sgemm uses AVX2 or AVX-512 with FMA, in `openblas_get_corename()`'s
    /// spelling.
    static let vectorCores: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    /// A note for the user when OpenBLAS runs older kernels than the CPU can: a CPU with AVX2
    /// and FMA on a core outside `vectorCores` (OpenBLAS 0.3.21 takes Intel's Emerald Rapids
    /// for a "Prescott" and runs SSE3 kernels, whose products were 2–5× slower there than its
    /// Haswell and SkylakeX ones: Docs/performance.md, "Session 12"). nil when all is well, or without
    /// BLAS. The note names the variable to set; Lumen never sets it itself.
    public static var blasCoreAdvice: String? {
        #if BLAS
        guard let core = blasCoreName else { return nil }
        return blasCoreAdvice(core: core, cpuHasAVX2AndFMA: BLASBackend.cpuHasAVX2AndFMA,
                              coreTypeSetting: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
        #else
        nil
        #endif
    }

    /// `blasCoreAdvice` for a given core, CPU and OPENBLAS_CORETYPE value (tests).
    static func blasCoreAdvice(core: String, cpuHasAVX2AndFMA: Bool, coreTypeSetting: String?) -> String? {
        guard cpuHasAVX2AndFMA, !vectorCores.contains(core.lowercased()) else { return nil }
        let cause = coreTypeSetting.map { "OPENBLAS_CORETYPE=\($0) chooses them" }
            ?? "OpenBLAS did not recognize this CPU"
        return "OpenBLAS runs its \(core) kernels, without AVX2, although this CPU has AVX2 and FMA "
            + "(\(cause)), so matrix products are several times slower than they could be. "
            + "Set OPENBLAS_CORETYPE=Haswell (AVX2), or OPENBLAS_CORETYPE=SkylakeX if the CPU has AVX-512 "
            + "(grep avx512f /proc/cpuinfo), in the environment before starting Lumen."
    }

    /// Whether the BLAS backend runs a convolution's short products in Lumen's AVX2 loops
    /// (AVX2Kernels): the CPU has AVX2 and FMA, and LUMEN_AVX2 is not 0.
    public static var usesAVX2Products: Bool {
        #if BLAS
        BLASBackend.usesAVX2
        #else
        false
        #endif
    }

    /// One line for logs and benchmark output: "blas (OpenBLAS core Haswell, AVX2 products,
    /// 1 thread)", without "AVX2 products" where `usesAVX2Products` is false.
    public static func summary(of kind: BackendKind) -> String {
        switch kind {
        case .reference: "reference"
        case .blas: "blas (OpenBLAS core \(blasCoreName ?? "none")\(usesAVX2Products ? ", AVX2 products" : ""), "
            + "\(threads) thread\(threads == 1 ? "" : "s"))"
        }
    }

    // MARK: - Process state

    /// The index in `BackendKind.allCases` of the process-wide choice, read on every op.
    private static let processChoice = Atomic<Int>(BackendKind.allCases.firstIndex(of: initialChoice())!)

    private static func initialChoice() -> BackendKind {
        switch environmentBackend() {
        case .success(let kind?): return kind
        case .success(nil): return isBLASAvailable ? .blas : .reference
        case .failure(let error):
            let fallback: BackendKind = isBLASAvailable ? .blas : .reference
            warn("LUMEN_BACKEND: \(error); using \(fallback.rawValue)")
            return fallback
        }
    }

    /// LUMEN_BACKEND parsed: nil when unset or empty.
    private static func environmentBackend() -> Result<BackendKind?, BackendError> {
        guard let text = ProcessInfo.processInfo.environment["LUMEN_BACKEND"], !text.isEmpty else {
            return .success(nil)
        }
        return Result { () throws(BackendError) in try kind(named: text) }
    }

    /// LUMEN_AVX2 parsed: nil when unset or empty.
    private static func environmentAVX2() -> Result<Bool?, BackendError> {
        guard let text = ProcessInfo.processInfo.environment["LUMEN_AVX2"], !text.isEmpty else {
            return .success(nil)
        }
        return Result { () throws(BackendError) in try avx2Setting(named: text) }
    }

    /// LUMEN_THREADS parsed: nil when unset or empty.
    private static func environmentThreads() -> Result<Int?, BackendError> {
        guard let text = ProcessInfo.processInfo.environment["LUMEN_THREADS"], !text.isEmpty else {
            return .success(nil)
        }
        guard let count = Int(text), (1...64).contains(count) else { return .failure(.invalidThreadCount(text)) }
        return .success(count)
    }

    #if BLAS
    /// The BLAS backend's thread count as last set.
    private static let threadCount = Atomic<Int>(1)

    /// Reads LUMEN_THREADS (or 1), sets OpenBLAS to one thread and ends its workers, once,
    /// before the first product or the first `setThreads`. Reading it costs one check after that.
    static let threadsConfigured: Bool = {
        var count = 1
        switch environmentThreads() {
        case .success(let value): count = value ?? 1
        case .failure(let error): warn("LUMEN_THREADS: \(error); using 1 thread")
        }
        openblas_set_num_threads(1)
        threadCount.store(count, ordering: .relaxed)
        stopIdleBLASWorkers()
        return true
    }()

    /// Ends the worker threads OpenBLAS started when it was loaded, which Lumen never uses: its
    /// products run single-threaded, split between Lumen's own threads when there are several.
    ///
    /// Why: OpenBLAS starts one worker per core as the library loads, and each keeps polling
    /// (`sched_yield` in a loop) for 2²⁸ clock ticks, about 0.1 s here, before it goes to
    /// sleep. `openblas_set_num_threads(1)` does not stop them. A short run paid a whole
    /// second core for nothing: its CPU time came out twice its wall time (Docs/performance.md).
    /// With two threads they were worse than idle: a worker polling on one of two cores left
    /// Lumen's second thread waiting for a core, and an epoch of W4 took over 20 times as long
    /// on a busy machine (Docs/performance.md, "Session 8").
    /// `blas_thread_shutdown_` is the routine OpenBLAS itself runs before a `fork`; OpenBLAS
    /// would start the workers again only for a product on several threads, which Lumen never
    /// asks of it. Looked up by name at run time, because not
    /// every OpenBLAS build (an OpenMP one, say) has it. Run once, before Lumen's first
    /// product, so no product of Lumen's can be running on those threads.
    private static func stopIdleBLASWorkers() {
        guard let library = dlopen(nil, RTLD_LAZY) else { return }
        defer { dlclose(library) }
        guard let symbol = dlsym(library, "blas_thread_shutdown_") else { return }
        let shutdown = unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)
        _ = shutdown()
    }
    #endif

    private static func warn(_ message: String) {
        FileHandle.standardError.write(Data("lumen: \(message)\n".utf8))
    }
}
