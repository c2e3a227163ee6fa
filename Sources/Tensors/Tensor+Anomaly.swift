// Tensor+Anomaly.swift — anomaly detection: which op first produced a NaN or ±∞, in the
// forward pass or in backward. PyTorch's `torch.autograd.detect_anomaly` answers the same
// question.
//
// Nothing here changes how ops run. The forward check walks the graph already recorded, in
// topological order (each node after its inputs), and stops at the first node whose value
// has a non-finite element while all its inputs are finite: that op made it. The backward
// check steps through `TensorBackwardPass` one node at a time, the very code `backward()`
// runs, and stops at the first pullback that turns a finite upstream gradient into a
// non-finite gradient for an input. It costs one scan of every value or gradient, so it is
// for finding a bug, not for every run (`lumen train --detect-anomaly` turns it on).
//
// Read next: Tensor+Backward.swift, the pass this steps through.

/// Where a NaN or ±∞ first appeared.
public struct TensorAnomaly: Sendable, Equatable, CustomStringConvertible {
    /// Whether it appeared in a value (forward), in a gradient (backward), or in a parameter
    /// written by an optimizer's step (update; see `TensorAnomaly.update`).
    public enum Phase: String, Sendable {
        case forward, backward, update
    }

    public let phase: Phase
    /// The id of the node at fault: in forward, the tensor the op produced (or a leaf that
    /// already held the NaN); in backward, the node whose pullback produced it. Draw the graph
    /// with `DrawingOptions(highlighted: nodeID)` to mark it.
    public let nodeID: Int
    /// The op's name with its details, e.g. "log" or "matmul"; `nil` for a leaf.
    public let op: String?
    /// The node's label, when it has one (a parameter's or the input's name).
    public let label: String?
    /// The shape of the tensor holding the NaN or ±∞.
    public let shape: [Int]
    /// How many of its elements are NaN, and how many ±∞.
    public let nanCount: Int
    public let infiniteCount: Int
    /// In backward: which input (0, 1, …) received the non-finite gradient.
    public let inputIndex: Int?

    public init(phase: Phase, nodeID: Int, op: String?, label: String?, shape: [Int], nanCount: Int,
                infiniteCount: Int, inputIndex: Int?) {
        self.phase = phase
        self.nodeID = nodeID
        self.op = op
        self.label = label
        self.shape = shape
        self.nanCount = nanCount
        self.infiniteCount = infiniteCount
        self.inputIndex = inputIndex
    }

    /// The first of `parameters` that holds a NaN or ±∞ after an update by `optimizer` (its
    /// name, e.g. "adam"), or `nil`. An optimizer's step writes in place and records no
    /// graph, so this is how anomaly detection sees a step that blew the weights up.
    public static func update<Scalar: TensorScalar>(of parameters: [Tensor<Scalar>], by optimizer: String) -> TensorAnomaly? {
        for parameter in parameters {
            let (nanCount, infiniteCount) = countNonFinite(parameter.scalars)
            if nanCount + infiniteCount > 0 {
                return TensorAnomaly(phase: .update, nodeID: parameter.id, op: optimizer, label: parameter.label,
                                     shape: parameter.shape, nanCount: nanCount, infiniteCount: infiniteCount, inputIndex: nil)
            }
        }
        return nil
    }

    public var description: String {
        let what = [nanCount > 0 ? "\(nanCount) NaN" : nil, infiniteCount > 0 ? "\(infiniteCount) infinite" : nil]
            .compactMap { $0 }.joined(separator: " and ")
        let name = label.map { " '\($0)'" } ?? ""
        let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"
        switch (phase, op) {
        case (.forward, nil):
            return "the leaf tensor\(name) (node \(nodeID), shape \(shapeText)) already holds \(what) value(s) before any op"
        case (.forward, let op?):
            return "forward: op '\(op)' (node \(nodeID)\(name)) produced \(what) value(s) of shape \(shapeText) from finite inputs"
        case (.update, let op):
            return "update: the \(op ?? "optimizer")'s step made the parameter\(name) (node \(nodeID), shape \(shapeText)) "
                + "hold \(what) value(s); its gradient was finite"
        case (.backward, let op):
            let input = inputIndex.map { " for its input \($0)" } ?? ""
            return "backward: the derivative of op '\(op ?? "?")' (node \(nodeID)\(name)) produced \(what) gradient "
                + "value(s)\(input), of shape \(shapeText), from a finite upstream gradient"
        }
    }
}

extension Tensor {
    /// The first node of the graph that ends at `self` whose value holds a NaN or ±∞ while
    /// every input of it is finite, or `nil` when every value is finite.
    ///
    /// Walks `topologicalOrder()`, so the first node found is the earliest: every non-finite
    /// value after it was computed from it.
    public func firstForwardAnomaly() -> TensorAnomaly? {
        var nonFinite: Set<ObjectIdentifier> = []
        for node in topologicalOrder() {
            let (nanCount, infiniteCount) = countNonFinite(node.scalars)
            guard nanCount + infiniteCount > 0 else { continue }
            nonFinite.insert(ObjectIdentifier(node))
            // An input already non-finite explains this one; the culprit came earlier.
            if node.inputs.contains(where: { nonFinite.contains(ObjectIdentifier($0)) }) { continue }
            return TensorAnomaly(phase: .forward, nodeID: node.id, op: node.opName, label: node.label,
                                 shape: node.shape, nanCount: nanCount, infiniteCount: infiniteCount, inputIndex: nil)
        }
        return nil
    }

    /// Runs backward from `self` (a one-element loss) exactly as `backward()` does, but one
    /// node at a time, and stops at the first node whose pullback turns its finite upstream
    /// gradient into a non-finite gradient for an input (or whose sum of contributions
    /// overflows). Returns that anomaly, or `nil` when every gradient is finite; either
    /// way the gradients computed so far stay in place, as after an interrupted backward.
    public func backwardDetectingAnomaly(file: StaticString = #fileID, line: UInt = #line) -> TensorAnomaly? {
        var pass = TensorBackwardPass(from: self, file: file, line: line)
        return withoutGradients { () -> TensorAnomaly? in
            while let step = pass.next() {
                if countNonFinite(step.upstream.scalars) != (0, 0) { continue }   // already reported upstream
                for (index, input) in step.node.inputs.enumerated() {
                    // nil: this input needs no gradient, and none was computed.
                    guard let contribution = step.contributions[index] else { continue }
                    var (nanCount, infiniteCount) = countNonFinite(contribution.scalars)
                    // The contribution may be finite and the accumulated sum not.
                    if nanCount + infiniteCount == 0, let sum = input.grad { (nanCount, infiniteCount) = countNonFinite(sum.scalars) }
                    if nanCount + infiniteCount > 0 {
                        return TensorAnomaly(phase: .backward, nodeID: step.node.id, op: step.node.opName,
                                             label: step.node.label, shape: input.shape, nanCount: nanCount,
                                             infiniteCount: infiniteCount, inputIndex: index)
                    }
                }
            }
            return nil
        }
    }

    /// The op's name and details, e.g. "sum(axes: [1])"; `nil` for a leaf.
    var opName: String? {
        guard let op else { return nil }
        return opDetail.map { "\(op.rawValue)(\($0))" } ?? op.rawValue
    }
}

/// How many of `values` are NaN, and how many ±∞.
private func countNonFinite<Scalar: TensorScalar>(_ values: [Scalar]) -> (Int, Int) {
    var nanCount = 0, infiniteCount = 0
    for value in values where !value.isFinite {
        if value.isNaN { nanCount += 1 } else { infiniteCount += 1 }
    }
    return (nanCount, infiniteCount)
}
