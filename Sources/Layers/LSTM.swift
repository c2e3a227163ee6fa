// LSTM.swift — the long short-term memory cell (PyTorch's gate order i, f, g, o) and an LSTM
// layer that unrolls it over a sequence, with nn.LSTM's parameter names so that PyTorch
// checkpoints map one to one.
//
// Read next: MultiheadAttention.swift.

import Basics
import Tensors

/// One LSTM step, composed from matmul, add, slice, sigmoid, tanh and mul:
///
/// ```
/// [i | f | g | o] = x · W_ihᵀ + h · W_hhᵀ + (b_ih + b_hh)      (four blocks of H columns)
/// i, f, o = σ(i), σ(f), σ(o)      g = tanh(g)
/// c' = f ⊙ c + i ⊙ g              h' = o ⊙ tanh(c')
/// ```
/// i (input gate) lets new content g in, f (forget gate) keeps old memory, o (output gate)
/// exposes it. The gradient reaches c through f ⊙ c, an additive path that lets it survive
/// many steps.
///
/// The step takes its input already projected: `inputGates` = x · W_ihᵀ + (b_ih + b_hh), which
/// does not depend on the state, so `LSTM` computes it for every step of a sequence at once (one
/// matrix product over all L·N rows, as PyTorch does) and hands each step its slice. A `nil`
/// state is the zero state: its terms, h · W_hhᵀ and f ⊙ c, are zero and left out (the first
/// step of a sequence that starts from zeros).
func lstmStep<Scalar>(_ weights: RecurrentWeights<Scalar>, inputGates: Tensor<Scalar>, _ h: Tensor<Scalar>?,
                      _ c: Tensor<Scalar>?, hiddenSize: Int,
                      file: StaticString, line: UInt) -> (hidden: Tensor<Scalar>, cell: Tensor<Scalar>) {
    var gates = inputGates
    if let h { gates = Tensor.add(gates, h.matmul(weights.hiddenToHidden.transposed(), file: file, line: line)) }
    func block(_ k: Int) -> Tensor<Scalar> { gates.slice(axis: 1, k * hiddenSize, (k + 1) * hiddenSize) }
    let (i, g, o) = (block(0).sigmoid(), block(2).tanh(), block(3).sigmoid())
    let cell = c.map { block(1).sigmoid() * $0 + i * g } ?? i * g
    return (o * cell.tanh(), cell)
}

/// x · W_ihᵀ + (b_ih + b_hh) for inputs `x` [rows, I]: the part of the gates that comes from
/// the input. The two biases are summed once (`RecurrentWeights.summedBias`), not added at
/// every step.
func lstmInputGates<Scalar>(_ weights: RecurrentWeights<Scalar>, _ x: Tensor<Scalar>,
                            file: StaticString, line: UInt) -> Tensor<Scalar> {
    let product = x.matmul(weights.inputToHidden.transposed(), file: file, line: line)
    guard let bias = weights.summedBias(file: file, line: line) else { return product }
    return Tensor.add(product, bias, file: file, line: line)
}

