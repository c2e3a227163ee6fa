// GraphExplanation.swift — a failing gradient task draws its graph, the wrong node in red.
//
// The graph is traced from Lumen's own `Value`s (which hold the right gradients), turned into
// DOT by Viz, and rendered to SVG by Render. The wrong node is drawn with Viz's alarm colours
// (the red used for non-finite numbers, without the legend that would call it that) and gets
// one more row, the learner's number.
//
// Read next: Graders+Tensors.swift.

import Engine
import Foundation
import Render
import Viz

enum GraphExplanation {
    /// Writes the picture to a fresh file in the temporary directory and returns a sentence
    /// naming it (or saying why there is no picture).
    static func write(task: String, root: Value, wrong: Value, note: String, title: String? = nil, caption: String? = nil) -> String {
        guard Grader.drawsPictures else { return "(no picture: drawing is off)" }
        let traced = GraphDrawing(tracing: root)
        let nodes = traced.nodes.map { node -> GraphDrawing.Node in
            guard node.key == wrong.id else { return node }
            var marked = node
            marked.isNonFinite = true
            marked.rows.append(GraphDrawing.Row("yours", note))
            return marked
        }
        let drawing = GraphDrawing(nodes: nodes)
        let dot = drawing.dot(options: DrawingOptions(
            title: title ?? "Task \(task): the wrong gradient is in red",
            caption: caption ?? "Red: the first node whose gradient is wrong. Gradients shown are Lumen's; its last row is yours.",
            // Viz's legend would explain the red as "NaN or ∞", which it is not here.
            showsLegend: false))
        return FailurePicture.save(dot: dot, task: task, describing: "The graph, wrong node in red")
    }
}

/// Where failure pictures go: a fresh SVG file under the temporary directory's `lumen-grade`.
enum FailurePicture {
    /// Renders `dot` to a fresh SVG and returns "<describing>: <path>.svg"; without Graphviz, the
    /// DOT text (render it with `dot -Tsvg`), else a sentence saying why there is no picture.
    static func save(dot: String, task: String, describing: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-grade", isDirectory: true)
        let base = directory.appendingPathComponent("task-\(task)-\(UUID().uuidString.prefix(8))").path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            _ = try Graphviz.write(dot: dot, to: base + ".svg")
            return "\(describing): \(base).svg"
        } catch {
            if (try? dot.write(toFile: base + ".dot", atomically: true, encoding: .utf8)) != nil {
                return "\(describing) (DOT text; SVG failed: \(error)): \(base).dot"
            }
            return "(could not write a picture: \(error))"
        }
    }
}
