// W3Digits.swift — W3: the MLP 64-128-64-10 on sklearn's digits, 20 epochs of batch 64,
// SGD with momentum 0.9 and lr 0.05 (WORKLOADS.md, W3). The same data, split, initial
// weights and batch orders as the peers, so the test accuracy (288/297) and the last
// epoch's loss (0.0293715) must come out the same. Timed: every epoch (gathering the
// batches, forward, loss, backward, update); reported per epoch.
//
// Read next: W4Synthetic.swift.

import Foundation
import Tensors

enum W3Digits {
    static let referenceAccuracy = 288.0 / 297.0
    static let referenceLoss = 0.0293715

    static func measure(dataPath: String) throws(BenchError) -> ResultLine {
        let data = try DigitsData.load(dataPath)
        let train = data.rows(data.permutation[..<1500]), test = data.rows(data.permutation[1500...])
        let x = try! Tensor<Float>(shape: [1500, 64], elements: train.pixels)
        let testX = try! Tensor<Float>(shape: [297, 64], elements: test.pixels)
        let model = WorkloadMLP(sizes: [64, 128, 64, 10], baseSeed: 300, learningRate: 0.05, momentum: 0.9)
        let orders = (0..<20).map { WorkloadRandom.epochOrder(seed: 3000 + UInt64($0), count: 1500) }

        var epochs: [(seconds: Double, cpuSeconds: Double, loss: Double)] = []
        for order in orders {
            epochs.append(trainEpoch(model, x: x, labels: train.labels, order: order, batchSize: 64))
        }
        let accuracy = model.accuracy(testX, labels: test.labels)
        let total = epochs.map(\.seconds).reduce(0, +)
        let loss = epochs.last!.loss
        var line = backendFields("W3")
        line["s_per_epoch"] = total / 20
        line["median_epoch_s"] = median(epochs.map(\.seconds))
        line["cpu_s_per_epoch"] = epochs.map(\.cpuSeconds).reduce(0, +) / 20
        line["ms_per_step"] = 1e3 * total / (20 * 24)
        line["test_acc"] = accuracy
        line["train_loss"] = loss
        line["check"] = abs(accuracy - referenceAccuracy) < 1e-9 && abs(loss - referenceLoss) < 1e-5 ? "ok" : "FAIL"
        return line
    }
}
