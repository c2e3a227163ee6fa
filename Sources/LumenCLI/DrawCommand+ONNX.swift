// DrawCommand+ONNX.swift — `lumen draw model.onnx`: an ONNX model's graph, read and checked by
// Interop's ONNXReader, drawn by Interop's ONNXDrawing in the style of Lumen's own graphs.
//
// Read next: ../Interop/ONNXDrawing.swift.

import ArgumentParser
import Files
import Foundation
import Interop
import Viz

extension DrawCommand {
    /// Whether the argument names an ONNX file rather than an expression.
    static func isONNXFile(_ argument: String) -> Bool {
        argument.lowercased().hasSuffix(".onnx")
    }

    /// The options that make sense for an expression only.
    func validateONNX() throws {
        let given: [(option: String, isSet: Bool)] = [
            ("--set", set != nil), ("--shape", shape != nil), ("--seed", seed != nil), ("--example", example),
            ("--edge-labels", edgeLabels), ("--as-scalars", asScalars), ("--detail", detail != nil),
            ("--steps", steps != nil), ("--no-backward", noBackward)]
        let refused: [String] = given.filter(\.isSet).map(\.option)
        if !refused.isEmpty {
            throw ValidationError("an ONNX file is drawn as it is: leave out \(refused.joined(separator: ", "))")
        }
    }

    /// Reads the ONNX file at `path` and writes its drawing to `outputs`.
    func drawONNX(_ path: String, outputs: [String]) throws {
        let graph: ONNXModelGraph
        let drawing: GraphDrawing
        do {
            graph = try ONNXReader.read(path)
            drawing = try graph.drawing(path: path)
        } catch {
            throw fail(error.description, hint: "give the path of an .onnx model file, as torch.onnx.export or lumen export write")
        }
        let file = URL(fileURLWithPath: path).lastPathComponent
        print("\(file): \(graph.nodes.count) nodes, \(graph.initializers.count) weights"
              + (graph.producer.isEmpty ? "" : ", from \(graph.producer)"))
        let dot = drawing.dot(options: DrawingOptions(title: graph.drawingTitle(file: file), direction: rankdir, showsLegend: false))
        try write(dot, to: outputs)
    }
}
