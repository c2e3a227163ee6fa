// TorchFixtureTests.swift — a second, independent oracle: trajectories, learning rates and
// clipped gradients computed by PyTorch itself (Fixtures/make_fixtures.py wrote
// Fixtures/torch-fixtures.json), compared with Lumen's on the same problem.

import Foundation
import Testing
import Tensors
@testable import Optimizers

@Suite struct TorchFixtureTests {
    struct Fixtures: Decodable {
        struct Problem: Decodable { let targets, curvatures, start: [Double] }
        struct Trajectory: Decodable { let name: String; let settings: [String: Double]; let trajectory: [[Double]] }
        struct Rates: Decodable { let name: String; let settings: [String: Double]; let rates: [Double] }
        struct Clipping: Decodable { let grads: [[Double]]; let maxNorm, norm: Double; let clipped: [[Double]] }
        let problem: Problem
        let optimizers: [Trajectory]
        let schedules: [Rates]
        let clipping: [Clipping]
    }

    static func load() throws -> Fixtures {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/torch-fixtures.json")
        return try JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }

    /// The optimizer a fixture names, with its settings (defaults as in Lumen's initializers,
    /// which are PyTorch's).
    func optimizer(_ name: String, _ s: [String: Double], _ theta: Tensor<Double>) throws -> any Optimizer<Double> {
        let lr = s["learningRate"]!
        switch name {
        case "SGD":
            return try SGD([theta], learningRate: lr, momentum: s["momentum"] ?? 0, dampening: s["dampening"] ?? 0,
                           nesterov: s["nesterov"] == 1, weightDecay: s["weightDecay"] ?? 0)
        case "Adam":
            return try Adam([theta], learningRate: lr, beta1: s["beta1"] ?? 0.9, beta2: s["beta2"] ?? 0.999,
                            epsilon: s["epsilon"] ?? 1e-8, weightDecay: s["weightDecay"] ?? 0)
        case "AdamW":
            return try AdamW([theta], learningRate: lr, beta1: s["beta1"] ?? 0.9, beta2: s["beta2"] ?? 0.999,
                             epsilon: s["epsilon"] ?? 1e-8, weightDecay: s["weightDecay"] ?? 0.01)
        case "RMSprop":
            return try RMSprop([theta], learningRate: lr, alpha: s["alpha"] ?? 0.99, epsilon: s["epsilon"] ?? 1e-8,
                               weightDecay: s["weightDecay"] ?? 0, momentum: s["momentum"] ?? 0,
                               centered: s["centered"] == 1)
        default:
            Issue.record("unknown optimizer \(name) in the fixtures")
            return try SGD([theta], learningRate: 0)
        }
    }

    @Test func trajectoriesMatchPyTorch() throws {
        let fixtures = try Self.load()
        let problem = Quadratic()
        // The fixtures were made for the same problem.
        #expect(fixtures.problem.targets == problem.targets && fixtures.problem.curvatures == problem.curvatures
                && fixtures.problem.start == problem.start)
        #expect(Set(fixtures.optimizers.map(\.name)) == ["SGD", "Adam", "AdamW", "RMSprop"])
        for fixture in fixtures.optimizers {
            let path = trajectory(try optimizer(fixture.name, fixture.settings, problem.parameter()), problem,
                                  steps: fixture.trajectory.count)
            for (step, (got, want)) in zip(path, fixture.trajectory).enumerated() {
                #expect(allClose(got, want, tolerance: 1e-12), "\(fixture.name) \(fixture.settings), step \(step + 1)")
            }
        }
    }

    @Test func schedulesMatchPyTorch() throws {
        let fixtures = try Self.load()
        #expect(fixtures.schedules.count == 3)
        for fixture in fixtures.schedules {
            let s = fixture.settings
            let schedule: any LearningRateSchedule
            switch fixture.name {
            case "StepDecay":
                schedule = try StepDecay(initial: s["initial"]!, stepSize: Int(s["stepSize"]!), factor: s["factor"]!)
            case "CosineAnnealing":
                schedule = try CosineAnnealing(initial: s["initial"]!, minimum: s["minimum"]!, period: Int(s["period"]!))
            default:
                schedule = try LinearWarmup(steps: Int(s["steps"]!), startFactor: s["startFactor"]!,
                                            then: ConstantLearningRate(s["constant"]!))
            }
            let got = fixture.rates.indices.map { schedule.learningRate(at: $0) }
            #expect(allClose(got, fixture.rates, tolerance: 1e-12), "\(fixture.name)")
        }
    }

    @Test func clippingMatchesPyTorch() throws {
        let fixtures = try Self.load()
        for fixture in fixtures.clipping {
            let parameters = fixture.grads.map { g in
                let p = Tensor<Double>.zeros([g.count]).requiringGrad()
                p.grad = Tensor<Double>(g)
                return p
            }
            let norm = clipGradientNorm(parameters, maxNorm: fixture.maxNorm)
            #expect(allClose([norm], [fixture.norm], tolerance: 1e-12))
            for (p, want) in zip(parameters, fixture.clipped) { #expect(allClose(p.grad!.scalars, want, tolerance: 1e-12)) }
        }
    }
}
