// SGDTests.swift — SGD against its update rule written out below in plain Double arithmetic,
// over several steps, with momentum, dampening, Nesterov and weight decay; plus a two-step
// example worked by hand, parameters without gradients, in-place updates, and bad settings.

import Testing
import Tensors
@testable import Optimizers

@Suite struct SGDTests {
    let problem = Quadratic()

    struct Settings: Sendable, CustomTestStringConvertible {
        var learningRate: Double
        var momentum = 0.0
        var dampening = 0.0
        var nesterov = false
        var weightDecay = 0.0
        var testDescription: String {
            "γ \(learningRate) μ \(momentum) τ \(dampening) nesterov \(nesterov) λ \(weightDecay)"
        }
    }

    /// torch.optim.SGD's documented rule, one coordinate at a time.
    func reference(_ s: Settings, steps: Int) -> [[Double]] {
        var theta = problem.start
        var buffer: [Double]? = nil
        var path: [[Double]] = []
        for _ in 0..<steps {
            var g = problem.gradient(theta)
            for i in g.indices { g[i] += s.weightDecay * theta[i] }
            if s.momentum != 0 {
                var b = buffer ?? g
                if buffer != nil {
                    for i in b.indices { b[i] = s.momentum * b[i] + (1 - s.dampening) * g[i] }
                }
                buffer = b
                for i in g.indices { g[i] = s.nesterov ? g[i] + s.momentum * b[i] : b[i] }
            }
            for i in theta.indices { theta[i] -= s.learningRate * g[i] }
            path.append(theta)
        }
        return path
    }

    @Test(arguments: [
        Settings(learningRate: 0.1),
        Settings(learningRate: 0.05, momentum: 0.9),
        Settings(learningRate: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01),
        Settings(learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.02),
    ])
    func followsTheUpdateRule(_ s: Settings) throws {
        let optimizer = try SGD([problem.parameter()], learningRate: s.learningRate, momentum: s.momentum,
                                dampening: s.dampening, nesterov: s.nesterov, weightDecay: s.weightDecay)
        let path = trajectory(optimizer, problem, steps: 6)
        let expected = reference(s, steps: 6)
        for (got, want) in zip(path, expected) { #expect(allClose(got, want)) }
        // The rule really moved θ: every coordinate changed from the start.
        #expect(zip(path.last!, problem.start).allSatisfy { $0 != $1 })
    }

    /// loss = θ²/2 (so g = θ) from θ = 1, γ = 0.1, μ = 0.9, by hand:
    /// step 1: b = g = 1,                 θ = 1 − 0.1 · 1 = 0.9
    /// step 2: g = 0.9, b = 0.9 · 1 + 0.9 = 1.8, θ = 0.9 − 0.1 · 1.8 = 0.72
    /// With Nesterov, step 2 uses g + μb = 0.9 + 0.9 · 1.8 = 2.52: θ = 0.9 − 0.252 = 0.648
    /// (and step 1 uses g + μb = 1 + 0.9 = 1.9: θ = 0.81, so step 2 has g = 0.81,
    /// b = 0.9 + 0.81 = 1.71, g + μb = 0.81 + 1.539 = 2.349, θ = 0.81 − 0.2349 = 0.5751).
    @Test(arguments: [(false, [0.9, 0.72]), (true, [0.81, 0.5751])])
    func twoMomentumStepsByHand(nesterov: Bool, expected: [Double]) throws {
        let theta = Tensor<Double>([1.0], requiresGrad: true)
        let optimizer = try SGD([theta], learningRate: 0.1, momentum: 0.9, nesterov: nesterov)
        var values: [Double] = []
        for _ in 0..<2 {
            optimizer.zeroGrad()
            (theta * theta * 0.5).sum().backward()
            optimizer.step()
            values.append(theta.item())
        }
        #expect(allClose(values, expected, tolerance: 1e-14))
    }

    @Test func updatesInPlaceAndSkipsParametersWithoutGradients() throws {
        let theta = problem.parameter()
        let view = theta.reshape([4])              // shares theta's storage, as a model's reference would
        let idle = Tensor<Double>([5, 6], requiresGrad: true)
        let optimizer = try SGD([idle, theta], learningRate: 0.1, momentum: 0.9, weightDecay: 0.5)
        for _ in 0..<3 {
            optimizer.zeroGrad()
            problem.backward(theta)                // idle is not in the loss: its grad stays nil
            optimizer.step()
        }
        #expect(optimizer.parameters[1] === theta)
        #expect(view.scalars == theta.scalars)
        #expect(theta.scalars != problem.start)
        // Not even weight decay touches a parameter without a gradient.
        #expect(idle.scalars == [5, 6] && idle.grad == nil)
        #expect(Set(optimizer.state.keys) == ["state.1.momentum_buffer"])
    }

    @Test func zeroGradClearsEveryParameter() throws {
        let theta = problem.parameter()
        let optimizer = try SGD([theta], learningRate: 0.1)
        problem.backward(theta)
        #expect(theta.grad != nil)
        optimizer.zeroGrad()
        #expect(theta.grad == nil)
    }

    @Test func rejectsBadSettings() {
        let p = [problem.parameter()]
        #expect(throws: OptimizerError.invalidHyperparameter(name: "learning rate", value: -0.1, requirement: "≥ 0")) {
            try SGD(p, learningRate: -0.1)
        }
        #expect(throws: OptimizerError.self) { try SGD(p, learningRate: .nan) }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "momentum", value: -1, requirement: "≥ 0")) {
            try SGD(p, learningRate: 0.1, momentum: -1)
        }
        #expect(throws: OptimizerError.nesterovNeedsMomentum(momentum: 0, dampening: 0)) {
            try SGD(p, learningRate: 0.1, nesterov: true)
        }
        #expect(throws: OptimizerError.nesterovNeedsMomentum(momentum: 0.9, dampening: 0.1)) {
            try SGD(p, learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)
        }
        let message = OptimizerError.nesterovNeedsMomentum(momentum: 0, dampening: 0).description
        #expect(message.contains("momentum > 0") && message.contains("turn Nesterov off"))
    }
}
