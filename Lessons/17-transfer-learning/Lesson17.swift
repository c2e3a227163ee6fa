// Lesson17.swift — the code that lesson 17's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson17+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Training/Trainer+Transfer.swift (`lumen train --init-from --freeze`).

import Checkpoints
import Engine
import LessonKit
import Layers
import Synchronization
import Tensors

enum Lesson17 {
    static let lesson = Lesson(id: 17, markdown: markdown, code: [
        "reuse": reuse, "scratch": scratch, "frozen": frozen, "all": all, "curves": curves,
    ])

    /// How long each of the three runs trains, and how often it is validated.
    static let steps = 30

    /// The three runs' curves, kept for the last step's pictures, in the order they ran.
    static let store = Mutex<[(name: String, curve: Curve)]>([])
    static var runs: [(name: String, curve: Curve)] { store.withLock { $0 } }

    /// Keeps the curve of the run `name`, replacing an earlier one of that name.
    static func keep(_ name: String, _ curve: Curve) {
        store.withLock { runs in
            runs.removeAll { $0.name == name }
            runs.append((name, curve))
        }
    }

    static let reuse: StepCode = { out in
        // lesson-code: reuse
        var rng = SplitMix64(seed: 17)
        let pretrained = Transfer.digitsCNN(using: &rng)                // random weights, replaced by
        try Checkpoint.load(try Transfer.pretrainedPath(), into: pretrained)   // the shipped ones, head included
        let task = try MirrorTask()
        let upright = try Transfer.evaluate(pretrained, task.uprightInputs, task.validationLabels)
        let mirror = try Transfer.evaluate(pretrained, task.validationInputs, task.validationLabels)
        out.print("pre-trained, upright test digits:", num(100 * upright.accuracy), "%")
        out.print("pre-trained, mirrored test digits:", num(100 * mirror.accuracy), "%")
        out.print("training examples per digit:", (0..<10).map { d in task.trainLabels.filter { $0 == d }.count }.map(String.init).joined(separator: " "))
        out.shadedGrids([2, 3, 4, 7].map { digit in
            let k = task.trainLabels.firstIndex(of: digit)!
            return ShadedGrid(title: "a \(digit) in the mirror", rowLabels: (0..<8).map(String.init), columnLabels: (0..<8).map(String.init),
                              values: (0..<8).map { r in (0..<8).map { c in Double(task.trainInputs[k, 0, r, c]) } })
        }, title: "four of the 100 training pictures")
        // end lesson-code
    }

    static let scratch: StepCode = { out in
        // lesson-code: scratch
        var rng = SplitMix64(seed: 17)
        let model = Transfer.digitsCNN(using: &rng)                    // every weight fresh
        let curve = try MirrorTask().train(model, steps: steps)
        out.print("from scratch, validation accuracy by step:", curve.accuracy.map { num($0) }.joined(separator: " "))
        keep("from scratch", curve)
        // end lesson-code
    }

    static let frozen: StepCode = { out in
        // lesson-code: frozen
        var rng = SplitMix64(seed: 17)
        let model = Transfer.body(using: &rng)
        try Checkpoint.load(try Transfer.pretrainedPath(), into: model, strict: false)   // 0.*, 3.*, 7.*; the file's head (9.*) is left out
        model.append(Linear(in: 64, out: 10, using: &rng))           // a fresh head, layer 9
        var frozenCount = 0
        for (name, weight) in model.namedParameters where name.hasPrefix("0.") || name.hasPrefix("3.") {
            weight.requiresGrad = false                                 // what `lumen train --freeze 0 3` does
            frozenCount += weight.count
        }
        let before = model.parameters.filter { !$0.requiresGrad }.map(\.scalars)
        let curve = try MirrorTask().train(model, steps: steps)
        out.print("frozen:", frozenCount, "of", model.parameters.map(\.count).reduce(0, +), "parameters")
        let moved = zip(before, model.parameters.filter { !$0.requiresGrad }.map(\.scalars))
            .flatMap { zip($0, $1).map { abs($0 - $1) } }.max()!
        out.print("largest change of a frozen weight:", num(Double(moved)))
        out.print("frozen convolutions, validation accuracy by step:", curve.accuracy.map { num($0) }.joined(separator: " "))
        keep("convolutions frozen", curve)
        // end lesson-code
    }

    static let all: StepCode = { out in
        // lesson-code: all
        var rng = SplitMix64(seed: 17)
        let model = Transfer.body(using: &rng)
        try Checkpoint.load(try Transfer.pretrainedPath(), into: model, strict: false)
        model.append(Linear(in: 64, out: 10, using: &rng))
        let curve = try MirrorTask().train(model, steps: steps)        // every weight trains
        out.print("fine-tuned, validation accuracy by step:", curve.accuracy.map { num($0) }.joined(separator: " "))
        keep("all fine-tuned", curve)
        // end lesson-code
    }

    static let curves: StepCode = { out in
        // A learner who starts at this step has not trained the three models yet: train them
        // now, quietly, in the order of the steps above.
        for (name, step) in [("from scratch", scratch), ("convolutions frozen", frozen), ("all fine-tuned", all)]
        where !runs.contains(where: { $0.name == name }) {
            try step(StepContext(frames: nil))
        }
        let stored = Lesson17.runs
        let runs = ["from scratch", "convolutions frozen", "all fine-tuned"].map { name in stored.first { $0.name == name }! }
        // lesson-code: curves
        out.plotLines(title: "validation accuracy on the mirrored digits (100 training examples)", xLabel: "step", yLabel: "accuracy (%)",
                      series: runs.map { ($0.name, $0.curve.steps, $0.curve.accuracy) })
        out.plotLines(title: "validation loss on the mirrored digits", xLabel: "step", yLabel: "cross-entropy",
                      series: runs.map { ($0.name, $0.curve.steps, $0.curve.loss) })
        for (name, curve) in runs {
            out.print("\(name):  after 10 steps \(num(curve.accuracy[2])) %,  after \(steps) steps \(num(curve.accuracy.last!)) %  (loss \(num(curve.loss.last!)))")
        }
        let scratch = runs[0].curve.accuracy
        for (name, curve) in runs.dropFirst() {
            out.print("gap, \(name) − from scratch:  \(num(curve.accuracy[2] - scratch[2])) points after 10 steps,",
                      "\(num(curve.accuracy.last! - scratch.last!)) after \(steps)")
        }
        // end lesson-code
    }
}
