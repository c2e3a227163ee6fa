// GraphDrawing+Tensor.swift — a `Tensor` graph as a drawing.
//
// Each tensor becomes one node showing its label, shape, and its value and gradient: the
// numbers themselves when there are 16 or fewer, and always (for 2 or more elements) their
// min, mean, max and L2 norm. An op node (`@`, `+`, `Σ`, ...) sits between it and its inputs,
// as for scalars, so the same DOT writer draws both.
//
// Read next: GraphDrawing+DOT.swift (the drawing as Graphviz text).

import Basics
import Tensors

/// How much of a tensor's numbers a drawing shows (`lumen draw --detail`).
public enum TensorDetail: String, Sendable, CaseIterable {
    /// One box per tensor: its op, its shape, its name (a leaf's label) and two heat maps,
    /// data and gradient (HeatMap.swift). A one-element tensor shows its number instead.
    case compact
    /// As `compact`, with the numbers written out instead of heat maps when there are at
    /// most `GraphDrawing.maxElementsShown` of them.
    case values
    /// As `compact`, with min / mean / max and ‖·‖₂ of data and gradient instead of heat maps.
    case stats
    /// Everything: the op as its own node, the numbers (up to 16), and the summary.
    case full
}

extension GraphDrawing {
    /// The most elements a tensor may have for its numbers to be written out in its node.
    public static let maxElementsShown = 16

    /// A drawing of every tensor that `root` depends on, ending with `root`.
    ///
    /// - Key: the tensor's `id`. Title: its `label`. Op: `op.symbol`, with `opDetail` under
    ///   it (`Σ` / `axes: [1]`); inside the box except at `detail: .full`.
    /// - What the box shows depends on `detail` (see `TensorDetail`). At `.full`, the rows are
    ///   `shape` (`2×3`, `scalar` for shape []), then for the value and for the gradient: the
    ///   numbers (nested brackets, row-major) when there are at most `maxElementsShown`, and
    ///   a summary `min / mean / max` and `‖·‖₂` when there are two or more. A gradient
    ///   backward has not reached (`grad == nil`) shows `—`. At the other levels the shape is
    ///   written after the title.
    /// - Colour: by the gradient's **largest absolute element**, max |∂root/∂xᵢ| (not its
    ///   norm, which grows with the tensor's size), on the same `GradientScale` as scalars, so a
    ///   one-element tensor is coloured exactly like the `Value` it stands for.
    /// - A constant (a leaf that requires no gradient) is drawn in grey with no gradient row;
    ///   a one-element constant is titled by its number.
    /// - NaN or ±∞ anywhere in the value or the gradient marks the node red, and a row counts
    ///   how many elements are NaN and how many infinite.
    /// - Graphs with more than `nodeLimit` tensors are summarized (`GraphDrawing.summarizing`).
    ///
    /// Float and Double tensors are both summarized in `Double`.
    public init<Scalar: TensorScalar>(tracing root: Tensor<Scalar>, detail: TensorDetail = .compact,
                                      nodeLimit: Int = GraphDrawing.defaultNodeLimit) {
        trapUnless(nodeLimit > 0, "GraphDrawing(tracing:): nodeLimit must be positive, got \(nodeLimit)")
        let order = root.topologicalOrder()
        var positions: [ObjectIdentifier: Int] = [:]
        positions.reserveCapacity(order.count)
        for (position, tensor) in order.enumerated() {
            positions[ObjectIdentifier(tensor)] = position
        }
        let nodes = order.map { tensor in
            Node(tensor, inputPositions: tensor.inputs.map { positions[ObjectIdentifier($0)]! }, detail: detail)
        }
        self.init(nodes: nodes, nodeLimit: nodeLimit)
    }

    /// A shape as the drawing writes it: `2×3`, `4`, `scalar` for [].
    public static func formatShape(_ shape: [Int]) -> String {
        describe(shape, as: .product)
    }

