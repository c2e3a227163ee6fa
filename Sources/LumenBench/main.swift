// main.swift — lumen-bench's entry point: parse the arguments, run, and exit with a status
// (0: all answers matched the peers'; 1: a check failed; 2: bad arguments or data).
//
// Read next: BenchCommand.swift.

import Foundation
import Tensors

func runBench() throws(BenchError) -> Int32 {
    // Applies LUMEN_THREADS now, and with one thread ends the worker threads OpenBLAS starts
    // as it loads (see Backends.threadsConfigured). Otherwise they poll for the first 0.1 s of
    // every measured process, W1 and W2 included, which never multiply a matrix: a second
    // core busy for nothing. (glibc's malloc stays in its multi-threaded mode once a thread
    // has existed; only OPENBLAS_NUM_THREADS=1 in the environment avoids that.)
    _ = Backends.threads
    switch try BenchCommand.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help:
        print(BenchCommand.usage)
        return 0
    case .measureW1(let dataPath):
        let line = try W1MoonsDemo.measure(dataPath: dataPath)
        print(line.text)
        return line["check"] as? String == "ok" ? 0 : 1
    case .measureW2(let nodes):
        let line = W2GraphScaling.measure(nodes: nodes)
        print(line.text)
        return line["check"] as? String == "ok" ? 0 : 1
    case .measureW3(let dataPath):
        let line = try W3Digits.measure(dataPath: dataPath)
        print(line.text)
        return line["check"] as? String == "ok" ? 0 : 1
    case .measureW4:
        let line = W4Synthetic.measure()
        print(line.text)
        return line["check"] as? String == "ok" ? 0 : 1
    case .render:
        return RenderWorkload.run()
    case .csv(let rows, let columns, let runs):
        return CSVLoadWorkload.run(rows: rows, columns: columns, runs: runs)
    case .measureRecipe(let name, let directory, let export, let steps):
        print(try RecipeBench.measure(recipe: name, directory: directory, export: export, steps: steps).text)
        return 0
    case .recipes(let jobs, let options):
        print(machineDescription())
        if let advice = Backends.blasCoreAdvice { printError("lumen-bench: note: \(advice)") }
        #if DEBUG
        printError("lumen-bench: this is a debug build; measure with `swift build -c release --product lumen-bench`.")
        #endif
        return try RecipeBench.summarize(jobs, options: options) ? 0 : 1
    case .measureW6:
        let line = W6SmallCNN.measure()
        print(line.text)
        return line["check"] as? String == "ok" ? 0 : 1
    case .measureW5(let n):
        let line = try W5MatMul.measure(n: n)
        print(line.text)
        return line["check"] as? String == "FAIL" ? 1 : 0
    case .summarize(let workloads, let options):
        print(machineDescription())
        if let advice = Backends.blasCoreAdvice { printError("lumen-bench: note: \(advice)") }
        #if DEBUG
        printError("lumen-bench: this is a debug build; measure with `swift run -c release lumen-bench`.")
        #endif
        let harness = Harness(runs: options.runs, maxWait: options.maxWait)
        var passed = true
        for workload in workloads {
            switch workload {
            case .w1: passed = try W1MoonsDemo.summarize(dataPath: options.dataPath, harness: harness) && passed
            case .w2: passed = try W2GraphScaling.summarize(nodes: options.w2Nodes, harness: harness) && passed
            case .w5:
                // Both backends, each size in this process (the timing repeats the call).
                for kind in BackendKind.allCases where kind == .reference || Backends.isBLASAvailable {
                    try? Backends.use(kind)
                    for n in W5MatMul.defaultSizes {
                        let line = try W5MatMul.measure(n: n)
                        print(line.text)
                        passed = line["check"] as? String != "FAIL" && passed
                    }
                }
            case .w3, .w4, .w6:
                passed = try summarizeTraining(workload, dataPath: options.w3DataPath, harness: harness) && passed
            }
        }
        return passed ? 0 : 1
    }
}

do {
    exit(try runBench())
} catch {
    printError("lumen-bench: \(error)")
    exit(2)
}