/// A single LSTM step as a module: parameters "weight_ih" [4H, I], "weight_hh" [4H, H],
/// "bias_ih" [4H], "bias_hh" [4H], rows in gate order i, f, g, o, as PyTorch's `nn.LSTMCell`.
public final class LSTMCell<Scalar: TensorScalar>: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    let weights: RecurrentWeights<Scalar>
    public var isTraining = true

    /// PyTorch's initialization: every tensor uniform on ±1/√H, drawn from `rng` in the order
    /// weight_ih, weight_hh, bias_ih, bias_hh.
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, using rng: inout SplitMix64) {
        trapUnless(inputSize > 0 && hiddenSize > 0,
                   "LSTMCell: inputSize (\(inputSize)) and hiddenSize (\(hiddenSize)) must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        weights = RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, gates: 4, bias: bias, using: &rng)
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { weights.named() }
    public var summaryName: String { "LSTMCell(\(inputSize) → \(hiddenSize))" }

    /// The next (hidden, cell) state for input `x` [N, I]; both states [N, H], zeros if `nil`.
    public func callAsFunction(_ x: Tensor<Scalar>, state: (hidden: Tensor<Scalar>, cell: Tensor<Scalar>)? = nil,
                               file: StaticString = #fileID, line: UInt = #line)
        -> (hidden: Tensor<Scalar>, cell: Tensor<Scalar>) {
        checkCellInput(summaryName, x, inputSize: inputSize, states: [("hidden", state?.hidden), ("cell", state?.cell)],
                       hiddenSize: hiddenSize, file: file, line: line)
        return lstmStep(weights, inputGates: lstmInputGates(weights, x, file: file, line: line), state?.hidden,
                        state?.cell, hiddenSize: hiddenSize, file: file, line: line)
    }
}

/// An LSTM over a whole sequence, possibly stacked: the cell above applied at t = 0, 1, …, L−1,
/// each step's state feeding the next, and each layer's outputs feeding the layer above.
///
/// ```
/// input [L, N, I]  (or [N, L, I] with batchFirst)   →   output [L, N, H]: the top layer's h at every step
/// ```
/// Parameters per layer k: "weight_ih_lk" [4H, I or H], "weight_hh_lk" [4H, H], "bias_ih_lk",
/// "bias_hh_lk" [4H], gate order i, f, g, o — PyTorch's `nn.LSTM` (without dropout between
/// layers, projections or bidirectionality). The backward is the chain rule through the
/// unrolled graph (backpropagation through time); the layer has none of its own.
public final class LSTM<Scalar: TensorScalar>: CallSiteLayer {
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let batchFirst: Bool
    let layers: [RecurrentWeights<Scalar>]
    public var isTraining = true

    /// PyTorch's initialization: each tensor uniform on ±1/√H, drawn from `rng` layer by layer
    /// in the order weight_ih, weight_hh, bias_ih, bias_hh.
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                using rng: inout SplitMix64) {
        trapUnless(inputSize > 0 && hiddenSize > 0 && numLayers > 0,
                   "LSTM: inputSize (\(inputSize)), hiddenSize (\(hiddenSize)) and numLayers (\(numLayers)) must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.batchFirst = batchFirst
        layers = (0..<numLayers).map { k in
            RecurrentWeights(inputSize: k == 0 ? inputSize : hiddenSize, hiddenSize: hiddenSize, gates: 4, bias: bias,
                             using: &rng)
        }
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] {
        layers.enumerated().flatMap { $0.element.named(suffix: "_l\($0.offset)") }
    }

    /// Whether each layer has the biases b_ih and b_hh.
    public var hasBias: Bool { layers[0].inputBias != nil }

    public var summaryName: String {
        "LSTM(\(inputSize) → \(hiddenSize)\(numLayers > 1 ? ", \(numLayers) layers" : ""))"
    }

    /// The output sequence alone (for use in a `Sequential`).
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        forward(input, file: file, line: line).output
    }

    /// The output sequence and the final states, as PyTorch's `output, (h_n, c_n)`:
    /// hidden and cell are [numLayers, N, H]. `initialState` (same shapes) defaults to zeros.
    public func forward(_ input: Tensor<Scalar>,
                        initialState: (hidden: Tensor<Scalar>, cell: Tensor<Scalar>)? = nil,
                        file: StaticString = #fileID, line: UInt = #line)
        -> (output: Tensor<Scalar>, hidden: Tensor<Scalar>, cell: Tensor<Scalar>) {
        if input.rank != 3 || input.shape[2] != inputSize || input.shape[batchFirst ? 1 : 0] == 0 {
            layerTrap(summaryName, "expects input \(batchFirst ? "[N, L" : "[L, N"), \(inputSize)] with L ≥ 1, "
                      + "got \(shapeText(input.shape))", file: file, line: line)
        }
        let sequence = batchFirst ? input.transpose(0, 1) : input
        let (length, batch) = (sequence.shape[0], sequence.shape[1])
        if let initialState, initialState.hidden.shape != [numLayers, batch, hiddenSize]
            || initialState.cell.shape != [numLayers, batch, hiddenSize] {
            layerTrap(summaryName, "expects initial states [\(numLayers), \(batch), \(hiddenSize)], got "
                      + "\(shapeText(initialState.hidden.shape)) and \(shapeText(initialState.cell.shape))",
                      file: file, line: line)
        }
        var layerInput = sequence
        var finalHidden: [Tensor<Scalar>] = [], finalCell: [Tensor<Scalar>] = []
        for (k, weights) in layers.enumerated() {
            // The input's part of the gates at every step, [L, N, 4H], from one product.
            let rows = layerInput.reshape([length * batch, layerInput.shape[2]], file: file, line: line)
            let inputGates = lstmInputGates(weights, rows, file: file, line: line)
                .reshape([length, batch, 4 * hiddenSize], file: file, line: line)
            // nil: the zero state, which the first step leaves out of its sums.
            var h = initialState.map { $0.hidden.slice(axis: 0, k, k + 1).squeeze(0) }
            var c = initialState.map { $0.cell.slice(axis: 0, k, k + 1).squeeze(0) }
            var outputs: [Tensor<Scalar>] = []
            for t in 0..<length {
                let next = lstmStep(weights, inputGates: inputGates.slice(axis: 0, t, t + 1).squeeze(0), h, c,
                                    hiddenSize: hiddenSize, file: file, line: line)
                (h, c) = (next.hidden, next.cell)
                outputs.append(next.hidden)
            }
            layerInput = Tensor.stack(outputs, axis: 0)
            finalHidden.append(h!)
            finalCell.append(c!)
        }
        let output = layerInput
        return (batchFirst ? output.transpose(0, 1) : output, Tensor.stack(finalHidden), Tensor.stack(finalCell))
    }
}
