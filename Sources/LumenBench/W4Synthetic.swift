// W4Synthetic.swift — W4: the MLP 784-256-128-10 for one epoch over 60,000 synthetic
// MNIST-shaped rows, batch 128, SGD with momentum 0.9 and lr 0.01 (WORKLOADS.md, W4). The
// rows are SplitMix64 numbers and the labels come from a fixed random linear "teacher", so
// every port trains on the same data; the checks are WORKLOADS.md's data checksums, the
// epoch loss 2.2714 ± 0.0002 and a test accuracy in 0.353–0.357. Timed: the epoch.
//
// Read next: W5MatMul.swift.

import Foundation
import Tensors

enum W4Synthetic {
    static let features = 784, classes = 10

    /// Rows X[k, j] = u24(seed, k·784 + j) and labels argmax_c Σ_j (X[k, j] − ½)·T[j, c],
    /// computed in Double, with the teacher T[j, c] = 2·u64(4002, j·10 + c) − 1, and Σ X in
    /// Double (a check value). The rows are written straight into the tensor, so the data is
    /// in memory once (W4's peak memory is compared with PyTorch's).
    static func data(seed: UInt64, rows: Int) -> (x: Tensor<Float>, labels: [Int], total: Double) {
        let teacher = (0..<(features * classes)).map { 2 * WorkloadRandom.u64(4002, $0) - 1 }
        var labels: [Int] = []
        labels.reserveCapacity(rows)
        var total = 0.0
        let x = try! Tensor<Float>(shape: [rows, features]) { elements in
            var scores = [Double](repeating: 0, count: classes)
            for k in 0..<rows {
                for c in 0..<classes { scores[c] = 0 }
                for j in 0..<features {
                    let value = WorkloadRandom.u24(seed, k * features + j)
                    elements[k * features + j] = value
                    total += Double(value)
                    let centered = Double(value) - 0.5
                    for c in 0..<classes { scores[c] += centered * teacher[j * classes + c] }
                }
                // The first largest, as numpy's argmax.
                labels.append(scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!)
            }
        }
        return (x, labels, total)
    }

    static func measure() -> ResultLine {
        let (x, labels, total) = data(seed: 4001, rows: 60_000)
        let (testX, testLabels, _) = data(seed: 4003, rows: 10_000)
        // WORKLOADS.md's checks of the data itself.
        let head = (0..<4).map { x[0, $0] }
        let dataOK = head == [0.63785559, 0.30302531, 0.58159822, 0.69686234].map { Float($0) }
            && abs(total - 23518081.14212787) < 1e-3 && labels.prefix(10) == [4, 9, 8, 5, 6, 7, 2, 9, 3, 2]
        let model = WorkloadMLP(sizes: [784, 256, 128, 10], baseSeed: 400, learningRate: 0.01, momentum: 0.9)
        let order = WorkloadRandom.epochOrder(seed: 4000, count: 60_000)

        let epoch = trainEpoch(model, x: x, labels: labels, order: order, batchSize: 128)
        let accuracy = model.accuracy(testX, labels: testLabels)
        var line = backendFields("W4")
        line["s_per_epoch"] = epoch.seconds
        line["ms_per_step"] = 1e3 * epoch.seconds / 469
        line["cpu_s_per_epoch"] = epoch.cpuSeconds
        line["test_acc"] = accuracy
        line["train_loss"] = epoch.loss
        line["data_check"] = dataOK ? "ok" : "FAIL"
        line["maxrss_mb"] = peakResidentMegabytes()
        let trained = abs(epoch.loss - 2.2714) <= 2e-4 && (0.353...0.357).contains((accuracy * 1e4).rounded() / 1e4)
        line["check"] = dataOK && trained ? "ok" : "FAIL"
        return line
    }
}
