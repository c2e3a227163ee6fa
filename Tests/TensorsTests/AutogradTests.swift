// AutogradTests.swift — backward's bookkeeping: accumulation, zeroGrad, detach, the no-grad
// scope, the graph's nodes, and the step-by-step pass.

import Testing
import Engine
@testable import Tensors

@Suite struct AutogradTests {
    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
        (x * x).sum().backward()                     // ∂/∂x = 2x
        #expect(x.grad!.scalars == [2, 4, 6])
        (x * x).sum().backward()
        #expect(x.grad!.scalars == [4, 8, 12])
        [x].zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func nonScalarBackwardTakesAnExplicitGradient() {
        let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
        (x * 3).backward(gradient: Tensor([1, 10, 100]))
        #expect(x.grad!.scalars == [3, 30, 300])
    }

    @Test func detachStopsGradients() {
        let x = Tensor<Double>([2, 3], requiresGrad: true)
        let y = x * x.detach()                        // treats the second factor as a constant
        y.sum().backward()
        #expect(x.grad!.scalars == [2, 3])
        #expect(x.detach().isLeaf && !x.detach().requiresGrad)
    }

    @Test func noGradScopeRecordsNothing() {
        let x = Tensor<Double>([1, 2], requiresGrad: true)
        let y = withoutGradients { (x * 2).exp() }
        #expect(y.op == nil && y.inputs.isEmpty && !y.requiresGrad)
        #expect((x * 2).op == .mul)                   // back on outside the scope
    }

    /// The no-grad flag is task-local: turning it off in one task leaves another recording.
    @Test func noGradScopeIsTaskLocal() async {
        async let quiet: Bool = withoutGradients {
            (0..<200).allSatisfy { _ in (Tensor<Double>([1], requiresGrad: true) * 2).op == nil }
        }
        async let recording: Bool = (0..<200).allSatisfy { _ in
            (Tensor<Double>([1], requiresGrad: true) * 2).op == .mul
        }
        let (a, b) = await (quiet, recording)
        #expect(a && b)
    }

    @Test func constantsDoNotRecord() {
        let y = Tensor<Double>([1, 2]) * Tensor([3, 4])
        #expect(y.op == nil && !y.requiresGrad)
    }

    @Test func graphNodesExposeOpInputsAndIDs() {
        let a = Tensor<Double>([1, 2], requiresGrad: true)
        let b = Tensor<Double>([3, 4], requiresGrad: true)
        let c = (a * b).sum()
        #expect(c.op == .sum && c.shape == [])
        let product = c.inputs[0]
        #expect(product.op == .mul && product.inputs.map(\.id) == [a.id, b.id])
        #expect(a.id < b.id && b.id < product.id && product.id < c.id)
        #expect(c.topologicalOrder().map(\.id) == [a.id, b.id, product.id, c.id])
        c.backward()
        #expect(product.grad!.scalars == [1, 1])
    }

    /// Stepping through the pass gives the same gradients as backward(), node by node.
    @Test func stepByStepPassMatchesBackward() {
        func build() -> (Tensor<Double>, Tensor<Double>, Tensor<Double>) {
            let w = Tensor<Double>([0.5, -1, 2], requiresGrad: true)
            let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
            return (w, x, (w * x).tanh().sum())
        }
        let (w1, x1, loss1) = build()
        loss1.backward()
        let (w2, x2, loss2) = build()
        var pass = TensorBackwardPass(from: loss2)
        var opsVisited: [Primitive] = []
        #expect(pass.remaining.first === loss2)
        while let step = pass.next() {
            opsVisited.append(step.node.op!)
            #expect(step.contributions.count == step.node.inputs.count)
            #expect(step.upstream.shape == step.node.shape)
        }
        #expect(opsVisited == [.sum, .tanh, .mul])
        #expect(w2.grad!.scalars == w1.grad!.scalars && x2.grad!.scalars == x1.grad!.scalars)
        // And against the scalar engine: ∂/∂w_i tanh(w·x summed) = x_i (1 − tanh²(w_i x_i)).
        for i in 0..<3 {
            let w = Value(w1[i]), x = Value(x1[i])
            (w * x).tanh().backward()
            #expect(Swift.abs(w1.grad![i] - w.grad!) < 1e-15)
        }
    }

    /// Backward computes no gradient for a constant input: its contribution is nil.
    @Test func constantsGetNoContribution() {
        let w = Tensor<Double>([1, 2], requiresGrad: true)
        let data = Tensor<Double>([3, 4])
        var pass = TensorBackwardPass(from: (w * data).sum())
        _ = pass.next()                                // sum
        let mulStep = pass.next()!
        #expect(mulStep.node.op == .mul)
        #expect(mulStep.contributions[0]?.scalars == [3, 4] && mulStep.contributions[1] == nil)
        #expect(data.grad == nil)
    }

    @Test func leafGradientsDoNotAliasOtherNodes() {
        let x = Tensor<Double>([1, 2], requiresGrad: true)
        let y = x + 0
        y.sum().backward()
        #expect(x.grad!.storage !== y.grad!.storage)
    }
}

@Suite struct DeepGraphTests {
    /// A 100 000-op chain: backward is iterative, and releasing the graph unlinks it in a
    /// loop (Tensor.deinit). Without that loop, releasing such a chain overflowed the stack
    /// (measured in a standalone program).
    @Test func longChainBackwardAndRelease() {
        let x = Tensor<Double>([1], requiresGrad: true)
        do {
            var y = x
            for _ in 0..<100_000 { y = y * 1.00001 }
            y.sum().backward()
        }
        // ∂/∂x of x · c^n is c^n.
        #expect(Swift.abs(x.grad!.item() - Foundation.pow(1.00001, 100_000)) < 1e-9)
    }
}

import Foundation
