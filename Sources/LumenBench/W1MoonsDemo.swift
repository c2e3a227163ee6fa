// W1MoonsDemo.swift — W1: micrograd's moons demo, 100 full-batch steps (WORKLOADS.md, W1).
//
// The data and the 337 initial weights are micrograd's own, read from the peers' JSON file
// (100 points of sklearn's make_moons, labels ±1; micrograd's `parameters()` order). The
// model and the training step are ScalarNN's `MLP` and `MoonsTraining`, which build each
// step's graph in micrograd's order: so the same nodes, and the same arithmetic in the same
// order, as the peer. What is timed is the 100 steps: input leaves, forward, zeroGrad,
// backward, update (and, as in micrograd's loop, reading the accuracy off the scores).
//
// Read next: W2GraphScaling.swift.

import Engine
import Foundation
import ScalarNN

/// W1's inputs, as WORKLOADS.md specifies them.
struct W1Data {
    let points: [[Double]]
    let labels: [Double]
    let initialParameters: [Double]

    static let layerSizes = [16, 16, 1]
    static let steps = 100
    /// Check values from WORKLOADS.md.
    static let pointSum = 73.4919491335186
    static let parameterSum = 6.8621742082939665

    private struct File: Decodable {
        let X: [[Double]]
        let y: [Double]
        let init_params: [Double]
    }

    /// Finds the file: an absolute path as given; a relative one from the current directory,
    /// then from the repository root (found by walking up from this executable).
    static func resolve(_ path: String) throws(BenchError) -> String {
        var candidates = [path]
        if !path.hasPrefix("/") {
            candidates = [FileManager.default.currentDirectoryPath + "/" + path]
            if let root = repositoryRoot() { candidates.append(root + "/" + path) }
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) {
            return URL(fileURLWithPath: candidate).standardizedFileURL.path
        }
        throw .dataNotFound(path: path, tried: candidates)
    }

    /// The nearest directory above this executable that holds Lumen's Package.swift.
    private static func repositoryRoot() -> String? {
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let manifest = directory.appendingPathComponent("Package.swift").path
            if let text = try? String(contentsOfFile: manifest, encoding: .utf8), text.contains("name: \"Lumen\"") {
                return directory.path
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Reads and checks the file: shapes, labels, and WORKLOADS.md's two checksums.
    static func load(_ path: String) throws(BenchError) -> W1Data {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .dataUnreadable(path: path, reason: "\(error)")
        }
        guard file.X.count == file.y.count, !file.X.isEmpty, file.X.allSatisfy({ $0.count == 2 }) else {
            throw .dataMismatch(path: path, reason: "expected X as n×2 points with one label each in y")
        }
        guard file.y.allSatisfy({ $0 == 1 || $0 == -1 }) else {
            throw .dataMismatch(path: path, reason: "labels must be ±1")
        }
        let expectedCount = MLP.parameterCount(inputs: 2, layerSizes: layerSizes)
        guard file.init_params.count == expectedCount else {
            throw .dataMismatch(path: path, reason: "init_params has \(file.init_params.count) numbers, MLP(2, [16, 16, 1]) needs \(expectedCount)")
        }
        let pointSum = file.X.joined().reduce(0.0 as Double, +)
        let parameterSum = file.init_params.reduce(0.0 as Double, +)
        guard abs(pointSum - W1Data.pointSum) < 1e-9, abs(parameterSum - W1Data.parameterSum) < 1e-9 else {
            throw .dataMismatch(path: path, reason: "sum(X) = \(pointSum) (expected \(W1Data.pointSum)), "
                                + "sum(init_params) = \(parameterSum) (expected \(W1Data.parameterSum))")
        }
        return W1Data(points: file.X, labels: file.y, initialParameters: file.init_params)
    }
}

enum W1MoonsDemo {
    /// micrograd's step-99 loss and accuracy (WORKLOADS.md), and its graph size.
    static let referenceLoss = 0.0135207
    static let referenceNodes = 65_818

