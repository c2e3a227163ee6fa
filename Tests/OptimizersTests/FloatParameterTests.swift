// FloatParameterTests.swift — the optimizers on Float parameters (what training uses): the
// same steps as in Double, to Float precision.

import Testing
import Tensors
@testable import Optimizers

@Suite struct FloatParameterTests {
    /// Each optimizer, built for either scalar type with the same settings.
    static let names = ["SGD", "Adam", "AdamW", "RMSprop"]

    func make<S: TensorScalar>(_ name: String, _ theta: Tensor<S>) throws -> any Optimizer<S> {
        switch name {
        case "SGD": try SGD([theta], learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01)
        case "Adam": try Adam([theta], learningRate: 0.05, weightDecay: 0.01)
        case "AdamW": try AdamW([theta], learningRate: 0.05)
        default: try RMSprop([theta], learningRate: 0.01, momentum: 0.5, centered: true)
        }
    }

    /// Five steps on loss = Σ cᵢ(θᵢ − aᵢ)² in Float and in Double agree to ~Float precision.
    @Test(arguments: names)
    func floatMatchesDouble(_ name: String) throws {
        let problem = Quadratic()
        let single = try Tensor<Float>(shape: [2, 2], elements: problem.start.map { Float($0) }, requiresGrad: true)
        let double = problem.parameter()
        let singleOptimizer = try make(name, single)
        let doubleOptimizer = try make(name, double)
        for _ in 0..<5 {
            single.grad = try Tensor<Float>(shape: [2, 2], elements: problem.gradient(single.scalars.map { Double($0) })
                .map { Float($0) })
            double.grad = try Tensor<Double>(shape: [2, 2], elements: problem.gradient(double.scalars))
            singleOptimizer.step()
            doubleOptimizer.step()
        }
        #expect(allClose(single.scalars.map { Double($0) }, double.scalars, tolerance: 1e-5))
        #expect(double.scalars != problem.start)
    }
}
