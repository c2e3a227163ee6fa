// Module.swift — what every part of a network has in common: parameters to train.
//
// A neuron, a layer and a whole MLP each own some `Value`s (weights and biases) that
// training adjusts. `parameters` lists them in a fixed order; `zeroGrad()` clears their
// gradients before the next backward pass, because leaves accumulate (see Engine's backward).
//
// Read next: Neuron.swift.

import Engine

/// Anything that owns trainable parameters.
public protocol Module {
    /// Every trainable `Value`, in a fixed order (for an MLP: micrograd's order, layer by
    /// layer, neuron by neuron, each neuron's weights and then its bias).
    var parameters: [Value] { get }
}

extension Module {
    /// Forgets the gradient of every parameter. Call it before each `backward()`.
    public func zeroGrad() {
        parameters.zeroGrad()
    }
}

/// What a neuron does to its weighted sum.
public enum Activation: Sendable, Hashable {
    /// `max(0, act)`: used by every hidden layer.
    case relu
    /// `act` unchanged: used by the output layer, so scores can be any real number.
    case linear
}