    /// One measurement in this process, as a RESULT line.
    static func measure(dataPath: String) throws(BenchError) -> ResultLine {
        let path = try W1Data.resolve(dataPath)
        let data = try W1Data.load(path)
        let training: MoonsTraining
        do {
            let model = try MLP(inputs: 2, layerSizes: W1Data.layerSizes, loading: data.initialParameters)
            training = try MoonsTraining(points: data.points, labels: data.labels, model: model, steps: W1Data.steps)
        } catch {
            throw .dataMismatch(path: path, reason: "\(error)")
        }

        // Not timed: the graph size and the number of Values one step creates, on a probe
        // graph that is then dropped (ids are a creation counter, so their difference counts).
        let idBefore = Value(0).id
        var probe: Value? = training.lossGraph().loss
        let idAfter = Value(0).id
        let graphNodes = probe!.topologicalOrder().count
        probe = nil

        let start = monotonicSeconds()
        var last: MoonsTrainingStep?
        while let step = training.step() {
            last = step
        }
        let seconds = monotonicSeconds() - start

        let finalAccuracy = training.accuracy()
        let lastStep = last!
        let passed = finalAccuracy == 1 && lastStep.accuracy == 1
            && abs(lastStep.loss - referenceLoss) <= 5e-8  // the reference has 6 significant digits

        var line = ResultLine([
            "workload": "W1", "peer": "lumen", "threads": 1,
            "seconds": seconds, "ms_per_step": 1000 * seconds / Double(W1Data.steps),
            "accuracy": finalAccuracy, "acc_step99": lastStep.accuracy,
        ])
        line["loss_step99"] = String(format: "%.9g", lastStep.loss)
        line["graph_nodes_per_step"] = graphNodes
        line["values_created_per_step"] = idAfter - idBefore - 1
        line["params"] = training.model.parameters.count
        line["maxrss_mb"] = peakResidentMegabytes()
        line["check"] = passed ? "ok" : "FAIL"
        return line
    }

    /// Runs W1 in `harness.runs` processes and prints the summary line. Returns whether the
    /// answers matched micrograd's.
    static func summarize(dataPath: String, harness: Harness) throws(BenchError) -> Bool {
        let path = try W1Data.resolve(dataPath)
        _ = try W1Data.load(path)  // fail here, once, rather than in every run
        printError("W1: \(harness.runs) runs of 100 steps on \(path)")
        let (all, used) = try harness.measure(["w1", "--data", path])

        let first = used[0].fields
        // Every run does the same arithmetic, so every run must report the same answers.
        let answerKeys = ["accuracy", "acc_step99", "loss_step99", "graph_nodes_per_step"]
        let deterministic = used.allSatisfy { run in answerKeys.allSatisfy { run.fields[$0] == first[$0] } }
        let passed = deterministic && used.allSatisfy { $0.fields["check"] == "ok" }

        var line = ResultLine(["workload": "W1", "peer": "lumen", "threads": 1, "runs": used.count])
        line["clean_runs"] = all.filter(\.isClean).count
        Spread(used.compactMap { $0.number("seconds") }).write(into: &line, key: "seconds")
        line["ms_per_step"] = 1000 * Spread(used.compactMap { $0.number("seconds") }).median / Double(W1Data.steps)
        for key in ["accuracy", "acc_step99", "loss_step99", "graph_nodes_per_step", "values_created_per_step", "params"] {
            line[key] = first[key]
        }
        line["graph_nodes_micrograd"] = referenceNodes
        line["maxrss_mb"] = Spread(used.compactMap { $0.number("maxrss_mb") }).max
        line["max_foreign_cores"] = used.map(\.foreignCores).max()
        line["mem_latency_ns"] = Spread(used.map(\.memoryLatency)).median
        line["check"] = passed ? "ok" : (deterministic ? "FAIL" : "FAIL(runs disagree)")
        print(line.text)
        return passed
    }
}

/// This process's peak resident set size, in MB (Linux reports ru_maxrss in KB).
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(Int32(truncatingIfNeeded: RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}
