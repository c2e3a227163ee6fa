// MLPTests.swift — parameter count and order, micrograd-compatible loading, forward against
// plain arithmetic, and gradients against finite differences.

import Engine
import Testing
import _TestSupport
@testable import ScalarNN

@Suite struct MLPTests {
    @Test func micrograds2_16_16_1NetworkHas337Parameters() {
        let byHand = (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)
        #expect(byHand == 337)
        #expect(MLP.parameterCount(inputs: 2, layerSizes: [16, 16, 1]) == byHand)
        var rng = SplitMix64(seed: 1)
        let model = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
        #expect(model.parameters.count == byHand)
        #expect(Set(model.parameters.map(ObjectIdentifier.init)).count == byHand)
        #expect(model.inputCount == 2)
        #expect(model.layerSizes == [16, 16, 1])
    }

    @Test func hiddenLayersUseReLUAndTheLastIsLinear() {
        var rng = SplitMix64(seed: 1)
        let model = MLP(inputs: 3, layerSizes: [4, 5, 2], rng: &rng)
        let activations = model.layers.map { Set($0.neurons.map(\.activation)) }
        #expect(activations == [[.relu], [.relu], [.linear]])
    }

    @Test func parametersComeInMicrogradsOrder() throws {
        // Layer 0: neuron 0 = (w 1, 2; b 3), neuron 1 = (w 4, 5; b 6). Layer 1: (w 7, 8; b 9).
        let values = (1...9).map(Double.init)
        let model = try MLP(inputs: 2, layerSizes: [2, 1], loading: values)
        #expect(model.layers[0].neurons[0].weights.map(\.data) == [1, 2])
        #expect(model.layers[0].neurons[0].bias.data == 3)
        #expect(model.layers[0].neurons[1].weights.map(\.data) == [4, 5])
        #expect(model.layers[0].neurons[1].bias.data == 6)
        #expect(model.layers[1].neurons[0].weights.map(\.data) == [7, 8])
        #expect(model.layers[1].neurons[0].bias.data == 9)
        #expect(model.parameters.map(\.data) == values)
    }

    @Test func freshWeightsAreDrawnInParameterOrderWithZeroBiases() {
        var rng = SplitMix64(seed: 42)
        let model = MLP(inputs: 2, layerSizes: [3, 2, 1], rng: &rng)
        var reference = SplitMix64(seed: 42)
        var expected: [Double] = []
        for (fanIn, fanOut) in [(2, 3), (3, 2), (2, 1)] {
            for _ in 0..<fanOut {
                for _ in 0..<fanIn { expected.append(-1 + 2 * reference.nextUnit()) }
                expected.append(0)
            }
        }
        let actual = model.parameters.map(\.data)
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(isClose(a, e, tolerance: 1e-15))
        }
    }

    @Test func sharedParametersAreTheGivenValues() {
        let leaves = (0..<9).map { Value(Double($0)) }
        let model = MLP(inputs: 2, layerSizes: [2, 1], parameters: leaves)
        #expect(zip(model.parameters, leaves).allSatisfy { $0 === $1 })
    }

    @Test func forwardOfAHandSetNetworkMatchesPlainArithmetic() throws {
        // 2 → 2 (ReLU) → 1 (linear).
        let (w00, w01, b0) = (0.5, -1.0, 0.25)
        let (w10, w11, b1) = (-2.0, 0.5, 0.1)
        let (v0, v1, c) = (1.5, -3.0, 0.75)
        let model = try MLP(inputs: 2, layerSizes: [2, 1],
                            loading: [w00, w01, b0, w10, w11, b1, v0, v1, c])
        for (x0, x1) in [(1.0, 2.0), (-1.0, 0.5), (3.0, -4.0), (0.0, 0.0)] {
            let h0 = max(0, b0 + w00 * x0 + w01 * x1)
            let h1 = max(0, b1 + w10 * x0 + w11 * x1)
            let expected = c + v0 * h0 + v1 * h1
            let out = model([Value(x0), Value(x1)])
            #expect(out.count == 1)
            #expect(isClose(out[0].data, expected, tolerance: 1e-15))
            #expect(isClose(model.evaluate([x0, x1])[0], expected, tolerance: 1e-15))
        }
    }

    @Test func evaluateIsBitForBitTheGraphsValue() {
        var rng = SplitMix64(seed: 3)
        let model = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
        for _ in 0..<100 {
            let x = [rng.nextUniform(-2, 3), rng.nextUniform(-1.5, 2)]
            #expect(model.evaluate(x) == model(x.map { Value($0) }).map(\.data))
        }
    }

    @Test func gradientsMatchFiniteDifferences() {
        // A 2 → 3 → 2 → 1 network (3·3 + 4·2 + 3·1 = 20 parameters) and its two inputs.
        // Loss = score², differentiated with respect to all 22 numbers.
        let shape = [3, 2, 1]
        let count = MLP.parameterCount(inputs: 2, layerSizes: shape)
        #expect(count == 3 * 3 + 4 * 2 + 3 * 1)
        var rng = SplitMix64(seed: 11)
        let point = (0..<count + 2).map { _ in rng.nextUniform(-1, 1) }
        let check = gradientCheck(at: point) { xs in
            let model = MLP(inputs: 2, layerSizes: shape, parameters: Array(xs[..<count]))
            let score = model(Array(xs[count...]))[0]
            return score * score
        }
        #expect(check.passes(tolerance: 1e-6), "worst input \(String(describing: check.worstInput)): \(check.maxError)")
        #expect(check.analytic.contains { $0 != 0 })
    }

    @Test func loadingRejectsAWrongCountOrANonFiniteValue() {
        #expect(throws: ScalarNNError.parameterCount(expected: 337, given: 3)) {
            try MLP(inputs: 2, layerSizes: [16, 16, 1], loading: [1, 2, 3])
        }
        var values = Array(repeating: 0.5, count: 9)
        values[4] = .nan
        let error = #expect(throws: ScalarNNError.self) {
            try MLP(inputs: 2, layerSizes: [2, 1], loading: values)
        }
        guard case .nonFiniteParameter(index: 4, let value)? = error else {
            Issue.record("expected nonFiniteParameter(index: 4), got \(String(describing: error))")
            return
        }
        #expect(value.isNaN)
        #expect(throws: ScalarNNError.layerSizes([16, 0, 1])) {
            try MLP(inputs: 2, layerSizes: [16, 0, 1], loading: [])
        }
    }

    @Test func shapeValidationNamesTheProblem() {
        #expect(throws: ScalarNNError.inputCount(0)) { try MLP.validateShape(inputs: 0, layerSizes: [1]) }
        #expect(throws: ScalarNNError.layerSizes([])) { try MLP.validateShape(inputs: 2, layerSizes: []) }
        #expect(throws: ScalarNNError.layerSizes([4, -1])) { try MLP.validateShape(inputs: 2, layerSizes: [4, -1]) }
        #expect(throws: Never.self) { try MLP.validateShape(inputs: 2, layerSizes: [16, 16, 1]) }
        #expect(ScalarNNError.layerSizes([16, 0, 1]).description
            == "every layer needs at least 1 neuron, but the sizes are 16,0,1")
        #expect(ScalarNNError.layerSizes([]).description
            == "a network needs at least one layer: give sizes such as 16,16,1")
    }
}
