// MoonsTrainingTests.swift — micrograd's demo: the graph it builds each step, the loss and
// update it computes, and the result: 100% training accuracy with the default seeds.

import Engine
import Foundation
import Testing
import _TestSupport
@testable import ScalarNN

@Suite struct MoonsTrainingTests {
    @Test func theDefaultRunSeparatesTheMoonsCompletelyIn100Steps() throws {
        let training = try MoonsTraining()
        #expect(training.points.count == 100)
        #expect(training.totalSteps == 100)
        let reports = training.run()
        #expect(reports.count == 100)
        #expect(reports.map(\.step) == Array(0..<100))
        #expect(training.isFinished)
        #expect(reports.last?.accuracy == 1)
        #expect(training.accuracy() == 1)
        #expect(reports[99].loss < reports[0].loss / 10)

        // Once finished, step() does nothing.
        let before = training.model.parameters.map(\.data)
        #expect(training.step() == nil)
        #expect(training.model.parameters.map(\.data) == before)
    }

    @Test func eachStepBuildsMicrogradsGraphOf65818Nodes() throws {
        let training = try MoonsTraining()
        let nodes = training.lossGraph().loss.topologicalOrder()
        // WORKLOADS.md W1's breakdown of micrograd's graph.
        let inputs = 200, parameters = 337
        let layer1 = 100 * 16 * (2 + 2 + 1), layer2 = 100 * 16 * 33, layer3 = 100 * 32
        let hinge = 100 * 5, sumOfLosses = 1 + 100, mean = 2
        let regularizer = 337 + 1 + 337, alpha = 2, total = 1
        let expected = inputs + parameters + layer1 + layer2 + layer3 + hinge + sumOfLosses + mean
            + regularizer + alpha + total
        #expect(expected == 65_818)
        #expect(nodes.count == expected)
        #expect(nodes.filter { $0.op == .relu }.count == 100 * 16 * 2 + 100)
        #expect(!nodes.contains { if case .pow = $0.op { true } else { false } })
    }

    @Test func theLossIsTheMeanHingeLossPlusTheL2Penalty() throws {
        var rng = SplitMix64(seed: 21)
        let model = MLP(inputs: 2, layerSizes: [4, 1], rng: &rng)
        let points = [[0.5, -0.25], [-1.0, 0.75], [1.5, 0.5], [0.0, -1.0], [2.0, 1.0]]
        let labels: [Double] = [1, -1, 1, -1, -1]
        let training = try MoonsTraining(points: points, labels: labels, model: model)

        // Plain-number oracle, written out here: scores, hinge, penalty.
        let p = model.parameters.map(\.data)
        func score(_ x: [Double]) -> Double {
            var hidden: [Double] = []
            for j in 0..<4 {
                let base = 3 * j
                hidden.append(max(0, p[base + 2] + p[base] * x[0] + p[base + 1] * x[1]))
            }
            var s = p[16]
            for j in 0..<4 { s += p[12 + j] * hidden[j] }
            return s
        }
        let scores = points.map(score)
        let hinge: Double = zip(scores, labels).map { s, y in max(0, 1 - y * s) }.reduce(0, +) / 5
        let penalty: Double = 1e-4 * p.map { $0 * $0 }.reduce(0, +)
        let correct = zip(scores, labels).filter { ($0 > 0) == ($1 > 0) }.count

        let (loss, accuracy) = training.lossGraph()
        #expect(isClose(loss.data, hinge + penalty, tolerance: 1e-14))
        #expect(accuracy == Double(correct) / 5)
        #expect(training.accuracy() == accuracy)
        for (x, s) in zip(points, scores) {
            #expect(isClose(training.score(x[0], x[1]), s, tolerance: 1e-14))
        }
    }

    @Test func theLossGradientMatchesFiniteDifferences() throws {
        let points = TwoMoons(count: 8, noise: 0.1, seed: 4)
        let count = MLP.parameterCount(inputs: 2, layerSizes: [5, 1])
        var rng = SplitMix64(seed: 8)
        let start = (0..<count).map { _ in rng.nextUniform(-1, 1) }
        let check = gradientCheck(at: start) { leaves in
            let model = MLP(inputs: 2, layerSizes: [5, 1], parameters: leaves)
            let training = try! MoonsTraining(points: points.points, labels: points.labels, model: model)
            return training.lossGraph().loss
        }
        #expect(check.passes(tolerance: 1e-6), "worst \(String(describing: check.worstInput)): \(check.maxError)")
    }

