// MoonsTraining.swift — micrograd's demo: an MLP learns to separate the two moons.
//
// One step, on the whole data set at once (full batch):
//
//     scoreᵢ   = model(xᵢ)                                  one number per point
//     lossᵢ    = relu(1 + (−yᵢ) · scoreᵢ)                    hinge loss: 0 once yᵢ·scoreᵢ ≥ 1
//     loss     = (0 + loss₀ + … + lossₙ₋₁) · (1/n)  +  α · (0 + p₀·p₀ + … + pₖ·pₖ)     α = 1e-4
//     zeroGrad(); loss.backward()
//     p       -= lr · ∂loss/∂p  for every parameter p,     lr = 1 − 0.9·k/steps at step k
//
// The expressions are built in exactly micrograd's order, so each step's graph has the same
// nodes as micrograd's (65,818 for the default network and 100 points; see W1 in
// ../shared/bench/WORKLOADS.md) and the same arithmetic.
//
// Read next: ../Expressions, or Viz to draw one neuron's graph.

import Engine

/// What one training step reports.
public struct MoonsTrainingStep: Sendable, Equatable {
    /// The step's index k, from 0.
    public let step: Int
    /// The total loss before this step's update.
    public let loss: Double
    /// The share of points classified correctly before this step's update, in [0, 1].
    public let accuracy: Double
    /// The learning rate used for this step's update.
    public let learningRate: Double
}

/// The moons demo, one step at a time.
///
/// ```swift
/// let training = try MoonsTraining()
/// while let step = training.step() {
///     print(step.step, step.loss, step.accuracy)
/// }
/// print(training.accuracy())   // 1.0 with the default seeds
/// ```
public final class MoonsTraining {
    /// The data seed of the default run (`TwoMoons.defaultSeed`).
    public static let defaultDataSeed: UInt64 = TwoMoons.defaultSeed
    /// The seed of the default run's initial weights.
    public static let defaultInitSeed: UInt64 = 1337
    /// micrograd's demo network: 2 inputs → 16 → 16 → 1.
    public static let defaultLayerSizes = [16, 16, 1]
    /// α, the weight of the L2 penalty α·Σp².
    public static let regularization = 1e-4

    /// The network being trained.
    public let model: MLP
    /// The training points, each `[x, y]` (or as many coordinates as the model reads).
    public let points: [[Double]]
    /// One label per point, -1 or +1.
    public let labels: [Double]
    /// How many steps `step()` will take in all.
    public let totalSteps: Int
    /// How many steps have been taken so far.
    public private(set) var stepsTaken = 0

    private let parameters: [Value]

    /// The demo on freshly generated moons: `TwoMoons(count:noise:seed: dataSeed)` and
    /// `MLP(inputs: 2, layerSizes:, rng: SplitMix64(seed: initSeed))`.
    ///
    /// With the defaults (100 points, noise 0.1, seeds 1 and 1337, 2 → 16 → 16 → 1,
    /// 100 steps) training reaches 100% accuracy. Throws a `ScalarNNError` for sizes,
    /// noise or step counts that make no sense.
    public convenience init(count: Int = 100, noise: Double = 0.1,
                            dataSeed: UInt64 = MoonsTraining.defaultDataSeed,
                            initSeed: UInt64 = MoonsTraining.defaultInitSeed,
                            layerSizes: [Int] = MoonsTraining.defaultLayerSizes,
                            steps: Int = 100) throws(ScalarNNError) {
        guard count >= 2 else { throw .sampleCount(count) }
        guard noise >= 0, noise.isFinite else { throw .noise(noise) }
        try MLP.validateShape(inputs: 2, layerSizes: layerSizes)
        let data = TwoMoons(count: count, noise: noise, seed: dataSeed)
        var rng = SplitMix64(seed: initSeed)
        let model = MLP(inputs: 2, layerSizes: layerSizes, rng: &rng)
        try self.init(points: data.points, labels: data.labels, model: model, steps: steps)
    }

