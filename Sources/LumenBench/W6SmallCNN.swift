// W6SmallCNN.swift — W6: one training step of a small CNN on a batch of 64 28 × 28 images
// (WORKLOADS.md, W6): conv(1→8, 3×3) → ReLU → maxpool 2 → conv(8→16, 3×3) → ReLU →
// maxpool 2 → flatten (400) → linear(400→10), mean cross-entropy, backward; no update.
// Timed: 10 warm-up steps, then steps for at least 3 s (at least 50); the median step, and
// the median forward pass alone. The loss at these weights must be 2.29899.
// `blas_bound_ms`: the time bare `cblas_sgemm` calls take for the products one step runs
// (`gemmShapes`, Docs/performance.md "Session 7"), timed after every 10 steps; `blas_share`:
// each round's bound ÷ the median of its 10 steps, the median over rounds ("Session 8");
// `blas_share_best_bound`: the best bound of the run ÷ the median step (session 7's figure).
//
// Read next: main.swift.

import Foundation
import Tensors
#if BLAS
import COpenBLAS
#endif

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
        var steps: [Double] = [], cpuSeconds = 0.0
        // Rounds of 10 steps, each followed by one timing of the bound's products: the machine's
        // speed drifts within seconds here, and a round's bound and steps see the same speed.
        var rounds: [(bound: Double, step: Double)] = []
        let start = monotonicSeconds()
        while steps.count < 50 || monotonicSeconds() - start < 3 {
            var round: [Double] = []
            let cpuStart = processCPUSeconds()
            for _ in 0..<10 {
                let t0 = monotonicSeconds()
                _ = step()
                round.append(monotonicSeconds() - t0)
            }
            cpuSeconds += processCPUSeconds() - cpuStart
            steps += round
            if Backends.processDefault == .blas, let bound = blasBound(repeats: 2) {
                rounds.append((bound, median(round)))
            }
        }
        let cpuPerStep = cpuSeconds / Double(steps.count)
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
        if !rounds.isEmpty {
            line["blas_bound_ms"] = 1e3 * median(rounds.map(\.bound))
            line["blas_share"] = median(rounds.map { $0.bound / $0.step })
            // Session 7's figure: the best bound of all rounds against the median of all steps.
            line["blas_share_best_bound"] = rounds.map(\.bound).min()! / median(steps)
        }
        return line
    }

    /// The products one W6 step hands to `gemm`, as Lumen's code runs them. conv2d multiplies
    /// the kernels [O, C·9] by each image's columns [C·9, P] (P = OH·OW), one product per image
    /// (Tensor+Convolution.swift, matmul's batch loop); matmul's pullback gives, per image,
    /// ∂kernels = upstream [O, P] · columnsᵀ and ∂columns = kernelsᵀ · upstream [O, P]
    /// (MatMul.swift). The first conv's ∂columns is never computed: the input needs no
    /// gradient (PyTorch skips it too). The linear layer: y = h · Wᵀ, ∂W = (∂yᵀ · h) laid out
    /// like W (MatMul+GradientLayout.swift), ∂h = ∂y · W.
    static let gemmShapes: [GemmShape] = [
        // conv 1→8 on 28 × 28: K = 9, P = 26 · 26 = 676
        GemmShape(transposeA: false, transposeB: false, m: 8, n: 676, k: 9, lda: 9, ldb: 676, count: 64),
        GemmShape(transposeA: false, transposeB: true, m: 8, n: 9, k: 676, lda: 676, ldb: 676, count: 64),
        // conv 8→16 on 13 × 13: K = 72, P = 11 · 11 = 121
        GemmShape(transposeA: false, transposeB: false, m: 16, n: 121, k: 72, lda: 72, ldb: 121, count: 64),
        GemmShape(transposeA: false, transposeB: true, m: 16, n: 72, k: 121, lda: 121, ldb: 121, count: 64),
        GemmShape(transposeA: true, transposeB: false, m: 72, n: 121, k: 16, lda: 72, ldb: 121, count: 64),
        // linear 400 → 10 on 64 rows
        GemmShape(transposeA: false, transposeB: true, m: 64, n: 10, k: 400, lda: 400, ldb: 400, count: 1),
        GemmShape(transposeA: true, transposeB: false, m: 10, n: 400, k: 64, lda: 10, ldb: 400, count: 1),
        GemmShape(transposeA: false, transposeB: false, m: 64, n: 400, k: 10, lda: 10, ldb: 400, count: 1),
    ]

    /// The seconds bare `cblas_sgemm` calls take for `gemmShapes`, each shape timed on its own
    /// (its `count` calls in a row, best of `repeats`), on buffers allocated once; the sum.
    /// nil without the BLAS trait.
    static func blasBound(repeats: Int) -> Double? {
        bareSgemmSeconds(gemmShapes, repeats: repeats)
    }
}
