// RecurrentTests.swift — RNNCell, LSTMCell and LSTM against plain Double loops (gate order
// i, f, g, o), PyTorch's parameter names and shapes, init bounds, batch-first layout, and
// gradients through the unrolled sequence against central differences.

import Foundation
import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct RecurrentTests {
    func close(_ a: [[Double]], _ b: [[Double]], tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count && zip($0, $1).allSatisfy { isClose($0, $1, tolerance: tolerance) } }
    }

    @Test func rnnCellMatchesLoops() {
        var rng = SplitMix64(seed: 1)
        let cell = RNNCell<Double>(inputSize: 3, hiddenSize: 4, using: &rng)
        let p = Dictionary(uniqueKeysWithValues: cell.namedParameters.map { ($0.name, $0.tensor) })
        let x = Tensor<Double>.randomUniform([2, 3], -1, 1, using: &rng)
        let h = Tensor<Double>.randomUniform([2, 4], -1, 1, using: &rng)
        let sum = elementwise(affine(rows(x), rows(p["weight_ih"]!), p["bias_ih"]!.scalars),
                              affine(rows(h), rows(p["weight_hh"]!), p["bias_hh"]!.scalars), +)
        #expect(close(rows(cell(x, hidden: h)), sum.map { $0.map(Foundation.tanh) }))
        // No state given: zeros.
        let zeroSum = affine(rows(x), rows(p["weight_ih"]!), zip(p["bias_ih"]!.scalars, p["bias_hh"]!.scalars).map(+))
        #expect(close(rows(cell(x)), zeroSum.map { $0.map(Foundation.tanh) }))
        let xLeaf = randomLeaf([2, 3], seed: 5), hLeaf = randomLeaf([2, 4], seed: 6)
        #expect(maxGradientError(wrt: [xLeaf, hLeaf] + cell.parameters) { cell(xLeaf, hidden: hLeaf) } < 1e-7)
    }

    @Test func lstmCellMatchesLoops() {
        var rng = SplitMix64(seed: 2)
        let cell = LSTMCell<Double>(inputSize: 3, hiddenSize: 2, using: &rng)
        let p = Dictionary(uniqueKeysWithValues: cell.namedParameters.map { ($0.name, $0.tensor) })
        let x = Tensor<Double>.randomUniform([2, 3], -1, 1, using: &rng)
        let h = Tensor<Double>.randomUniform([2, 2], -1, 1, using: &rng), c = Tensor<Double>.randomUniform([2, 2], -1, 1, using: &rng)
        let (newH, newC) = cell(x, state: (h, c))
        let expected = referenceLSTMStep(rows(x), rows(h), rows(c), wih: rows(p["weight_ih"]!), whh: rows(p["weight_hh"]!),
                                         bih: p["bias_ih"]!.scalars, bhh: p["bias_hh"]!.scalars)
        #expect(close(rows(newH), expected.h) && close(rows(newC), expected.c))
        let xLeaf = randomLeaf([2, 3], seed: 7)
        #expect(maxGradientError(wrt: [xLeaf] + cell.parameters) { cell(xLeaf, state: (h, c)).hidden } < 1e-7)
        #expect(maxGradientError(wrt: [xLeaf] + cell.parameters) { cell(xLeaf).cell } < 1e-7)
    }

    /// PyTorch: `nn.LSTM(3, 2, num_layers=2)` has named_parameters weight_ih_l0 [8, 3],
    /// weight_hh_l0 [8, 2], bias_ih_l0 [8], bias_hh_l0 [8], then the same with _l1 and [8, 2].
    @Test func lstmNamesShapesAndInit() {
        var rng = SplitMix64(seed: 3)
        let lstm = LSTM<Float>(inputSize: 3, hiddenSize: 2, numLayers: 2, using: &rng)
        #expect(lstm.namedParameters.map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                                                     "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
        #expect(lstm.namedParameters.map(\.tensor.shape) == [[8, 3], [8, 2], [8], [8], [8, 2], [8, 2], [8], [8]])
        #expect(LSTMCell<Float>(inputSize: 3, hiddenSize: 2, using: &rng).namedParameters.map(\.name)
                == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
        #expect(RNNCell<Float>(inputSize: 3, hiddenSize: 5, bias: false, using: &rng).namedParameters.map(\.tensor.shape)
                == [[5, 3], [5, 5]])
        // PyTorch draws every recurrent tensor from U(−1/√H, 1/√H).
        let big = LSTM<Double>(inputSize: 10, hiddenSize: 16, using: &rng)
        let values = big.parameters.flatMap(\.scalars)
        #expect(values.allSatisfy { abs($0) <= 0.25 } && values.max()! > 0.24 && values.min()! < -0.24)
    }

    @Test func lstmUnrollsOverTheSequenceAndLayers() {
        var rng = SplitMix64(seed: 4)
        let lstm = LSTM<Double>(inputSize: 3, hiddenSize: 2, numLayers: 2, using: &rng)
        let (length, batch) = (4, 2)
        let x = Tensor<Double>.randomUniform([length, batch, 3], -1, 1, using: &rng)
        let h0 = Tensor<Double>.randomUniform([2, batch, 2], -1, 1, using: &rng)
        let c0 = Tensor<Double>.randomUniform([2, batch, 2], -1, 1, using: &rng)
        let result = lstm.forward(x, initialState: (h0, c0))
        #expect(result.output.shape == [length, batch, 2])
        #expect(result.hidden.shape == [2, batch, 2] && result.cell.shape == [2, batch, 2])
        let p = Dictionary(uniqueKeysWithValues: lstm.namedParameters.map { ($0.name, $0.tensor) })
        var sequence = (0..<length).map { sample(x, $0) }   // [L][N][I]
        var finalH: [[[Double]]] = [], finalC: [[[Double]]] = []
        for layer in 0..<2 {
            var h = sample(h0, layer), c = sample(c0, layer)
            for t in 0..<length {
                (h, c) = referenceLSTMStep(sequence[t], h, c, wih: rows(p["weight_ih_l\(layer)"]!),
                                           whh: rows(p["weight_hh_l\(layer)"]!), bih: p["bias_ih_l\(layer)"]!.scalars,
                                           bhh: p["bias_hh_l\(layer)"]!.scalars)
                sequence[t] = h
            }
            finalH.append(h)
            finalC.append(c)
        }
        #expect(close((0..<length).map { sample(result.output, $0) }.flatMap { $0 }, sequence.flatMap { $0 }))
        #expect(close((0..<2).map { sample(result.hidden, $0) }.flatMap { $0 }, finalH.flatMap { $0 }))
        #expect(close((0..<2).map { sample(result.cell, $0) }.flatMap { $0 }, finalC.flatMap { $0 }))
        // As a Layer it returns the output sequence; from zeros when no state is given.
        #expect(lstm(x).shape == [length, batch, 2])
    }

    @Test func batchFirstIsTheTransposedLayout() {
        var a = SplitMix64(seed: 8), b = SplitMix64(seed: 8)
        let seqFirst = LSTM<Double>(inputSize: 2, hiddenSize: 3, using: &a)
        let batchFirst = LSTM<Double>(inputSize: 2, hiddenSize: 3, batchFirst: true, using: &b)
        let x = randomLeaf([4, 2, 2], seed: 9)   // [L, N, I]
        let expected = seqFirst(x).transpose(0, 1)
        #expect(batchFirst(x.transpose(0, 1)).scalars == expected.scalars)
    }

    @Test func lstmGradientsThroughTime() {
        var rng = SplitMix64(seed: 10)
        let lstm = LSTM<Double>(inputSize: 2, hiddenSize: 2, using: &rng)
        let x = randomLeaf([3, 2, 2], seed: 11)
        #expect(maxGradientError(wrt: [x] + lstm.parameters) { lstm(x) } < 1e-7)
        #expect(maxGradientError(wrt: [x] + lstm.parameters) { lstm.forward(x).cell } < 1e-7)
    }

    @Test func lstmWrongInputTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            _ = LSTM<Float>(inputSize: 3, hiddenSize: 2, using: &rng)(.zeros([5, 2, 4]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("LSTM(3 → 2): expects input [L, N, 3] with L ≥ 1, got [5, 2, 4] "
                                + "(called from LayersTests/RecurrentTests.swift:"))
    }
}
