// Lesson17+Text.swift — the text of lesson 17, in Markdown: transfer learning. The shipped
// pre-trained digits-cnn, a new task with only 100 labelled examples (the digits in a mirror),
// training from scratch against starting from the pre-trained weights, with the convolutions
// frozen or with everything fine-tuned, and the curves and the gap measured.
// Read next: Lesson17.swift.

extension Lesson17 {
    static let markdown = #"""
    # Transfer learning: a trained network, a new task

    Lesson 12's network learned the digits from 1,500 labelled pictures. Labels are the
    expensive part of a data set: someone has to look at each picture. Suppose a new task comes
    with only 100 of them. A network trained from nothing on 100 pictures has little to learn
    from. But a network already trained on a related task has learned things worth keeping:
    its first convolutions find strokes and edges, and those look the same in any picture of
    handwriting. **Transfer learning** starts the new training from those weights.

    ## A model that already reads digits, and a new task

    Lumen ships one trained model, `Pretrained/digits-cnn.safetensors`: the `digits-cnn`
    recipe (conv 3×3 ×16, relu, pool, conv 3×3 ×32, relu, pool, 128 → 64, relu, 64 → 10)
    trained for 30 epochs on the 1,500 training digits. `Checkpoint.load` copies its tensors,
    by name, into a model of the same layers.

    The new task: the same digits **seen in a mirror** (each row of pixels reversed). The
    labels are still 0 to 9, but a mirrored 2 or 7 is a shape the model never saw. We get 100
    labelled mirrored pictures, the first 10 of each digit in the training split, and validate
    on the 297 test pictures, mirrored, which no model here ever trains on.

    ```swift
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
    ```
    <!-- run: reuse -->

    On its own task the model is right on 99.3 % of the test digits (295 of 297). On the mirrored ones it
    falls to 44.4 %: some digits (0, 1, 8) look the same in a mirror, most do not. It
    has to learn the new task; the question is where to start.

    ## From scratch

    The baseline: the same layers with fresh random weights, trained on the 100 mirrored
    pictures. Each step uses all 100 (a batch is the whole set), with Adam at learning rate
    0.01 as in lesson 12, for 30 steps; every 5 steps the model is measured on the 297
    validation pictures. The loop is lesson 12's, written once in `MirrorTask.train`
    (Lesson17+Transfer.swift), so the three runs differ only in where they start.

    ```swift
    var rng = SplitMix64(seed: 17)
    let model = Transfer.digitsCNN(using: &rng)                    // every weight fresh
    let curve = try MirrorTask().train(model, steps: steps)
    out.print("from scratch, validation accuracy by step:", curve.accuracy.map { num($0) }.joined(separator: " "))
    keep("from scratch", curve)
    ```
    <!-- run: scratch -->

    ## Frozen convolutions and a new head

    Now start from the shipped weights, with two changes. The last layer, the **head**, maps the
    64 features to the old task's 10 classes; it is the most task-specific part, so it is
    replaced by a fresh `Linear(64 → 10)`: `Checkpoint.load(…, strict: false)` loads the body's
    tensors and skips the file's head. And the two convolutions are **frozen**: their
    `requiresGrad` is set to false, so backward computes no gradient for them and Adam never
    moves them. What stays trainable is the 128 → 64 layer and the new head. This is what
    `lumen train digits-cnn --init-from Pretrained/digits-cnn.safetensors --freeze 0 3` does
    (Trainer+Transfer.swift).

    ```swift
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
    ```
    <!-- run: frozen -->

    The frozen weights are the 16·1·9 + 16 and 32·16·9 + 32 numbers of the two
    convolutions: 4,800 of the model's 13,706. After training they are exactly as the file had
    them. Freezing also makes each step cheaper: no gradient flows back into the first
    layers.

    ## Fine-tuning everything

    The third run starts from the same place (shipped body, fresh head) but lets every weight
    train, so the convolutions may adapt to mirrored strokes too.

    ```swift
    var rng = SplitMix64(seed: 17)
    let model = Transfer.body(using: &rng)
    try Checkpoint.load(try Transfer.pretrainedPath(), into: model, strict: false)
    model.append(Linear(in: 64, out: 10, using: &rng))
    let curve = try MirrorTask().train(model, steps: steps)        // every weight trains
    out.print("fine-tuned, validation accuracy by step:", curve.accuracy.map { num($0) }.joined(separator: " "))
    keep("all fine-tuned", curve)
    ```
    <!-- run: all -->

    ## The curves, and the gap

    ```swift
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
    ```
    <!-- run: curves -->

    The two runs that start from the shipped weights are far ahead at first. After 10 steps both
    are right on 89.9 % of the mirrored test digits, against 82.2 % from scratch: a gap of 7.7
    points, bought with no extra labels. The fresh head starts out guessing (3.0 % at step 0,
    as good as random), yet 5 steps are enough for it to read the shipped features. On this small and easy task, training from
    scratch then catches up most of the way: after 30 steps it reaches 91.9 %, against 93.3 %
    with the convolutions frozen and 93.6 % with everything fine-tuned, gaps of 1.3 and 1.7
    points. Transfer helps most when labels, or time, are scarcest.

    The loss curves add a warning. Fine-tuning everything ends with the highest validation loss
    of the three, though its accuracy is the best: with all 13,706 weights free and only 100
    examples, it grows very sure of its answers, including the wrong ones. Freezing the
    convolutions leaves 8,906 weights to train, and it ends with the lowest loss.

    ## What to remember

    > Features learned on one task carry over to a related one. With few labels, start from a
    > trained network: keep its body, give it a new head, and train. Freezing the early layers
    > keeps what they learned and trains fewer weights; fine-tuning everything lets them adapt.
    > Measure both against training from scratch, on data none of them trained on.
    """#
}
