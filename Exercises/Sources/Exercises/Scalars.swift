// Scalars.swift — Tier 1: backward rules, the graph walk, and a numerical gradient.
//
// Grade with `swift test --filter Task1_` (or `lumen grade 1.1`). The graders build random
// expressions from your `Scalar` and from Lumen's `Value`, and compare gradients.
//
// Read next: Tensors.swift (tier 2).

import ExerciseKit
import Foundation

// MARK: - Worked example: the backward of addition
//
// out = a + b. Nudging a by ε moves out by ε, so ∂out/∂a = 1, and likewise ∂out/∂b = 1.
// The chain rule multiplies each local derivative by the gradient arriving from above
// (`upstream` = ∂root/∂out), so each input receives `1 × upstream`.

/// out = a + b:  returns (∂out/∂a · upstream, ∂out/∂b · upstream) = (upstream, upstream).
public func addBackward(_ a: Double, _ b: Double, upstream: Double) -> (Double, Double) {
    (1 * upstream, 1 * upstream)
}

/// out = a · b:  returns (∂out/∂a · upstream, ∂out/∂b · upstream).
public func mulBackward(_ a: Double, _ b: Double, upstream: Double) throws -> (Double, Double) {
    // TODO(Task 1.1): return what a and b receive from out = a · b.
    throw Unimplemented("Task 1.1")
}

/// out = xⁿ for a constant n:  returns ∂out/∂x · upstream.
public func powBackward(_ x: Double, exponent: Double, upstream: Double) throws -> Double {
    // TODO(Task 1.2): return what x receives from out = x^exponent.
    throw Unimplemented("Task 1.2")
}

/// out = tanh x, given `output` = tanh x:  returns ∂out/∂x · upstream.
public func tanhBackward(output: Double, upstream: Double) throws -> Double {
    // TODO(Task 1.3): return what x receives from out = tanh(x), using only the output.
    throw Unimplemented("Task 1.3")
}

/// out = eˣ, given `output` = eˣ:  returns ∂out/∂x · upstream.
public func expBackward(output: Double, upstream: Double) throws -> Double {
    // TODO(Task 1.4): return what x receives from out = exp(x), using only the output.
    throw Unimplemented("Task 1.4")
}

/// Every node `root` depends on, each exactly once and after all of its inputs; the root last.
public func topologicalOrder(_ root: Scalar) throws -> [Scalar] {
    // TODO(Task 1.5): list every node after its inputs, each once, the root last.
    throw Unimplemented("Task 1.5")
}

/// Fills in ∂root/∂node for every node. Assumes every grad starts at 0 (see `zeroGrad`).
public func backward(_ root: Scalar) throws {
    // TODO(Task 1.6): seed the root with 1, then send gradients back, accumulating with +=.
    throw Unimplemented("Task 1.6")
}

/// Sets the gradient of every node `root` depends on, the root included, back to 0.
public func zeroGrad(_ root: Scalar) throws {
    // TODO(Task 1.7): reset grad to 0 on every node of the graph.
    throw Unimplemented("Task 1.7")
}

/// ∂f/∂xᵢ at `point` for every i, by central differences: (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h.
public func numericalGradient(of f: ([Double]) -> Double, at point: [Double], step: Double = 1e-6) throws -> [Double] {
    // TODO(Task 1.8): estimate each partial derivative with a central difference.
    throw Unimplemented("Task 1.8")
}
