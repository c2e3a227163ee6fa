// RMSpropTests.swift — RMSprop against its update rule written out below in plain Double
// arithmetic over several steps: plain, with momentum, centered, and all options together;
// plus its first step worked by hand.

import Foundation
import Testing
import Tensors
@testable import Optimizers

@Suite struct RMSpropTests {
    let problem = Quadratic()

    struct Settings: Sendable, CustomTestStringConvertible {
        var learningRate: Double
        var alpha = 0.99
        var epsilon = 1e-8
        var weightDecay = 0.0
        var momentum = 0.0
        var centered = false
        var testDescription: String {
            "γ \(learningRate) α \(alpha) ε \(epsilon) λ \(weightDecay) μ \(momentum) centered \(centered)"
        }
    }

    /// torch.optim.RMSprop's documented rule, one coordinate at a time.
    func reference(_ s: Settings, steps: Int) -> [[Double]] {
        var theta = problem.start
        let zeros = [Double](repeating: 0, count: theta.count)
        var (squareAverage, gradientAverage, buffer) = (zeros, zeros, zeros)
        var path: [[Double]] = []
        for _ in 0..<steps {
            let grad = problem.gradient(theta)
            for i in theta.indices {
                let g = grad[i] + s.weightDecay * theta[i]
                squareAverage[i] = s.alpha * squareAverage[i] + (1 - s.alpha) * g * g
                var vTilde = squareAverage[i]
                if s.centered {
                    gradientAverage[i] = s.alpha * gradientAverage[i] + (1 - s.alpha) * g
                    vTilde -= gradientAverage[i] * gradientAverage[i]
                }
                if s.momentum > 0 {
                    buffer[i] = s.momentum * buffer[i] + g / (vTilde.squareRoot() + s.epsilon)
                    theta[i] -= s.learningRate * buffer[i]
                } else {
                    theta[i] -= s.learningRate * g / (vTilde.squareRoot() + s.epsilon)
                }
            }
            path.append(theta)
        }
        return path
    }

    @Test(arguments: [
        Settings(learningRate: 0.01),
        Settings(learningRate: 0.01, alpha: 0.9, momentum: 0.9),
        Settings(learningRate: 0.02, alpha: 0.8, centered: true),
        Settings(learningRate: 0.01, alpha: 0.7, epsilon: 1e-3, weightDecay: 0.2, momentum: 0.5, centered: true),
    ])
    func followsTheUpdateRule(_ s: Settings) throws {
        let optimizer = try RMSprop([problem.parameter()], learningRate: s.learningRate, alpha: s.alpha,
                                    epsilon: s.epsilon, weightDecay: s.weightDecay, momentum: s.momentum,
                                    centered: s.centered)
        let path = trajectory(optimizer, problem, steps: 8)
        for (got, want) in zip(path, reference(s, steps: 8)) { #expect(allClose(got, want)) }
        #expect(zip(path.last!, problem.start).allSatisfy { $0 != $1 })
    }

    /// First step, by hand: v = (1 − α)g², so the step is γ g / (√(1 − α)|g| + ε) ≈ γ/√(1 − α)
    /// = 0.01 / 0.1 = 0.1 per coordinate for α = 0.99. Centered, ḡ = (1 − α)g and
    /// ṽ = (1 − α)g² − (1 − α)²g² = α(1 − α)g², so the step is γ / √(α(1 − α)) ≈ 0.1005.
    @Test(arguments: [(false, 0.1), (true, 0.01 / (0.99 * 0.01).squareRoot())])
    func firstStepByHand(centered: Bool, length: Double) throws {
        let theta = Tensor<Double>([1, -2], requiresGrad: true)
        let optimizer = try RMSprop([theta], learningRate: 0.01, centered: centered)
        theta.grad = Tensor<Double>([4, -0.5])
        optimizer.step()
        #expect(allClose(theta.scalars, [1 - length, -2 + length], tolerance: 1e-6))
    }

    @Test func rejectsBadSettings() {
        #expect(throws: OptimizerError.invalidHyperparameter(name: "alpha", value: -0.9, requirement: "≥ 0")) {
            try RMSprop([problem.parameter()], alpha: -0.9)
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "momentum", value: -1, requirement: "≥ 0")) {
            try RMSprop([problem.parameter()], momentum: -1)
        }
    }
}
