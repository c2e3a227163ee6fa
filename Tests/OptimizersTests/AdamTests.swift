// AdamTests.swift — Adam and AdamW against their update rules written out below in plain
// Double arithmetic over several steps (bias correction, L2 and decoupled weight decay), and
// two consequences worked by hand: Adam's first step has length γ, and AdamW shrinks a
// parameter whose gradient is zero by exactly (1 − γλ) per step.

import Foundation
import Testing
import Tensors
@testable import Optimizers

@Suite struct AdamTests {
    let problem = Quadratic()

    struct Settings: Sendable, CustomTestStringConvertible {
        var learningRate: Double
        var beta1 = 0.9
        var beta2 = 0.999
        var epsilon = 1e-8
        var weightDecay = 0.0
        var testDescription: String { "γ \(learningRate) β (\(beta1), \(beta2)) ε \(epsilon) λ \(weightDecay)" }
    }

    /// torch.optim.Adam's (decoupled: false) or torch.optim.AdamW's (decoupled: true)
    /// documented rule, one coordinate at a time, with m̂ and v̂ computed as written.
    func reference(_ s: Settings, decoupled: Bool, steps: Int) -> [[Double]] {
        var theta = problem.start
        var m = [Double](repeating: 0, count: theta.count)
        var v = m
        var path: [[Double]] = []
        for t in 1...steps {
            let grad = problem.gradient(theta)
            for i in theta.indices {
                var g = grad[i]
                if decoupled {
                    theta[i] -= s.learningRate * s.weightDecay * theta[i]
                } else {
                    g += s.weightDecay * theta[i]
                }
                m[i] = s.beta1 * m[i] + (1 - s.beta1) * g
                v[i] = s.beta2 * v[i] + (1 - s.beta2) * g * g
                let mHat = m[i] / (1 - pow(s.beta1, Double(t)))
                let vHat = v[i] / (1 - pow(s.beta2, Double(t)))
                theta[i] -= s.learningRate * mHat / (vHat.squareRoot() + s.epsilon)
            }
            path.append(theta)
        }
        return path
    }

    static let settings = [
        Settings(learningRate: 0.1),
        Settings(learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1),
        Settings(learningRate: 0.2, beta1: 0, beta2: 0.5, epsilon: 0.01, weightDecay: 0.3),
    ]

    @Test(arguments: settings)
    func adamFollowsTheUpdateRule(_ s: Settings) throws {
        let optimizer = try Adam([problem.parameter()], learningRate: s.learningRate, beta1: s.beta1,
                                 beta2: s.beta2, epsilon: s.epsilon, weightDecay: s.weightDecay)
        let path = trajectory(optimizer, problem, steps: 8)
        for (got, want) in zip(path, reference(s, decoupled: false, steps: 8)) { #expect(allClose(got, want)) }
        #expect(zip(path.last!, problem.start).allSatisfy { $0 != $1 })
    }

    @Test(arguments: settings)
    func adamWFollowsTheUpdateRule(_ s: Settings) throws {
        let optimizer = try AdamW([problem.parameter()], learningRate: s.learningRate, beta1: s.beta1,
                                  beta2: s.beta2, epsilon: s.epsilon, weightDecay: s.weightDecay)
        let path = trajectory(optimizer, problem, steps: 8)
        for (got, want) in zip(path, reference(s, decoupled: true, steps: 8)) { #expect(allClose(got, want)) }
    }

    /// At t = 1, m̂ = g and v̂ = g², so the step is γ g / (|g| + ε) ≈ γ · sign(g) whatever
    /// the gradient's size. Without the bias correction it would be
    /// γ (1 − β₁) / √(1 − β₂) ≈ 3.16 γ.
    @Test func firstStepHasLengthLearningRate() throws {
        let theta = Tensor<Double>([1, -3, 0.5, 20], requiresGrad: true)
        let optimizer = try Adam([theta], learningRate: 0.1)
        let weights = Tensor<Double>([0.001, 1, -50, 3])
        (theta * weights).sum().backward()        // g = weights
        optimizer.step()
        let moved = zip(theta.scalars, [1, -3, 0.5, 20] as [Double]).map { $0 - $1 }
        #expect(allClose(moved, [-0.1, -0.1, 0.1, -0.1], tolerance: 1e-5))
    }

    /// A zero gradient leaves m = v = 0, so Adam's part of the step is 0 / (0 + ε) = 0 and
    /// AdamW only decays: θₜ = θ₀ (1 − γλ)ᵗ. Adam with the same λ instead adds λθ to the
    /// gradient and so takes a full step of length γ at t = 1.
    @Test func decoupledDecayShrinksByAConstantFactor() throws {
        let start: [Double] = [2, -4]
        let decoupled = Tensor<Double>(start)
        let coupled = Tensor<Double>(start)
        let adamW = try AdamW([decoupled], learningRate: 0.1, weightDecay: 0.5)
        let adam = try Adam([coupled], learningRate: 0.1, weightDecay: 0.5)
        for t in 1...4 {
            decoupled.grad = Tensor<Double>.zeros([2])
            coupled.grad = Tensor<Double>.zeros([2])
            adamW.step()
            adam.step()
            let factor = pow(1 - 0.1 * 0.5, Double(t))
            #expect(allClose(decoupled.scalars, start.map { $0 * factor }, tolerance: 1e-14))
            if t == 1 { #expect(allClose(coupled.scalars, [1.9, -3.9], tolerance: 1e-8)) }
        }
    }

    @Test func skipsParametersWithoutGradientsAndCountsStepsPerParameter() throws {
        let theta = problem.parameter()
        let idle = Tensor<Double>([5, 6], requiresGrad: true)
        let optimizer = try AdamW([theta, idle], learningRate: 0.1, weightDecay: 0.5)
        _ = trajectory(optimizer, problem, steps: 3)
        #expect(idle.scalars == [5, 6])
        #expect(Set(optimizer.state.keys) == ["state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq"])
        #expect(optimizer.state["state.0.step"]!.item() == 3)
        // Now idle gets a gradient: its own count starts at 1, so its first step has length γ
        // (bias-corrected with t = 1, not t = 4), after the decay by (1 − γλ).
        idle.grad = Tensor<Double>([1, -1])
        theta.zeroGrad()
        optimizer.step()
        #expect(allClose(idle.scalars, [5 * 0.95 - 0.1, 6 * 0.95 + 0.1], tolerance: 1e-7))
        #expect(optimizer.state["state.1.step"]!.item() == 1 && optimizer.state["state.0.step"]!.item() == 3)
    }

    @Test func rejectsBadSettings() {
        let p = [problem.parameter()]
        #expect(throws: OptimizerError.invalidHyperparameter(name: "beta1", value: 1, requirement: "in [0, 1)")) {
            try Adam(p, beta1: 1)
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "beta2", value: -0.5, requirement: "in [0, 1)")) {
            try AdamW(p, beta2: -0.5)
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "epsilon", value: -1, requirement: "≥ 0")) {
            try Adam(p, epsilon: -1)
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "weight decay", value: -0.01, requirement: "≥ 0")) {
            try AdamW(p, weightDecay: -0.01)
        }
    }
}
