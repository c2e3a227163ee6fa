// Lesson09+Text.swift — the text of lesson 9, in Markdown: softmax, log-probabilities and
// cross-entropy, and the overflow that the max-subtraction trick prevents. Read next: Lesson09.swift.

extension Lesson09 {
    static let markdown = #"""
    # Losses and softmax

    A classifier ends with one score per class, called **logits**. **Softmax** turns them into
    probabilities, and **cross-entropy** turns those into one number to make small. Each is a
    line of arithmetic, and each breaks, quietly, as soon as a score is large, unless it is
    written with one small trick. This lesson makes it break, then fixes it.

    ## From scores to probabilities

    Softmax exponentiates every score, which makes them all positive, and divides by their
    total, which makes them add up to 1:

    softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ)

    The largest score gets the largest share, but every class keeps some.

    ```swift
    let logits = [2.0, 1.0, 0.1]
    let exps = logits.map { Foundation.exp($0) }
    let total = exps.reduce(0, +)
    let probabilities = exps.map { $0 / total }
    out.print("by hand:", probabilities.map { num($0) }.joined(separator: ", "))
    out.print("Lumen:  ", Tensor<Double>(logits).softmax().scalars.map { num($0) }.joined(separator: ", "))
    out.print("they add up to", probabilities.reduce(0, +))
    ```
    <!-- run: probabilities -->

    ## A value that overflows

    Now the same three scores, each plus 998. Nothing about the question changed: the first
    class is still ahead of the second by 1, and of the third by 1.9. But e^1000 is far beyond
    the largest Double, about 1.8 · 10³⁰⁸ (that is e^709.78), so it becomes **infinity**, and
    infinity divided by infinity is **nan**, "not a number". In `Float`, the type most models
    train in, the limit comes much sooner: e^89 already overflows.

    ```swift
    let big = [1000.0, 999.0, 998.1]
    let exps = big.map { Foundation.exp($0) }
    out.print("e^1000 =", exps[0])
    let total = exps.reduce(0, +)
    out.print("naive softmax:", exps.map { num($0 / total) }.joined(separator: ", "))
    out.print("largest Double:", Double.greatestFiniteMagnitude)
    let score: Float = 89
    out.print("in Float, e^89 =", Foundation.exp(score))
    ```
    <!-- run: overflow -->

    One nan is enough: it spreads through every sum it enters, the loss becomes nan, every
    gradient becomes nan, and training is over, with no error message.

    ## Subtract the largest score

    Shifting every score by the same amount m changes nothing, because the factor e^(−m)
    appears above and below the line and cancels:

    e^(xᵢ − m) / Σⱼ e^(xⱼ − m) = e^(−m)·e^(xᵢ) / (e^(−m)·Σⱼ e^(xⱼ)) = softmax(x)ᵢ

    Choose m = the largest score. Then every shifted score is ≤ 0, so every exponential is at
    most 1 and cannot overflow, and the largest one is exactly e⁰ = 1, so the total is at least
    1 and cannot be 0. Lumen's `softmax` does exactly this.

    ```swift
    let big = [1000.0, 999.0, 998.1]
    let m = big.max()!
    let shifted = big.map { $0 - m }
    let exps = shifted.map { Foundation.exp($0) }
    let total = exps.reduce(0, +)
    out.print("shifted scores:", shifted.map { num($0) }.joined(separator: ", "))
    out.print("stable softmax:", exps.map { num($0 / total) }.joined(separator: ", "))
    out.print("Lumen's softmax:", Tensor<Double>(big).softmax().scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: stable -->

    These are the probabilities of [2, 1, 0.1] again, because [1000, 999, 998.1] is that list
    plus 998.

    ## Log-probabilities, and the opposite problem

    Losses want the **logarithm** of a probability. Taking the log of softmax's output works
    until a probability is so small that it rounds to exactly 0: e^(−800) is below the smallest
    Double, and log 0 is −∞. Written out, the log cancels the exponential, and nothing tiny is
    ever formed:

    log softmax(x)ᵢ = xᵢ − log Σⱼ e^(xⱼ) = xᵢ − (m + log Σⱼ e^(xⱼ − m))

    The last part, m + log Σⱼ e^(xⱼ − m), is called **logsumexp**; Lumen's `logSoftmax` is
    x − logsumexp(x).

    ```swift
    let scores = [0.0, -800.0]
    let p = Tensor<Double>(scores).softmax().scalars
    out.print("softmax:       ", p.map { num($0) }.joined(separator: ", "))
    out.print("log of softmax:", p.map { num(Foundation.log($0)) }.joined(separator: ", "))
    out.print("logSoftmax:    ", Tensor<Double>(scores).logSoftmax().scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: logProbabilities -->

    ## Cross-entropy, and its gradient

    **Cross-entropy** is the loss of a classifier: the negative log-probability it gave the
    right class, averaged over a batch. It is 0 for a confident right answer and grows without
    limit for a confident wrong one.

    loss = −(1/N) Σₙ log softmax(xₙ)[labelₙ]

    Its gradient with respect to the logits is short enough to remember: the probabilities,
    minus 1 at the right class, divided by N. Below, the batch has two examples (N = 2) with
    labels 0 and 2; the "by hand" numbers use plain Swift arrays, not Lumen.

    ```swift
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
    ```
    <!-- run: crossEntropy -->

    The frames walk the loss backward one node at a time, through the log-softmax; the last
    gradient to reach `logits` is the (p − onehot)/2 printed above.

    The second example puts only 0.02 on its right class, so its loss share is large and its
    gradient pushes hard: −0.49 on the right class, up; +0.44 on the class it wrongly liked, down.

    ## One score, the same trap

    With two classes a model often outputs one score x, and σ(x) = 1 / (1 + e^(−x)) is the
    probability of class 1. The loss for a label y is −[y·log σ(x) + (1 − y)·log(1 − σ(x))].
    In `Float`, σ(40) rounds to exactly 1, so for y = 0 the loss is −log(0) = ∞. Rewritten as
    max(x, 0) − x·y + log(1 + e^(−|x|)), no step can overflow or take log 0, and the answer is
    about 40, as it should be. Lumen's `binaryCrossEntropy(logitsAgainst:)` uses that form.

    ```swift
    let x: Float = 40
    let sigma = 1 / (1 + Foundation.exp(-x))
    out.print("σ(40) in Float:", sigma, "   1 − σ(40):", 1 - sigma)
    out.print("naive loss for label 0:", -Foundation.log(1 - sigma))
    let stable = Tensor<Float>([40]).binaryCrossEntropy(logitsAgainst: Tensor<Float>([0]))
    out.print("stable loss for label 0:", stable.item())
    ```
    <!-- run: binary -->

    ## What to remember

    > Never exponentiate a raw score. Subtract the maximum first (softmax), or let the log
    > cancel the exponential (logSoftmax, logsumexp, the stable binary cross-entropy). The
    > mathematics is the same; only the order of the arithmetic changed.

    Next, optimizers: what to do with these gradients once we have them.
    """#
}
