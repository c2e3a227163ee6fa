// Lesson05+Text.swift — the text of lesson 5, in Markdown: a neuron, a layer, an MLP, and
// training one on the two-moons data. Read next: Lesson05.swift.

extension Lesson05 {
    static let markdown = #"""
    # A neuron, a network, and learning

    Everything so far was preparation. In this lesson the pieces click together: a neuron is a
    small expression, a network is many neurons, and training is lesson 3's backward sweep
    followed by lesson 2's walk downhill, repeated.

    ## A neuron

    A **neuron** takes some inputs x₁, x₂, …, multiplies each by a **weight** w₁, w₂, …, adds
    them up with a **bias** b, and passes the sum through an **activation** function, here tanh,
    which squashes any number into the range −1 to 1.

    The weights and the bias are the neuron's **parameters**: the numbers learning will adjust.
    Their gradients tell us how. Step through backward and watch tanh's local derivative,
    1 − tanh², appear on the first screen.

    ```swift
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
    ```
    <!-- run: neuron -->

    ## Layers and a network

    A **layer** is several neurons reading the same inputs. A **multi-layer perceptron** (MLP)
    feeds one layer's outputs into the next. Lumen's `MLP` builds one from a list of layer sizes;
    its hidden layers use relu, max(0, x), instead of tanh.

    ```swift
    var rng = SplitMix64(seed: 1337)
    let model = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
    out.print("layer sizes:", model.layerSizes.map { String($0) }.joined(separator: " → "))
    out.print("parameters: ", model.parameters.count, "  (2·16+16, 16·16+16, 16·1+1)")
    let score = model([Value(0.5), Value(-0.2)])[0]
    out.print("score for the point (0.5, -0.2):", score.data)
    out.print("nodes in that one score's graph:", score.topologicalOrder().count)
    ```
    <!-- run: network -->

    That single score is already a graph of hundreds of nodes, and backward handles it exactly
    as it handled our five-node example.

    ## The data: two moons

    Our network will learn to tell two interleaved half-moons apart. Each point has two
    coordinates and a label, +1 (drawn `o`) or −1 (drawn `x`). No straight line separates
    them, so the network will have to bend its boundary.

    ```swift
    let moons = TwoMoons(count: 100, noise: 0.1, seed: 1)
    out.print(moons.points.count, "points,", moons.labels.filter { $0 > 0 }.count, "labelled +1")
    out.boundary(points: moons.points, labels: moons.labels) { _, _ in -1 }
    ```
    <!-- run: data -->

    ## Training

    One training step: compute a **loss** (a single number that is large when the network is
    wrong; here the hinge loss, plus a small penalty on large weights), run backward, and move
    every parameter a little *against* its gradient, downhill. Then repeat. `MoonsTraining` does
    exactly this, and we draw the network's decision boundary as it learns: a picture after 0,
    5, 10, 25, 50 and 100 steps (orange where the network says +1, blue where it says −1, the
    boundary as a line; the paths are printed below, and the HTML export shows them in place),
    and at the start and the end also in characters, `·` where it says +1.

    ```swift
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
    ```
    <!-- run: train -->

    At step 0 the boundary is a guess. After a few steps it is roughly a line; by the end it
    curls between the moons and every point is on its own side. Open the pictures in order to
    watch it bend.

    ## What you built

    Look back at what it took: values that remember their graph (lesson 1), derivatives (lesson 2),
    the chain rule applied node by node (lesson 3), in the right order and adding up shares
    (lesson 4). Training a network is those four ideas and a loop.

    > A neural network is an expression with many parameters. Training is: forward, backward,
    > step downhill, repeat.
    """#
}
