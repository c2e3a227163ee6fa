// Harness.swift — running each measurement in its own process on a quiet machine.
//
// WORKLOADS.md's conventions: every configuration runs as a separate process, at least three
// times, and the median over processes is reported with min and max. The machine is shared,
// so before each run the harness waits (up to --max-wait) until other processes use less than
// 0.15 core, and during the run it measures how much CPU everything else took (/proc/stat
// minus the child's own rusage). Runs with a foreign load under 0.15 core are "clean"; the
// summary uses the clean runs when there are at least three of them.
//
// Read next: W1MoonsDemo.swift and W2GraphScaling.swift, the workloads themselves.

import Basics
import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock seconds from CLOCK_MONOTONIC, the clock the peers' `time.perf_counter` uses.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

// MARK: - RESULT lines

/// One `RESULT key=value ...` line, in the peers' style (../shared/bench/peers/common.py):
/// floats with 6 significant digits unless they are given as text.
struct ResultLine {
    private(set) var fields: [(key: String, value: String)] = []

    init(_ fields: KeyValuePairs<String, Any> = [:]) {
        for (key, value) in fields { self[key] = value }
    }

    subscript(key: String) -> Any? {
        get { fields.first { $0.key == key }?.value }
        set {
            guard let newValue else {
                fields.removeAll { $0.key == key }
                return
            }
            let text =
                switch newValue {
                case let number as Double: String(format: "%.6g", number)
                default: "\(newValue)"
                }
            if let index = fields.firstIndex(where: { $0.key == key }) {
                fields[index].value = text
            } else {
                fields.append((key, text))
            }
        }
    }

    var text: String { "RESULT " + fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    /// The fields of the first line of `output` that starts with "RESULT ".
    static func parse(_ output: String) -> [String: String]? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else { return nil }
        var fields: [String: String] = [:]
        for token in line.dropFirst("RESULT ".count).split(separator: " ") {
            let parts = token.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }
}

// MARK: - Statistics

/// Median, min and max of a sample (the median of an even count is the mean of the middle two).
struct Spread {
    let median: Double
    let min: Double
    let max: Double

    init(_ values: [Double]) {
        trapUnless(!values.isEmpty, "Spread: no values to summarize")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }

    /// Writes `key`, `key_min` and `key_max`.
    func write(into line: inout ResultLine, key: String) {
        line[key] = median
        line[key + "_min"] = min
        line[key + "_max"] = max
    }
}

// MARK: - Machine load

/// CPU time used by the whole machine, from the first line of /proc/stat.
struct MachineCPU {
    /// Busy time (everything but idle and iowait), in seconds, summed over cores.
    static func busySeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return nil }
        let idle = ticks[3] + ticks[4]
        return (ticks[0..<8].reduce(0, +) - idle) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds used so far by this process's finished children.
    static func childrenSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(truncatingIfNeeded: RUSAGE_CHILDREN.rawValue), &usage)
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private static func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }

    /// How many cores the machine kept busy over the next `interval` seconds.
    static func busyCores(over interval: Double) -> Double? {
        guard let before = busySeconds() else { return nil }
        Thread.sleep(forTimeInterval: interval)
        guard let after = busySeconds() else { return nil }
        return (after - before) / interval
    }

    /// Waits until the machine is quiet (< `threshold` cores busy) or `maxWait` seconds have
    /// passed. Returns the load last seen and how long it waited.
    static func waitForQuiet(threshold: Double, maxWait: Double) -> (load: Double, waited: Double) {
        let start = monotonicSeconds()
        while true {
            let load = busyCores(over: 1) ?? 0
            let waited = monotonicSeconds() - start
            if load < threshold || waited >= maxWait { return (load, waited) }
            Thread.sleep(forTimeInterval: 2)
        }
    }
}

// MARK: - Memory latency

/// The latency of one dependent load over a 16 MB footprint, in ns.
///
/// On this shared VM the last-level cache is shared with other tenants; when they thrash it,
/// Lumen's graphs (about 8 MB of nodes per W1 step) fall out to DRAM and W1 runs up to 2.5×
/// slower while the CPU itself is no slower. Recording this probe with each run shows which
/// state the machine was in: higher means more contended. (The figure includes TLB misses,
/// so it is above the bare DRAM latency; compare runs with each other, not with a data sheet.)
func memoryLatencyNanoseconds() -> Double {
    let count = 1 << 21  // 2M slots × 8 bytes = 16 MB
    // One random cycle through all slots (Sattolo's algorithm), so every load depends on the last.
    var next = Array(0..<count)
    var rng = SplitMix64(seed: 1)
    for i in stride(from: count - 1, to: 0, by: -1) {
        next.swapAt(i, Int.random(in: 0..<i, using: &rng))
    }
    let steps = 2_000_000
    return next.withUnsafeBufferPointer { slots in
        var index = 0
        let start = monotonicSeconds()
        for _ in 0..<steps { index = slots[index] }
        let seconds = monotonicSeconds() - start
        // Use the result, so the loop cannot be removed.
        return index < 0 ? 0 : 1e9 * seconds / Double(steps)
    }
}

