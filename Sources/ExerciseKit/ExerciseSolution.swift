// ExerciseSolution.swift — what the learner's code hands to the graders.
//
// The graders live in Lumen and cannot import the learner's module, so the learner's
// Exercises/Sources/Exercises/Hookup.swift fills in an `ExerciseSolution`: one closure per
// function they write, plus their scalar type through the `LearnerScalar` protocol. Lumen's
// own tests hand the same graders the reference solutions, the untouched stubs, and
// deliberately broken variants (replace one closure). `lumen grade` hands them a stand-in
// whose every closure asks a child process to run the learner's function (Remote.swift).
//
// Read next: Remote.swift.

/// The learner's scalar node, as the graders see it.
public protocol LearnerScalar: AnyObject {
    /// A leaf holding `data`, with gradient 0.
    init(_ data: Double)
    var data: Double { get }
    var grad: Double { get set }
    /// The nodes this one was computed from (empty for a leaf).
    var inputs: [Self] { get }
    /// What this node sends to each of its inputs when its gradient is `upstream`:
    /// ∂self/∂inputᵢ × upstream, in the order of `inputs`. Calls the learner's backward rules.
    func contributions(upstream: Double) throws -> [Double]
    static func + (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    func pow(_ exponent: Double) -> Self
    func tanh() -> Self
    func exp() -> Self
}

/// The three reductions of task 2.5.
public enum Reduction: String, CaseIterable, Sendable, Codable {
    case sum, mean, max
}

/// The geometry of a 2-d convolution over one image (tasks 3.6–3.8): `channels × height ×
/// width` input, square `kernel`, and `filters` output channels.
public struct ConvGeometry: Sendable, Equatable, Codable, CustomStringConvertible {
    public var channels, height, width, kernel, stride, padding, filters: Int

    public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int, filters: Int) {
        (self.channels, self.height, self.width) = (channels, height, width)
        (self.kernel, self.stride, self.padding, self.filters) = (kernel, stride, padding, filters)
    }

    /// (H + 2·padding − kernel) / stride + 1.
    public var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    /// (W + 2·padding − kernel) / stride + 1.
    public var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// The rows of the im2col matrix: C·k·k.
    public var patchSize: Int { channels * kernel * kernel }

    public var description: String {
        "input [\(channels), \(height), \(width)], kernel \(kernel)×\(kernel), stride \(stride), padding \(padding), \(filters) filters"
    }
}

/// Adam's running state for one parameter array (task 3.4).
public struct AdamState: Sendable, Equatable, Codable {
    /// First moment: the running mean of the gradient.
    public var m: [Double]
    /// Second moment: the running mean of the squared gradient.
    public var v: [Double]
    /// Steps taken so far; the first step is step 1.
    public var step: Int

    public init(count: Int) {
        m = Array(repeating: 0, count: count)
        v = Array(repeating: 0, count: count)
        step = 0
    }
}

/// The network of task 3.5: Linear(2, hidden), tanh, Linear(hidden, 2). Each weight matrix is
/// laid out `[out, in]` row-major, as Lumen's `Linear` stores it: `w1[j * 2 + i]` joins input i
/// to hidden unit j, and `w2[c * hidden + j]` joins hidden unit j to class c.
public struct MoonsNetwork: Sendable, Equatable, Codable {
    public var hidden: Int
    /// [hidden, 2]
    public var w1: [Double]
    /// [hidden]
    public var b1: [Double]
    /// [2, hidden]
    public var w2: [Double]
    /// [2]
    public var b2: [Double]

    public init(hidden: Int, w1: [Double], b1: [Double], w2: [Double], b2: [Double]) {
        (self.hidden, self.w1, self.b1, self.w2, self.b2) = (hidden, w1, b1, w2, b2)
    }
}

/// A function of an array task (tier 4 on), as the graders call it: arrays of numbers and
/// integers in, arrays of numbers out, flat and row-major. The task's line in Hookup.swift
/// turns the learner's typed function into one of these, so that a new task needs no new
/// property here, no new message and no new stand-in (Exercises/README.md, "Adding a task").
public typealias ArrayFunction = (_ numbers: [[Double]], _ integers: [Int]) throws -> [[Double]]

