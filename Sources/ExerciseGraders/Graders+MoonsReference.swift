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
        // Plain loops over local arrays: the 3.5 sweep runs this 48,000 times in a debug build.
        let h = network.hidden, n = Double(points.count)
        let (w1, b1, w2, b2) = (network.w1, network.b1, network.w2, network.b2)
        var gw1 = Array(repeating: 0.0, count: 2 * h), gb1 = Array(repeating: 0.0, count: h)
        var gw2 = Array(repeating: 0.0, count: 2 * h), gb2 = [0.0, 0.0]
        var a = Array(repeating: 0.0, count: h)
        var loss = 0.0
        for (point, label) in zip(points, labels) {
            let (x0, x1) = (point[0], point[1])
            // Forward: z = W1·x + b1, a = tanh z, logits = W2·a + b2.
            var logit0 = b2[0], logit1 = b2[1]
            for j in 0..<h {
                a[j] = Foundation.tanh(b1[j] + w1[2 * j] * x0 + w1[2 * j + 1] * x1)
                logit0 += w2[j] * a[j]
                logit1 += w2[h + j] * a[j]
            }
            let top = max(logit0, logit1)
            let logSumExp = top + Foundation.log(Foundation.exp(logit0 - top) + Foundation.exp(logit1 - top))
            loss += (logSumExp - (label == 0 ? logit0 : logit1)) / n
            // Backward: dlogits = (softmax − onehot) / n, then through W2, tanh (1 − a²) and W1.
            let d0 = (Foundation.exp(logit0 - logSumExp) - (label == 0 ? 1 : 0)) / n
            let d1 = (Foundation.exp(logit1 - logSumExp) - (label == 1 ? 1 : 0)) / n
            gb2[0] += d0
            gb2[1] += d1
            for j in 0..<h {
                gw2[j] += d0 * a[j]
                gw2[h + j] += d1 * a[j]
                let dz = (d0 * w2[j] + d1 * w2[h + j]) * (1 - a[j] * a[j])
                gb1[j] += dz
                gw1[2 * j] += dz * x0
                gw1[2 * j + 1] += dz * x1
            }
        }
        return (loss, MoonsNetwork(hidden: h, w1: gw1, b1: gb1, w2: gw2, b2: gb2))
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
