// GRUTests.swift — GRUCell and GRU against a plain Double loop written from the GRU's equations
// (gate order r, z, n; the reset gate multiplies the hidden part after its bias), PyTorch's
// parameter names and shapes, the unrolled stack, batch-first layout, and gradients through
// time against central differences. TorchFixtureTests checks both against PyTorch itself.

import Foundation
import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

/// One GRU step on plain arrays: rows of x [N][I] and h [N][H], weights [3H][I], [3H][H].
private func referenceGRUStep(_ x: [[Double]], _ h: [[Double]], wih: [[Double]], whh: [[Double]],
                              bih: [Double], bhh: [Double]) -> [[Double]] {
    func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
    let hiddenSize = h[0].count
    return zip(x, h).map { xRow, hRow in
        func dot(_ w: [Double], _ v: [Double]) -> Double { zip(w, v).reduce(0) { $0 + $1.0 * $1.1 } }
        let a = (0..<3 * hiddenSize).map { dot(wih[$0], xRow) + bih[$0] }
        let c = (0..<3 * hiddenSize).map { dot(whh[$0], hRow) + bhh[$0] }
        return (0..<hiddenSize).map { j in
            let r = sigmoid(a[j] + c[j])
            let z = sigmoid(a[hiddenSize + j] + c[hiddenSize + j])
            let n = Foundation.tanh(a[2 * hiddenSize + j] + r * c[2 * hiddenSize + j])
            return (1 - z) * n + z * hRow[j]
        }
    }
}

@Suite struct GRUTests {
    func close(_ a: [[Double]], _ b: [[Double]], tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count && zip($0, $1).allSatisfy { isClose($0, $1, tolerance: tolerance) } }
    }

    @Test func gruCellMatchesLoops() {
        var rng = SplitMix64(seed: 21)
        let cell = GRUCell<Double>(inputSize: 3, hiddenSize: 4, using: &rng)
        let p = Dictionary(uniqueKeysWithValues: cell.namedParameters.map { ($0.name, $0.tensor) })
        let x = Tensor<Double>.randomUniform([2, 3], -1, 1, using: &rng)
        let h = Tensor<Double>.randomUniform([2, 4], -1, 1, using: &rng)
        func reference(_ h: [[Double]]) -> [[Double]] {
            referenceGRUStep(rows(x), h, wih: rows(p["weight_ih"]!), whh: rows(p["weight_hh"]!),
                             bih: p["bias_ih"]!.scalars, bhh: p["bias_hh"]!.scalars)
        }
        #expect(close(rows(cell(x, hidden: h)), reference(rows(h))))
        #expect(close(rows(cell(x)), reference([[Double]](repeating: [0, 0, 0, 0], count: 2))))
        let xLeaf = randomLeaf([2, 3], seed: 22), hLeaf = randomLeaf([2, 4], seed: 23)
        #expect(maxGradientError(wrt: [xLeaf, hLeaf] + cell.parameters) { cell(xLeaf, hidden: hLeaf) } < 1e-7)
    }

    /// PyTorch: `nn.GRU(3, 2, num_layers=2)` has named_parameters weight_ih_l0 [6, 3],
    /// weight_hh_l0 [6, 2], bias_ih_l0 [6], bias_hh_l0 [6], then the same with _l1 and [6, 2].
    @Test func gruNamesShapesAndInit() {
        var rng = SplitMix64(seed: 24)
        let gru = GRU<Float>(inputSize: 3, hiddenSize: 2, numLayers: 2, using: &rng)
        #expect(gru.namedParameters.map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                                    "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
        #expect(gru.namedParameters.map(\.tensor.shape) == [[6, 3], [6, 2], [6], [6], [6, 2], [6, 2], [6], [6]])
        #expect(GRUCell<Float>(inputSize: 3, hiddenSize: 2, using: &rng).namedParameters.map(\.name)
                == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
        #expect(GRUCell<Float>(inputSize: 3, hiddenSize: 5, bias: false, using: &rng).namedParameters.map(\.tensor.shape)
                == [[15, 3], [15, 5]])
        // PyTorch draws every recurrent tensor from U(−1/√H, 1/√H).
        let values = GRU<Double>(inputSize: 10, hiddenSize: 16, using: &rng).parameters.flatMap(\.scalars)
        #expect(values.allSatisfy { abs($0) <= 0.25 } && values.max()! > 0.24 && values.min()! < -0.24)
    }

    @Test func gruUnrollsOverTheSequenceAndLayers() {
        var rng = SplitMix64(seed: 25)
        let gru = GRU<Double>(inputSize: 3, hiddenSize: 2, numLayers: 2, using: &rng)
        let (length, batch) = (4, 2)
        let x = Tensor<Double>.randomUniform([length, batch, 3], -1, 1, using: &rng)
        let h0 = Tensor<Double>.randomUniform([2, batch, 2], -1, 1, using: &rng)
        let result = gru.forward(x, initialHidden: h0)
        #expect(result.output.shape == [length, batch, 2] && result.hidden.shape == [2, batch, 2])
        let p = Dictionary(uniqueKeysWithValues: gru.namedParameters.map { ($0.name, $0.tensor) })
        var sequence = (0..<length).map { sample(x, $0) }
        var finalH: [[[Double]]] = []
        for layer in 0..<2 {
            var h = sample(h0, layer)
            for t in 0..<length {
                h = referenceGRUStep(sequence[t], h, wih: rows(p["weight_ih_l\(layer)"]!), whh: rows(p["weight_hh_l\(layer)"]!),
                                     bih: p["bias_ih_l\(layer)"]!.scalars, bhh: p["bias_hh_l\(layer)"]!.scalars)
                sequence[t] = h
            }
            finalH.append(h)
        }
        #expect(close((0..<length).map { sample(result.output, $0) }.flatMap { $0 }, sequence.flatMap { $0 }))
        #expect(close((0..<2).map { sample(result.hidden, $0) }.flatMap { $0 }, finalH.flatMap { $0 }))
        #expect(gru(x).shape == [length, batch, 2])
    }

    @Test func batchFirstIsTheTransposedLayout() {
        var a = SplitMix64(seed: 26), b = SplitMix64(seed: 26)
        let seqFirst = GRU<Double>(inputSize: 2, hiddenSize: 3, using: &a)
        let batchFirst = GRU<Double>(inputSize: 2, hiddenSize: 3, batchFirst: true, using: &b)
        let x = randomLeaf([4, 2, 2], seed: 27)
        #expect(batchFirst(x.transpose(0, 1)).scalars == seqFirst(x).transpose(0, 1).scalars)
    }

    @Test func gruGradientsThroughTime() {
        var rng = SplitMix64(seed: 28)
        let gru = GRU<Double>(inputSize: 2, hiddenSize: 2, numLayers: 2, using: &rng)
        let x = randomLeaf([3, 2, 2], seed: 29)
        #expect(maxGradientError(wrt: [x] + gru.parameters) { gru(x) } < 1e-7)
        #expect(maxGradientError(wrt: [x] + gru.parameters) { gru.forward(x).hidden } < 1e-7)
    }

    @Test func gruWrongInputTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            _ = GRU<Float>(inputSize: 3, hiddenSize: 2, using: &rng)(.zeros([5, 2, 4]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("GRU(3 → 2): expects input [L, N, 3] with L ≥ 1, got [5, 2, 4] "
                                + "(called from LayersTests/GRUTests.swift:"))
    }
}
