// Remote.swift — the messages between `lumen grade` and the child process that runs the
// learner's code, and the child's side of the conversation.
//
// `lumen grade` judges in its own process, which the learner's code never runs in. For each
// task it starts a child (the runner: this module, the learner's module and a three-line
// main), then runs the task's grader against a stand-in solution whose every function sends
// a `Call` with its inputs to the child and waits for the values the learner's function
// returned. The child never sees an expected value and never says "passed": it only answers
// calls. So whatever the learner's code prints, writes or sets, the verdict is decided by the
// values their functions return, compared in the parent against Lumen's own references.
//
// Wire format: each message is a 4-byte little-endian length, then that many bytes of JSON.
// The parent writes `ToChild` messages to the child's fd 3; the child writes `ToParent`
// messages to its fd 4. A learner's function that takes a function (task 1.8's `f`) calls
// back: the child sends `evaluate(x)` and the parent answers with `value(f(x))`.
//
// Read next: Sources/Grading/RemoteSolution.swift (the parent's side).

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One call of a learner's function, with its inputs.
public enum Call: Codable, Sendable, Equatable {
    case mulBackward(a: Double, b: Double, upstream: Double)
    case powBackward(x: Double, exponent: Double, upstream: Double)
    case tanhBackward(output: Double, upstream: Double)
    case expBackward(output: Double, upstream: Double)
    case topologicalOrder(Graph)
    case backward(Graph)
    case zeroGrad(Graph)
    case numericalGradient(point: [Double], step: Double)
    case contiguousStrides([Int])
    case position(index: [Int], strides: [Int])
    case index(position: Int, shape: [Int])
    case broadcastShape([Int], [Int])
    case sumToShape(gradient: [Double], from: [Int], to: [Int])
    case reductionBackward(Reduction, input: [Double], rows: Int, columns: Int, axis: Int, upstream: [Double])
    case matmulBackward(a: [Double], b: [Double], m: Int, k: Int, n: Int, upstream: [Double])
    case logSumExp([Double])
    case softmax([Double])
    case crossEntropy(logits: [Double], rows: Int, classes: Int, labels: [Int])
    case linearForward(x: [Double], w: [Double], b: [Double], rows: Int, inputs: Int, outputs: Int)
    case linearBackward(x: [Double], w: [Double], dy: [Double], rows: Int, inputs: Int, outputs: Int)
    case sgdMomentumStep(parameters: [Double], gradients: [Double], velocity: [Double], learningRate: Double, momentum: Double)
    case adamStep(parameters: [Double], gradients: [Double], state: AdamState, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double)
    case trainMoons(MoonsNetwork, points: [[Double]], labels: [Int], steps: Int, learningRate: Double)
    case im2col(input: [Double], ConvGeometry)
    case conv2dForward(input: [Double], weights: [Double], ConvGeometry)
    case conv2dBackward(input: [Double], weights: [Double], upstream: [Double], ConvGeometry)
    /// Any array task (tier 4 on), through its line in `ExerciseSolution.arrayTasks`.
    case arrays(task: String, numbers: [[Double]], integers: [Int])
}

/// A scalar expression graph sent to the child, which builds it from the learner's `Scalar`s.
/// Nodes come inputs first; the root is the last node.
public struct Graph: Codable, Sendable, Equatable {
    public enum Node: Codable, Sendable, Equatable {
        case leaf(Double)
        case add(Int, Int)
        case mul(Int, Int)
        case pow(Int, Double)
        case tanh(Int)
        case exp(Int)
    }

    public var nodes: [Node]
    /// Each node's gradient before the call.
    public var grads: [Double]

    public init(nodes: [Node], grads: [Double]) {
        self.nodes = nodes
        self.grads = grads
    }
}

/// What a learner's function returned.
public enum Returned: Codable, Sendable, Equatable {
    /// Numbers: one array per returned value (a pair of numbers is two one-element arrays).
    case numbers([[Double]])
    /// Integers, or nil (`broadcastShape` of incompatible shapes).
    case integers([Int]?)
    /// `adamStep`'s parameters and state after the step.
    case adam(parameters: [Double], state: AdamState)
    /// `trainMoons`'s trained network and the losses it recorded.
    case moons(MoonsNetwork, losses: [Double])
}

