// Graders+LumenTensors.swift — a second oracle for tier 2: Lumen's own n-d `Tensor`.
//
// Tasks 2.4, 2.6 and 2.7 are what Lumen's Tensors do inside: broadcasting's backward, the
// matmul backward, and a stable logsumexp. Besides the scalar engine, their graders ask the
// real Tensor autograd for the same numbers, so a learner's answer agrees with the framework
// they will use next.
//
// Read next: Graders+Training.swift.

import Tensors

enum LumenTensors {
    /// A leaf tensor of `shape`; the shapes come from the graders, so they always fit.
    static func leaf(_ elements: [Double], _ shape: [Int]) -> Tensor<Double> {
        // The element count always equals the shape's product here, so this cannot throw.
        try! Tensor(shape: shape, elements: elements, requiresGrad: true)
    }

    /// ∂/∂a of Σ upstream ⊙ broadcast(a) for `a` of shape `small` broadcast to `big`.
    static func broadcastGradient(_ a: [Double], from small: [Int], to big: [Int], upstream: [Double]) -> [Double] {
        let x = leaf(a, small)
        let out = x + Tensor<Double>(repeating: 0, shape: big)
        out.backward(gradient: try! Tensor(shape: big, elements: upstream))
        return x.grad!.scalars
    }

    /// (dA, dB) of Σ upstream ⊙ (A·B).
    static func matmulGradients(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, upstream: [Double]) -> ([Double], [Double]) {
        let x = leaf(a, [m, k]), y = leaf(b, [k, n])
        x.matmul(y).backward(gradient: try! Tensor(shape: [m, n], elements: upstream))
        return (x.grad!.scalars, y.grad!.scalars)
    }

    /// logsumexp of a vector.
    static func logSumExp(_ x: [Double]) -> Double {
        leaf(x, [x.count]).logsumexp(axis: 0).item()
    }
}
