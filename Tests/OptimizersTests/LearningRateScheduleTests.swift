// LearningRateScheduleTests.swift — each schedule's rate at chosen steps, worked out by hand
// in the comments, and a schedule driving an optimizer.

import Testing
import Tensors
@testable import Optimizers

@Suite struct LearningRateScheduleTests {
    /// γ₀ = 0.1, halved every 3 steps: 0.1 for t = 0…2, 0.05 for 3…5, 0.025 for 6…8,
    /// and at t = 10, ⌊10/3⌋ = 3 halvings: 0.0125.
    @Test func stepDecay() throws {
        let schedule = try StepDecay(initial: 0.1, stepSize: 3, factor: 0.5)
        let expected: [Int: Double] = [0: 0.1, 2: 0.1, 3: 0.05, 5: 0.05, 6: 0.025, 8: 0.025, 10: 0.0125]
        for (t, rate) in expected { #expect(allClose([schedule.learningRate(at: t)], [rate], tolerance: 1e-15)) }
    }

    /// γ₀ = 1, γ_min = 0.1, T = 4, so γₜ = 0.1 + 0.9 (1 + cos(πt/4)) / 2:
    /// t = 0: cos 0 = 1 → 1;  t = 1: cos(π/4) = √2/2 → 0.1 + 0.45 (1 + √2/2);
    /// t = 2: cos(π/2) = 0 → 0.55;  t = 3: cos(3π/4) = −√2/2 → 0.1 + 0.45 (1 − √2/2);
    /// t = 4: cos π = −1 → 0.1; and past T it stays at 0.1.
    @Test func cosineAnnealing() throws {
        let schedule = try CosineAnnealing(initial: 1, minimum: 0.1, period: 4)
        let half = 2.0.squareRoot() / 2
        let expected: [Double] = [1, 0.1 + 0.45 * (1 + half), 0.55, 0.1 + 0.45 * (1 - half), 0.1, 0.1, 0.1]
        let got = (0..<expected.count).map { schedule.learningRate(at: $0) }
        #expect(allClose(got, expected, tolerance: 1e-15))
        #expect(try CosineAnnealing(initial: 0.3, period: 10).learningRate(at: 5) == 0.15)   // halfway to 0: half
    }

    /// W = 4 steps from f = 0.2 up to a constant 0.5: 0.5 · (0.2 + 0.8 t/4) = 0.1, 0.2, 0.3,
    /// 0.4 for t = 0…3, then 0.5 for good.
    @Test func linearWarmupBeforeAConstant() throws {
        let schedule = try LinearWarmup(steps: 4, startFactor: 0.2, then: ConstantLearningRate(0.5))
        let got = (0..<7).map { schedule.learningRate(at: $0) }
        #expect(allClose(got, [0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5], tolerance: 1e-15))
    }

    /// Warm-up composes with the others: after W = 2 steps, step decay starts at its own
    /// t = 0. Decay (0.4, halved every 2 steps): t = 0, 1 → 0.4·(0.5, 0.75) = 0.2, 0.3;
    /// t = 2, 3 → 0.4; t = 4, 5 → 0.2; t = 6 → 0.1. With cosine (0.4 → 0 over 2 steps)
    /// after the same warm-up: t = 2 → 0.4, t = 3 → 0.2, t = 4 → 0.
    @Test func linearWarmupComposes() throws {
        let decay = try LinearWarmup(steps: 2, startFactor: 0.5,
                                     then: StepDecay(initial: 0.4, stepSize: 2, factor: 0.5))
        #expect(allClose((0..<7).map { decay.learningRate(at: $0) }, [0.2, 0.3, 0.4, 0.4, 0.2, 0.2, 0.1],
                         tolerance: 1e-15))
        let cosine = try LinearWarmup(steps: 2, startFactor: 0.5, then: CosineAnnealing(initial: 0.4, period: 2))
        #expect(allClose((0..<5).map { cosine.learningRate(at: $0) }, [0.2, 0.3, 0.4, 0.2, 0], tolerance: 1e-15))
    }

    /// loss = θ (g = 1) with SGD, γ from the warm-up 0.1, 0.2, 0.3, 0.4: θ falls by their sum, 1.
    @Test func aScheduleDrivesAnOptimizer() throws {
        let theta = Tensor<Double>([3], requiresGrad: true)
        let optimizer = try SGD([theta], learningRate: 99)
        let schedule = try LinearWarmup(steps: 4, startFactor: 0.2, then: ConstantLearningRate(0.5))
        for t in 0..<4 {
            optimizer.apply(schedule, at: t)
            theta.grad = Tensor<Double>([1])
            optimizer.step()
        }
        #expect(allClose(theta.scalars, [2], tolerance: 1e-14))
        #expect(optimizer.learningRate == 0.4)
    }

    @Test func rejectsBadSettings() {
        #expect(throws: OptimizerError.invalidHyperparameter(name: "step size", value: 0, requirement: "≥ 1")) {
            try StepDecay(initial: 0.1, stepSize: 0)
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "minimum learning rate", value: 0.5,
                                                             requirement: "between 0 and the initial rate 0.1")) {
            try CosineAnnealing(initial: 0.1, minimum: 0.5, period: 10)
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "warm-up start factor", value: 2, requirement: "in [0, 1]")) {
            try LinearWarmup(steps: 3, startFactor: 2, then: ConstantLearningRate(0.1))
        }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "learning rate", value: -1, requirement: "≥ 0")) {
            try ConstantLearningRate(-1)
        }
    }
}
