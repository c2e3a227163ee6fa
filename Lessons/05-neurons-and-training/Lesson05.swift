// Lesson05.swift — the code that lesson 5's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson05+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/LessonKit/LessonRunner.swift.

import Engine
import LessonKit
import ScalarNN

enum Lesson05 {
    static let lesson = Lesson(id: 5, markdown: markdown, code: [
        "neuron": neuron, "network": network, "data": data, "train": train,
    ])

    static let neuron: StepCode = { out in
        // lesson-code: neuron
        let x1 = Value(2.0, label: "x1")
        let x2 = Value(0.0, label: "x2")
        let w1 = Value(-3.0, label: "w1")
        let w2 = Value(1.0, label: "w2")
        let b = Value(6.8813735870195432, label: "b")
        let n = x1 * w1 + x2 * w2 + b
        n.label = "n"
        let o = tanh(n)
        o.label = "o"
        out.print("n =", n.data, "   o = tanh(n) =", o.data)
        out.walkBackward(from: o, title: "o = tanh(x1·w1 + x2·w2 + b)")
        let byHand: Double = 2 * (1 - o.data * o.data)
        out.print("do/dw1 =", w1.grad!, "  by hand: x1·(1 − o²) =", byHand)
        // end lesson-code
    }

    static let network: StepCode = { out in
        // lesson-code: network
        var rng = SplitMix64(seed: 1337)
        let model = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
        out.print("layer sizes:", model.layerSizes.map { String($0) }.joined(separator: " → "))
        out.print("parameters: ", model.parameters.count, "  (2·16+16, 16·16+16, 16·1+1)")
        let score = model([Value(0.5), Value(-0.2)])[0]
        out.print("score for the point (0.5, -0.2):", score.data)
        out.print("nodes in that one score's graph:", score.topologicalOrder().count)
        // end lesson-code
    }

    static let data: StepCode = { out in
        // lesson-code: data
        let moons = TwoMoons(count: 100, noise: 0.1, seed: 1)
        out.print(moons.points.count, "points,", moons.labels.filter { $0 > 0 }.count, "labelled +1")
        out.boundary(points: moons.points, labels: moons.labels) { _, _ in -1 }
        // end lesson-code
    }

    static let train: StepCode = { out in
        // lesson-code: train
        let training = try MoonsTraining(count: 100, noise: 0.1, steps: 100)
        for checkpoint in [0, 5, 10, 25, 50, 100] {
            while training.stepsTaken < checkpoint {
                let report = training.step()!
                if report.step % 20 == 0 || report.step == 99 {
                    out.print("step", report.step, "  loss", report.loss, "  accuracy", report.accuracy)
                }
            }
            let score = { (x: Double, y: Double) in training.model.evaluate([x, y])[0] }
            out.plotBoundary(points: training.points, labels: training.labels,
                             title: "two moons after \(checkpoint) steps", score: score)
            if checkpoint == 0 || checkpoint == 100 {
                out.print("after", checkpoint, "steps:")
                out.boundary(points: training.points, labels: training.labels, classify: score)
            }
        }
        // end lesson-code
    }
}
