// Lesson09.swift — the code that lesson 9's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson09+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Tensors/NN/Tensor+Softmax.swift and Tensor+Losses.swift (the real ones).

import Foundation
import LessonKit
import Tensors

enum Lesson09 {
    static let lesson = Lesson(id: 9, markdown: markdown, code: [
        "probabilities": probabilities, "overflow": overflow, "stable": stable,
        "logProbabilities": logProbabilities, "crossEntropy": crossEntropy, "binary": binary,
    ])

    static let probabilities: StepCode = { out in
        // lesson-code: probabilities
        let logits = [2.0, 1.0, 0.1]
        let exps = logits.map { Foundation.exp($0) }
        let total = exps.reduce(0, +)
        let probabilities = exps.map { $0 / total }
        out.print("by hand:", probabilities.map { num($0) }.joined(separator: ", "))
        out.print("Lumen:  ", Tensor<Double>(logits).softmax().scalars.map { num($0) }.joined(separator: ", "))
        out.print("they add up to", probabilities.reduce(0, +))
        // end lesson-code
    }

    static let overflow: StepCode = { out in
        // lesson-code: overflow
        let big = [1000.0, 999.0, 998.1]
        let exps = big.map { Foundation.exp($0) }
        out.print("e^1000 =", exps[0])
        let total = exps.reduce(0, +)
        out.print("naive softmax:", exps.map { num($0 / total) }.joined(separator: ", "))
        out.print("largest Double:", Double.greatestFiniteMagnitude)
        let score: Float = 89
        out.print("in Float, e^89 =", Foundation.exp(score))
        // end lesson-code
    }

    static let stable: StepCode = { out in
        // lesson-code: stable
        let big = [1000.0, 999.0, 998.1]
        let m = big.max()!
        let shifted = big.map { $0 - m }
        let exps = shifted.map { Foundation.exp($0) }
        let total = exps.reduce(0, +)
        out.print("shifted scores:", shifted.map { num($0) }.joined(separator: ", "))
        out.print("stable softmax:", exps.map { num($0 / total) }.joined(separator: ", "))
        out.print("Lumen's softmax:", Tensor<Double>(big).softmax().scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
    }

    static let logProbabilities: StepCode = { out in
        // lesson-code: logProbabilities
        let scores = [0.0, -800.0]
        let p = Tensor<Double>(scores).softmax().scalars
        out.print("softmax:       ", p.map { num($0) }.joined(separator: ", "))
        out.print("log of softmax:", p.map { num(Foundation.log($0)) }.joined(separator: ", "))
        out.print("logSoftmax:    ", Tensor<Double>(scores).logSoftmax().scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
    }

    static let crossEntropy: StepCode = { out in
        // lesson-code: crossEntropy
        func softmaxByHand(_ x: [Double]) -> [Double] {
            let m = x.max()!
            let e = x.map { Foundation.exp($0 - m) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
        let rows: [[Double]] = [[2, 1, 0.1], [0.5, 2.5, -1]]
        let labels = [0, 2]
        let logits = try Tensor<Double>(rows: rows, requiresGrad: true)
        let loss = try logits.crossEntropy(labels: labels)
        loss.backward()
        let p = rows.map(softmaxByHand)
        let byHand = -(Foundation.log(p[0][0]) + Foundation.log(p[1][2])) / 2
        out.print("loss:", loss.item(), "   by hand:", byHand)
        for n in 0..<2 {
            let gradient = (0..<3).map { num(logits.grad![n, $0]) }.joined(separator: ", ")
            let expected = (0..<3).map { num((p[n][$0] - ($0 == labels[n] ? 1 : 0)) / 2) }.joined(separator: ", ")
            out.print("row \(n) gradient:", gradient, "   (p − onehot)/2:", expected)
        }
        // end lesson-code
        // The picture: the loss walked backward one node at a time; the gradient that reaches
        // the logits is (p − onehot)/2, row by row, as printed above.
        let logits2 = try Tensor<Double>(rows: rows, requiresGrad: true)
        logits2.label = "logits"
        out.walkBackward(from: try logits2.crossEntropy(labels: labels), title: "crossEntropy(logits, labels [0, 2])")
    }

    static let binary: StepCode = { out in
        // lesson-code: binary
        let x: Float = 40
        let sigma = 1 / (1 + Foundation.exp(-x))
        out.print("σ(40) in Float:", sigma, "   1 − σ(40):", 1 - sigma)
        out.print("naive loss for label 0:", -Foundation.log(1 - sigma))
        let stable = Tensor<Float>([40]).binaryCrossEntropy(logitsAgainst: Tensor<Float>([0]))
        out.print("stable loss for label 0:", stable.item())
        // end lesson-code
    }
}
