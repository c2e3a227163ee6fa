// GRU.swift — the gated recurrent unit (Cho et al. 2014) in PyTorch's gate order r, z, n: a
// cell, and a layer that unrolls it over a sequence, with nn.GRUCell's and nn.GRU's parameter
// names so that PyTorch checkpoints map one to one. Beside the LSTM: one state instead of two,
// three gates instead of four.
//
// Read next: MultiheadAttention.swift.

import Basics
import Tensors

/// One GRU step, composed from matmul, add, slice, sigmoid, tanh, sub and mul:
///
/// ```
/// [a_r | a_z | a_n] = x · W_ihᵀ + b_ih          [c_r | c_z | c_n] = h · W_hhᵀ + b_hh
/// r = σ(a_r + c_r)                z = σ(a_z + c_z)
/// n = tanh(a_n + r ⊙ c_n)
/// h' = (1 − z) ⊙ n + z ⊙ h  =  n + z ⊙ (h − n)
/// ```
/// r (reset gate) decides how much of the old state the candidate n sees; z (update gate)
/// blends the old state with the candidate. The reset gate multiplies c_n *after* the hidden
/// bias b_hn is added, as in PyTorch (and cuDNN), which is why the input and hidden halves
/// are kept apart here rather than summed first as the LSTM does. Backward: the chain rule
/// through these ops; where z is near 1, ∂h'/∂h ≈ z passes the gradient through unchanged.
func gruStep<Scalar>(_ weights: RecurrentWeights<Scalar>, _ x: Tensor<Scalar>, _ h: Tensor<Scalar>, hiddenSize: Int,
                     file: StaticString, line: UInt) -> Tensor<Scalar> {
    var fromInput = x.matmul(weights.inputToHidden.transposed(), file: file, line: line)
    if let inputBias = weights.inputBias { fromInput = Tensor.add(fromInput, inputBias, file: file, line: line) }
    var fromHidden = h.matmul(weights.hiddenToHidden.transposed(), file: file, line: line)
    if let hiddenBias = weights.hiddenBias { fromHidden = Tensor.add(fromHidden, hiddenBias, file: file, line: line) }
    func block(_ t: Tensor<Scalar>, _ k: Int) -> Tensor<Scalar> { t.slice(axis: 1, k * hiddenSize, (k + 1) * hiddenSize) }
    let reset = (block(fromInput, 0) + block(fromHidden, 0)).sigmoid()
    let update = (block(fromInput, 1) + block(fromHidden, 1)).sigmoid()
    let candidate = (block(fromInput, 2) + reset * block(fromHidden, 2)).tanh()
    return candidate + update * (h - candidate)
}

