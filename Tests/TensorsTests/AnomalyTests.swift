// AnomalyTests.swift — anomaly detection finds the op that made the first NaN or ±∞: in the
// forward pass (the earliest node with a non-finite value and finite inputs) and in backward
// (the first pullback that turns a finite gradient into a non-finite one). The expected ops
// are worked out by hand from the maths: log(−1) is NaN, √x has derivative 1/(2√x), ∞ at 0.

import Foundation
import Tensors
import Testing

@Suite struct AnomalyTests {
    @Test func forwardNamesTheFirstOpNotTheOnesAfterIt() throws {
        let x = Tensor<Double>([1, -1, 2], requiresGrad: true)
        x.label = "x"
        let logged = x.log()               // NaN at −1: the culprit
        let loss = (logged * 2).exp().sum()   // NaN carried on: not reported
        let anomaly = try #require(loss.firstForwardAnomaly())
        #expect(anomaly.phase == .forward)
        #expect(anomaly.nodeID == logged.id)
        #expect(anomaly.op == "log")
        #expect(anomaly.nanCount == 1 && anomaly.infiniteCount == 0)
        #expect(anomaly.shape == [3])
        #expect(anomaly.description == "forward: op 'log' (node \(logged.id)) produced 1 NaN value(s) of shape [3] from finite inputs")
    }

    @Test func aNonFiniteLeafIsReportedAsTheSource() throws {
        let w = Tensor<Double>([1, .infinity], requiresGrad: true)
        w.label = "w"
        let loss = (w * 3).sum()
        let anomaly = try #require(loss.firstForwardAnomaly())
        #expect(anomaly.nodeID == w.id && anomaly.op == nil && anomaly.label == "w" && anomaly.infiniteCount == 1)
    }

    @Test func aFiniteGraphHasNoAnomalyAndBackwardMatchesPlainBackward() throws {
        let a = Tensor<Double>([0.5, 2, 3], requiresGrad: true)
        let b = Tensor<Double>([0.5, 2, 3], requiresGrad: true)
        #expect((a.log() * a).sum().firstForwardAnomaly() == nil)
        #expect((a.log() * a).sum().backwardDetectingAnomaly() == nil)
        (b.log() * b).sum().backward()
        // d/dx (x log x) = log x + 1, by hand.
        #expect(a.grad!.scalars == b.grad!.scalars)
        for (gradient, x) in zip(a.grad!.scalars, [0.5, 2, 3]) { #expect(abs(gradient - (Foundation.log(x) + 1)) < 1e-12) }
    }

    @Test func backwardNamesThePullbackThatMadeTheInfinity() throws {
        let x = Tensor<Double>([0, 4], requiresGrad: true)
        let root = x.sqrt()                // forward: 0 and 2, finite
        let loss = (root * 3).sum()
        #expect(loss.firstForwardAnomaly() == nil)
        let anomaly = try #require(loss.backwardDetectingAnomaly())
        #expect(anomaly.phase == .backward)
        #expect(anomaly.nodeID == root.id)
        #expect(anomaly.op == "sqrt")
        #expect(anomaly.inputIndex == 0)
        #expect(anomaly.infiniteCount == 1 && anomaly.nanCount == 0)
        #expect(anomaly.description.hasPrefix("backward: the derivative of op 'sqrt' (node \(root.id)) produced 1 infinite gradient"))
    }

    @Test func anUpdateThatBlowsAParameterUpIsNamed() throws {
        let finite = Tensor<Float>([1, 2])
        let blown = Tensor<Float>([.nan, 1, .infinity])
        blown.label = "0.weight"
        #expect(TensorAnomaly.update(of: [finite], by: "adam") == nil)
        let anomaly = try #require(TensorAnomaly.update(of: [finite, blown], by: "adam"))
        #expect(anomaly.phase == .update && anomaly.nodeID == blown.id && anomaly.nanCount == 1 && anomaly.infiniteCount == 1)
        #expect(anomaly.description == "update: the adam's step made the parameter '0.weight' (node \(blown.id), shape [3]) "
                + "hold 1 NaN and 1 infinite value(s); its gradient was finite")
    }
}
