// OptimizerStateTests.swift — saving and restoring an optimizer's running state: a restored
// optimizer continues exactly as the original would have, and a state that does not fit is
// rejected with a typed error that leaves the optimizer as it was.

import Testing
import Tensors
@testable import Optimizers

@Suite struct OptimizerStateTests {
    let problem = Quadratic()

    /// Each optimizer with settings that use all of its state.
    static let makers: [(String, @Sendable (Tensor<Double>) throws -> any Optimizer<Double>)] = [
        ("SGD", { try SGD([$0], learningRate: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01) }),
        ("Adam", { try Adam([$0], learningRate: 0.05, weightDecay: 0.01) }),
        ("AdamW", { try AdamW([$0], learningRate: 0.05) }),
        ("RMSprop", { try RMSprop([$0], learningRate: 0.01, weightDecay: 0.01, momentum: 0.5, centered: true) }),
    ]

    /// Three steps, save, then three more: a fresh optimizer given the saved θ and state takes
    /// the same three steps, bit for bit. A fresh optimizer without the state does not.
    @Test(arguments: 0..<makers.count)
    func restoredStateContinuesExactly(_ which: Int) throws {
        let make = Self.makers[which].1
        let theta = problem.parameter()
        let original = try make(theta)
        _ = trajectory(original, problem, steps: 3)
        let saved = original.state
        let savedTheta = theta.scalars
        let expected = trajectory(original, problem, steps: 3)

        let restoredTheta = try Tensor<Double>(shape: [2, 2], elements: savedTheta, requiresGrad: true)
        let restored = try make(restoredTheta)
        try restored.loadState(saved)
        #expect(trajectory(restored, problem, steps: 3) == expected)

        let freshTheta = try Tensor<Double>(shape: [2, 2], elements: savedTheta, requiresGrad: true)
        #expect(trajectory(try make(freshTheta), problem, steps: 3) != expected)
    }

    /// `state` is a snapshot: steps taken after reading it do not change the tensors read
    /// (SGD updates its momentum buffer in place, so `state` must hand out copies).
    @Test(arguments: 0..<makers.count)
    func stateReadEarlierKeepsItsValues(_ which: Int) throws {
        let theta = problem.parameter()
        let optimizer = try Self.makers[which].1(theta)
        _ = trajectory(optimizer, problem, steps: 2)
        let read = optimizer.state
        let values = read.mapValues(\.scalars)
        _ = trajectory(optimizer, problem, steps: 2)
        for (key, tensor) in read { #expect(tensor.scalars == values[key], "\(key)") }
        // …while the optimizer's own state did move on.
        #expect(optimizer.state.contains { key, tensor in tensor.scalars != values[key] })
    }

    /// `namedState` orders by parameter index as a number (2 before 10), then by name, and
    /// `loadState` takes the list back.
    @Test func namedStateIsOrderedAndLoadsBack() throws {
        let parameters = (0..<11).map { _ in problem.parameter() }
        let adam = try Adam(parameters, learningRate: 0.1)
        for p in parameters { problem.backward(p) }
        adam.step()
        let names = adam.namedState.map(\.name)
        #expect(names.count == 33)
        #expect(Array(names[0..<3]) == ["state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step"])
        #expect(Array(names[6..<9]) == ["state.2.exp_avg", "state.2.exp_avg_sq", "state.2.step"])
        #expect(names.last == "state.10.step")

        let copy = try Adam(parameters.map { try Tensor<Double>(shape: $0.shape, elements: $0.scalars) }, learningRate: 0.1)
        try copy.loadState(adam.namedState)
        #expect(copy.state.keys.sorted() == adam.state.keys.sorted())
        for (key, tensor) in adam.state { #expect(copy.state[key]!.scalars == tensor.scalars) }
    }

    @Test func stateUsesPyTorchNames() throws {
        let theta = problem.parameter()
        for (name, make) in Self.makers {
            let optimizer = try make(problem.parameter())
            #expect(optimizer.state.isEmpty, "\(name) has state before its first step")
        }
        let rmsprop = try RMSprop([theta], momentum: 0.9, centered: true)
        _ = trajectory(rmsprop, problem, steps: 1)
        #expect(Set(rmsprop.state.keys) == ["state.0.step", "state.0.square_avg", "state.0.grad_avg",
                                            "state.0.momentum_buffer"])
        #expect(rmsprop.state["state.0.square_avg"]!.shape == [2, 2] && rmsprop.state["state.0.step"]!.shape == [])
    }

    @Test func aStateThatDoesNotFitIsRejectedAndChangesNothing() throws {
        let theta = problem.parameter()
        let adam = try Adam([theta], learningRate: 0.05)
        _ = trajectory(adam, problem, steps: 2)
        let good = adam.state

        var extra = good
        extra["state.0.momentum_buffer"] = Tensor<Double>.zeros([2, 2])
        var outOfRange = good
        outOfRange["state.1.step"] = Tensor<Double>(1)
        var wrongShape = good
        wrongShape["state.0.exp_avg"] = Tensor<Double>.zeros([4])
        var missing = good
        missing["state.0.exp_avg_sq"] = nil
        var badStep = good
        badStep["state.0.step"] = Tensor<Double>(2.5)

        #expect(throws: OptimizerError.unknownStateKey("state.0.momentum_buffer")) { try adam.loadState(extra) }
        #expect(throws: OptimizerError.unknownStateKey("state.1.step")) { try adam.loadState(outOfRange) }
        #expect(throws: OptimizerError.stateShapeMismatch(key: "state.0.exp_avg", expected: [2, 2], found: [4])) {
            try adam.loadState(wrongShape)
        }
        #expect(throws: OptimizerError.incompleteState(parameter: 0, missing: "state.0.exp_avg_sq")) {
            try adam.loadState(missing)
        }
        #expect(throws: OptimizerError.invalidStep(key: "state.0.step", value: 2.5)) { try adam.loadState(badStep) }
        #expect(throws: OptimizerError.unknownStateKey("exp_avg")) { try adam.loadState(["exp_avg": Tensor<Double>(0)]) }

        // Nothing changed: the state is still `good`, tensor for tensor.
        let now = adam.state
        #expect(Set(now.keys) == Set(good.keys))
        for (key, tensor) in good { #expect(now[key]!.scalars == tensor.scalars) }

        // RMSprop's optional entries must match its settings.
        let plain = try RMSprop([problem.parameter()])
        let centered = try RMSprop([problem.parameter()], centered: true)
        _ = trajectory(centered, problem, steps: 1)
        _ = trajectory(plain, problem, steps: 1)
        #expect(throws: OptimizerError.unknownStateKey("state.0.grad_avg")) { try plain.loadState(centered.state) }
        #expect(throws: OptimizerError.incompleteState(parameter: 0, missing: "state.0.grad_avg")) {
            try centered.loadState(plain.state)
        }
        let message = OptimizerError.stateShapeMismatch(key: "state.0.exp_avg", expected: [2, 2], found: [4]).description
        #expect(message.contains("state.0.exp_avg") && message.contains("[2, 2]") && message.contains("[4]"))
    }
}
