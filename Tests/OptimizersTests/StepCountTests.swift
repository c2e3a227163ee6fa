// StepCountTests.swift — a saved step count comes from a file, so every value of it must give
// a typed error or a working optimizer: 2⁶³ and above (which once trapped converting Float to
// Int in Adam's and RMSprop's `init(named:)`), ∞, NaN, fractions, zero and negatives.

import Testing
import Tensors
@testable import Optimizers

@Suite struct StepCountTests {

    /// Adam's (or RMSprop's) state after two steps, with `state.0.step` replaced by `step`.
    func state(_ optimizer: any Optimizer<Float>, step: Float) -> [String: Tensor<Float>] {
        var state = optimizer.state
        state["state.0.step"] = Tensor<Float>(step)
        return state
    }

    func optimizers() throws -> [any Optimizer<Float>] {
        let makers: [() throws -> any Optimizer<Float>] = [
            { try Adam([Tensor<Float>([1, -2], requiresGrad: true)], learningRate: 0.1) },
            { try AdamW([Tensor<Float>([1, -2], requiresGrad: true)], learningRate: 0.1) },
            { try RMSprop([Tensor<Float>([1, -2], requiresGrad: true)], learningRate: 0.1) },
        ]
        return try makers.map { make in
            let optimizer = try make()
            for _ in 0..<2 {
                optimizer.zeroGrad()
                (optimizer.parameters[0] * optimizer.parameters[0]).sum().backward()
                optimizer.step()
            }
            return optimizer
        }
    }

    @Test(arguments: [Float(9.223372e18), 1.8e20, 1e30, .greatestFiniteMagnitude, .infinity, -.infinity,
                      .nan, 0, -1, 2.5, 9.007_2e15 * 2])
    func anImpossibleStepCountIsATypedErrorNotATrap(step: Float) throws {
        for optimizer in try optimizers() {
            let before = optimizer.state
            do {
                try optimizer.loadState(state(optimizer, step: step))
                Issue.record("step \(step) was accepted by \(type(of: optimizer))")
            } catch let OptimizerError.invalidStep(key, value) {
                #expect(key == "state.0.step")
                #expect(value.isNaN ? step.isNaN : value == Double(step))
            }
            // Nothing changed, and the optimizer still steps.
            #expect(optimizer.state["state.0.step"]?.item() == before["state.0.step"]?.item())
            optimizer.step()
        }
    }

    @Test func theLargestAllowedStepCountLoadsAndSteps() throws {
        // 2⁵³ is exact in Float, and the last count allowed.
        for optimizer in try optimizers() {
            try optimizer.loadState(state(optimizer, step: 9_007_199_254_740_992))
            optimizer.zeroGrad()
            (optimizer.parameters[0] * optimizer.parameters[0]).sum().backward()
            optimizer.step()
            #expect(optimizer.state["state.0.step"]?.item() == 9_007_199_254_740_992)   // + 1 rounds back in Float
            #expect(optimizer.parameters[0].scalars.allSatisfy { $0.isFinite })
        }
    }

    @Test func theMessageGivesTheRange() {
        #expect(OptimizerError.invalidStep(key: "state.0.step", value: 1e30).description
                == "the saved step count 'state.0.step' is 1e+30, not a whole number from 1 to 2^53; the file is damaged: save it again")
    }
}
