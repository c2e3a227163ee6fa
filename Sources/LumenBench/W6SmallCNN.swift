// W6SmallCNN.swift — W6: one training step of a small CNN on a batch of 64 28 × 28 images
// (WORKLOADS.md, W6): conv(1→8, 3×3) → ReLU → maxpool 2 → conv(8→16, 3×3) → ReLU →
// maxpool 2 → flatten (400) → linear(400→10), mean cross-entropy, backward; no update.
// Timed: 10 warm-up steps, then steps for at least 3 s (at least 50); the median step, and
// the median forward pass alone. The loss at these weights must be 2.29899.
//
// Read next: main.swift.

import Foundation
import Tensors

enum W6SmallCNN {
    static let referenceLoss = 2.29899

    static func measure() -> ResultLine {
        let x = try! Tensor<Float>(shape: [64, 1, 28, 28]) { elements in
            for i in elements.indices { elements[i] = WorkloadRandom.u24(6001, i) }
        }
        let labels = (0..<64).map { Int(WorkloadRandom.out(6002, $0) % 10) }
        // linear_init-style weights, fan_in = in_channels · 9 for the convolutions.
        func parameters(seed: UInt64, fanIn: Int, fanOut: Int, shape: [Int]) -> (Tensor<Float>, Tensor<Float>) {
            let (w, b) = WorkloadRandom.linearInit(seed: seed, fanIn: fanIn, fanOut: fanOut)
            return (try! Tensor(shape: shape, elements: w).requiringGrad(),
                    try! Tensor(shape: [fanOut], elements: b).requiringGrad())
        }
        let (w1, b1) = parameters(seed: 600, fanIn: 9, fanOut: 8, shape: [8, 1, 3, 3])
        let (w2, b2) = parameters(seed: 601, fanIn: 72, fanOut: 16, shape: [16, 8, 3, 3])
        let (w3, b3) = parameters(seed: 602, fanIn: 400, fanOut: 10, shape: [10, 400])
        let parameters = [w1, b1, w2, b2, w3, b3]

        func forward() -> Tensor<Float> {
            var h = x.conv2d(weight: w1, bias: b1).relu().maxPool2d(kernel: (2, 2))
            h = h.conv2d(weight: w2, bias: b2).relu().maxPool2d(kernel: (2, 2))
            return h.reshape([64, 400]).matmul(w3.transposed()) + b3
        }
        func step() -> Float {
            parameters.zeroGrad()
            let loss = try! forward().crossEntropy(labels: labels)
            loss.backward()
            return loss.item()
        }

        var loss: Float = 0
        for _ in 0..<10 { loss = step() }
        var steps: [Double] = []
        let start = monotonicSeconds(), cpuStart = processCPUSeconds()
        while steps.count < 50 || monotonicSeconds() - start < 3 {
            let t0 = monotonicSeconds()
            _ = step()
            steps.append(monotonicSeconds() - t0)
        }
        let cpuPerStep = (processCPUSeconds() - cpuStart) / Double(steps.count)
        var forwards: [Double] = []
        withoutGradients {
            for _ in 0..<10 { _ = forward() }
            let start = monotonicSeconds()
            while forwards.count < 50 || monotonicSeconds() - start < 1 {
                let t0 = monotonicSeconds()
                _ = forward()
                forwards.append(monotonicSeconds() - t0)
            }
        }
        var line = backendFields("W6")
        line["ms_per_step"] = 1e3 * median(steps)
        line["ms_best"] = 1e3 * steps.min()!
        line["cpu_ms_per_step"] = 1e3 * cpuPerStep
        line["steps"] = steps.count
        line["fwd_ms"] = 1e3 * median(forwards)
        line["loss"] = Double(loss)
        line["check"] = abs(Double(loss) - referenceLoss) < 1e-5 ? "ok" : "FAIL"
        return line
    }
}
