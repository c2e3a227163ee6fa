// Layer+CallSite.swift — how a layer's shape mistake names the line that called it, and the
// wording of that trap.
//
// Read next: Initialization.swift, then Linear.swift.

import Basics
import Tensors

/// A layer whose programmer errors (an input of the wrong rank or shape) trap with a message
/// naming the layer, the shapes and the caller's file and line.
///
/// `Layer` asks only for `callAsFunction(_:)`. These layers also take the caller's `#fileID`
/// and `#line`, as every Tensors op does, so `linear(x)` written in a model reports the
/// model's line.
///
/// Conforming types implement `callAsFunction(_:file:line:)` with `#fileID`/`#line` defaults;
/// the `Layer` requirement `callAsFunction(_:)` comes from the extension. A direct call on the
/// concrete type (`linear(x)`) picks the defaulted version and so records the caller's line.
public protocol CallSiteLayer<Scalar>: Layer {
    func callAsFunction(_ input: Tensor<Scalar>, file: StaticString, line: UInt) -> Tensor<Scalar>
}

extension CallSiteLayer {
    /// The `Layer` requirement, for calls through `any Layer` (a `Sequential` passes its own
    /// caller's site on instead; see `Sequential.callAsFunction`).
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        callAsFunction(input, file: #fileID, line: #line)
    }
}

/// Applies `layer` to `input`, handing the caller's site to a `CallSiteLayer` so that a trap
/// deep inside a model still names the line that called the model.
func apply<Scalar>(_ layer: any Layer<Scalar>, _ input: Tensor<Scalar>,
                   file: StaticString, line: UInt) -> Tensor<Scalar> {
    if let traced = layer as? any CallSiteLayer<Scalar> {
        return traced.callAsFunction(input, file: file, line: line)
    }
    return layer(input)
}

/// The text of a layer's programmer-error trap:
///
/// ```
/// Linear(3 → 2): expects input [..., 3], got [4, 5] (called from Model.swift:12)
/// ```
/// Separate from `layerTrap` so that tests can read the wording without trapping.
func layerTrapMessage(_ layer: String, _ problem: String, file: StaticString, line: UInt) -> String {
    "\(layer): \(problem) (called from \(file):\(line))"
}

/// Stops the program with `layerTrapMessage`, reported at the caller's line (with `fatalError`,
/// whose message optimized builds keep; see Tensors' `shapeTrap`).
func layerTrap(_ layer: String, _ problem: String, file: StaticString, line: UInt) -> Never {
    fatalError(layerTrapMessage(layer, problem, file: file, line: line), file: file, line: line)
}

/// A shape as the messages print it: `[2, 3]` (Basics' `describe`, the same as Tensors').
func shapeText(_ shape: [Int]) -> String {
    describe(shape)
}
