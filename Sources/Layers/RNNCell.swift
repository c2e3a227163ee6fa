// RNNCell.swift — the plain recurrent cell h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), and the
// parameter set every recurrent layer here shares (PyTorch's names and initialization).
//
// Read next: LSTM.swift, the gated cell and the layer that unrolls it over a sequence.

import Basics
import Tensors

/// The four tensors of a recurrent cell with `gates` gates (1 for RNN, 4 for LSTM), named and
/// initialized as PyTorch's: weight_ih [gates·H, I], weight_hh [gates·H, H], bias_ih and
/// bias_hh [gates·H], all uniform on ±1/√H, drawn in that order.
struct RecurrentWeights<Scalar: TensorScalar> {
    let inputToHidden: Tensor<Scalar>
    let hiddenToHidden: Tensor<Scalar>
    let inputBias: Tensor<Scalar>?
    let hiddenBias: Tensor<Scalar>?

    init(inputSize: Int, hiddenSize: Int, gates: Int, bias: Bool, using rng: inout SplitMix64) {
        let bound = Initialization.kaimingUniformBound(fanIn: hiddenSize)
        inputToHidden = Initialization.uniform([gates * hiddenSize, inputSize], bound: bound, using: &rng)
        hiddenToHidden = Initialization.uniform([gates * hiddenSize, hiddenSize], bound: bound, using: &rng)
        inputBias = bias ? Initialization.uniform([gates * hiddenSize], bound: bound, using: &rng) : nil
        hiddenBias = bias ? Initialization.uniform([gates * hiddenSize], bound: bound, using: &rng) : nil
    }

    /// The parameters under PyTorch's names, with `suffix` appended ("_l0" in nn.LSTM).
    func named(suffix: String = "") -> [(name: String, tensor: Tensor<Scalar>)] {
        [("weight_ih" + suffix, inputToHidden), ("weight_hh" + suffix, hiddenToHidden)]
            + [inputBias.map { ("bias_ih" + suffix, $0) }, hiddenBias.map { ("bias_hh" + suffix, $0) }].compactMap { $0 }
    }

    /// b_ih + b_hh (add), or nil without biases: for a cell whose two biases always appear
    /// as a sum (the LSTM), added once per sequence instead of twice per step.
    func summedBias(file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar>? {
        guard let inputBias, let hiddenBias else { return nil }
        return Tensor.add(inputBias, hiddenBias, file: file, line: line)
    }

    /// x W_ihᵀ + b_ih + h W_hhᵀ + b_hh (matmul, add): every gate's pre-activation, [N, gates·H].
    func preActivations(_ x: Tensor<Scalar>, _ h: Tensor<Scalar>, file: StaticString, line: UInt) -> Tensor<Scalar> {
        var sum = x.matmul(inputToHidden.transposed(), file: file, line: line)
        if let inputBias { sum = Tensor.add(sum, inputBias, file: file, line: line) }
        sum = Tensor.add(sum, h.matmul(hiddenToHidden.transposed(), file: file, line: line), file: file, line: line)
        if let hiddenBias { sum = Tensor.add(sum, hiddenBias, file: file, line: line) }
        return sum
    }
}

/// Traps, naming the layer, unless `x` is [N, inputSize] and `h` (if given) is [N, hiddenSize].
func checkCellInput<Scalar>(_ layer: String, _ x: Tensor<Scalar>, inputSize: Int, states: [(String, Tensor<Scalar>?)],
                            hiddenSize: Int, file: StaticString, line: UInt) {
    if x.rank != 2 || x.shape[1] != inputSize {
        layerTrap(layer, "expects input [N, \(inputSize)], got \(shapeText(x.shape))", file: file, line: line)
    }
    for case let (name, state?) in states where state.shape != [x.shape[0], hiddenSize] {
        layerTrap(layer, "expects the \(name) state [\(x.shape[0]), \(hiddenSize)] for input \(shapeText(x.shape)), "
                  + "got \(shapeText(state.shape))", file: file, line: line)
    }
}

/// An Elman recurrent cell with tanh, one time step (composed: matmul, add, tanh):
///
/// ```
/// h' = tanh(x · W_ihᵀ + b_ih + h · W_hhᵀ + b_hh)       x: [N, I],  h, h': [N, H]
/// ```
/// Parameters "weight_ih" [H, I], "weight_hh" [H, H], "bias_ih" [H], "bias_hh" [H], as
/// PyTorch's `nn.RNNCell`. A `Module` rather than a `Layer`: it takes the state as well.
public final class RNNCell<Scalar: TensorScalar>: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    let weights: RecurrentWeights<Scalar>
    public var isTraining = true

    /// A cell with PyTorch's initialization: every tensor uniform on ±1/√H, drawn from `rng`
    /// in the order weight_ih, weight_hh, bias_ih, bias_hh.
    public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, using rng: inout SplitMix64) {
        trapUnless(inputSize > 0 && hiddenSize > 0,
                   "RNNCell: inputSize (\(inputSize)) and hiddenSize (\(hiddenSize)) must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        weights = RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, gates: 1, bias: bias, using: &rng)
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { weights.named() }
    public var summaryName: String { "RNNCell(\(inputSize) → \(hiddenSize))" }

    /// The next hidden state for input `x` [N, I] and state `hidden` [N, H] (zeros if `nil`).
    public func callAsFunction(_ x: Tensor<Scalar>, hidden: Tensor<Scalar>? = nil,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        checkCellInput(summaryName, x, inputSize: inputSize, states: [("hidden", hidden)], hiddenSize: hiddenSize,
                       file: file, line: line)
        let h = hidden ?? Tensor.zeros([x.shape[0], hiddenSize])
        return weights.preActivations(x, h, file: file, line: line).tanh()
    }
}
