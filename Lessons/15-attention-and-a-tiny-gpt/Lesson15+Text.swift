// Lesson15+Text.swift — the text of lesson 15, in Markdown: self-attention from scratch, the
// causal mask, several heads, one attention block's backward node by node, a tiny GPT trained
// on the names, and the same tiny model on scalar Values. Read next: Lesson15.swift.

extension Lesson15 {
    static let markdown = #"""
    # Attention and a tiny GPT

    Lesson 14's LSTM squeezes everything it has read into one state vector, passed along one
    step at a time. **Attention** lets every position look back at every earlier position
    directly and choose what to take from each. Stack it with lesson 11's MLP and lesson 13's
    normalization and you have a **Transformer**; train one to predict the next character and
    you have a (tiny) **GPT**.

    ## Averaging the past with a matrix product

    Start with the simplest way to let a position use the ones before it: average them. With
    4 positions of 2 features in the rows of x, a 4 × 4 matrix of weights whose row i holds
    1/(i+1) on columns 0…i and 0 after does it in one product, weights · x. Such a matrix is a
    softmax: give every allowed pair the score 0, every future pair −∞ (e^−∞ = 0), and softmax
    each row. This is the **causal mask**: no position may see the future, which is what it is
    trained to predict.

    ```swift
    let x = try Tensor<Double>(shape: [4, 2], elements: [1, 2, 3, 4, 5, 6, 7, 8])     // 4 positions, 2 features
    var mask = [Double](repeating: 0, count: 16)
    for i in 0..<4 { for j in 0..<4 where j > i { mask[i * 4 + j] = -.infinity } }  // the future: −∞
    let weights = try Tensor<Double>(shape: [4, 4], elements: mask).softmax(axis: -1)
    for (i, row) in rows(weights).enumerated() { out.print("weights row \(i):", row.map { num($0) }.joined(separator: ", ")) }
    out.print("weights · x:", weights.matmul(x).scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: average -->

    Row 2 of the product, (3, 4), is the mean of the first three rows of x. Attention keeps this
    shape and replaces the zeros by scores that the data chooses.

    ## One head of self-attention, from scratch

    Each position emits three vectors, made by three learned matrices: a **query** q ("what am I
    looking for?"), a **key** k ("what do I contain?") and a **value** v ("what I give if
    chosen"). Position i's score for position j is the dot product qᵢ · kⱼ, divided by √d (d = 4
    here) so that the scores do not grow with the head size and saturate the softmax. Mask,
    softmax each row, and each position's output is its weighted average of the values:

    attention(Q, K, V) = softmax(Q Kᵀ / √d + M) · V

    ```swift
    var rng = SplitMix64(seed: 15)
    let x = Tensor<Double>.randomNormal([5, 8], using: &rng)                 // 5 positions, 8 features
    let wq = Tensor<Double>.randomNormal([8, 4], using: &rng) * (1 / 8.0.squareRoot())
    let wk = Tensor<Double>.randomNormal([8, 4], using: &rng) * (1 / 8.0.squareRoot())
    let wv = Tensor<Double>.randomNormal([8, 4], using: &rng) * (1 / 8.0.squareRoot())
    let (q, k, v) = (x.matmul(wq), x.matmul(wk), x.matmul(wv))              // each [5, 4]
    let scores = q.matmul(k.transposed()) * (1 / 4.0.squareRoot()) + causalMask(5)
    let weights = scores.softmax(axis: -1)
    let attended = weights.matmul(v)                                          // [5, 4]
    out.print("row 5 weights:", rows(weights)[4].map { num($0) }.joined(separator: ", "))
    let lumen = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: true)
    out.print("largest difference from scaledDotProductAttention:", zip(attended.scalars, lumen.scalars).map { abs($0 - $1) }.max()!)
    let positions = (1...5).map(String.init)
    out.shadedGrids([ShadedGrid(title: "softmax(q·kᵀ/√4 + mask)", rowLabels: positions, columnLabels: positions, values: rows(weights))],
                    title: "one head's attention weights: row = query, column = key", numbers: true)
    ```
    <!-- run: head -->

    Every row of weights sums to 1 and is 0 to the right of the diagonal. Lumen's own
    `scaledDotProductAttention` computes the same numbers (to the last bits of Double).

    ## Several heads

    One head computes one kind of weighted average. **Multi-head attention** runs several
    smaller heads side by side, each with its own slice of the query, key and value
    projections, and mixes their outputs with one more matrix, W_o. `MultiheadAttention` keeps
    the three projections in one [3E, E] matrix; here its output is rebuilt head by head.

    ```swift
    var rng = SplitMix64(seed: 15)
    let x = Tensor<Double>.randomNormal([5, 8], using: &rng)
    let attention = MultiheadAttention<Double>(embedDim: 8, numHeads: 2, causal: true, using: &rng)
    let projected = x.matmul(attention.inProjWeight.transposed()) + attention.inProjBias!   // [5, 24]: q | k | v
    var grids: [ShadedGrid] = [], merged: [Tensor<Double>] = []
    for h in 0..<2 {                                                          // head h: columns h·4 ..< h·4 + 4
        let q = projected.slice(axis: 1, h * 4, h * 4 + 4)
        let k = projected.slice(axis: 1, 8 + h * 4, 8 + h * 4 + 4)
        let v = projected.slice(axis: 1, 16 + h * 4, 16 + h * 4 + 4)
        let weights = (q.matmul(k.transposed()) * (1 / 4.0.squareRoot()) + causalMask(5)).softmax(axis: -1)
        merged.append(weights.matmul(v))
        grids.append(ShadedGrid(title: "head \(h + 1)", rowLabels: (1...5).map(String.init), columnLabels: (1...5).map(String.init),
                                values: rows(weights)))
    }
    let ours = attention.outProj(Tensor.concat(merged, axis: 1))            // heads side by side, then W_o
    let layer = attention(x.reshape([1, 5, 8])).reshape([5, 8])
    out.print("largest difference from MultiheadAttention:", zip(ours.scalars, layer.scalars).map { abs($0 - $1) }.max()!)
    out.shadedGrids(grids, title: "two heads, two patterns of attention", numbers: true)
    ```
    <!-- run: heads -->

    The two heads, with different weights, spread their attention differently over the same
    five positions.

    ## One attention block's backward, node by node

    Attention is made of operations whose backward we already know: matmul (lesson 8), the
    softmax (lesson 9), slices and reshapes (lesson 6). So its backward is the chain rule
    through them, nothing new. The frames step through one causal head on 3 positions of 4
    features: the gradient enters at the sum, goes back through W_o, splits at the weights ·
    values product, flows through the softmax into the scores and on into the queries and keys,
    and the three projections send it back into x.

    ```swift
    var rng = SplitMix64(seed: 15)
    let attention = MultiheadAttention<Double>(embedDim: 4, numHeads: 1, causal: true, using: &rng)
    let x = Tensor<Double>.randomNormal([1, 3, 4], using: &rng).requiringGrad()
    x.label = "x"
    let loss = attention(x).sum()
    out.print("loss:", num(loss.item()))
    let steps = out.walkBackward(from: loss, title: "one causal attention block, backward")
    out.print("backward steps:", steps)
    out.print("∂loss/∂x[0, 0, :]:", (0..<4).map { num(x.grad![0, 0, $0]) }.joined(separator: ", "))
    ```
    <!-- run: backward -->

    ## A tiny GPT on the names

    A **Transformer block** is attention then an MLP, each behind a LayerNorm and around a
    residual connection (x + f(norm(x)): the pre-norm block of TransformerBlock.swift). A GPT is:
    a learned vector for each character (the token embedding) plus a learned vector for each
    position (without it attention could not tell the order apart), a few blocks, a final
    LayerNorm and a Linear layer that scores the 27 characters. `TinyGPT`
    (Lesson15+GPT.swift) builds one: width 16, 2 heads, 2 blocks, reading 8 characters, as
    lesson 14's LSTM did.

    ```swift
    let split = try Names.split()
    let train = try InMemoryDataset<Float>.nextCharacterExamples(split.train, vocabulary: .lowercaseLetters, blockSize: 8)
    let validation = try InMemoryDataset<Float>.nextCharacterExamples(split.validation, vocabulary: .lowercaseLetters, blockSize: 8)
    let model = TinyGPT<Float>(width: 16, heads: 2, blocks: 2, context: 8, seed: 15)
    func nll(_ set: InMemoryDataset<Float>) throws -> Double {
        let inputs = try Tensor<Float>(shape: [set.count, 8], elements: set.features)
        return Double(try withoutGradients { try model(inputs).crossEntropy(labels: set.labels) }.item())
    }
    out.print("parameters:", model.parameters.map(\.count).reduce(0, +), "   validation NLL before:", num(try nll(validation)))
    let optimizer = try Adam(model.parameters, learningRate: 0.01)
    for batch in try DataLoader(train, batchSize: 64, ordering: .shuffled(seed: 15)).batches(epoch: 1).prefix(60) {
        optimizer.zeroGrad()
        let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
        loss.backward()
        optimizer.step()
    }
    out.print("validation NLL after 60 steps:", num(try nll(validation)))
    ```
    <!-- run: gpt -->

    The picture shows where each head of the trained model looks when it reads ". j o n a t h
    a" (row = the position reading, column = the position read). Some heads look mostly at
    the previous character or two, others further back.

    ## The same GPT on scalar Values

    Lessons 1 to 5 built an engine on single numbers; lessons 6 to 15 moved to tensors for
    speed. They are the same idea. `ScalarGPT` (Lesson15+GPT.swift) takes a small TinyGPT's
    weights (width 4, 2 heads, 1 block, 3 characters of context) as scalar `Value`s and writes
    the whole forward pass out one sum at a time: embeddings, LayerNorm, queries, keys, values,
    the masked softmax, the MLP, the cross-entropy. Three steps of plain SGD on the five
    examples of "emma", both ways:

    ```swift
    let tensors = TinyGPT<Double>(width: 4, heads: 2, blocks: 1, context: 3, seed: 15)
    let scalars = ScalarGPT(copying: tensors)                                 // the same numbers, as Values
    let contexts = [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]]  // . . . e m m a .
    let labels = [5, 13, 13, 1, 0]
    let inputs = try Tensor<Double>(shape: [5, 3], elements: contexts.joined().map(Double.init))
    out.print("parameters:", scalars.parameters.count, "Values, in", tensors.parameters.count, "tensors")
    let optimizer = try SGD(tensors.parameters, learningRate: 0.5)
    for step in 1...3 {
        optimizer.zeroGrad()
        let tensorLoss = try tensors(inputs).crossEntropy(labels: labels)
        tensorLoss.backward()
        optimizer.step()
        scalars.parameters.zeroGrad()
        let scalarLoss = scalars.loss(contexts, labels)
        scalarLoss.backward()
        for p in scalars.parameters { p.data -= 0.5 * (p.grad ?? 0) }     // rows of unused letters get none
        if step == 1 { out.print("scalar graph:", scalarLoss.topologicalOrder().count, "nodes") }
        out.print("step \(step):  tensors \(tensorLoss.item())   Values \(scalarLoss.data)   difference \(abs(tensorLoss.item() - scalarLoss.data))")
    }
    ```
    <!-- run: scalar -->

    The two losses agree to about 10⁻¹⁵ at every step, although one engine moves whole tensors
    and the other thousands of single numbers: one engine from micrograd to GPT.

    ## What to remember

    > Attention is a weighted average whose weights, softmax(Q Kᵀ / √d + M), the data chooses;
    > the causal mask M hides the future. Heads run several such averages side by side. A GPT
    > is embeddings, blocks of attention and MLP with residuals and LayerNorm, and a final
    > linear layer, trained on the next token's cross-entropy. Its backward is the chain rule
    > through ops we already had, and it runs, more slowly, on single numbers too.
    """#
}
