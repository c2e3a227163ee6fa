// NeuronTests.swift — a neuron builds micrograd's graph, computes w·x + b, and draws its
// weights from the seeded generator.

import Engine
import Testing
import _TestSupport
@testable import ScalarNN

@Suite struct NeuronTests {
    @Test func buildsTheSumStartingFromTheBias() {
        let w0 = Value(0.5), w1 = Value(-2), b = Value(0.25)
        let x0 = Value(3), x1 = Value(-1)
        let out = Neuron(weights: [w0, w1], bias: b, activation: .relu)([x0, x1])

        // out = relu((b + w0·x0) + w1·x1)
        #expect(out.op == .relu)
        let act = out.inputs[0]
        #expect(act.op == .add)
        let (inner, lastProduct) = (act.inputs[0], act.inputs[1])
        #expect(inner.op == .add)
        #expect(inner.inputs[0] === b)
        #expect(inner.inputs[1].op == .mul)
        #expect(inner.inputs[1].inputs[0] === w0 && inner.inputs[1].inputs[1] === x0)
        #expect(lastProduct.op == .mul)
        #expect(lastProduct.inputs[0] === w1 && lastProduct.inputs[1] === x1)

        // 5 leaves (2 inputs, 2 weights, bias) + 2 mul + 2 add + relu.
        #expect(out.topologicalOrder().count == 10)
        // relu(0.25 + 1.5 + 2) = 3.75
        #expect(out.data == 3.75)
    }

    /// WORKLOADS.md (W1) counts 2 mul + 2 add + relu per first-layer neuron, 16·2 + 1 = 33
    /// per second-layer neuron and 32 per (linear) output neuron.
    @Test(arguments: [(2, Activation.relu, 5), (16, .relu, 33), (16, .linear, 32), (1, .linear, 2)])
    func operationNodesPerNeuron(inputs: Int, activation: Activation, expected: Int) {
        var rng = SplitMix64(seed: 7)
        let neuron = Neuron(inputs: inputs, activation: activation, rng: &rng)
        let x = (0..<inputs).map { Value(Double($0) + 0.5) }
        let nodes = neuron(x).topologicalOrder()
        #expect(nodes.filter { !$0.isLeaf }.count == expected)
        #expect(nodes.filter(\.isLeaf).count == 2 * inputs + 1)
    }

    @Test func forwardMatchesPlainArithmetic() {
        let w = [0.3, -0.7, 1.1], b = -0.2, x = [2.0, 0.5, -1.5]
        let neuron = Neuron(weights: w.map { Value($0) }, bias: Value(b), activation: .linear)
        let expected = b + w[0] * x[0] + w[1] * x[1] + w[2] * x[2]
        #expect(neuron(x.map { Value($0) }).data == expected)

        let relu = Neuron(weights: w.map { Value($0) }, bias: Value(b), activation: .relu)
        #expect(expected < 0)
        #expect(relu(x.map { Value($0) }).data == 0)
        #expect(relu.evaluate(x) == 0)
    }

    @Test func evaluateIsBitForBitTheGraphsValue() {
        var rng = SplitMix64(seed: 99)
        for activation in [Activation.relu, .linear] {
            for _ in 0..<50 {
                let neuron = Neuron(inputs: 16, activation: activation, rng: &rng)
                let x = (0..<16).map { _ in rng.nextUniform(-3, 3) }
                #expect(neuron.evaluate(x) == neuron(x.map { Value($0) }).data)
            }
        }
    }

    @Test func initialWeightsAreTheGeneratorsUniformDrawsAndBiasIsZero() {
        var rng = SplitMix64(seed: 1234)
        let neuron = Neuron(inputs: 5, rng: &rng)
        var reference = SplitMix64(seed: 1234)
        let expected = (0..<5).map { _ in 2 * reference.nextUnit() - 1 }
        for (w, e) in zip(neuron.weights, expected) {
            #expect(isClose(w.data, e, tolerance: 1e-15))
            #expect(w.data >= -1 && w.data < 1)
        }
        #expect(neuron.bias.data == 0)
        #expect(neuron.parameters.count == 6)
        #expect(neuron.parameters.last === neuron.bias)
        // The neuron consumed exactly its five draws.
        #expect(rng.state == reference.state)
    }

    @Test func gradientsMatchFiniteDifferences() {
        // xs = [w0, w1, w2, b, x0, x1, x2]; loss = out², with the pre-activation well away from 0.
        let check = gradientCheck(at: [0.4, -0.3, 0.8, 0.1, 1.5, -2.0, 0.7]) { xs in
            let neuron = Neuron(weights: Array(xs[0..<3]), bias: xs[3], activation: .relu)
            let out = neuron(Array(xs[4..<7]))
            return out * out
        }
        #expect(check.passes(tolerance: 1e-6), "errors \(check.errors)")
        // Every input matters here, so no analytic gradient is 0.
        #expect(check.analytic.allSatisfy { $0 != 0 })
    }
}