    @Test func aStepMovesEachParameterAgainstItsGradient() throws {
        let training = try MoonsTraining(count: 10, layerSizes: [3, 1], steps: 4)
        let parameters = training.model.parameters
        for k in 0..<4 {
            // The gradient at the current parameters, from a graph of our own.
            parameters.zeroGrad()
            let (loss, _) = training.lossGraph()
            loss.backward()
            let before = parameters.map(\.data)
            let gradients = parameters.map { $0.grad ?? .nan }
            let lr = 1.0 - 0.9 * Double(k) / 4

            let report = try #require(training.step())
            #expect(report.step == k)
            #expect(report.learningRate == lr)
            #expect(report.loss == loss.data)
            for (p, (b, g)) in zip(parameters, zip(before, gradients)) {
                #expect(p.data == b - lr * g)
            }
        }
        #expect(training.step() == nil)
    }

    @Test func theLearningRateFallsFromOneToAlmostOneTenth() throws {
        let training = try MoonsTraining(count: 4, layerSizes: [1])
        #expect(training.learningRate(atStep: 0) == 1)
        #expect(isClose(training.learningRate(atStep: 50), 0.55, tolerance: 1e-15))
        #expect(isClose(training.learningRate(atStep: 99), 0.109, tolerance: 1e-15))
    }

    @Test func badConfigurationsAndDataAreTypedErrors() {
        let model = try! MLP(inputs: 2, layerSizes: [1], loading: [0.5, -0.5, 0])
        #expect(throws: ScalarNNError.sampleCount(1)) { try MoonsTraining(count: 1) }
        #expect(throws: ScalarNNError.noise(-0.5)) { try MoonsTraining(noise: -0.5) }
        #expect(throws: ScalarNNError.layerSizes([16, 0, 1])) { try MoonsTraining(layerSizes: [16, 0, 1]) }
        #expect(throws: ScalarNNError.outputCount(2)) { try MoonsTraining(layerSizes: [16, 2]) }
        #expect(throws: ScalarNNError.stepCount(0)) { try MoonsTraining(steps: 0) }
        #expect(throws: ScalarNNError.noData) { try MoonsTraining(points: [], labels: [], model: model) }
        #expect(throws: ScalarNNError.labelCount(points: 2, labels: 1)) {
            try MoonsTraining(points: [[0, 0], [1, 1]], labels: [1], model: model)
        }
        #expect(throws: ScalarNNError.pointDimension(index: 1, expected: 2, found: 3)) {
            try MoonsTraining(points: [[0, 0], [1, 1, 1]], labels: [1, -1], model: model)
        }
        #expect(throws: ScalarNNError.nonFiniteCoordinate(index: 0)) {
            try MoonsTraining(points: [[.infinity, 0]], labels: [1], model: model)
        }
        #expect(throws: ScalarNNError.label(index: 1, value: 0)) {
            try MoonsTraining(points: [[0, 0], [1, 1]], labels: [1, 0], model: model)
        }
        #expect(ScalarNNError.label(index: 1, value: 0).description == "label 1 is 0.0: labels must be -1 or 1")
        #expect(ScalarNNError.labelCount(points: 2, labels: 1).description
            == "there are 2 points but 1 labels: give one label per point")
    }

    /// The W1 benchmark's exact data and micrograd's initial weights (exported by
    /// ../shared/bench/peers/export_data.py) must reproduce micrograd's step-99 loss,
    /// 0.0135207 (WORKLOADS.md). Runs only where the peer material is present.
    @Test(.enabled(if: W1Data.load() != nil, "needs ../shared/bench/data/w1_moons.json"))
    func reproducesMicrogradsW1Run() throws {
        let data = try #require(W1Data.load())
        #expect(data.init_params.count == 337)
        #expect(isClose(data.X.joined().reduce(0, +), 73.4919491335186, tolerance: 1e-13))
        let model = try MLP(inputs: 2, layerSizes: [16, 16, 1], loading: data.init_params)
        let training = try MoonsTraining(points: data.X, labels: data.y, model: model)
        let reports = training.run()
        #expect(abs(reports[99].loss - 0.0135207) < 5e-8)
        #expect(reports[99].accuracy == 1)
        #expect(training.accuracy() == 1)
    }
}

/// The W1 data file, if this checkout sits next to ../shared.
struct W1Data: Decodable {
    let X: [[Double]]
    let y: [Double]
    let init_params: [Double]

    static func load() -> W1Data? {
        // Tests/ScalarNNTests/ → repository root → ../shared/bench/data.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.deletingLastPathComponent().appendingPathComponent("shared/bench/data/w1_moons.json")
        guard let bytes = try? Data(contentsOf: file) else { return nil }
        return try? JSONDecoder().decode(W1Data.self, from: bytes)
    }
}
