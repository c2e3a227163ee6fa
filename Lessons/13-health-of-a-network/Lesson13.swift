// Lesson13.swift — the code that lesson 13's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson13+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Layers/Initialization.swift and ../../Sources/Layers/BatchNorm.swift, then ../14-a-character-model.

import Datasets
import Engine
import Foundation
import LessonKit
import Layers
import Optimizers
import Tensors

enum Lesson13 {
    static let lesson = Lesson(id: 13, markdown: markdown, code: [
        "bad": bad, "gradients": gradients, "kaiming": kaiming, "batchnorm": batchnorm, "ratio": ratio,
    ])

    static let bad: StepCode = { out in
        // lesson-code: bad
        let images = try digitBatch()                                   // 256 digits × 64 pixels
        var rng = SplitMix64(seed: 13)
        var x = images
        var layers: [(name: String, values: [Double])] = []
        for layer in 1...5 {
            let w = Tensor<Double>.randomNormal([64, 64], using: &rng)  // N(0, 1): no care taken
            x = x.matmul(w).tanh()
            let t = x.scalars
            out.print("layer \(layer):  mean \(num(mean(t)))  std \(num(std(t)))  saturated \(num(100 * saturatedShare(t))) %")
            layers.append(("layer \(layer)", t))
        }
        out.histograms(title: "tanh outputs per layer, weights N(0, 1)", xLabel: "activation", series: layers, low: -1, high: 1)
        // end lesson-code
    }

    /// Prints and draws the gradient that reaches each layer's tanh output.
    static func showGradients(_ tower: Tower, _ out: StepContext, title: String) throws {
        let (scores, activations) = tower(try digitBatch())
        let loss = try scores.crossEntropy(labels: try digitLabels())
        loss.backward()
        var series: [(name: String, values: [Double])] = []
        for (k, a) in activations.enumerated() {
            let g = a.grad!.scalars
            out.print("layer \(k + 1):  gradient std \(num(std(g)))")
            series.append(("layer \(k + 1)", g.map { $0 * 1000 }))
        }
        out.histograms(title: title, xLabel: "gradient × 1000", series: series, low: -4, high: 4)
    }

    static let gradients: StepCode = { out in
        // lesson-code: gradients
        let tower = Tower(scale: 1, batchNorm: false, seed: 13)        // step 1's network
        try showGradients(tower, out, title: "∂loss/∂activation per layer, weights N(0, 1)")
        // end lesson-code
    }

    static let kaiming: StepCode = { out in
        // lesson-code: kaiming
        let gain = 5.0 / 3.0                                            // tanh's gain
        let tower = Tower(scale: gain / 64.0.squareRoot(), batchNorm: false, seed: 13)
        let (_, activations) = tower(try digitBatch())
        for (k, a) in activations.enumerated() {
            let t = a.scalars
            out.print("layer \(k + 1):  mean \(num(mean(t)))  std \(num(std(t)))  saturated \(num(100 * saturatedShare(t))) %")
        }
        out.histograms(title: "tanh outputs per layer, Kaiming: N(0, 1) · (5/3)/√64", xLabel: "activation",
                       series: activations.enumerated().map { ("layer \($0 + 1)", $1.scalars) }, low: -1, high: 1)
        try showGradients(tower, out, title: "∂loss/∂activation per layer, Kaiming")
        // end lesson-code
    }

    static let batchnorm: StepCode = { out in
        // lesson-code: batchnorm
        let tower = Tower(scale: 1, batchNorm: true, seed: 13)         // the bad weights again
        let (_, activations) = tower(try digitBatch())
        for (k, a) in activations.enumerated() {
            let t = a.scalars
            out.print("layer \(k + 1):  mean \(num(mean(t)))  std \(num(std(t)))  saturated \(num(100 * saturatedShare(t))) %")
        }
        out.histograms(title: "tanh outputs per layer, N(0, 1) weights with BatchNorm", xLabel: "activation",
                       series: activations.enumerated().map { ("layer \($0 + 1)", $1.scalars) }, low: -1, high: 1)
        try showGradients(tower, out, title: "∂loss/∂activation per layer, BatchNorm")
        // end lesson-code
        // The picture of one normalized layer: matmul, then batchNorm's mean, variance and
        // scale, then tanh, each tensor a heat map.
        let small = Tower(scale: 1, batchNorm: true, seed: 13)
        let h = small.norms[0](try digitBatch().slice(axis: 0, 0, 8).matmul(small.hidden[0])).tanh()
        out.draw(h.sum(), title: "one layer: tanh(batchNorm(x · W₁)), 8 digits")
    }

    static let ratio: StepCode = { out in
        // lesson-code: ratio
        let (images, labels) = (try digitBatch(), try digitLabels())
        let learningRate = 0.1
        for (name, tower) in [("N(0, 1)", Tower(scale: 1, batchNorm: false, seed: 13)),
                              ("Kaiming", Tower(scale: (5.0 / 3.0) / 8, batchNorm: false, seed: 13)),
                              ("BatchNorm", Tower(scale: 1, batchNorm: true, seed: 13))] {
            let optimizer = try SGD(tower.parameters, learningRate: learningRate)
            var ratios = [[Double]](repeating: [], count: 5)            // per layer, per step
            var loss = 0.0
            for _ in 1...30 {
                optimizer.zeroGrad()
                let l = try tower(images).scores.crossEntropy(labels: labels)
                l.backward()
                for (k, w) in tower.hidden.enumerated() {
                    ratios[k].append(log10(std(w.grad!.scalars.map { learningRate * $0 }) / std(w.scalars)))
                }
                optimizer.step()
                loss = l.item()
            }
            let last = ratios.map { num($0.last!) }.joined(separator: "  ")
            out.print("\(name):  loss after 30 steps \(num(loss))   log₁₀(update/data) per layer: \(last)")
            out.plotLines(title: "log₁₀ update-to-data ratio per layer, \(name)", xLabel: "step", yLabel: "log₁₀(std(lr·grad) / std(W))",
                          series: ratios.enumerated().map { ("layer \($0 + 1)", (1...30).map(Double.init), $1) })
        }
        // end lesson-code
    }
}
