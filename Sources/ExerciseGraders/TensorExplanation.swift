// TensorExplanation.swift — a wrong tensor or gradient (tasks 2.4 on) is drawn: its inputs, the
// upstream gradient, and the expected and returned numbers side by side, the wrong cells marked.
//
// One mechanism for every array task: `expectClose` on arrays (Grader.swift) calls `write` when
// a check fails, with the `TensorScene` the grader passed (what was computed from what). The
// drawing is an ordinary Viz graph whose nodes carry Viz's heat maps:
//
//     operands ──▶ forward op ──(upstream gradient, a heat map on the edge)──▶ the wrong result
//
// A forward task has no edge of gradient: the operands feed the wrong result directly. The wrong
// result is drawn in Viz's alarm red with three maps (expected, yours, and yours − expected on
// the wrong cells alone, zero elsewhere) and one row per wrong cell named as the message names
// it, "(row 1, col 2)", so the picture agrees with the message.
//
// Read next: Graders+Tensors.swift (the graders that describe their scenes).

import Foundation
import Viz

/// A named array and its shape, drawn as a heat map in a failure picture.
struct Operand {
    let name: String
    let elements: [Double]
    let shape: [Int]

    init(_ name: String, _ elements: [Double], _ shape: [Int]) {
        self.name = name
        self.elements = elements
        // A shape that does not fit the numbers (a learner's array of the wrong length) is drawn flat.
        self.shape = shape.reduce(1, *) == elements.count ? shape : [elements.count]
    }
}

/// What surrounds a checked tensor in its failure picture: the op that made it, its operands and,
/// for a gradient, the upstream gradient that arrived at the op's output.
struct TensorScene {
    /// The forward computation, such as `C = A·B`; nil draws the result alone.
    var op: String?
    var operands: [Operand]
    /// The gradient(s) arriving from above, ∂L/∂output; empty for a forward task.
    var upstream: [Operand]

    init(_ op: String? = nil, _ operands: [Operand] = [], upstream: [Operand] = []) {
        self.op = op
        self.operands = operands
        self.upstream = upstream
    }
}

enum TensorExplanation {
    /// At most this many wrong cells are named in the picture's rows (the map shows all of them).
    static let namedCells = 6

    /// The DOT text of the picture for a wrong `what` (of `shape`), wrong at the indices `wrong`.
    static func dot(task: String, what: String, yours: [Double], expected: [Double], shape: [Int], wrong: [Int], scene: TensorScene) -> String {
        var nodes: [GraphDrawing.Node] = []
        func map(_ operand: Operand, _ name: String = "") -> HeatMap {
            HeatMap(name: name, elements: operand.elements, shape: operand.shape)
        }
        for (k, operand) in scene.operands.enumerated() {
            nodes.append(GraphDrawing.Node(key: k, title: operand.name, subtitle: GraphDrawing.formatShape(operand.shape),
                                           rows: small(operand), gradientMagnitude: 0, heatMaps: [map(operand)]))
        }
        let operandEdges = scene.operands.indices.map { GraphDrawing.Input($0) }
        var resultInputs = operandEdges
        if let op = scene.op, !scene.upstream.isEmpty {
            // A gradient: the forward op first, then the upstream gradient on the edge down to the result.
            nodes.append(GraphDrawing.Node(key: nodes.count, title: op, gradientMagnitude: 0, inputs: operandEdges))
            resultInputs = scene.upstream.map { upstream in
                GraphDrawing.Input(nodes.count - 1, label: "upstream \(upstream.name) \(GraphDrawing.formatShape(upstream.shape))", heatMap: map(upstream))
            }
        }
        let exact = Operand(what, expected, shape), returned = Operand(what, yours, shape)
        let marked = Operand(what, yours.indices.map { wrong.contains($0) ? yours[$0] - expected[$0] : 0 }, shape)
        var rows = [GraphDrawing.Row("wrong cells", "\(wrong.count) of \(yours.count)")]
        for i in wrong.prefix(namedCells) {
            rows.append(GraphDrawing.Row(position(i, in: shape), "yours \(format(yours[i], expected[i])), expected \(format(expected[i], yours[i]))"))
        }
        if wrong.count > namedCells { rows.append(GraphDrawing.Row("…", "and \(wrong.count - namedCells) more (the last map)")) }
        var result = GraphDrawing.Node(key: nodes.count, title: what, subtitle: GraphDrawing.formatShape(returned.shape), op: scene.upstream.isEmpty ? scene.op : nil,
                                       rows: rows, isNonFinite: true, inputs: resultInputs,
                                       heatMaps: [map(exact, "expected"), map(returned, "yours"), map(marked, "yours − expected, wrong cells only")])
        result.opInside = true
        nodes.append(result)
        return GraphDrawing(nodes: nodes).dot(options: DrawingOptions(
            title: "Task \(task): \(what) is wrong in \(wrong.count) of \(yours.count) cells",
            caption: "Red: your result. Heat maps: blue below 0, white 0, red above, each scaled to its own largest |number|, with its range under it. "
                + "The last map is yours − expected on the wrong cells, 0 elsewhere.",
            // Viz's legend would explain the red as "NaN or ∞", which it is not here.
            showsLegend: false))
    }

    /// A small operand's numbers written out (up to 4), else none: the heat map shows it.
    static func small(_ operand: Operand) -> [GraphDrawing.Row] {
        operand.elements.count <= 4 ? [GraphDrawing.Row("=", format(operand.elements))] : []
    }

    /// Writes the picture and returns the sentence that names its file (or says why there is none).
    static func write(what: String, yours: [Double], expected: [Double], shape: [Int], wrong: [Int], scene: TensorScene) -> String {
        guard Grader.drawsPictures else { return "(no picture: drawing is off)" }
        let task = Grader.gradedTask
        let text = dot(task: task, what: what, yours: yours, expected: expected, shape: shape, wrong: wrong, scene: scene)
        return FailurePicture.save(dot: text, task: task, describing: "The tensors, wrong cells marked")
    }
}