    /// Elements in row-major order written with brackets per axis: `[[1, 2], [3, 4]]`; a
    /// scalar (shape []) is its one number. Each number as `format(_:)` writes it.
    public static func formatElements(_ elements: [Double], shape: [Int]) -> String {
        guard !shape.isEmpty else { return elements.first.map(format) ?? "" }
        var next = 0
        func write(axis: Int) -> String {
            let parts = (0..<shape[axis]).map { _ -> String in
                if axis == shape.count - 1 {
                    defer { next += 1 }
                    return format(elements[next])
                }
                return write(axis: axis + 1)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        return write(axis: 0)
    }
}

/// The numbers a tensor node reports about a set of elements.
///
///     min = minᵢ xᵢ,  mean = (1/n) Σᵢ xᵢ,  max = maxᵢ xᵢ,  norm = ‖x‖₂ = √(Σᵢ xᵢ²)
///     maxMagnitude = maxᵢ |xᵢ|
///
/// NaN elements are left out of min, max and maxMagnitude (and counted in `nanCount`); they
/// make mean and norm NaN, as they should. Infinities take part in everything.
public struct TensorSummary: Sendable, Equatable {
    public var count: Int
    public var min: Double
    public var mean: Double
    public var max: Double
    public var norm: Double
    public var maxMagnitude: Double
    public var nanCount: Int
    public var infiniteCount: Int

    /// The summary of `elements`; for no elements, min, mean, max, norm and maxMagnitude are 0.
    public init(_ elements: [Double]) {
        count = elements.count
        var low = Double.infinity, high = -Double.infinity, magnitude = 0.0
        var sum = 0.0, squares = 0.0
        nanCount = 0
        infiniteCount = 0
        for x in elements {
            sum += x
            squares += x * x
            if x.isNaN {
                nanCount += 1
                continue
            }
            if x.isInfinite { infiniteCount += 1 }
            low = Swift.min(low, x)
            high = Swift.max(high, x)
            magnitude = Swift.max(magnitude, Swift.abs(x))
        }
        let empty = elements.isEmpty
        let allNaN = !empty && nanCount == elements.count
        min = empty ? 0 : allNaN ? .nan : low
        max = empty ? 0 : allNaN ? .nan : high
        mean = empty ? 0 : sum / Double(elements.count)
        norm = squares.squareRoot()
        maxMagnitude = allNaN ? .nan : magnitude
    }

    /// True when some element is NaN or ±∞.
    public var hasNonFinite: Bool { nanCount > 0 || infiniteCount > 0 }
}

extension GraphDrawing.Node {
    /// One tensor as a node; `inputPositions` are its inputs' positions in topological order.
    init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>, inputPositions: [Int], detail: TensorDetail) {
        let values = tensor.scalars.map(Double.init)
        let gradient = tensor.grad.map { $0.scalars.map(Double.init) }
        let valueSummary = TensorSummary(values)
        let gradientSummary = gradient.map(TensorSummary.init)
        let isConstant = tensor.isLeaf && !tensor.requiresGrad

        // The full view lists the shape as a row; the others write it next to the title.
        var rows = detail == .full ? [GraphDrawing.Row("shape", GraphDrawing.formatShape(tensor.shape))] : []
        var heatMaps: [HeatMap] = []
        switch detail {
        case .full:
            rows += Self.rows(named: "data", values, valueSummary, shape: tensor.shape)
            if let gradient, let gradientSummary {
                rows += Self.rows(named: "grad", gradient, gradientSummary, shape: tensor.shape)
            } else {
                rows.append(GraphDrawing.Row("grad", GraphDrawing.notReached))
            }
        case .compact, .values, .stats:
            for (name, elements) in [("data", values), ("grad", gradient)] {
                // A constant has no gradient to show, ever: leave the row out rather than print —.
                if name == "grad" && isConstant { continue }
                guard let elements else {
                    rows.append(GraphDrawing.Row(name, GraphDrawing.notReached))
                    continue
                }
                let showNumbers = elements.count <= 1
                    || (detail == .values && elements.count <= GraphDrawing.maxElementsShown)
                if showNumbers {
                    rows.append(GraphDrawing.Row(name, GraphDrawing.formatElements(elements, shape: tensor.shape)))
                } else if detail == .stats {
                    let summary = TensorSummary(elements), f = GraphDrawing.format
                    rows.append(GraphDrawing.Row("\(name) min / mean / max", "\(f(summary.min)) / \(f(summary.mean)) / \(f(summary.max))"))
                    rows.append(GraphDrawing.Row("‖\(name)‖₂", f(summary.norm)))
                } else {
                    heatMaps.append(HeatMap(name: name, elements: elements, shape: tensor.shape))
                }
            }
            for (name, summary) in [("data", valueSummary), ("grad", gradientSummary)] where summary?.hasNonFinite == true {
                rows.append(GraphDrawing.Row("\(name) NaN / ±∞", "\(summary!.nanCount) / \(summary!.infiniteCount)"))
            }
        }

        var op: String?
        if let primitive = tensor.op {
            op = [primitive.symbol, tensor.opDetail].compactMap { $0 }.joined(separator: "\n")
        }
        // A one-element constant is just its number, as a constant is in a scalar graph.
        var title = tensor.label
        if isConstant && detail != .full && values.count == 1 && title == nil {
            title = GraphDrawing.format(values[0])
            rows.removeAll { $0.name == "data" }
        }
        var subtitle: String?
        if detail != .full { subtitle = GraphDrawing.formatShape(tensor.shape) }
        self.init(
            key: tensor.id,
            title: title,
            subtitle: subtitle,
            op: op,
            rows: rows,
            gradientMagnitude: gradientSummary?.maxMagnitude,
            isNonFinite: valueSummary.hasNonFinite || (gradientSummary?.hasNonFinite ?? false),
            inputs: inputPositions.map { GraphDrawing.Input($0) },
            heatMaps: heatMaps,
            opInside: detail != .full,
            isMuted: isConstant)
    }

    /// The rows for one set of numbers: the numbers (up to `maxElementsShown`), the
    /// summary (two or more), and a count of bad numbers (if any).
    private static func rows(named name: String, _ elements: [Double], _ summary: TensorSummary,
                             shape: [Int]) -> [GraphDrawing.Row] {
        let f = GraphDrawing.format
        if elements.isEmpty { return [GraphDrawing.Row(name, "(no elements)")] }
        var rows: [GraphDrawing.Row] = []
        if elements.count <= GraphDrawing.maxElementsShown {
            rows.append(GraphDrawing.Row(name, GraphDrawing.formatElements(elements, shape: shape)))
        }
        if elements.count >= 2 {
            rows.append(GraphDrawing.Row("\(name) min / mean / max", "\(f(summary.min)) / \(f(summary.mean)) / \(f(summary.max))"))
            rows.append(GraphDrawing.Row("‖\(name)‖₂", f(summary.norm)))
        }
        if summary.hasNonFinite {
            rows.append(GraphDrawing.Row("\(name) NaN / ±∞", "\(summary.nanCount) / \(summary.infiniteCount)"))
        }
        return rows
    }
}
