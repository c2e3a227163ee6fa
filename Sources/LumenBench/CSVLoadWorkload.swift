// CSVLoadWorkload.swift — `lumen-bench csv`: how long `lumen train --data FILE.csv` takes to
// read its table, the goal being at most 1 s for 100,000 rows × 20 columns (release build).
//
// The file is written first (19 feature columns of numbers as numpy.savetxt writes them,
// "%.6f", and a class column 0 … 9), then read `runs` times the way `lumen train` reads it:
// Recipe.ownData (parse the CSV, check every cell, decide the task and classes) and
// loadData (the 80 % / 20 % split). Each run prints one RESULT line; the last line gives the
// median. The load average and the process's CPU time go with the figures: on a busy machine
// the wall time includes waiting for a core.
//
// Read next: Sources/FileFormats/CSVFile+Target.swift, the reader being timed.

import Basics
import Foundation
import Training

enum CSVLoadWorkload {
    static let defaultRows = 100_000
    static let defaultColumns = 20

    /// Writes the table, times `runs` loads, prints RESULT lines; returns the exit status
    /// (1 when the median is above the 1 s goal at the default size).
    static func run(rows: Int, columns: Int, runs: Int) -> Int32 {
        print(machineDescription())
        #if DEBUG
        printError("lumen-bench: this is a debug build; measure with `swift build -c release --product lumen-bench`.")
        #endif
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-bench-\(rows)x\(columns).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var rng = SplitMix64(seed: 2024)
        var text = (0 ..< columns - 1).map { "x\($0)" }.joined(separator: ",") + ",label\n"
        text.reserveCapacity(rows * columns * 10)
        for _ in 0 ..< rows {
            for _ in 0 ..< columns - 1 { text += String(format: "%.6f,", rng.nextUnit() * 20 - 10) }
            text += String(Int(rng.nextUnit() * 10)) + "\n"
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError("lumen-bench: cannot write \(path): \(error)")
            return 2
        }
        let bytes = text.utf8.count
        var seconds: [Double] = []
        for run in 1 ... max(1, runs) {
            let start = monotonicSeconds(), startCPU = RenderWorkload.processCPUSeconds()
            let split: TrainTestSplitSummary
            do {
                let recipe = try Recipe.ownData(RecipeOptions(dataFile: path, target: "label"))
                let data = try recipe.loadData()
                split = TrainTestSplitSummary(train: data.train.count, test: data.test.count, classes: data.train.classCount)
            } catch {
                printError("lumen-bench: \(error)")
                return 2
            }
            let elapsed = monotonicSeconds() - start
            let cpu = RenderWorkload.processCPUSeconds() - startCPU
            seconds.append(elapsed)
            let line = ResultLine([
                "workload": "csv-load", "peer": "lumen", "run": run, "rows": rows, "columns": columns, "bytes": bytes,
                "seconds": elapsed, "cpu_seconds": cpu, "train": split.train, "test": split.test, "classes": split.classes,
                "load_average": loadAverage(),
                "check": split.train + split.test == rows ? "ok" : "FAIL",
            ])
            print(line.text)
        }
        let median = seconds.sorted()[seconds.count / 2]
        print(String(format: "# csv-load: %d × %d (%d bytes), median of %d runs %.3f s (goal ≤ 1 s at 100000 × 20)",
                     rows, columns, bytes, seconds.count, median))
        return rows == defaultRows && columns == defaultColumns && median > 1 ? 1 : 0
    }

    struct TrainTestSplitSummary {
        let train: Int, test: Int, classes: Int
    }

    /// The 1-minute load average, from /proc/loadavg.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return String(text.split(separator: " ").first ?? "?")
    }
}
