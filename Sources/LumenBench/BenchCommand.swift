// BenchCommand.swift — what `lumen-bench` was asked to do, parsed from its arguments.
//
// Two forms: the public one (`lumen-bench w1 w2 --runs 5`), which runs each configuration in
// fresh processes and summarizes them, and `lumen-bench measure …`, which is what each of
// those processes runs: one measurement, printed as one RESULT line.
//
// Read next: Harness.swift.

import Foundation

/// A workload of ../shared/bench/WORKLOADS.md that this executable implements.
enum Workload: String, CaseIterable, Sendable {
    case w1, w2, w3, w4, w5, w6
}

/// The W2 graph sizes the issue asks about: N = 7K − 1 ≈ 1e4, 1e5, 1e6 nodes.
let defaultW2Nodes = [10_000, 100_000, 1_000_000]

/// The moons data and micrograd's initial weights, relative to the repository root.
let defaultW1DataPath = "../shared/bench/data/w1_moons.json"

enum BenchCommand: Equatable {
    /// Run every configuration of `workloads` in `runs` separate processes and summarize.
    case summarize(workloads: [Workload], options: Options)
    /// One W1 measurement in this process.
    case measureW1(dataPath: String)
    /// One W2 measurement in this process, for a graph of about `nodes` nodes.
    case measureW2(nodes: Int)
    /// W5 at one size n, in this process.
    case measureW5(n: Int)
    /// W3 (digits MLP, 20 epochs) in this process.
    case measureW3(dataPath: String)
    /// W4 (784-256-128-10 on 60,000 synthetic rows, one epoch) in this process.
    case measureW4
    /// W6 (small CNN step) in this process.
    case measureW6
    /// One epoch of a `lumen train` recipe (or its first `steps` steps) in this process,
    /// writing the peer's bundle first when `export` is set (RecipeBench.swift).
    case measureRecipe(name: String, directory: String, export: Bool, steps: Int?)
    /// Recipes and W7 against PyTorch, interleaved in fresh processes.
    case recipes(jobs: [RecipeBench.Job], options: RecipeBench.Options)
    /// Graph drawing times, every size, in this process (RenderWorkload.swift).
    case render
    /// Loading a rows × columns CSV as `lumen train --data` does (CSVLoadWorkload.swift).
    case csv(rows: Int, columns: Int, runs: Int)
    case help

    struct Options: Equatable {
        var runs = 5
        var dataPath = defaultW1DataPath
        /// The digits data of W3.
        var w3DataPath = DigitsData.defaultPath
        var w2Nodes = defaultW2Nodes
        /// How long to wait for the machine to go quiet before each run, in seconds.
        var maxWait = 60.0
    }

