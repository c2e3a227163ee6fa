// MLPWorkload.swift — the training loop W3 and W4 share (WORKLOADS.md): an MLP of Linear
// layers with ReLU between them, initialised by `linear_init`, trained with softmax
// cross-entropy and SGD with momentum in PyTorch's form (v ← μ·v + g, then p ← p − lr·v),
// one epoch at a time in the order `epoch_order` gives.
//
// Read next: W3Digits.swift and W4Synthetic.swift, which feed it their data.

import Engine
import Tensors

/// Linear(sizes[0], sizes[1]) → ReLU → … → Linear(…, sizes.last), on Tensors ops:
/// each layer is y = x·Wᵀ + b with W stored [out, in] (PyTorch's layout; Wᵀ is a view, which
/// gemm reads transposed without a copy).
final class WorkloadMLP {
    let weights: [Tensor<Float>]
    let biases: [Tensor<Float>]
    private let velocities: [Tensor<Float>]

    /// Layer l starts from `linear_init(baseSeed + l, sizes[l], sizes[l + 1])`.
    init(sizes: [Int], baseSeed: UInt64) {
        var weights: [Tensor<Float>] = [], biases: [Tensor<Float>] = []
        for l in 0..<(sizes.count - 1) {
            let (w, b) = WorkloadRandom.linearInit(seed: baseSeed + UInt64(l), fanIn: sizes[l], fanOut: sizes[l + 1])
            weights.append(try! Tensor(shape: [sizes[l + 1], sizes[l]], elements: w).requiringGrad())
            biases.append(try! Tensor(shape: [sizes[l + 1]], elements: b).requiringGrad())
        }
        self.weights = weights
        self.biases = biases
        velocities = (weights + biases).map { Tensor.zeros($0.shape) }
    }

    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
        var h = x
        for l in weights.indices {
            h = h.matmul(weights[l].transposed()) + biases[l]
            if l < weights.count - 1 { h = h.relu() }
        }
        return h
    }

    /// v ← momentum·v + ∂loss/∂p, then p ← p − lr·v, for every parameter; then forgets the
    /// gradients.
    func update(learningRate: Float, momentum: Float) {
        withoutGradients {
            for (parameter, velocity) in zip(weights + biases, velocities) {
                guard let gradient = parameter.grad else { continue }
                velocity.assign(velocity * momentum + gradient)
                parameter.assign(parameter - velocity * learningRate)
                parameter.zeroGrad()
            }
        }
    }

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
/// cross-entropy, backward, update. Returns the wall time and the mean loss (each batch's
/// mean loss weighted by its size, taken before its update).
func trainEpoch(_ model: WorkloadMLP, x: Tensor<Float>, labels: [Int], order: [Int], batchSize: Int,
                learningRate: Float, momentum: Float) -> (seconds: Double, loss: Double) {
    let start = monotonicSeconds()
    var total = 0.0
    for first in stride(from: 0, to: order.count, by: batchSize) {
        let rows = Array(order[first..<min(first + batchSize, order.count)])
        let batch = x.indexSelect(axis: 0, rows)
        let loss = try! model(batch).crossEntropy(labels: rows.map { labels[$0] })
        loss.backward()
        model.update(learningRate: learningRate, momentum: momentum)
        total += Double(loss.item()) * Double(rows.count)
    }
    return (monotonicSeconds() - start, total / Double(order.count))
}
