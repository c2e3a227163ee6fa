// W2GraphScaling.swift — W2: forward and backward cost per node as the graph grows
// (WORKLOADS.md, W2).
//
// K terms tᵢ = tanh(aᵢ·bᵢ + cᵢ) summed left to right, s = (…(t₀ + t₁) + …) + t_{K−1}: a
// chain K additions deep, N = 7K − 1 nodes. "forward" times building every leaf and node;
// "backward" times `s.backward()` (seed, topological order, chain rule). Freeing the graph is
// timed separately: it is in neither figure, as in the peers' W2.
//
// Read next: main.swift.

import Engine
import Foundation

enum W2GraphScaling {
    /// WORKLOADS.md's forward values of s, by node count.
    static let referenceValues: [Int: Double] = [
        10_002: 8.961891467015588,
        100_001: 33.25068049755914,
        999_998: -10.047987325633681,
    ]

    /// K for a target node count, as the peer script rounds it: K = round((N + 1) / 7).
    static func terms(forNodes target: Int) -> Int {
        max(1, Int(((Double(target) + 1) / 7).rounded()))
    }

    /// One measurement in this process, as a RESULT line.
    static func measure(nodes target: Int) -> ResultLine {
        let k = terms(forNodes: target)
        let n = 7 * k - 1

        let start = monotonicSeconds()
        var s: Value?
        var a0: Value?
        for i in 0..<k {
            let a = Value(Double(i % 97 - 48) / 48)
            let b = Value(Double(i % 89 - 44) / 44)
            let c = Value(Double(i % 83 - 41) / 41)
            let t = (a * b + c).tanh()
            if let sum = s { s = sum + t } else { s = t }
            if i == 0 { a0 = a }
        }
        let built = monotonicSeconds()
        s!.backward()
        let done = monotonicSeconds()
        let value = s!.data
        let gradA0 = a0!.grad
        s = nil
        let freed = monotonicSeconds()

        // ∂s/∂a₀ = b₀ · (1 − tanh²(a₀b₀ + c₀)) = −1 · (1 − tanh²(0)) = −1, since a₀ = b₀ = c₀ = −1.
        let valueCheck = check(value, against: referenceValues[n])
        let passed = gradA0 == -1 && valueCheck != "FAIL"

        var line = ResultLine([
            "workload": "W2", "peer": "lumen", "threads": 1, "nodes": n, "terms": k,
            "fwd_seconds": built - start, "bwd_seconds": done - built,
            "fwd_ns_per_node": 1e9 * (built - start) / Double(n),
            "bwd_ns_per_node": 1e9 * (done - built) / Double(n),
            "free_ns_per_node": 1e9 * (freed - done) / Double(n),
        ])
        line["value"] = "\(value)"
        line["value_check"] = valueCheck
        line["grad_a0"] = gradA0.map { "\($0)" } ?? "nil"
        line["maxrss_mb"] = peakResidentMegabytes()
        line["check"] = passed ? "ok" : "FAIL"
        return line
    }

    /// "exact" when bit-equal to WORKLOADS.md's value, "close" within 1e-9 relative (a libm
    /// tanh may differ in the last bits), "n/a" for sizes without a reference.
    static func check(_ value: Double, against reference: Double?) -> String {
        guard let reference else { return "n/a" }
        if value == reference { return "exact" }
        return abs(value - reference) <= 1e-9 * max(1, abs(reference)) ? "close" : "FAIL"
    }

    /// "1e6" for 999,998 nodes: the name the issue uses for each size.
    static func sizeLabel(_ nodes: Int) -> String {
        let exponent = Foundation.log10(Double(nodes)).rounded()
        let power = Foundation.pow(10, exponent)
        return abs(Double(nodes) - power) <= 0.01 * power ? "1e\(Int(exponent))" : "\(nodes)"
    }

    /// Runs each size in `harness.runs` processes and prints one summary line for all sizes.
    static func summarize(nodes targets: [Int], harness: Harness) throws(BenchError) -> Bool {
        var line = ResultLine(["workload": "W2", "peer": "lumen", "threads": 1])
        var passed = true
        var runCounts: [String] = [], cleanCounts: [String] = []
        for target in targets {
            let n = 7 * terms(forNodes: target) - 1
            let label = sizeLabel(n)
            printError("W2: \(harness.runs) runs at N = \(n)")
            let (all, used) = try harness.measure(["w2", "--nodes", "\(target)"])
            runCounts.append("\(used.count)")
            cleanCounts.append("\(all.filter(\.isClean).count)")
            line["nodes_\(label)"] = n
            for key in ["fwd_ns_per_node", "bwd_ns_per_node"] {
                Spread(used.compactMap { $0.number(key) }).write(into: &line, key: "\(key)_\(label)")
            }
            line["free_ns_per_node_\(label)"] = Spread(used.compactMap { $0.number("free_ns_per_node") }).median
            let first = used[0].fields
            line["value_\(label)"] = first["value"]
            line["value_check_\(label)"] = first["value_check"]
            line["grad_a0_\(label)"] = first["grad_a0"]
            passed = passed && used.allSatisfy { $0.fields["check"] == "ok" && $0.fields["value"] == first["value"] }
            line["max_foreign_cores_\(label)"] = used.map(\.foreignCores).max()
            line["mem_latency_ns_\(label)"] = Spread(used.map(\.memoryLatency)).median
        }
        // Per size, in the order of the sizes.
        line["runs"] = runCounts.joined(separator: ",")
        line["clean_runs"] = cleanCounts.joined(separator: ",")
        line["check"] = passed ? "ok" : "FAIL"
        print(line.text)
        return passed
    }
}
