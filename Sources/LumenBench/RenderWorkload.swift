// RenderWorkload.swift — `lumen-bench render`: how long drawing a graph takes, from the traced
// graph to an SVG or a PNG, by size.
//
// Scalar graphs shaped like W2's (K terms tanh(aᵢ·bᵢ + cᵢ) summed left to right, N = 7K − 1
// nodes) of about 1e3, 1e4 and 1e5 nodes, and the tensor graph of the MLP example
// mean((tanh(x @ W1 + b1) @ W2 + b2 − y)²), each drawn to SVG and to PNG in this process, one
// thread. Each line splits the time into making the drawing (trace, and summarizing above
// GraphDrawing.defaultNodeLimit nodes), writing the DOT text, and Graphviz's layout and
// rendering. Run it in release: swift run -c release lumen-bench render.
//
// Read next: Sources/Viz/GraphDrawing+Summary.swift (what happens above 10,000 nodes).

import Engine
import Foundation
import Render
import Tensors
import Viz

enum RenderWorkload {
    /// The scalar graph sizes, in nodes (rounded to N = 7K − 1).
    static let scalarSizes = [1_000, 10_000, 100_000]

    /// Measures every configuration and prints one RESULT line each; returns the exit status.
    static func run() -> Int32 {
        print(machineDescription())
        #if DEBUG
        printError("lumen-bench: this is a debug build; measure with `swift run -c release lumen-bench render`.")
        #endif
        var passed = true
        for target in scalarSizes {
            let k = W2GraphScaling.terms(forNodes: target)
            let root = scalarGraph(terms: k)
            for format in ImageFormat.allCases {
                passed = measure(name: "scalar", nodes: 7 * k - 1, format: format) { GraphDrawing(tracing: root) } && passed
            }
        }
        let loss = mlpGraph()
        for format in ImageFormat.allCases {
            passed = measure(name: "mlp-tensor", nodes: loss.topologicalOrder().count, format: format) {
                GraphDrawing(tracing: loss)
            } && passed
        }
        return passed ? 0 : 1
    }

    /// Times one drawing: make it, write its DOT, render it; prints a RESULT line.
    static func measure(name: String, nodes: Int, format: ImageFormat, draw: () -> GraphDrawing) -> Bool {
        let startCPU = processCPUSeconds()
        let start = monotonicSeconds()
        let drawing = draw()
        let drawn = monotonicSeconds()
        let dot = drawing.dot()
        let written = monotonicSeconds()
        var bytes = 0
        var error = ""
        do {
            bytes = try Graphviz.render(dot: dot, as: format).count
        } catch let failure {
            error = failure.description
        }
        let rendered = monotonicSeconds()
        let cpu = processCPUSeconds() - startCPU
        var line = ResultLine([
            "workload": "render", "peer": "lumen", "threads": 1, "graph": name, "nodes": nodes,
            "boxes": drawing.nodes.count, "summarized": drawing.isSummary, "format": format.rawValue,
            "draw_seconds": drawn - start, "dot_seconds": written - drawn, "render_seconds": rendered - written,
            "total_seconds": rendered - start, "cpu_seconds": cpu, "bytes": bytes,
        ])
        line["check"] = error.isEmpty && bytes > 0 ? "ok" : "FAIL"
        if !error.isEmpty { line["error"] = error.replacingOccurrences(of: " ", with: "_") }
        print(line.text)
        return error.isEmpty
    }

    /// CPU time this process has used, in seconds: on a loaded machine, where wall time
    /// depends on the other jobs, the one-thread render's own cost.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    /// W2's graph: s = Σ tanh(aᵢ·bᵢ + cᵢ), after backward (so the drawing is coloured).
    static func scalarGraph(terms k: Int) -> Value {
        var s: Value?
        for i in 0..<k {
            let a = Value(Double(i % 97 - 48) / 48)
            let b = Value(Double(i % 89 - 44) / 44)
            let c = Value(Double(i % 83 - 41) / 41)
            let t = (a * b + c).tanh()
            if let sum = s { s = sum + t } else { s = t }
        }
        s!.backward()
        return s!
    }

    /// The MLP example with x 4×3, W1 3×5, b1 5, W2 5×1, b2 1, y 4×1 (seeded values).
    static func mlpGraph() -> Tensor<Double> {
        var rng = SplitMix64(seed: 0)
        func leaf(_ name: String, _ shape: [Int]) -> Tensor<Double> {
            let t = try! Tensor<Double>(shape: shape, elements: (0..<shape.reduce(1, *)).map { _ in rng.nextUniform(-1, 1) },
                                        requiresGrad: true)
            t.label = name
            return t
        }
        let x = leaf("x", [4, 3]), w1 = leaf("W1", [3, 5]), b1 = leaf("b1", [5])
        let w2 = leaf("W2", [5, 1]), b2 = leaf("b2", [1]), y = leaf("y", [4, 1])
        let diff = (x.matmul(w1) + b1).tanh().matmul(w2) + b2 - y
        let loss = (diff * diff).mean()
        loss.backward()
        return loss
    }
}
