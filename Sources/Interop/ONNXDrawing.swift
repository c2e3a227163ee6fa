// ONNXDrawing.swift — an ONNX graph drawn in Lumen's style, for `lumen draw model.onnx`: one
// box per operator with its op, the module it belongs to, its weights' shapes and its output's
// shape; the operators of one module inside a labelled frame.
//
// The module comes from the node's name. PyTorch's exporter names a node by the path of the
// module that made it ("/block/conv1/Conv": module block/conv1); `lumen export` by the layer's
// index ("3.Conv": layer 3). Nodes without such a name stand alone. Weights (initializers)
// are not drawn as boxes of their own: each is a line of the box that uses it ("weight
// 8×1×3×3"). A file holds no gradients, so every box has the palette's first colour and no
// gradient legend is drawn.
//
// Read next: Reading/ONNXReader.swift (how the file is read and checked).

import Viz

extension ONNXModelGraph {
    /// The module a node belongs to, from its name, or nil.
    static func module(of node: Node) -> String? {
        var name = node.name
        if name.hasPrefix("/") {
            name.removeFirst()
            guard let slash = name.lastIndex(of: "/") else { return nil }
            return String(name[..<slash])
        }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex, name[name.index(after: dot)...] == node.opType
            || name[name.index(after: dot)...].first?.isUppercase == true {
            return String(name[..<dot])
        }
        return nil
    }

    /// The graph as a drawing: the data inputs first, then one box per node in the file's
    /// order.
    ///
    /// - Throws: `ONNXReadError.invalid` when a node uses a value that only a later node
    ///   makes (ONNX requires the nodes in topological order).
    public func drawing(path: String) throws(ONNXReadError) -> GraphDrawing {
        let shapes = self.shapes()
        func describe(_ shape: [Dimension]?) -> String {
            guard let shape else { return "?" }
            return shape.isEmpty ? "scalar" : shape.map(\.description).joined(separator: "×")
        }
        let weights = Dictionary(initializers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let outputNames = Set(outputs.map(\.name))
        var nodes: [GraphDrawing.Node] = []
        var producer: [String: Int] = [:]
        for input in dataInputs {
            producer[input.name] = nodes.count
            nodes.append(GraphDrawing.Node(key: nodes.count, title: input.name, subtitle: describe(shapes[input.name] ?? input.shape),
                                           rows: [GraphDrawing.Row("input", input.elementType)], gradientMagnitude: 0))
        }
        let modules = self.nodes.map(Self.module(of:))
        var members: [String: Int] = [:]
        for module in modules.compactMap({ $0 }) { members[module, default: 0] += 1 }
        // Every value any node makes, so a use before its maker is told apart from a value that no node makes.
        let madeLater = Set(self.nodes.flatMap(\.outputs))
        for (index, node) in self.nodes.enumerated() {
            let module = modules[index]
            var rows: [GraphDrawing.Row] = []
            var edges: [GraphDrawing.Input] = []
            for input in node.inputs where !input.isEmpty {
                if let position = producer[input] {
                    if !edges.contains(where: { $0.position == position }) { edges.append(GraphDrawing.Input(position)) }
                } else if let weight = weights[input] {
                    let prefix = module.map { $0.replacingOccurrences(of: "/", with: ".") + "." } ?? ""
                    let local = weight.name.hasPrefix(prefix) ? String(weight.name.dropFirst(prefix.count)) : weight.name
                    rows.append(GraphDrawing.Row(local, weight.shape.isEmpty ? "scalar" : weight.shape.map(String.init).joined(separator: "×")))
                } else if madeLater.contains(input) {
                    throw .invalid(path: path, what: "node \(index) (\(node.opType) \"\(node.name)\")",
                                   problem: "it uses \"\(input)\" before the node that makes it (nodes must be in topological order)")
                }
            }
            for output in node.outputs where outputNames.contains(output) { rows.append(GraphDrawing.Row("output", output)) }
            // In a module's frame the frame names the module; a box alone says it itself.
            let cluster = module.flatMap { (members[$0] ?? 0) > 1 ? $0 : nil }
            var title = cluster != nil ? nil
                : module ?? (node.name.isEmpty ? node.outputs.first : node.name.hasPrefix("/") ? String(node.name.dropFirst()) : node.name)
            if title == node.opType { title = nil }   // PyTorch's "/Relu": the op says it already
            for output in node.outputs where !output.isEmpty { producer[output] = nodes.count }
            nodes.append(GraphDrawing.Node(
                key: nodes.count, title: title, subtitle: describe(node.outputs.first.flatMap { shapes[$0] }),
                op: node.domain.isEmpty || node.domain == "ai.onnx" ? node.opType : "\(node.domain).\(node.opType)",
                rows: rows, gradientMagnitude: 0, inputs: edges,
                cluster: cluster, opInside: true))
        }
        return GraphDrawing(nodes: nodes)
    }

    /// The drawing's title: the file, who wrote it and the opset.
    public func drawingTitle(file: String) -> String {
        var parts = [file]
        if !producer.isEmpty { parts.append("from \(producer)") }
        if let opset = opsets.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) { parts.append("opset \(opset.version)") }
        parts.append("\(nodes.count) nodes, \(initializers.count) weights")
        return parts.joined(separator: ", ")
    }
}