// MARK: - Runs in separate processes

/// One `lumen-bench measure …` process: its RESULT fields and the conditions it ran in.
struct Run {
    let fields: [String: String]
    let wallSeconds: Double
    /// Cores' worth of CPU that other processes used during the run.
    let foreignCores: Double
    /// The machine's load just before the run, and how long the harness waited for quiet.
    let loadBefore: Double
    let waited: Double
    /// `memoryLatencyNanoseconds()` just before the run.
    let memoryLatency: Double

    static let quietThreshold = 0.15
    var isClean: Bool { foreignCores < Run.quietThreshold }

    func number(_ key: String) -> Double? { fields[key].flatMap(Double.init) }
}

struct Harness {
    let runs: Int
    let maxWait: Double

    /// Runs `lumen-bench measure <arguments>` in fresh processes until `runs` clean runs are
    /// in, or 2 × `runs` attempts have been made. Prints one progress line per run to stderr.
    func measure(_ arguments: [String]) throws(BenchError) -> (all: [Run], used: [Run]) {
        var all: [Run] = []
        while all.filter(\.isClean).count < runs && all.count < 2 * runs {
            let run = try runOnce(arguments)
            all.append(run)
            let label = arguments.joined(separator: " ")
            let summary = ["seconds", "fwd_ns_per_node", "bwd_ns_per_node", "s_per_epoch", "ms_per_step", "gflops"]
                .map { ($0, run.fields[$0]) }
                .compactMap { key, value in value.map { "\(key)=\($0)" } }.joined(separator: " ")
            let cleanText = run.isClean ? "clean" : "NOT clean"
            let load = String(format: "%.2f", run.foreignCores), waitedText = String(format: "%.0f", run.waited)
            let memory = String(format: "%.0f", run.memoryLatency)
            printError("  run \(all.count) (\(label)): \(summary), foreign load \(load) core (\(cleanText)), "
                       + "16 MB load latency \(memory) ns, waited \(waitedText) s")
        }
        let clean = all.filter(\.isClean)
        return (all, clean.count >= 3 ? clean : all)
    }

    private func runOnce(_ arguments: [String]) throws(BenchError) -> Run {
        try run(executable: nil, arguments: ["measure"] + arguments)
    }

    /// One process of `executable` (nil: this lumen-bench) with `arguments`, after waiting
    /// for quiet; `environment` adds to this process's own.
    func run(executable: String?, arguments: [String], environment: [String: String] = [:]) throws(BenchError) -> Run {
        let (loadBefore, waited) = MachineCPU.waitForQuiet(threshold: Run.quietThreshold, maxWait: maxWait)
        let command = (executable ?? "lumen-bench") + " " + arguments.joined(separator: " ")
        let memoryLatency = memoryLatencyNanoseconds()

        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors

        let childCPUBefore = MachineCPU.childrenSeconds()
        let busyBefore = MachineCPU.busySeconds() ?? 0
        let start = monotonicSeconds()
        do {
            try process.run()
        } catch {
            throw .runFailed(command: command, status: -1, output: "could not start: \(error)")
        }
        // Read before waiting, so a child that fills the pipe cannot block.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let wall = monotonicSeconds() - start
        let busy = (MachineCPU.busySeconds() ?? 0) - busyBefore
        let own = MachineCPU.childrenSeconds() - childCPUBefore

        let text = String(decoding: outputData, as: UTF8.self)
        let errorText = String(decoding: errorData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw .runFailed(command: command, status: process.terminationStatus, output: text + errorText)
        }
        guard let fields = ResultLine.parse(text) else {
            throw .noResult(command: command, output: text + errorText)
        }
        return Run(fields: fields, wallSeconds: wall, foreignCores: max(0, (busy - own) / wall),
                   loadBefore: loadBefore, waited: waited, memoryLatency: memoryLatency)
    }
}

/// Progress and diagnostics go to stderr, so stdout holds only the summary lines.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

// MARK: - The machine, for the record

/// A `# machine …` line: CPU, cores, date, and the build.
func machineDescription() -> String {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = cpuinfo.split(separator: "\n")
        .first { $0.hasPrefix("model name") }?
        .split(separator: ":", maxSplits: 1).last?
        .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    let formatter = ISO8601DateFormatter()
    #if DEBUG
    let build = "debug (figures are not meaningful: use -c release)"
    #else
    let build = "release"
    #endif
    return "# lumen-bench: \(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
        + "\(formatter.string(from: Date())), build \(build)"
}