/// Parent → child.
public enum ToChild: Codable, Sendable {
    case call(Call)
    /// The answer to the child's `evaluate`.
    case value(Double)
}

/// Child → parent.
public enum ToParent: Codable, Sendable {
    case returned(Returned)
    /// The learner's function threw: `Unimplemented` (its task) or another error (its text).
    case threw(unimplementedTask: String?, description: String)
    /// The learner's function called the function it was given at `x` (task 1.8).
    case evaluate([Double])
}

// MARK: - Framing

/// Length-prefixed JSON over a file descriptor. Infinities and NaN travel as strings.
public enum Frames {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let body = try encoder.encode(value)
        var length = UInt32(body.count).littleEndian
        return Data(bytes: &length, count: 4) + body
    }

    public static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(type, from: body)
    }

    /// Writes all of `data`; false if the other end is gone.
    public static func write(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
    }

    /// Reads exactly `count` bytes (blocking); nil at end of file.
    static func read(_ count: Int, from fd: Int32) -> Data? {
        var data = Data(count: count)
        var offset = 0
        let ok = data.withUnsafeMutableBytes { buffer -> Bool in
            while offset < count {
                let n = Foundation.read(fd, buffer.baseAddress! + offset, count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
        return ok ? data : nil
    }

    /// The next message from `fd` (blocking); nil at end of file or on a malformed message.
    public static func receive<T: Decodable>(_ type: T.Type, from fd: Int32) -> T? {
        guard let header = read(4, from: fd) else { return nil }
        let length = header.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        guard length <= 1 << 28, let body = read(length, from: fd) else { return nil }
        return try? decode(type, from: body)
    }
}

// MARK: - The child's side

/// The runner's main loop: answer calls with the learner's functions until the parent hangs up.
public enum ExerciseRunner {
    /// The descriptors the parent hands the runner.
    public static let callsFD: Int32 = 3, answersFD: Int32 = 4

    /// Serves `solution` until end of file on `callsFD`.
    public static func serve<Node: LearnerScalar>(_ solution: ExerciseSolution<Node>) {
        while let message = Frames.receive(ToChild.self, from: callsFD) {
            guard case .call(let call) = message else { continue }
            let reply: ToParent
            do {
                reply = .returned(try answer(call, solution))
            } catch let stub as Unimplemented {
                reply = .threw(unimplementedTask: stub.task, description: stub.description)
            } catch {
                reply = .threw(unimplementedTask: nil, description: String(describing: error))
            }
            guard let data = try? Frames.encode(reply), Frames.write(data, to: answersFD) else { return }
        }
    }

    /// The value of `f(x)`, asked of the parent.
    public static func evaluateInParent(_ x: [Double]) -> Double {
        guard let data = try? Frames.encode(ToParent.evaluate(x)), Frames.write(data, to: answersFD),
              case .value(let y)? = Frames.receive(ToChild.self, from: callsFD) else { exit(0) }
        return y
    }

    /// Runs one call with the learner's function.
    public static func answer<Node: LearnerScalar>(_ call: Call, _ s: ExerciseSolution<Node>,
                                                   evaluate: ([Double]) -> Double = evaluateInParent) throws -> Returned {
        switch call {
        case .mulBackward(let a, let b, let upstream):
            let (da, db) = try s.mulBackward(a, b, upstream)
            return .numbers([[da], [db]])
        case .powBackward(let x, let exponent, let upstream): return .numbers([[try s.powBackward(x, exponent, upstream)]])
        case .tanhBackward(let output, let upstream): return .numbers([[try s.tanhBackward(output, upstream)]])
        case .expBackward(let output, let upstream): return .numbers([[try s.expBackward(output, upstream)]])
        case .topologicalOrder(let graph):
            let nodes = build(graph, Node.self)
            let positions = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { (ObjectIdentifier($1), $0) })
            return .integers(try s.topologicalOrder(nodes.last!).map { positions[ObjectIdentifier($0)] ?? -1 })
        case .backward(let graph):
            let nodes = build(graph, Node.self)
            try s.backward(nodes.last!)
            return .numbers([nodes.map(\.grad)])
        case .zeroGrad(let graph):
            let nodes = build(graph, Node.self)
            try s.zeroGrad(nodes.last!)
            return .numbers([nodes.map(\.grad)])
        case .numericalGradient(let point, let step):
            return .numbers([try s.numericalGradient(evaluate, point, step)])
        case .contiguousStrides(let shape): return .integers(try s.contiguousStrides(shape))
        case .position(let index, let strides): return .integers([try s.position(index, strides)])
        case .index(let position, let shape): return .integers(try s.index(position, shape))
        case .broadcastShape(let a, let b): return .integers(try s.broadcastShape(a, b))
        case .sumToShape(let gradient, let from, let to): return .numbers([try s.sumToShape(gradient, from, to)])
        case .reductionBackward(let kind, let input, let rows, let columns, let axis, let upstream):
            return .numbers([try s.reductionBackward(kind, input, rows, columns, axis, upstream)])
        case .matmulBackward(let a, let b, let m, let k, let n, let upstream):
            let (da, db) = try s.matmulBackward(a, b, m, k, n, upstream)
            return .numbers([da, db])
        case .logSumExp(let x): return .numbers([[try s.logSumExp(x)]])
        case .softmax(let x): return .numbers([try s.softmax(x)])
        case .crossEntropy(let logits, let rows, let classes, let labels):
            let (loss, gradient) = try s.crossEntropy(logits, rows, classes, labels)
            return .numbers([[loss], gradient])
        case .linearForward(let x, let w, let b, let rows, let inputs, let outputs):
            return .numbers([try s.linearForward(x, w, b, rows, inputs, outputs)])
        case .linearBackward(let x, let w, let dy, let rows, let inputs, let outputs):
            let (dx, dw, db) = try s.linearBackward(x, w, dy, rows, inputs, outputs)
            return .numbers([dx, dw, db])
        case .sgdMomentumStep(var parameters, let gradients, var velocity, let learningRate, let momentum):
            try s.sgdMomentumStep(&parameters, gradients, &velocity, learningRate, momentum)
            return .numbers([parameters, velocity])
        case .adamStep(var parameters, let gradients, var state, let learningRate, let beta1, let beta2, let epsilon):
            try s.adamStep(&parameters, gradients, &state, learningRate, beta1, beta2, epsilon)
            return .adam(parameters: parameters, state: state)
        case .trainMoons(var network, let points, let labels, let steps, let learningRate):
            let losses = try s.trainMoons(&network, points, labels, steps, learningRate)
            return .moons(network, losses: losses)
        case .im2col(let input, let geometry): return .numbers([try s.im2col(input, geometry)])
        case .conv2dForward(let input, let weights, let geometry): return .numbers([try s.conv2dForward(input, weights, geometry)])
        case .conv2dBackward(let input, let weights, let upstream, let geometry):
            let (dInput, dWeights) = try s.conv2dBackward(input, weights, upstream, geometry)
            return .numbers([dInput, dWeights])
        case .arrays(let task, let numbers, let integers):
            guard let function = s.arrayTasks[task] else { throw MissingHookup(task: task) }
            return .numbers(try function(numbers, integers))
        }
    }

    /// The graph's nodes, built with the learner's operations, with their starting gradients.
    static func build<Node: LearnerScalar>(_ graph: Graph, _: Node.Type) -> [Node] {
        var nodes: [Node] = []
        for spec in graph.nodes {
            switch spec {
            case .leaf(let x): nodes.append(Node(x))
            case .add(let i, let j): nodes.append(nodes[i] + nodes[j])
            case .mul(let i, let j): nodes.append(nodes[i] * nodes[j])
            case .pow(let i, let e): nodes.append(nodes[i].pow(e))
            case .tanh(let i): nodes.append(nodes[i].tanh())
            case .exp(let i): nodes.append(nodes[i].exp())
            }
        }
        for (node, grad) in zip(nodes, graph.grads) { node.grad = grad }
        return nodes
    }
}
