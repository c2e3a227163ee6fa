// RemoteSolution.swift — a stand-in for the learner's solution, in the grading process: each of
// its functions sends its inputs to the task's child and returns what the learner's code gave.
//
// The graders (Sources/ExerciseGraders) run here, unchanged, on this stand-in, exactly as
// Lumen's tests run them in-process on the reference solutions. Expected values are computed
// here and never sent; the child only ever receives inputs.
//
// Scalar graphs (tasks 1.5–1.7) are built here from `RemoteScalar`s, which record how each
// node was made. A call sends the graph; the child rebuilds it from the learner's `Scalar`s,
// runs their function, and sends back node numbers (an order) or every node's gradient.
//
// Read next: TaskRunner.swift.

import ExerciseGraders
import ExerciseKit
import Foundation
import Synchronization

private let nodeCounter = Atomic<Int>(0)

/// A scalar node on the grading side: its value, gradient and how it was made.
public final class RemoteScalar: LearnerScalar, @unchecked Sendable {
    enum Making {
        case leaf, add, mul, pow(Double), tanh, exp
    }

    /// Creation order: inputs always have smaller ids.
    let id = nodeCounter.wrappingAdd(1, ordering: .relaxed).oldValue
    public let data: Double
    public var grad: Double = 0
    public let inputs: [RemoteScalar]
    let making: Making

    public init(_ data: Double) {
        self.data = data
        inputs = []
        making = .leaf
    }

    init(_ data: Double, _ making: Making, _ inputs: [RemoteScalar]) {
        self.data = data
        self.making = making
        self.inputs = inputs
    }

    /// Only the learner's `Scalar`, in the child, knows its rules.
    public func contributions(upstream: Double) throws -> [Double] {
        throw LearnerError(description: "contributions are computed in the child")
    }

    public static func + (a: RemoteScalar, b: RemoteScalar) -> RemoteScalar { RemoteScalar(a.data + b.data, .add, [a, b]) }
    public static func * (a: RemoteScalar, b: RemoteScalar) -> RemoteScalar { RemoteScalar(a.data * b.data, .mul, [a, b]) }
    public func pow(_ exponent: Double) -> RemoteScalar { RemoteScalar(Foundation.pow(data, exponent), .pow(exponent), [self]) }
    public func tanh() -> RemoteScalar { RemoteScalar(Foundation.tanh(data), .tanh, [self]) }
    public func exp() -> RemoteScalar { RemoteScalar(Foundation.exp(data), .exp, [self]) }

    /// Every node `root` depends on, in creation order (so inputs come first), and the graph to send.
    static func graph(from root: RemoteScalar) -> (nodes: [RemoteScalar], graph: Graph) {
        var seen: [Int: RemoteScalar] = [:]
        var pending = [root]
        while let node = pending.popLast() {
            if seen.updateValue(node, forKey: node.id) == nil { pending += node.inputs }
        }
        let nodes = seen.values.sorted { $0.id < $1.id }
        let position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
        let specs = nodes.map { node -> Graph.Node in
            let inputs = node.inputs.map { position[$0.id]! }
            switch node.making {
            case .leaf: return .leaf(node.data)
            case .add: return .add(inputs[0], inputs[1])
            case .mul: return .mul(inputs[0], inputs[1])
            case .pow(let e): return .pow(inputs[0], e)
            case .tanh: return .tanh(inputs[0])
            case .exp: return .exp(inputs[0])
            }
        }
        return (nodes, Graph(nodes: specs, grads: nodes.map(\.grad)))
    }
}

extension ChildConnection {
    /// Records and returns a garbled-answer failure.
    func garbled(_ text: String) -> ChildFailure {
        failure = .garbled(text)
        return .garbled(text)
    }

    /// The numbers a call returned, checked to be `count` arrays.
    func numbers(_ call: Call, count: Int?, evaluate: ([Double]) -> Double = { _ in .nan }) throws -> [[Double]] {
        guard case .numbers(let arrays) = try self.call(call, evaluate: evaluate), count == nil || arrays.count == count else {
            throw garbled("the answer to \(call) had the wrong form")
        }
        return arrays
    }

    func number(_ call: Call) throws -> Double {
        let arrays = try numbers(call, count: 1)
        guard arrays[0].count == 1 else { throw garbled("the answer to \(call) had the wrong form") }
        return arrays[0][0]
    }

    func integers(_ call: Call) throws -> [Int]? {
        guard case .integers(let values) = try self.call(call) else { throw garbled("the answer to \(call) had the wrong form") }
        return values
    }

    /// Sets each node's gradient from the child's answer.
    func gradients(_ call: (Graph) -> Call, _ root: RemoteScalar) throws {
        let (nodes, graph) = RemoteScalar.graph(from: root)
        let grads = try numbers(call(graph), count: 1)[0]
        guard grads.count == nodes.count else { throw garbled("the answer had \(grads.count) gradients for \(nodes.count) nodes") }
        for (node, grad) in zip(nodes, grads) { node.grad = grad }
    }
}