    /// The demo on given data and a given model, for example the W1 benchmark's points and
    /// micrograd's initial weights (`MLP(inputs:layerSizes:loading:)`).
    ///
    /// Throws a `ScalarNNError` if there are no points, the counts or dimensions disagree,
    /// a coordinate is not finite, a label is not ±1, or the model has more than one output.
    public init(points: [[Double]], labels: [Double], model: MLP, steps: Int = 100) throws(ScalarNNError) {
        guard !points.isEmpty else { throw .noData }
        guard points.count == labels.count else { throw .labelCount(points: points.count, labels: labels.count) }
        for (i, point) in points.enumerated() {
            guard point.count == model.inputCount else {
                throw .pointDimension(index: i, expected: model.inputCount, found: point.count)
            }
            guard point.allSatisfy(\.isFinite) else { throw .nonFiniteCoordinate(index: i) }
        }
        if let bad = labels.firstIndex(where: { $0 != 1 && $0 != -1 }) {
            throw .label(index: bad, value: labels[bad])
        }
        guard model.layerSizes.last == 1 else { throw .outputCount(model.layerSizes.last ?? 0) }
        guard steps >= 1 else { throw .stepCount(steps) }
        self.points = points
        self.labels = labels
        self.model = model
        self.totalSteps = steps
        self.parameters = model.parameters
    }

    /// True once all `totalSteps` steps are done.
    public var isFinished: Bool { stepsTaken >= totalSteps }

    /// The learning rate of step k: lr = 1 − 0.9·k/totalSteps, from 1.0 down to 0.1.
    public func learningRate(atStep k: Int) -> Double {
        1.0 - 0.9 * Double(k) / Double(totalSteps)
    }

    /// Builds this step's graph for the current parameters: new input leaves for every point,
    /// the scores, the hinge loss and the L2 penalty. `accuracy` is read off the scores.
    public func lossGraph() -> (loss: Value, accuracy: Double) {
        var dataLoss = Value(0)
        var correct = 0
        for (point, y) in zip(points, labels) {
            let score = model(point.map { Value($0) })[0]
            dataLoss = dataLoss + (1 + (-y) * score).relu()
            if (score.data > 0) == (y > 0) { correct += 1 }
        }
        // A `Double` first: with the literal inside the product, Swift would make `1.0` a
        // `Value` and divide in the graph (a pow node too many).
        let mean: Double = 1.0 / Double(points.count)
        dataLoss = dataLoss * mean

        var squares = Value(0)
        for p in parameters {
            squares = squares + p * p
        }
        let regLoss = MoonsTraining.regularization * squares

        return (dataLoss + regLoss, Double(correct) / Double(points.count))
    }

    /// Takes one step (forward, zeroGrad, backward, update) and reports the loss and accuracy
    /// measured before the update. Returns `nil`, changing nothing, once all steps are done.
    public func step() -> MoonsTrainingStep? {
        guard !isFinished else { return nil }
        let k = stepsTaken
        let (loss, accuracy) = lossGraph()
        parameters.zeroGrad()
        loss.backward()
        let lr = learningRate(atStep: k)
        for p in parameters {
            p.data -= lr * (p.grad ?? 0)
        }
        stepsTaken += 1
        return MoonsTrainingStep(step: k, loss: loss.data, accuracy: accuracy, learningRate: lr)
    }

    /// Takes all remaining steps and returns their reports.
    @discardableResult
    public func run() -> [MoonsTrainingStep] {
        var reports: [MoonsTrainingStep] = []
        while let report = step() {
            reports.append(report)
        }
        return reports
    }

    /// The model's score for a point: > 0 means the +1 moon, < 0 the -1 moon. Computed with
    /// plain numbers (no graph), so a decision-boundary plot can call it on a fine grid.
    public func score(_ x: Double, _ y: Double) -> Double {
        model.evaluate([x, y])[0]
    }

    /// The share of training points the current model classifies correctly:
    /// those with (score > 0) == (label > 0).
    public func accuracy() -> Double {
        var correct = 0
        for (point, y) in zip(points, labels) where (model.evaluate(point)[0] > 0) == (y > 0) {
            correct += 1
        }
        return Double(correct) / Double(points.count)
    }
}