/// A single GRU step as a module: parameters "weight_ih" [3H, I], "weight_hh" [3H, H],
/// "bias_ih" [3H], "bias_hh" [3H], rows in gate order r, z, n, as PyTorch's `nn.GRUCell`.
/// A `Module` rather than a `Layer`: it takes the state as well.
public final class GRUCell<Scalar: TensorScalar>: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    let weights: RecurrentWeights<Scalar>
    public var isTraining = true

    /// PyTorch's initialization: every tensor uniform on ±1/√H, drawn from `rng` in the order
    /// weight_ih, weight_hh, bias_ih, bias_hh.
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, using rng: inout SplitMix64) {
        trapUnless(inputSize > 0 && hiddenSize > 0,
                   "GRUCell: inputSize (\(inputSize)) and hiddenSize (\(hiddenSize)) must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        weights = RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, gates: 3, bias: bias, using: &rng)
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { weights.named() }
    public var summaryName: String { "GRUCell(\(inputSize) → \(hiddenSize))" }

    /// The next hidden state for input `x` [N, I] and state `hidden` [N, H] (zeros if `nil`).
    public func callAsFunction(_ x: Tensor<Scalar>, hidden: Tensor<Scalar>? = nil,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        checkCellInput(summaryName, x, inputSize: inputSize, states: [("hidden", hidden)], hiddenSize: hiddenSize,
                       file: file, line: line)
        return gruStep(weights, x, hidden ?? Tensor.zeros([x.shape[0], hiddenSize]), hiddenSize: hiddenSize,
                       file: file, line: line)
    }
}

/// A GRU over a whole sequence, possibly stacked: the cell above applied at t = 0, 1, …, L−1,
/// each step's state feeding the next, and each layer's outputs feeding the layer above.
///
/// ```
/// input [L, N, I]  (or [N, L, I] with batchFirst)   →   output [L, N, H]: the top layer's h at every step
/// ```
/// Parameters per layer k: "weight_ih_lk" [3H, I or H], "weight_hh_lk" [3H, H], "bias_ih_lk",
/// "bias_hh_lk" [3H], gate order r, z, n — PyTorch's `nn.GRU` (without dropout between layers
/// or bidirectionality). Backpropagation through time is the chain rule through the unrolled
/// graph; the layer has no backward of its own.
public final class GRU<Scalar: TensorScalar>: CallSiteLayer {
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
                   "GRU: inputSize (\(inputSize)), hiddenSize (\(hiddenSize)) and numLayers (\(numLayers)) must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.batchFirst = batchFirst
        layers = (0..<numLayers).map { k in
            RecurrentWeights(inputSize: k == 0 ? inputSize : hiddenSize, hiddenSize: hiddenSize, gates: 3, bias: bias,
                             using: &rng)
        }
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] {
        layers.enumerated().flatMap { $0.element.named(suffix: "_l\($0.offset)") }
    }

    public var summaryName: String {
        "GRU(\(inputSize) → \(hiddenSize)\(numLayers > 1 ? ", \(numLayers) layers" : ""))"
    }

    /// The output sequence alone (for use in a `Sequential`).
    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        forward(input, file: file, line: line).output
    }

    /// The output sequence and the final hidden states, as PyTorch's `output, h_n`: hidden is
    /// [numLayers, N, H]. `initialHidden` (same shape) defaults to zeros.
    public func forward(_ input: Tensor<Scalar>, initialHidden: Tensor<Scalar>? = nil,
                        file: StaticString = #fileID, line: UInt = #line) -> (output: Tensor<Scalar>, hidden: Tensor<Scalar>) {
        if input.rank != 3 || input.shape[2] != inputSize || input.shape[batchFirst ? 1 : 0] == 0 {
            layerTrap(summaryName, "expects input \(batchFirst ? "[N, L" : "[L, N"), \(inputSize)] with L ≥ 1, "
                      + "got \(shapeText(input.shape))", file: file, line: line)
        }
        let sequence = batchFirst ? input.transpose(0, 1) : input
        let (length, batch) = (sequence.shape[0], sequence.shape[1])
        if let initialHidden, initialHidden.shape != [numLayers, batch, hiddenSize] {
            layerTrap(summaryName, "expects an initial hidden state [\(numLayers), \(batch), \(hiddenSize)], got "
                      + "\(shapeText(initialHidden.shape))", file: file, line: line)
        }
        var steps = (0..<length).map { sequence.slice(axis: 0, $0, $0 + 1).squeeze(0) }
        var finalHidden: [Tensor<Scalar>] = []
        for (k, weights) in layers.enumerated() {
            var h = initialHidden.map { $0.slice(axis: 0, k, k + 1).squeeze(0) } ?? .zeros([batch, hiddenSize])
            for t in 0..<length {
                h = gruStep(weights, steps[t], h, hiddenSize: hiddenSize, file: file, line: line)
                steps[t] = h
            }
            finalHidden.append(h)
        }
        let output = Tensor.stack(steps, axis: 0)
        return (batchFirst ? output.transpose(0, 1) : output, Tensor.stack(finalHidden))
    }
}
