// Neuron.swift — one neuron: a weighted sum of the inputs, plus a bias, then an activation.
//
//     act = ((b + w₀·x₀) + w₁·x₁) + … + wₙ₋₁·xₙ₋₁          out = relu(act)   or   out = act
//
// The sum starts from the bias and adds one product at a time, the order micrograd's
// `sum((wi*xi for wi, xi in zip(self.w, x)), self.b)` uses. So a neuron with n inputs adds
// n `×` nodes, n `+` nodes and (if it is not linear) one `relu` node to the graph: the
// counts that ../shared/bench/WORKLOADS.md (W1) gives for micrograd.
//
// Read next: Layer.swift.

import Basics
import Engine

/// A single neuron with `n` weights and a bias.
public struct Neuron: Module {
    /// One weight per input, wᵢ.
    public let weights: [Value]
    /// The bias b: where the weighted sum starts.
    public let bias: Value
    /// `.relu` for hidden neurons, `.linear` for output neurons.
    public let activation: Activation

    /// A fresh neuron: each weight drawn uniformly from [-1, 1) by `rng` (in order w₀, w₁, …),
    /// and the bias 0, as micrograd initializes it.
    public init(inputs: Int, activation: Activation = .relu, rng: inout SplitMix64,
                file: StaticString = #fileID, line: UInt = #line) {
        trapUnless(inputs >= 1, "Neuron(inputs: \(inputs)): a neuron needs at least one input",
                   file: file, line: line)
        var weights: [Value] = []
        weights.reserveCapacity(inputs)
        for _ in 0..<inputs {
            weights.append(Value(rng.nextUniform(-1, 1)))
        }
        // `Value(0.0 as Double)`, not `Value(0)`: a bare literal would be a constant
        // (`Value.isConstant`), and the bias is a parameter.
        self.init(weights: weights, bias: Value(0.0 as Double), activation: activation)
    }

    /// A neuron made of the given parameter values (shared, not copied): training this neuron
    /// changes them.
    public init(weights: [Value], bias: Value, activation: Activation = .relu) {
        self.weights = weights
        self.bias = bias
        self.activation = activation
    }

    /// The number of inputs the neuron expects.
    public var inputCount: Int { weights.count }

    /// The weights, then the bias.
    public var parameters: [Value] { weights + [bias] }

    /// The neuron's output as a graph: `act = ((b + w₀·x₀) + w₁·x₁) + …`, then the activation.
    public func callAsFunction(_ x: [Value], file: StaticString = #fileID, line: UInt = #line) -> Value {
        trapUnless(x.count == weights.count,
                   "Neuron: called with \(x.count) inputs, but it has \(weights.count) weights",
                   file: file, line: line)
        var act = bias
        for i in weights.indices {
            act = act + weights[i] * x[i]
        }
        switch activation {
        case .relu: return act.relu()
        case .linear: return act
        }
    }

    /// The same output as plain numbers, without building a graph (for predictions and
    /// plots). The arithmetic is done in the same order, so the result is bit for bit the
    /// `data` of `callAsFunction`.
    public func evaluate(_ x: [Double], file: StaticString = #fileID, line: UInt = #line) -> Double {
        trapUnless(x.count == weights.count,
                   "Neuron.evaluate: called with \(x.count) inputs, but it has \(weights.count) weights",
                   file: file, line: line)
        var act = bias.data
        for (w, xi) in zip(weights, x) {
            act = act + w.data * xi
        }
        switch activation {
        case .relu: return act > 0 ? act : 0
        case .linear: return act
        }
    }
}