/// Every function a learner writes, one closure per task (2.2 and 2.7 have two).
/// Arrays are flat and row-major; the shapes travel beside them.
public struct ExerciseSolution<Node: LearnerScalar> {
    // Scalars
    public var mulBackward: (_ a: Double, _ b: Double, _ upstream: Double) throws -> (Double, Double)
    public var powBackward: (_ x: Double, _ exponent: Double, _ upstream: Double) throws -> Double
    public var tanhBackward: (_ output: Double, _ upstream: Double) throws -> Double
    public var expBackward: (_ output: Double, _ upstream: Double) throws -> Double
    public var topologicalOrder: (_ root: Node) throws -> [Node]
    public var backward: (_ root: Node) throws -> Void
    public var zeroGrad: (_ root: Node) throws -> Void
    public var numericalGradient: (_ f: ([Double]) -> Double, _ point: [Double], _ step: Double) throws -> [Double]
    // Tensors
    public var contiguousStrides: (_ shape: [Int]) throws -> [Int]
    public var position: (_ index: [Int], _ strides: [Int]) throws -> Int
    public var index: (_ position: Int, _ shape: [Int]) throws -> [Int]
    public var broadcastShape: (_ a: [Int], _ b: [Int]) throws -> [Int]?
    public var sumToShape: (_ gradient: [Double], _ from: [Int], _ to: [Int]) throws -> [Double]
    public var reductionBackward: (_ kind: Reduction, _ input: [Double], _ rows: Int, _ columns: Int, _ axis: Int, _ upstream: [Double]) throws -> [Double]
    public var matmulBackward: (_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int, _ upstream: [Double]) throws -> (da: [Double], db: [Double])
    public var logSumExp: (_ x: [Double]) throws -> Double
    public var softmax: (_ x: [Double]) throws -> [Double]
    public var crossEntropy: (_ logits: [Double], _ rows: Int, _ classes: Int, _ labels: [Int]) throws -> (loss: Double, gradient: [Double])
    // Training
    public var linearForward: (_ x: [Double], _ w: [Double], _ b: [Double], _ rows: Int, _ inputs: Int, _ outputs: Int) throws -> [Double]
    public var linearBackward: (_ x: [Double], _ w: [Double], _ dy: [Double], _ rows: Int, _ inputs: Int, _ outputs: Int) throws -> (dx: [Double], dw: [Double], db: [Double])
    public var sgdMomentumStep: (_ parameters: inout [Double], _ gradients: [Double], _ velocity: inout [Double], _ learningRate: Double, _ momentum: Double) throws -> Void
    public var adamStep: (_ parameters: inout [Double], _ gradients: [Double], _ state: inout AdamState, _ learningRate: Double, _ beta1: Double, _ beta2: Double, _ epsilon: Double) throws -> Void
    public var trainMoons: (_ network: inout MoonsNetwork, _ points: [[Double]], _ labels: [Int], _ steps: Int, _ learningRate: Double) throws -> [Double]
    public var im2col: (_ input: [Double], _ geometry: ConvGeometry) throws -> [Double]
    public var conv2dForward: (_ input: [Double], _ weights: [Double], _ geometry: ConvGeometry) throws -> [Double]
    public var conv2dBackward: (_ input: [Double], _ weights: [Double], _ upstream: [Double], _ geometry: ConvGeometry) throws -> (dInput: [Double], dWeights: [Double])
    // The array tasks, by task id ("4.1").
    public var arrayTasks: [String: ArrayFunction]

    public init(
        mulBackward: @escaping (Double, Double, Double) throws -> (Double, Double),
        powBackward: @escaping (Double, Double, Double) throws -> Double,
        tanhBackward: @escaping (Double, Double) throws -> Double,
        expBackward: @escaping (Double, Double) throws -> Double,
        topologicalOrder: @escaping (Node) throws -> [Node],
        backward: @escaping (Node) throws -> Void,
        zeroGrad: @escaping (Node) throws -> Void,
        numericalGradient: @escaping (([Double]) -> Double, [Double], Double) throws -> [Double],
        contiguousStrides: @escaping ([Int]) throws -> [Int],
        position: @escaping ([Int], [Int]) throws -> Int,
        index: @escaping (Int, [Int]) throws -> [Int],
        broadcastShape: @escaping ([Int], [Int]) throws -> [Int]?,
        sumToShape: @escaping ([Double], [Int], [Int]) throws -> [Double],
        reductionBackward: @escaping (Reduction, [Double], Int, Int, Int, [Double]) throws -> [Double],
        matmulBackward: @escaping ([Double], [Double], Int, Int, Int, [Double]) throws -> (da: [Double], db: [Double]),
        logSumExp: @escaping ([Double]) throws -> Double,
        softmax: @escaping ([Double]) throws -> [Double],
        crossEntropy: @escaping ([Double], Int, Int, [Int]) throws -> (loss: Double, gradient: [Double]),
        linearForward: @escaping ([Double], [Double], [Double], Int, Int, Int) throws -> [Double],
        linearBackward: @escaping ([Double], [Double], [Double], Int, Int, Int) throws -> (dx: [Double], dw: [Double], db: [Double]),
        sgdMomentumStep: @escaping (inout [Double], [Double], inout [Double], Double, Double) throws -> Void,
        adamStep: @escaping (inout [Double], [Double], inout AdamState, Double, Double, Double, Double) throws -> Void,
        trainMoons: @escaping (inout MoonsNetwork, [[Double]], [Int], Int, Double) throws -> [Double],
        im2col: @escaping ([Double], ConvGeometry) throws -> [Double],
        conv2dForward: @escaping ([Double], [Double], ConvGeometry) throws -> [Double],
        conv2dBackward: @escaping ([Double], [Double], [Double], ConvGeometry) throws -> (dInput: [Double], dWeights: [Double]),
        arrayTasks: [String: ArrayFunction] = [:]
    ) {
        self.mulBackward = mulBackward
        self.powBackward = powBackward
        self.tanhBackward = tanhBackward
        self.expBackward = expBackward
        self.topologicalOrder = topologicalOrder
        self.backward = backward
        self.zeroGrad = zeroGrad
        self.numericalGradient = numericalGradient
        self.contiguousStrides = contiguousStrides
        self.position = position
        self.index = index
        self.broadcastShape = broadcastShape
        self.sumToShape = sumToShape
        self.reductionBackward = reductionBackward
        self.matmulBackward = matmulBackward
        self.logSumExp = logSumExp
        self.softmax = softmax
        self.crossEntropy = crossEntropy
        self.linearForward = linearForward
        self.linearBackward = linearBackward
        self.sgdMomentumStep = sgdMomentumStep
        self.adamStep = adamStep
        self.trainMoons = trainMoons
        self.im2col = im2col
        self.conv2dForward = conv2dForward
        self.conv2dBackward = conv2dBackward
        self.arrayTasks = arrayTasks
    }
}
