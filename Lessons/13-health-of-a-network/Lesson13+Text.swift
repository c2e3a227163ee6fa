// Lesson13+Text.swift — the text of lesson 13, in Markdown: the health of a deep network. A
// tanh tower initialized carelessly saturates and passes no gradient; Kaiming initialization
// and batch normalization each repair it, seen in per-layer histograms, saturated shares and
// update-to-data ratios. Read next: Lesson13.swift.

extension Lesson13 {
    static let markdown = #"""
    # The health of a network: initialization and normalization

    Lesson 11's network had one hidden layer and trained at once. Stack five and it may not
    train at all, although nothing is wrong with the code: the numbers flowing through it are
    sick. This lesson looks inside a deep network the way a doctor reads a blood test. For each
    layer: how its activations are spread (a **histogram**), how many of its units are stuck in
    the flat part of their activation function (**saturated**), how large the gradient that
    reaches it is, and how big each update is next to the weights it changes (the
    **update-to-data ratio**).

    The patient: five layers of 64 tanh units on lesson 11's digits, then 10 scores. The
    batch is the first 256 training digits.

    ## A deep tanh network, initialized carelessly

    Draw every weight from N(0, 1), the first thing one might try. A unit adds up 64 inputs
    times 64 weights, so its sum has a standard deviation of about √64 = 8 times the inputs'
    size. tanh squashes anything beyond ±2 to nearly ±1. The code counts a unit as
    **saturated** when |tanh| > 0.97, where the slope 1 − tanh² is below 0.06.

    ```swift
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
    ```
    <!-- run: bad -->

    From the second layer on, most units sit at −1 or +1: the histograms are two spikes at the
    edges. A saturated unit's output barely changes when its input does, so it has nearly
    stopped learning.

    ## Saturated units pass no gradient

    Backward through tanh multiplies the upstream gradient by 1 − tanh², close to 0 for a
    saturated unit. `Tower` is step 1's network as a class (Lesson13+Tower.swift), with the
    output layer added, so the steps can run the same network with other settings. Here is the
    gradient of the cross-entropy that reaches each layer's output.

    ```swift
    let tower = Tower(scale: 1, batchNorm: false, seed: 13)        // step 1's network
    try showGradients(tower, out, title: "∂loss/∂activation per layer, weights N(0, 1)")
    ```
    <!-- run: gradients -->

    The gradient is twenty times larger at layer 1 than at layer 5. Going back through a layer
    multiplies it by Wᵀ, whose entries are 8 times too large, and by tanh′, near 0 for most
    units, and the two do not cancel. Gradient descent would move the layers at very different
    speeds, and the units pinned at ±1 hardly at all.

    ## Kaiming initialization

    The cure at the start of training is to choose the scale so that each layer keeps the size
    of its input. A sum of n inputs of variance 1 times weights of variance s² has variance
    n·s², so s = 1/√n keeps it at 1. tanh shrinks what passes through it, which a **gain** of
    5/3 makes up for: weights N(0, 1) · (5/3)/√fan_in (Kaiming He et al. 2015; PyTorch's
    `calculate_gain("tanh")` is 5/3).

    ```swift
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
    ```
    <!-- run: kaiming -->

    Now every layer's activations spread over (−1, 1) with about the same standard deviation,
    few units saturate, and the gradients that reach the layers are of the same size: every
    layer can learn at the same pace.

    ## Batch normalization

    Kaiming fixes the start, and only for this one activation and architecture. **Batch
    normalization** (Ioffe and Szegedy 2015) fixes the statistics by force, at every step:
    before each tanh it standardizes each unit over the batch, (h − mean) / √(variance + ε),
    then scales and shifts it by a learned γ and β (starting at 1 and 0). The weights here are
    the careless N(0, 1) ones of step 1 again.

    ```swift
    let tower = Tower(scale: 1, batchNorm: true, seed: 13)         // the bad weights again
    let (_, activations) = tower(try digitBatch())
    for (k, a) in activations.enumerated() {
        let t = a.scalars
        out.print("layer \(k + 1):  mean \(num(mean(t)))  std \(num(std(t)))  saturated \(num(100 * saturatedShare(t))) %")
    }
    out.histograms(title: "tanh outputs per layer, N(0, 1) weights with BatchNorm", xLabel: "activation",
                   series: activations.enumerated().map { ("layer \($0 + 1)", $1.scalars) }, low: -1, high: 1)
    try showGradients(tower, out, title: "∂loss/∂activation per layer, BatchNorm")
    ```
    <!-- run: batchnorm -->

    Whatever the weights' scale, each unit's input now has mean 0 and standard deviation 1, so
    only about 3 % of tanh outputs land beyond ±0.97 (|z| > 2.09 for a standard normal) in
    every layer. Its backward divides by the same standard deviation, so the gradients are tamed
    too. The picture shows one such layer: the product, batchNorm's mean, variance and
    scaling, and the tanh.

    ## The update-to-data ratio

    The last gauge is taken during training. For each weight matrix and each step, compare
    the size of the change SGD makes, lr · grad, with the size of the weights themselves:
    log₁₀(std(lr · grad) / std(W)). Around −3 (each step changes the weights by about a
    thousandth) is a common rule of thumb for a healthy rate; far below, a layer is not
    learning; far above, it is thrashing. Thirty SGD steps of each network, lr 0.1:

    ```swift
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
    ```
    <!-- run: ratio -->

    With careless weights the layers' ratios spread over more than an order of magnitude:
    layer 1 moves some twenty times faster, relative to its size, than layer 5. With Kaiming
    they line up near −3 and the loss falls furthest. With BatchNorm they line up too, but all
    near −4: BatchNorm makes each layer's output independent of its weights' scale, so weights
    8 times too large still work, but each update is 8 times smaller next to them. The gauge
    says what to do: raise the learning rate, or start from Kaiming's scale as well. The plots
    show the ratios step by step.

    ## What to remember

    > Look inside: a histogram per layer of activations and gradients, the share of saturated
    > (or, for relu, dead) units, and the update-to-data ratio tell a sick network from a
    > healthy one before the loss curve does. Initialize with the gain over √fan_in (Kaiming) so
    > that each layer keeps its input's scale; batch normalization enforces that scale at
    > every step.
    """#
}
