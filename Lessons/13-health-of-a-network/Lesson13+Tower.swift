// Lesson13+Tower.swift — the deep tanh network that lesson 13 examines, and the statistics it
// prints. Step 1 writes the forward pass out in full; the later steps call `Tower`, which is
// the same code packaged so that the three versions (bad init, Kaiming, BatchNorm) differ
// only in their arguments. Read next: Lesson13.swift.

import Datasets
import Foundation
import Layers
import Tensors

extension Lesson13 {
    /// The first 256 training digits as a [256, 64] batch (pixels in 0…1).
    static func digitBatch() throws -> Tensor<Double> {
        let split = try InMemoryDataset<Double>.digitsSplit()
        return try Tensor<Double>(shape: [256, 64], elements: Array(split.train.features[0 ..< 256 * 64]))
    }

    /// The labels of `digitBatch()`.
    static func digitLabels() throws -> [Int] {
        Array(try InMemoryDataset<Double>.digitsSplit().train.labels[0..<256])
    }
}

/// Five hidden layers 64 → 64 (x · W, no bias), each followed by tanh (with BatchNorm1d
/// between the product and the tanh when asked), then 64 → 10 scores. The weights are drawn
/// from one SplitMix64 in order — W₁ … W₅ row-major, then the output layer — each element
/// N(0, 1) · `scale`.
final class Tower {
    let hidden: [Tensor<Double>]
    let output: Tensor<Double>
    let norms: [BatchNorm1d<Double>]

    init(scale: Double, batchNorm: Bool, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        hidden = (1...5).map { _ in (Tensor<Double>.randomNormal([64, 64], using: &rng) * scale).detach().requiringGrad() }
        output = (Tensor<Double>.randomNormal([64, 10], using: &rng) * (1 / 8.0)).detach().requiringGrad()
        norms = batchNorm ? (1...5).map { _ in BatchNorm1d<Double>(numFeatures: 64) } : []
    }

    /// The trainable tensors: the six weights, then BatchNorm's γ and β.
    var parameters: [Tensor<Double>] { hidden + [output] + norms.flatMap(\.parameters) }

    /// The scores and every hidden layer's tanh output.
    func callAsFunction(_ images: Tensor<Double>) -> (scores: Tensor<Double>, activations: [Tensor<Double>]) {
        var x = images
        var activations: [Tensor<Double>] = []
        for (k, w) in hidden.enumerated() {
            var h = x.matmul(w)
            if !norms.isEmpty { h = norms[k](h) }
            x = h.tanh()
            activations.append(x)
        }
        return (x.matmul(output), activations)
    }
}

/// The mean of `values`.
func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

/// The population standard deviation of `values`: √(mean((x − mean)²)).
func std(_ values: [Double]) -> Double {
    let m = mean(values)
    return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)).squareRoot()
}

/// The share of tanh outputs in the flat tails, |t| > 0.97, where tanh′ = 1 − t² < 0.06.
func saturatedShare(_ values: [Double]) -> Double {
    Double(values.filter { abs($0) > 0.97 }.count) / Double(values.count)
}
