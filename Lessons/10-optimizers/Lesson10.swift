// Lesson10.swift — the code that lesson 10's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson10+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Optimizers/1-SGD.swift and 2-Adam.swift (the real ones).

import LessonKit
import Optimizers
import Tensors

enum Lesson10 {
    static let lesson = Lesson(id: 10, markdown: markdown, code: [
        "valley": valley, "race": race,
    ])

    static let valley: StepCode = { out in
        // lesson-code: valley
        let p = Tensor<Double>([-8, 2], requiresGrad: true)
        let loss = (p * p * Tensor<Double>([0.01, 1])).sum()
        loss.backward()
        out.print("loss at (-8, 2):", loss.item())
        out.print("gradient:", p.grad!.scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
        // The picture: the valley's loss and its gradient at (-8, 2).
        p.label = "p"
        out.draw(loss, title: "loss = Σ p² ⊙ [0.01, 1] at p = (-8, 2)", detail: .values)
    }

    static let race: StepCode = { out in
        // lesson-code: race
        func descend(_ make: (Tensor<Double>) throws -> any Optimizer<Double>) throws -> (losses: [Double], xs: [Double], ys: [Double]) {
            let p = Tensor<Double>([-8, 2], requiresGrad: true)
            let optimizer = try make(p)
            var losses: [Double] = [], xs = [-8.0], ys = [2.0]
            for _ in 0..<60 {
                optimizer.zeroGrad()
                let loss = (p * p * Tensor<Double>([0.01, 1])).sum()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
                xs.append(p[0])
                ys.append(p[1])
            }
            losses.append(0.01 * xs.last! * xs.last! + ys.last! * ys.last!)
            return (losses, xs, ys)
        }
        let runs = [
            ("SGD", try descend { try SGD([$0], learningRate: 0.4) }),
            ("momentum", try descend { try SGD([$0], learningRate: 0.4, momentum: 0.9) }),
            ("Adam", try descend { try Adam([$0], learningRate: 0.3) }),
        ]
        for (name, run) in runs {
            out.print(name + ":", "loss after 60 steps", num(run.losses.last!), "  at", num(run.xs.last!), num(run.ys.last!))
        }
        out.plotLines(title: "loss per step", xLabel: "step", yLabel: "loss",
                      series: runs.map { ($0.0, (0...60).map(Double.init), $0.1.losses) }, logarithmicY: true)
        out.plotLines(title: "paths through the valley (start at -8, 2)", xLabel: "x", yLabel: "y",
                      series: runs.map { ($0.0, $0.1.xs, $0.1.ys) })
        // end lesson-code
    }
}
