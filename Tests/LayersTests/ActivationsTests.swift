// ActivationsTests.swift — each activation layer and function against its formula computed
// with Foundation's Double math, and the layers' gradients against central differences.

import Foundation
import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct ActivationsTests {
    static let inputs: [Double] = [-2.5, -1, -0.2, 0.3, 1, 3]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var make: @Sendable () -> any Layer<Double>
        var formula: @Sendable (Double) -> Double
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ReLU", make: { ReLU() }, formula: { max(0, $0) }),
        Case(name: "LeakyReLU(0.2)", make: { LeakyReLU(slope: 0.2) }, formula: { $0 > 0 ? $0 : 0.2 * $0 }),
        Case(name: "Tanh", make: { Tanh() }, formula: { Foundation.tanh($0) }),
        Case(name: "Sigmoid", make: { Sigmoid() }, formula: { 1 / (1 + Foundation.exp(-$0)) }),
        Case(name: "GELU", make: { GELU() }, formula: { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }),
        Case(name: "GELU(tanh)", make: { GELU(approximateTanh: true) },
             formula: { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }),
        Case(name: "Softplus", make: { Softplus() }, formula: { Foundation.log(1 + Foundation.exp($0)) }),
        Case(name: "Identity", make: { Identity() }, formula: { $0 }),
    ]

    @Test(arguments: cases) func elementwiseLayerMatchesFormula(_ c: Case) {
        let layer = c.make()
        let x = try! Tensor<Double>(shape: [2, 3], elements: Self.inputs)
        let y = layer(x)
        #expect(y.shape == [2, 3])
        for (value, input) in zip(y.scalars, Self.inputs) { #expect(isClose(value, c.formula(input), tolerance: 1e-12)) }
        #expect(layer.namedParameters.isEmpty)
        #expect(layer.summaryName == c.name)
        let leaf = randomLeaf([2, 3], -2, 2, seed: 3)
        // ReLU's kink at 0 is never within h of a random input, so the check is fair there too.
        #expect(maxGradientError(wrt: [leaf]) { layer(leaf) } < 1e-7)
    }

    @Test func softmaxLayersMatchFormula() throws {
        let x = try Tensor<Double>(rows: [[1, 2, 3], [0, -1, 5]])
        for axis in [-1, 0] {
            let y = Softmax<Double>(axis: axis)(x), logY = LogSoftmax<Double>(axis: axis)(x)
            for r in 0..<2 {
                for c in 0..<3 {
                    let group = axis == -1 ? (0..<3).map { x[r, $0] } : (0..<2).map { x[$0, c] }
                    let denominator = group.map { Foundation.exp($0) }.reduce(0.0) { $0 + $1 }
                    #expect(isClose(y[r, c], Foundation.exp(x[r, c]) / denominator, tolerance: 1e-12))
                    #expect(isClose(logY[r, c], x[r, c] - Foundation.log(denominator), tolerance: 1e-12))
                }
            }
        }
        let leaf = randomLeaf([3, 4], seed: 8)
        #expect(maxGradientError(wrt: [leaf]) { Softmax<Double>()(leaf) } < 1e-7)
        #expect(maxGradientError(wrt: [leaf]) { LogSoftmax<Double>(axis: 0)(leaf) } < 1e-7)
    }

    /// The free functions against their definitions in plain Double (the layers wrap the same
    /// Tensors ops, so comparing function with layer would compare the code with itself).
    @Test func functionsMatchTheirDefinitions() throws {
        let x = try Tensor<Double>(shape: [6], elements: Self.inputs)
        let v = Self.inputs
        func matches(_ got: [Double], _ expected: [Double]) -> Bool {
            got.count == expected.count && zip(got, expected).allSatisfy { isClose($0, $1, tolerance: 1e-12) }
        }
        #expect(matches(gelu(x).scalars, v.map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }))
        let c = (2 / Double.pi).squareRoot()
        #expect(matches(gelu(x, approximateTanh: true).scalars,
                        v.map { 0.5 * $0 * (1 + Foundation.tanh(c * ($0 + 0.044715 * $0 * $0 * $0))) }))
        #expect(leakyRelu(x, slope: 0.3).scalars == v.map { $0 > 0 ? $0 : 0.3 * $0 })
        #expect(matches(softplus(x).scalars, v.map { Foundation.log(1 + Foundation.exp($0)) }))
        let total: Double = v.reduce(0) { sum, value in sum + Foundation.exp(value) }
        #expect(matches(softmax(x).scalars, v.map { Foundation.exp($0) / total }))
        #expect(matches(logSoftmax(x).scalars, v.map { $0 - Foundation.log(total) }))
    }
}
