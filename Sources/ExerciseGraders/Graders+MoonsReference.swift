// Graders+MoonsReference.swift — Lumen's own training of task 3.5's network, in plain Doubles.
//
// The grader of 3.5 starts the learner's training and this one from the same weights and
// compares the losses step by step. It is written out by hand (forward, backward, Adam) so
// that it shares no code with the learner's solution; GradingTests checks its gradients
// against Lumen's scalar engine.
//
// Read next: Graders+Training.swift.

import Foundation

enum MoonsReference {
    /// The mean cross-entropy of `network` on the points, and its gradient as a network.
    static func lossAndGradient(_ network: MoonsNetwork, points: [[Double]], labels: [Int]) -> (loss: Double, gradient: MoonsNetwork) {
        let h = network.hidden, n = points.count
        var gradient = MoonsNetwork(hidden: h, w1: Array(repeating: 0, count: 2 * h), b1: Array(repeating: 0, count: h),
                                    w2: Array(repeating: 0, count: 2 * h), b2: [0, 0])
        var loss = 0.0
        for (point, label) in zip(points, labels) {
            // Forward: z = W1·x + b1, a = tanh z, logits = W2·a + b2.
            let a = (0..<h).map { j in Foundation.tanh(network.b1[j] + network.w1[2 * j] * point[0] + network.w1[2 * j + 1] * point[1]) }
            let logits = (0..<2).map { c in (0..<h).reduce(network.b2[c]) { $0 + network.w2[c * h + $1] * a[$1] } }
            let top = max(logits[0], logits[1])
            let logSumExp = top + Foundation.log(Foundation.exp(logits[0] - top) + Foundation.exp(logits[1] - top))
            loss += (logSumExp - logits[label]) / Double(n)
            // Backward: dlogits = (softmax − onehot) / n, then through W2, tanh (1 − a²) and W1.
            let dLogits = (0..<2).map { c in (Foundation.exp(logits[c] - logSumExp) - (c == label ? 1 : 0)) / Double(n) }
            for c in 0..<2 {
                gradient.b2[c] += dLogits[c]
                for j in 0..<h { gradient.w2[c * h + j] += dLogits[c] * a[j] }
            }
            for j in 0..<h {
                let dz = (dLogits[0] * network.w2[j] + dLogits[1] * network.w2[h + j]) * (1 - a[j] * a[j])
                gradient.b1[j] += dz
                gradient.w1[2 * j] += dz * point[0]
                gradient.w1[2 * j + 1] += dz * point[1]
            }
        }
        return (loss, gradient)
    }

    /// `steps` full-batch Adam steps (β₁ 0.9, β₂ 0.999, ε 1e-8); the loss before each.
    static func train(_ network: inout MoonsNetwork, points: [[Double]], labels: [Int], steps: Int, learningRate: Double) -> [Double] {
        var moments = [network.w1, network.b1, network.w2, network.b2].map { (m: Array(repeating: 0.0, count: $0.count), v: Array(repeating: 0.0, count: $0.count)) }
        var losses: [Double] = []
        for t in 1...max(1, steps) where t <= steps {
            let (loss, g) = lossAndGradient(network, points: points, labels: labels)
            losses.append(loss)
            var parameters = [network.w1, network.b1, network.w2, network.b2]
            let gradients = [g.w1, g.b1, g.w2, g.b2]
            for k in parameters.indices {
                for i in parameters[k].indices {
                    moments[k].m[i] = 0.9 * moments[k].m[i] + 0.1 * gradients[k][i]
                    moments[k].v[i] = 0.999 * moments[k].v[i] + 0.001 * gradients[k][i] * gradients[k][i]
                    let mHat = moments[k].m[i] / (1 - Foundation.pow(0.9, Double(t)))
                    let vHat = moments[k].v[i] / (1 - Foundation.pow(0.999, Double(t)))
                    parameters[k][i] -= learningRate * mHat / (vHat.squareRoot() + 1e-8)
                }
            }
            (network.w1, network.b1, network.w2, network.b2) = (parameters[0], parameters[1], parameters[2], parameters[3])
        }
        return losses
    }
}