    static let usage = """
        lumen-bench — Lumen's side of the peer benchmarks in ../shared/bench/WORKLOADS.md.
        Build in release: swift run -c release lumen-bench w1 w2

        USAGE
          lumen-bench <w1|w2|w3|w4|w5|w6|all>... [--runs N] [--data PATH] [--digits PATH]
                      [--nodes N,N,...] [--max-wait SECONDS]
          lumen-bench measure w1 [--data PATH]
          lumen-bench measure w2 --nodes N
          lumen-bench measure w3 [--data PATH]     (PATH: digits.csv, next to digits_perm_seed0.txt)
          lumen-bench measure w4
          lumen-bench measure w5 --n N
          lumen-bench measure w6
          lumen-bench render          (drawing graphs to SVG and PNG, in this process)
          lumen-bench csv [--rows N] [--columns M] [--runs R]   (lumen train --data's CSV load;
                      default 100000 × 20, goal ≤ 1 s)
          lumen-bench recipes [NAME|w7|all]... [--runs N] [--dir DIR] [--python PATH]
                      [--peer-script PATH] [--max-wait SECONDS]
          lumen-bench measure recipe NAME [--dir DIR] [--export] [--steps N]

        recipes: one epoch of each `lumen train` recipe (all of them by default: \(RecipeBench.recipeNames
            .joined(separator: ", "))) against the same epoch in PyTorch (peers/recipes_torch.py, run by
        --python, default \(RecipeBench.defaultPython) or $LUMEN_BENCH_PYTHON), interleaved, N rounds
        (default 3). w7: names-gpt's first \(RecipeBench.w7Steps) steps, ms per step. The bundles the peer
        reads (data, order, initial weights) go to --dir (default \(RecipeBench.defaultDirectory)).

        W3, W4 and W6 train on the process's backend: LUMEN_BACKEND=reference|blas (default
        blas when compiled in) and LUMEN_THREADS=N threads (default 1). Every RESULT
        line names the backend, the threads and OpenBLAS's core.
        W5 (matmul GFLOP/s at n = 128 … 2048) runs each size once per backend in this process,
        its timing repeating the call many times; with BLAS it also times a bare cblas_sgemm.

        Each other configuration runs in N fresh processes (default 5, at least 3); the summary
        line gives the median over processes with min and max, as the peers' figures do.

        OPTIONS
          --runs N            processes per configuration (default 5)
          --data PATH         W1 data: moons points and micrograd's initial weights
                              (default \(defaultW1DataPath), relative to the repository root)
          --digits PATH       W3 data (default \(DigitsData.defaultPath))
          --nodes N,N,...     W2 graph sizes (default 1e4,1e5,1e6); N = 7K - 1 for K terms
          --max-wait SECONDS  wait at most this long for other processes to use < 0.15 core
                              before each run (default 60; 0 = don't wait)
          measure             one measurement in this process (what each run executes)
        """

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) throws(BenchError) -> BenchCommand {
        if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") { return .help }
        if arguments.first == "measure" { return try parseMeasure(Array(arguments.dropFirst())) }
        if arguments == ["render"] { return .render }
        if arguments.first == "csv" {
            var rest = arguments.dropFirst()
            var rows = CSVLoadWorkload.defaultRows, columns = CSVLoadWorkload.defaultColumns, runs = 5
            while let argument = rest.popFirst() {
                switch argument {
                case "--rows": rows = try integer(try value(of: argument, in: &rest), option: argument, atLeast: 5)
                case "--columns": columns = try integer(try value(of: argument, in: &rest), option: argument, atLeast: 2)
                case "--runs": runs = try integer(try value(of: argument, in: &rest), option: argument, atLeast: 1)
                default: throw .unknownArgument(argument)
                }
            }
            return .csv(rows: rows, columns: columns, runs: runs)
        }
        if arguments.first == "recipes" { return try parseRecipes(Array(arguments.dropFirst())) }

        var workloads: [Workload] = []
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "all": workloads += Workload.allCases
            case "--runs":
                options.runs = try integer(try value(of: argument, in: &rest), option: argument, atLeast: 1)
            case "--data": options.dataPath = try value(of: argument, in: &rest)
            case "--digits": options.w3DataPath = try value(of: argument, in: &rest)
            case "--nodes": options.w2Nodes = try nodeList(try value(of: argument, in: &rest))
            case "--max-wait":
                let text = try value(of: argument, in: &rest)
                guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
                    throw .badValue(option: argument, value: text, expected: "a number of seconds ≥ 0")
                }
                options.maxWait = seconds
            default:
                guard let workload = Workload(rawValue: argument.lowercased()) else {
                    throw .unknownArgument(argument)
                }
                workloads.append(workload)
            }
        }
        guard !workloads.isEmpty else { throw .noWorkload }
        // Keep the order given, without repeats.
        var seen = Set<Workload>()
        return .summarize(workloads: workloads.filter { seen.insert($0).inserted }, options: options)
    }

    private static func parseRecipes(_ arguments: [String]) throws(BenchError) -> BenchCommand {
        var jobs: [RecipeBench.Job] = []
        var options = RecipeBench.Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "all": jobs += RecipeBench.recipeNames.compactMap(RecipeBench.Job.named) + [RecipeBench.Job.named("w7")!]
            case "--runs": options.runs = try integer(try value(of: argument, in: &rest), option: argument, atLeast: 1)
            case "--dir": options.directory = try value(of: argument, in: &rest)
            case "--python": options.python = try value(of: argument, in: &rest)
            case "--peer-script": options.peerScript = try value(of: argument, in: &rest)
            case "--max-wait":
                let text = try value(of: argument, in: &rest)
                guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
                    throw .badValue(option: argument, value: text, expected: "a number of seconds ≥ 0")
                }
                options.maxWait = seconds
            default:
                guard let job = RecipeBench.Job.named(argument) else { throw .unknownRecipe(argument) }
                jobs.append(job)
            }
        }
        if jobs.isEmpty { jobs = RecipeBench.recipeNames.compactMap(RecipeBench.Job.named) }
        var seen: [RecipeBench.Job] = []
        for job in jobs where !seen.contains(job) { seen.append(job) }
        return .recipes(jobs: seen, options: options)
    }

    private static func parseMeasureRecipe(_ arguments: [String]) throws(BenchError) -> BenchCommand {
        var rest = arguments[...]
        guard let name = rest.popFirst(), RecipeBench.recipeNames.contains(name) else {
            throw .unknownRecipe(arguments.first ?? "")
        }
        var directory = RecipeBench.defaultDirectory, export = false, steps: Int?
        while let argument = rest.popFirst() {
            switch argument {
            case "--dir": directory = try value(of: argument, in: &rest)
            case "--export": export = true
            case "--steps": steps = try integer(try value(of: argument, in: &rest), option: argument, atLeast: 1)
            default: throw .unknownArgument(argument)
            }
        }
        return .measureRecipe(name: name, directory: directory, export: export, steps: steps)
    }

    private static func parseMeasure(_ arguments: [String]) throws(BenchError) -> BenchCommand {
        if arguments.first == "recipe" { return try parseMeasureRecipe(Array(arguments.dropFirst())) }
        var rest = arguments[...]
        guard let name = rest.popFirst(), let workload = Workload(rawValue: name.lowercased()) else {
            throw .noWorkload
        }
        var dataPath = workload == .w3 ? DigitsData.defaultPath : defaultW1DataPath
        var nodes: Int?
        var size: Int?
        while let argument = rest.popFirst() {
            switch argument {
            case "--data" where workload == .w1 || workload == .w3: dataPath = try value(of: argument, in: &rest)
            case "--nodes" where workload == .w2:
                let list = try nodeList(try value(of: argument, in: &rest))
                guard list.count == 1 else {
                    throw .badValue(option: argument, value: list.map(String.init).joined(separator: ","),
                                    expected: "one size: measure runs one configuration")
                }
                nodes = list[0]
            case "--n" where workload == .w5:
                size = try integer(try value(of: argument, in: &rest), option: argument, atLeast: 1)
            default: throw .unknownArgument(argument)
            }
        }
        switch workload {
        case .w1: return .measureW1(dataPath: dataPath)
        case .w2:
            guard let nodes else { throw .missingValue(option: "--nodes") }
            return .measureW2(nodes: nodes)
        case .w5:
            guard let size else { throw .missingValue(option: "--n") }
            return .measureW5(n: size)
        case .w3: return .measureW3(dataPath: dataPath)
        case .w4: return .measureW4
        case .w6: return .measureW6
        }
    }

    private static func value(of option: String, in rest: inout ArraySlice<String>) throws(BenchError) -> String {
        guard let value = rest.popFirst(), !value.hasPrefix("--") else { throw .missingValue(option: option) }
        return value
    }

    private static func integer(_ text: String, option: String, atLeast minimum: Int) throws(BenchError) -> Int {
        guard let number = Int(text), number >= minimum else {
            throw .badValue(option: option, value: text, expected: "a whole number ≥ \(minimum)")
        }
        return number
    }

    /// "1e4,1e5,1e6" or "10000,100000" → node counts (whole numbers ≥ 6, so K ≥ 1).
    private static func nodeList(_ text: String) throws(BenchError) -> [Int] {
        var nodes: [Int] = []
        for part in text.split(separator: ",") {
            guard let number = Double(part), number.isFinite, number >= 6, number <= 1e9,
                  number == number.rounded() else {
                throw .badValue(option: "--nodes", value: String(part), expected: "a node count from 6 to 1e9, such as 1e6")
            }
            nodes.append(Int(number))
        }
        guard !nodes.isEmpty else { throw .badValue(option: "--nodes", value: text, expected: "a list such as 1e4,1e5,1e6") }
        return nodes
    }
}