public enum RemoteSolution {
    /// A solution whose every function asks `child`.
    public static func make(_ child: ChildConnection) -> ExerciseSolution<RemoteScalar> {
        ExerciseSolution<RemoteScalar>(
            mulBackward: { a, b, upstream in
                let arrays = try child.numbers(.mulBackward(a: a, b: b, upstream: upstream), count: 2)
                guard arrays[0].count == 1, arrays[1].count == 1 else { throw child.garbled("mulBackward's answer had the wrong form") }
                return (arrays[0][0], arrays[1][0])
            },
            powBackward: { try child.number(.powBackward(x: $0, exponent: $1, upstream: $2)) },
            tanhBackward: { try child.number(.tanhBackward(output: $0, upstream: $1)) },
            expBackward: { try child.number(.expBackward(output: $0, upstream: $1)) },
            topologicalOrder: { root in
                let (nodes, graph) = RemoteScalar.graph(from: root)
                // A node the child made up (not in the graph) comes back as -1: a node of its own here.
                return try (child.integers(.topologicalOrder(graph)) ?? []).map { nodes.indices.contains($0) ? nodes[$0] : RemoteScalar(.nan) }
            },
            backward: { try child.gradients(Call.backward, $0) },
            zeroGrad: { try child.gradients(Call.zeroGrad, $0) },
            numericalGradient: { f, point, step in try child.numbers(.numericalGradient(point: point, step: step), count: 1, evaluate: f)[0] },
            contiguousStrides: { try child.integers(.contiguousStrides($0)) ?? [] },
            position: { index, strides in
                guard let answer = try child.integers(.position(index: index, strides: strides)), answer.count == 1 else {
                    throw child.garbled("position's answer had the wrong form")
                }
                return answer[0]
            },
            index: { try child.integers(.index(position: $0, shape: $1)) ?? [] },
            broadcastShape: { try child.integers(.broadcastShape($0, $1)) },
            sumToShape: { try child.numbers(.sumToShape(gradient: $0, from: $1, to: $2), count: 1)[0] },
            reductionBackward: { try child.numbers(.reductionBackward($0, input: $1, rows: $2, columns: $3, axis: $4, upstream: $5), count: 1)[0] },
            matmulBackward: { a, b, m, k, n, upstream in
                let arrays = try child.numbers(.matmulBackward(a: a, b: b, m: m, k: k, n: n, upstream: upstream), count: 2)
                return (arrays[0], arrays[1])
            },
            logSumExp: { try child.number(.logSumExp($0)) },
            softmax: { try child.numbers(.softmax($0), count: 1)[0] },
            crossEntropy: { logits, rows, classes, labels in
                let arrays = try child.numbers(.crossEntropy(logits: logits, rows: rows, classes: classes, labels: labels), count: 2)
                guard arrays[0].count == 1 else { throw child.garbled("crossEntropy's answer had the wrong form") }
                return (arrays[0][0], arrays[1])
            },
            linearForward: { try child.numbers(.linearForward(x: $0, w: $1, b: $2, rows: $3, inputs: $4, outputs: $5), count: 1)[0] },
            linearBackward: { x, w, dy, rows, inputs, outputs in
                let arrays = try child.numbers(.linearBackward(x: x, w: w, dy: dy, rows: rows, inputs: inputs, outputs: outputs), count: 3)
                return (arrays[0], arrays[1], arrays[2])
            },
            sgdMomentumStep: { parameters, gradients, velocity, learningRate, momentum in
                let arrays = try child.numbers(.sgdMomentumStep(parameters: parameters, gradients: gradients, velocity: velocity,
                                                                learningRate: learningRate, momentum: momentum), count: 2)
                (parameters, velocity) = (arrays[0], arrays[1])
            },
            adamStep: { parameters, gradients, state, learningRate, beta1, beta2, epsilon in
                guard case .adam(let newParameters, let newState) = try child.call(.adamStep(
                    parameters: parameters, gradients: gradients, state: state, learningRate: learningRate,
                    beta1: beta1, beta2: beta2, epsilon: epsilon)) else { throw child.garbled("adamStep's answer had the wrong form") }
                (parameters, state) = (newParameters, newState)
            },
            trainMoons: { network, points, labels, steps, learningRate in
                guard case .moons(let trained, let losses) = try child.call(.trainMoons(
                    network, points: points, labels: labels, steps: steps, learningRate: learningRate)) else {
                    throw child.garbled("trainMoons's answer had the wrong form")
                }
                network = trained
                return losses
            },
            im2col: { try child.numbers(.im2col(input: $0, $1), count: 1)[0] },
            conv2dForward: { try child.numbers(.conv2dForward(input: $0, weights: $1, $2), count: 1)[0] },
            conv2dBackward: { input, weights, upstream, geometry in
                let arrays = try child.numbers(.conv2dBackward(input: input, weights: weights, upstream: upstream, geometry), count: 2)
                return (arrays[0], arrays[1])
            },
            // Every array task, by one message: the grader checks how many arrays come back.
            arrayTasks: Dictionary(uniqueKeysWithValues: ExerciseTask.all.filter { $0.arrayGrader != nil }.map { task in
                (task.id, { numbers, integers in try child.numbers(.arrays(task: task.id, numbers: numbers, integers: integers), count: nil) })
            })
        )
    }
}
