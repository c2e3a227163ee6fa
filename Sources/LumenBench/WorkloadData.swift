// WorkloadData.swift — the shared ingredients of W3–W6 (WORKLOADS.md, "SplitMix64"): the
// i-th SplitMix64 output and the numbers derived from it, `linear_init` weights,
// `epoch_order` batch orders, the digits data set, and the backend line every RESULT carries.
//
// Read next: W3Digits.swift.

import Engine
import Foundation
import Tensors

enum WorkloadRandom {
    /// out(seed, i): the i-th (0-based) output of SplitMix64 started at `seed`.
    static func out(_ seed: UInt64, _ i: Int) -> UInt64 {
        var z = seed &+ UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// u64(seed, i) = (out >> 11) · 2⁻⁵³, a Double in [0, 1).
    static func u64(_ seed: UInt64, _ i: Int) -> Double {
        Double(out(seed, i) >> 11) * 0x1p-53
    }

    /// u24(seed, i) = (out >> 40) · 2⁻²⁴, a Float in [0, 1) (exact).
    static func u24(_ seed: UInt64, _ i: Int) -> Float {
        Float(Double(out(seed, i) >> 40) * 0x1p-24)
    }

    /// `linear_init(seed, fan_in, fan_out)`: W [fan_out, fan_in] and b [fan_out], uniform in
    /// ±1/√fan_in, PyTorch's default Linear init.
    static func linearInit(seed: UInt64, fanIn: Int, fanOut: Int) -> (weight: [Float], bias: [Float]) {
        let bound = 1 / Double(fanIn).squareRoot()
        let weight = (0..<(fanIn * fanOut)).map { Float((2 * u64(seed, $0) - 1) * bound) }
        let bias = (0..<fanOut).map { Float((2 * u64(seed, fanIn * fanOut + $0) - 1) * bound) }
        return (weight, bias)
    }

    /// `epoch_order(seed, n)`: a Fisher–Yates shuffle of 0..<n driven by out(seed, k).
    static func epochOrder(seed: UInt64, count n: Int) -> [Int] {
        var order = Array(0..<n)
        for k in 0..<max(n - 1, 0) {
            let i = n - 1 - k
            let j = Int(out(seed, k) % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}

/// sklearn's digits as WORKLOADS.md ships them: 1797 rows of 64 pixels (0…16) and a label,
/// and the seed-0 permutation that splits them into 1500 training and 297 test rows.
struct DigitsData {
    static let defaultPath = "../shared/bench/data/digits.csv"
    static let permutationFile = "digits_perm_seed0.txt"

    /// X = pixel / 16, row-major [1797, 64], and the labels.
    let pixels: [Float]
    let labels: [Int]
    let permutation: [Int]

    static func load(_ path: String) throws(BenchError) -> DigitsData {
        let csvPath = try W1Data.resolve(path)
        let permutationPath = URL(fileURLWithPath: csvPath).deletingLastPathComponent()
            .appendingPathComponent(permutationFile).path
        let csv: String, permutationText: String
        do {
            csv = try String(contentsOfFile: csvPath, encoding: .utf8)
            permutationText = try String(contentsOfFile: permutationPath, encoding: .utf8)
        } catch {
            throw .dataUnreadable(path: csvPath, reason: "\(error)")
        }
        var pixels: [Float] = [], labels: [Int] = []
        for (number, row) in csv.split(whereSeparator: \.isNewline).enumerated() {
            let fields = row.split(separator: ",").map { Int($0) }
            guard fields.count == 65, fields.allSatisfy({ $0 != nil }) else {
                throw .dataMismatch(path: csvPath, reason: "row \(number + 1) is not 64 pixels and a label")
            }
            pixels += fields[..<64].map { Float($0!) / 16 }
            labels.append(fields[64]!)
        }
        let permutation = permutationText.split(whereSeparator: \.isNewline).compactMap { Int($0) }
        guard labels.count == 1797, permutation.count == 1797, permutation.prefix(5) == [1081, 1707, 927, 713, 262] else {
            throw .dataMismatch(path: csvPath, reason: "expected 1797 rows and the seed-0 permutation starting 1081, 1707, 927, 713, 262")
        }
        return DigitsData(pixels: pixels, labels: labels, permutation: permutation)
    }

    /// The rows `indices`, in that order: their pixels [count, 64] and labels.
    func rows(_ indices: some Collection<Int>) -> (pixels: [Float], labels: [Int]) {
        var x: [Float] = []
        x.reserveCapacity(indices.count * 64)
        for i in indices { x += pixels[(i * 64)..<(i * 64 + 64)] }
        return (x, indices.map { labels[$0] })
    }
}

/// The fields every tensor workload's RESULT line starts with: which backend ran, on how
/// many threads (`Backends.threads`), on which OpenBLAS core, and whether the short products
/// ran in the AVX2 loops (`avx2`: 1 or 0; LUMEN_AVX2=0 gives 0).
func backendFields(_ workload: String) -> ResultLine {
    let kind = Backends.processDefault
    return ResultLine([
        "workload": workload, "peer": "lumen", "backend": kind.rawValue,
        "threads": kind == .blas ? Backends.threads : 1,
        "blas_core": Backends.blasCoreName ?? "none",
        "avx2": kind == .blas && Backends.usesAVX2Products ? 1 : 0,
    ])
}

/// CPU seconds this process has used so far (all threads). On a machine shared with other
/// busy processes, wall time stretches with the load, CPU time much less: the RESULT lines
/// give both.
func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// The median of `values` (the upper middle one for an even count).
func median(_ values: [Double]) -> Double {
    values.sorted()[values.count / 2]
}

/// W3, W4 or W6 in `harness.runs` fresh processes, summarized as one RESULT line: the
/// median (min–max) of the timed figures, and `check=ok` if every run's answers matched.
func summarizeTraining(_ workload: Workload, dataPath: String, harness: Harness) throws(BenchError) -> Bool {
    let arguments = workload == .w3 ? ["w3", "--data", dataPath] : [workload.rawValue]
    printError("\(workload.rawValue.uppercased()): \(harness.runs) runs")
    let (all, used) = try harness.measure(arguments)
    var line = ResultLine()
    for key in ["workload", "peer", "backend", "threads", "blas_core"] { line[key] = used[0].fields[key] }
    let timed = workload == .w6 ? ["ms_per_step", "ms_best", "fwd_ms", "cpu_ms_per_step"]
        : ["s_per_epoch", "ms_per_step", "cpu_s_per_epoch"]
    for key in timed { Spread(used.compactMap { $0.number(key) }).write(into: &line, key: key) }
    for key in ["blas_bound_ms", "blas_share", "blas_share_best_bound"] where workload == .w6 {
        let values = used.compactMap { $0.number(key) }
        if !values.isEmpty { Spread(values).write(into: &line, key: key) }
    }
    for key in ["test_acc", "train_loss", "loss", "maxrss_mb"] { line[key] = used[0].fields[key] }
    line["runs"] = used.count
    line["clean_runs"] = all.filter(\.isClean).count
    line["max_foreign_cores"] = used.map(\.foreignCores).max()
    let passed = used.allSatisfy { $0.fields["check"] == "ok" }
    line["check"] = passed ? "ok" : "FAIL"
    print(line.text)
    return passed
}
