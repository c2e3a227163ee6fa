// Scalar.swift — your own small autograd scalar, given complete. You do not need to edit it.
//
// A `Scalar` holds a number, its gradient, the nodes it was made from, and a rule that says
// what it sends back to those inputs. The rules call the backward functions you write in
// Scalars.swift (tasks 1.1–1.4); the graph walk that calls the rules is yours too (1.5–1.7).
//
// Why a closure, when Lumen's `Value` stores its local derivatives as numbers? `Value`
// computes ∂out/∂input once, in the forward pass, and backward multiplies by the upstream
// gradient. Here the rule must be *your* backward function, called with the upstream gradient
// as its argument, so that tasks 1.1–1.4 are graded by what your functions return during a
// real backward pass, and so that an unfinished one (which throws) stops backward instead of
// the building of the graph. The arithmetic is the same: for `a · b` the closure returns
// (b · upstream, a · upstream), which is `Value`'s stored (b, a) times the upstream gradient.
//
// Read next: Scalars.swift.

import Foundation

/// A number that remembers how it was computed.
public final class Scalar: CustomStringConvertible {
    public let data: Double
    /// ∂root/∂self, filled in by `backward(_:)`. Starts at 0.
    public var grad: Double = 0
    /// The nodes this one was computed from (empty for a leaf).
    public let inputs: [Scalar]
    /// The operation's symbol, or "" for a leaf.
    public let op: String
    private let rule: (Double) throws -> [Double]

    /// A leaf: a number with no history.
    public init(_ data: Double) {
        self.data = data
        self.inputs = []
        self.op = ""
        self.rule = { _ in [] }
    }

    init(_ data: Double, op: String, inputs: [Scalar], rule: @escaping (_ upstream: Double) throws -> [Double]) {
        self.data = data
        self.op = op
        self.inputs = inputs
        self.rule = rule
    }

    /// What this node sends to each input when its own gradient is `upstream`:
    /// ∂self/∂inputᵢ × upstream, in the order of `inputs`.
    public func contributions(upstream: Double) throws -> [Double] {
        try rule(upstream)
    }

    public var description: String {
        "Scalar(\(op.isEmpty ? "" : op + ", ")data: \(data), grad: \(grad))"
    }
}

extension Scalar {
    public static func + (a: Scalar, b: Scalar) -> Scalar {
        Scalar(a.data + b.data, op: "+", inputs: [a, b]) { upstream in
            let (da, db) = addBackward(a.data, b.data, upstream: upstream)
            return [da, db]
        }
    }

    public static func * (a: Scalar, b: Scalar) -> Scalar {
        Scalar(a.data * b.data, op: "×", inputs: [a, b]) { upstream in
            let (da, db) = try mulBackward(a.data, b.data, upstream: upstream)
            return [da, db]
        }
    }

    public func pow(_ exponent: Double) -> Scalar {
        Scalar(Foundation.pow(data, exponent), op: "^", inputs: [self]) { [data] upstream in
            [try powBackward(data, exponent: exponent, upstream: upstream)]
        }
    }

    public func tanh() -> Scalar {
        let output = Foundation.tanh(data)
        return Scalar(output, op: "tanh", inputs: [self]) { upstream in
            [try tanhBackward(output: output, upstream: upstream)]
        }
    }

    public func exp() -> Scalar {
        let output = Foundation.exp(data)
        return Scalar(output, op: "exp", inputs: [self]) { upstream in
            [try expBackward(output: output, upstream: upstream)]
        }
    }
}
