// MLPWorkload.swift — the training loop W3 and W4 share (WORKLOADS.md): an MLP of Linear
// layers with ReLU between them, initialised by `linear_init`, trained with softmax
// cross-entropy and SGD with momentum in PyTorch's form (v ← μ·v + g, then p ← p − lr·v),
// one epoch at a time in the order `epoch_order` gives. The model and the optimizer are
// Lumen's own (Layers, Optimizers), as a user would write them.
//
// Read next: W3Digits.swift and W4Synthetic.swift, which feed it their data.

import Layers
import Optimizers
import Tensors

/// Linear(sizes[0], sizes[1]) → ReLU → … → Linear(…, sizes.last): Layers' `Linear` (whose
/// `seed:` initializer is `linear_init`) in a `Sequential`, trained by Optimizers' `SGD`.
final class WorkloadMLP {
    let model: Sequential<Float>
    let optimizer: SGD<Float>

    /// Layer l starts from `linear_init(baseSeed + l, sizes[l], sizes[l + 1])`.
    init(sizes: [Int], baseSeed: UInt64, learningRate: Double, momentum: Double) {
        var layers: [any Layer<Float>] = []
        for l in 0..<(sizes.count - 1) {
            layers.append(Linear<Float>(in: sizes[l], out: sizes[l + 1], seed: baseSeed + UInt64(l)))
            if l < sizes.count - 2 { layers.append(ReLU<Float>()) }
        }
        model = Sequential(layers)
        optimizer = try! SGD(model.parameters, learningRate: learningRate, momentum: momentum)
    }

    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { model(x) }

    /// The share of rows of `x` whose largest logit is at their label.
    func accuracy(_ x: Tensor<Float>, labels: [Int]) -> Double {
        let logits = withoutGradients { self(x) }.scalars
        let classes = logits.count / labels.count
        let correct = labels.indices.filter { row in
            let scores = logits[(row * classes)..<((row + 1) * classes)]
            return scores.indices.max { scores[$0] < scores[$1] }! - row * classes == labels[row]
        }.count
        return Double(correct) / Double(labels.count)
    }
}

/// One epoch of minibatch training: for each slice of `order`, gather the rows, forward,
/// cross-entropy, backward, update. Returns the wall and CPU time and the mean loss (each batch's
/// mean loss weighted by its size, taken before its update).
func trainEpoch(_ model: WorkloadMLP, x: Tensor<Float>, labels: [Int], order: [Int], batchSize: Int)
    -> (seconds: Double, cpuSeconds: Double, loss: Double) {
    let start = monotonicSeconds(), cpuStart = processCPUSeconds()
    var total = 0.0
    for first in stride(from: 0, to: order.count, by: batchSize) {
        let rows = Array(order[first..<min(first + batchSize, order.count)])
        let batch = x.indexSelect(axis: 0, rows)
        let loss = try! model(batch).crossEntropy(labels: rows.map { labels[$0] })
        model.optimizer.zeroGrad()
        loss.backward()
        model.optimizer.step()
        total += Double(loss.item()) * Double(rows.count)
    }
    return (monotonicSeconds() - start, processCPUSeconds() - cpuStart, total / Double(order.count))
}