/// What went wrong, said so that the reader knows what to change.
enum BenchError: Error, CustomStringConvertible {
    case noWorkload
    case unknownArgument(String)
    case missingValue(option: String)
    case badValue(option: String, value: String, expected: String)
    case dataNotFound(path: String, tried: [String])
    case dataUnreadable(path: String, reason: String)
    case dataMismatch(path: String, reason: String)
    case runFailed(command: String, status: Int32, output: String)
    case noResult(command: String, output: String)
    case unknownRecipe(String)
    case recipeFailed(recipe: String, reason: String)

    var description: String {
        switch self {
        case .noWorkload:
            "no workload given: name w1, w2, w3, w4, w5, w6 or all (see lumen-bench --help)"
        case .unknownArgument(let argument):
            "unknown argument '\(argument)': expected w1 … w6, all or an option (see lumen-bench --help)"
        case .missingValue(let option):
            "\(option) needs a value (see lumen-bench --help)"
        case .badValue(let option, let value, let expected):
            "\(option) \(value): expected \(expected)"
        case .dataNotFound(let path, let tried):
            "data file '\(path)' not found (looked at \(tried.joined(separator: ", "))); "
                + "pass --data with the path to the file in ../shared/bench/data"
        case .dataUnreadable(let path, let reason):
            "data file '\(path)' could not be read: \(reason)"
        case .dataMismatch(let path, let reason):
            "data file '\(path)' is not WORKLOADS.md's data set: \(reason)"
        case .runFailed(let command, let status, let output):
            "the run '\(command)' failed with status \(status):\n\(output)"
        case .noResult(let command, let output):
            "the run '\(command)' printed no RESULT line:\n\(output)"
        case .unknownRecipe(let name):
            "unknown recipe '\(name)': expected one of \(RecipeBench.recipeNames.joined(separator: ", ")), w7 or all"
        case .recipeFailed(let recipe, let reason):
            "the recipe '\(recipe)' could not run: \(reason)"
        }
    }
}
