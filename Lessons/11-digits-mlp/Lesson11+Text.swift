// Lesson11+Text.swift — the text of lesson 11, in Markdown: an MLP that reads handwritten
// digits: the data, the loop with batches, evaluation, and overfitting. Read next: Lesson11.swift.

extension Lesson11 {
    static let markdown = #"""
    # Training an MLP on digits

    Everything from the last lessons, on real data: 1,797 handwritten digits, each a small
    8 × 8 picture. A network of two `Linear` layers learns to tell them apart in a few seconds.
    On the way we meet what every real training run has: batches, epochs, a test set, and the
    moment a network starts memorising instead of learning.

    ## The data

    Each example is 64 pixels, scaled from 0 (blank) to 1 (full ink), and a label 0 to 9. The
    examples are split once into 1,500 for **training** and 297 for **testing**: the network
    never learns from the test set, so its accuracy there tells us how it does on digits it has
    never seen.

    ```swift
    let split = try InMemoryDataset<Float>.digitsSplit()
    out.print("training examples:", split.train.count, "   test examples:", split.test.count)
    let shades = Array(" .:-=+*#%@")
    let pixels = split.train.features[0..<64]
    for row in 0..<8 {
        out.print("   " + (0..<8).map { String(shades[Int(pixels[pixels.startIndex + row * 8 + $0] * 9)]) }.joined())
    }
    out.print("label:", split.train.labels[0])
    ```
    <!-- run: data -->

    ## A network, and the loss before training

    The model maps 64 pixels to 32 hidden numbers (relu), then to 10 scores, one per digit.
    `Sequential` calls its layers in order; each `Linear` holds a weight matrix and a bias.
    Before any training the scores are small and nearly equal, so softmax gives each digit
    about 1/10, and lesson 9's cross-entropy is about −log(1/10) = log 10 ≈ 2.3.

    ```swift
    let split = try InMemoryDataset<Float>.digitsSplit()
    var rng = SplitMix64(seed: 11)
    let model = Sequential<Float>(Linear<Float>(in: 64, out: 32, using: &rng), ReLU<Float>(), Linear<Float>(in: 32, out: 10, using: &rng))
    out.print("parameters:", model.parameters.map { $0.scalars.count }.reduce(0, +), "  (64·32 + 32 + 32·10 + 10)")
    let inputs = try Tensor<Float>(shape: [split.train.count, 64], elements: split.train.features)
    let loss = try model(inputs).crossEntropy(labels: split.train.labels)
    out.print("loss before training:", Double(loss.item()), "   log 10 =", log(10.0))
    ```
    <!-- run: model -->

    The picture is the forward pass on every training image: each box is one tensor, its
    numbers shrunk to a heat map of at most 8 × 8 cells (red above zero, blue below).

    ## The loop: epochs and batches

    One pass over the training set is an **epoch**. Within it, the examples come in
    **batches** of 32, in a fresh shuffled order each epoch: each batch gives a cheap, noisy
    estimate of the gradient, and the optimizer (Adam, lesson 10) takes one step per batch.
    After each epoch we **evaluate**: scores for the whole test set, no gradients needed, and
    the fraction where the highest score is the right digit.

    ```swift
    let split = try InMemoryDataset<Float>.digitsSplit()
    var rng = SplitMix64(seed: 11)
    let model = Sequential<Float>(Linear<Float>(in: 64, out: 32, using: &rng), ReLU<Float>(), Linear<Float>(in: 32, out: 10, using: &rng))
    let optimizer = try Adam(model.parameters, learningRate: 0.01)
    let loader = try DataLoader(split.train, batchSize: 32, ordering: .shuffled(seed: 11))
    let testInputs = try Tensor<Float>(shape: [split.test.count, 64], elements: split.test.features)
    func testAccuracy() -> Double {
        let scores = withoutGradients { model(testInputs) }
        let guesses = (0..<split.test.count).map { r in (0..<10).max { scores[r, $0] < scores[r, $1] }! }
        return Double(zip(guesses, split.test.labels).filter { $0 == $1 }.count) / Double(split.test.count)
    }
    var epochLosses: [Double] = []
    for epoch in 1...5 {
        var total = 0.0
        for batch in loader.batches(epoch: epoch) {
            optimizer.zeroGrad()
            let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
            loss.backward()
            optimizer.step()
            total += Double(loss.item())
        }
        epochLosses.append(total / Double(loader.batchCount))
        out.print("epoch \(epoch):  mean training loss", num(epochLosses.last!), "  test accuracy", num(testAccuracy()))
    }
    out.plotLines(title: "mean training loss per epoch", xLabel: "epoch", yLabel: "loss",
                  series: [("training", (1...5).map(Double.init), epochLosses)])
    ```
    <!-- run: loop -->

    Five passes over 1,500 small pictures, 235 optimizer steps, and most test digits, ones the
    network has never seen, are read correctly.

    ## Overfitting

    Now give a larger network only 100 training examples and many epochs. It can drive the
    training loss towards 0 by memorising those 100 pictures, pixel quirks and all. The test
    set shows what that is worth: test accuracy stalls well below training accuracy, and the
    test loss stops falling, then rises, as the network grows ever more confident on digits it
    merely memorised. That gap is **overfitting**; more data, a smaller network, or stopping
    early are the usual cures.

    ```swift
    let split = try InMemoryDataset<Float>.digitsSplit()
    let small = try split.train.subset(0..<100)
    var rng = SplitMix64(seed: 12)
    let model = Sequential<Float>(Linear<Float>(in: 64, out: 64, using: &rng), ReLU<Float>(), Linear<Float>(in: 64, out: 10, using: &rng))
    let optimizer = try Adam(model.parameters, learningRate: 0.01)
    let trainInputs = try Tensor<Float>(shape: [small.count, 64], elements: small.features)
    let testInputs = try Tensor<Float>(shape: [split.test.count, 64], elements: split.test.features)
    func accuracy(_ scores: Tensor<Float>, _ labels: [Int]) -> Double {
        let guesses = (0..<labels.count).map { r in (0..<10).max { scores[r, $0] < scores[r, $1] }! }
        return Double(zip(guesses, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
    var trainLosses: [Double] = [], testLosses: [Double] = []
    for epoch in 1...100 {
        optimizer.zeroGrad()
        let loss = try model(trainInputs).crossEntropy(labels: small.labels)
        loss.backward()
        optimizer.step()
        let testScores = withoutGradients { model(testInputs) }
        trainLosses.append(Double(loss.item()))
        testLosses.append(Double(try testScores.crossEntropy(labels: split.test.labels).item()))
        if epoch % 25 == 0 {
            let trainAccuracy = accuracy(withoutGradients { model(trainInputs) }, small.labels)
            out.print("epoch \(epoch):  training accuracy", num(trainAccuracy), "  test accuracy", num(accuracy(testScores, split.test.labels)))
        }
    }
    out.print("lowest test loss at epoch", testLosses.indices.min { testLosses[$0] < testLosses[$1] }! + 1, "of 100")
    out.plotLines(title: "100 training examples: loss per epoch", xLabel: "epoch", yLabel: "loss",
                  series: [("training", (1...100).map(Double.init), trainLosses), ("test", (1...100).map(Double.init), testLosses)],
                  logarithmicY: true)
    ```
    <!-- run: overfit -->

    ## What to remember

    > Train on batches, evaluate on data the network never learns from. When training keeps
    > improving and the test set does not, the network is memorising, not learning.

    Next: convolutions, which build the fact that a picture is a grid into the network itself.
    """#
}
