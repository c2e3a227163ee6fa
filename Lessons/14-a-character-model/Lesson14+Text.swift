// Lesson14+Text.swift — the text of lesson 14, in Markdown: a character-level model of first
// names, from bigram counts to an MLP to an LSTM; the negative log-likelihood, sampling with
// temperature, and backprop through time stepped through one LSTMCell. Read next: Lesson14.swift.

extension Lesson14 {
    static let markdown = #"""
    # A character model: from counts to an LSTM

    A **language model** gives the probability of what comes next. Trained on 5,163 first names
    from the US census (bundled with Lumen, split once into training, validation and test
    names), a character-level model learns how names are spelled, and can then write new ones.
    Every name is read as `. e m m a .`: the end token "." stands before the first letter and
    after the last, so one symbol teaches the model both how names start and how they stop.

    ## Bigrams: counting what follows what

    The simplest model looks only at the previous character. Count, over all training names,
    how often each character follows each other one: a 27 × 27 table.

    ```swift
    let split = try Names.split()
    out.print("names:", split.train.count, "train,", split.validation.count, "validation,", split.test.count, "test")
    let letters = CharacterVocabulary.lowercaseLetters             // "." = 0, a = 1, …, z = 26
    var counts = [[Double]](repeating: [Double](repeating: 0, count: 27), count: 27)
    for name in split.train {
        let ids = [0] + (try letters.encode(name)) + [0]             // . e m m a .
        for (a, b) in zip(ids, ids.dropFirst()) { counts[a][b] += 1 }
    }
    out.print("bigrams counted:", Int(counts.joined().reduce(0, +)))
    let pairs = (0..<27).flatMap { a in (0..<27).map { (a, $0) } }.sorted { counts[$0.0][$0.1] > counts[$1.0][$1.1] }
    out.print("most common:", pairs.prefix(5).map { "\(characters[$0.0])\(characters[$0.1]) \(Int(counts[$0.0][$0.1]))" }.joined(separator: ", "))
    out.shadedGrids([ShadedGrid(title: "count(row → column)", rowLabels: characters, columnLabels: characters, values: counts)],
                    title: "bigram counts of the training names")
    ```
    <!-- run: bigram -->

    The picture shades the table: row "." is how names start, column "." how they end, and
    the dark cells are the pairs that names are made of.

    ## The negative log-likelihood

    Divide each row by its total and the table gives p(next | previous). (One is added to every
    count first, **smoothing**, so that a pair never seen gets a small probability rather than
    0.) How good is a model? The probability it gives to a whole name is the product of its
    characters' probabilities; that product is tiny, so take its logarithm, a sum, and negate
    it so that lower is better: the **negative log-likelihood**. Divided by the number of
    characters, it is the average surprise per character, in nats. A model that guesses
    uniformly among 27 characters scores log 27 ≈ 3.30; a perfect one 0.

    ```swift
    let p = bigramProbabilities(try bigramCounts())               // (count + 1) / (row total + 27)
    let emma = [0, 5, 13, 13, 1, 0]                                 // . e m m a .
    var total = 0.0
    for (a, b) in zip(emma, emma.dropFirst()) {
        out.print("p(\(characters[a]) → \(characters[b])) = \(num(p[a][b]))    −log p = \(num(-log(p[a][b])))")
        total += -log(p[a][b])
    }
    out.print("NLL of emma:", num(total / 5), "nats per character")
    func setNLL(_ names: [String]) throws -> Double {
        var (sum, n) = (0.0, 0)
        for name in names {
            let ids = [0] + (try CharacterVocabulary.lowercaseLetters.encode(name)) + [0]
            for (a, b) in zip(ids, ids.dropFirst()) { sum += -log(p[a][b]); n += 1 }
        }
        return sum / Double(n)
    }
    let split = try Names.split()
    out.print("bigram NLL:  train \(num(try setNLL(split.train)))   validation \(num(try setNLL(split.validation)))   uniform log 27 = \(num(log(27.0)))")
    ```
    <!-- run: nll -->

    Minimizing the NLL is exactly what lesson 9's cross-entropy does: the loss of one example
    is −log of the probability the model gives its right answer. The validation names, never
    counted, score about as well as the training names: 27 × 27 numbers cannot memorize much.

    ## Sampling, with a temperature

    To write a new name, start at ".", draw the next character from p(· | "."), then the one
    after from p(· | that character), until "." comes out again. A **temperature** T reshapes
    the distribution before drawing: p^(1/T), renormalized, which is softmax(logits / T) for
    logits = log p. T < 1 sharpens it toward the likeliest characters (less variety, safer
    names), T > 1 flattens it toward uniform (more variety, more nonsense). The entropy of the
    first letter's distribution, −Σ q log q, measures the spread.

    ```swift
    let p = bigramProbabilities(try bigramCounts())
    for temperature in [0.5, 1, 2] {
        var rng = SplitMix64(seed: 14)
        func next(after a: Int) -> Int {
            let w = p[a].map { pow($0, 1 / temperature) }           // softmax(log p / T), unnormalized
            var u = rng.nextUnit() * w.reduce(0, +)
            for (b, weight) in w.enumerated() { u -= weight; if u < 0 { return b } }
            return 0
        }
        var names: [String] = []
        for _ in 0..<6 {
            var (name, id) = ("", next(after: 0))
            while id != 0 && name.count < 12 { name += characters[id]; id = next(after: id) }
            names.append(name)
        }
        let first = p[0].map { pow($0, 1 / temperature) }
        let q = first.map { $0 / first.reduce(0, +) }
        let entropy = -q.reduce(0) { $0 + $1 * log($1) }
        out.print("T = \(num(temperature)):  entropy of the first letter \(num(entropy)) nats   ", names.joined(separator: ", "))
    }
    ```
    <!-- run: sample -->

    ## An MLP that reads three characters

    One character of context is too little. Bengio et al. (2003) gave each character a learned
    vector (an `Embedding`: a 27 × 10 table, one row per character), concatenated the vectors of
    the last three characters, and fed them to an MLP that scores the 27 possible next
    characters. The examples are every position of every name, with its three characters of
    context (Names+Examples.swift): "emma" gives `...→e`, `..e→m`, `.em→m`, `emm→a`, `mma→.`.

    ```swift
    let split = try Names.split()
    let train = try InMemoryDataset<Float>.nextCharacterExamples(split.train, vocabulary: .lowercaseLetters, blockSize: 3)
    let validation = try InMemoryDataset<Float>.nextCharacterExamples(split.validation, vocabulary: .lowercaseLetters, blockSize: 3)
    var rng = SplitMix64(seed: 14)
    let table = Embedding<Float>(vocabularySize: 27, dimension: 10, using: &rng)
    let hidden = Linear<Float>(in: 30, out: 128, using: &rng)
    let scores = Linear<Float>(in: 128, out: 27, using: &rng)
    func model(_ contexts: Tensor<Float>) throws -> Tensor<Float> {
        let vectors = try table(contexts.scalars.map { Int($0) }, shape: contexts.shape)   // [N, 3, 10]
        return scores(hidden(vectors.reshape([contexts.shape[0], 30])).tanh())
    }
    out.print("examples:", train.count, "train,", validation.count, "validation")
    out.print("validation NLL before training:", num(try setNLL(validation, model)))
    let optimizer = try Adam(table.parameters + hidden.parameters + scores.parameters, learningRate: 0.01)
    let loader = try DataLoader(train, batchSize: 64, ordering: .shuffled(seed: 14))
    var losses: [Double] = []
    for batch in loader.batches(epoch: 1).prefix(200) {
        optimizer.zeroGrad()
        let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
        loss.backward()
        optimizer.step()
        losses.append(Double(loss.item()))
    }
    out.print("validation NLL after 200 steps:", num(try setNLL(validation, model)))
    out.plotLines(title: "MLP on 3 letters: training loss per batch", xLabel: "step", yLabel: "NLL (nats per character)",
                  series: [("batch loss", losses.indices.map(Double.init), losses)])
    ```
    <!-- run: mlp -->

    Two hundred batches take the validation NLL from about log 27 to below the bigram model's:
    the MLP uses more context, and it shares what it learns between similar characters through
    their vectors.

    ## An LSTM reads the whole name so far

    An MLP's context is fixed. A **recurrent** network reads the characters one at a time,
    keeping a state that summarizes what it has read. An LSTM's state has two parts: the
    hidden state h and a memory cell c, guarded by gates (LSTM.swift):

    c′ = f ⊙ c + i ⊙ g,   h′ = o ⊙ tanh(c′)

    The forget gate f decides what of the memory to keep, the input gate i what of the new
    content g to write, the output gate o what to expose. Here the LSTM (32 hidden units)
    reads 8 characters of context and the next character is scored from its last hidden
    state. After only a hundred batches it is already better than the MLP; the recipe
    `lumen train names-lstm` trains a larger one for longer.

    ```swift
    let split = try Names.split()
    let train = try InMemoryDataset<Float>.nextCharacterExamples(split.train, vocabulary: .lowercaseLetters, blockSize: 8)
    let validation = try InMemoryDataset<Float>.nextCharacterExamples(split.validation, vocabulary: .lowercaseLetters, blockSize: 8)
    var rng = SplitMix64(seed: 14)
    let table = Embedding<Float>(vocabularySize: 27, dimension: 16, using: &rng)
    let recurrent = LSTM<Float>(inputSize: 16, hiddenSize: 32, batchFirst: true, using: &rng)
    let scores = Linear<Float>(in: 32, out: 27, using: &rng)
    func model(_ contexts: Tensor<Float>) throws -> Tensor<Float> {
        let vectors = try table(contexts.scalars.map { Int($0) }, shape: contexts.shape)   // [N, 8, 16]
        let states = recurrent(vectors)                                                    // [N, 8, 32]
        return scores(states.slice(axis: 1, 7, 8).squeeze(1))                              // after the 8th letter
    }
    out.print("validation NLL before training:", num(try setNLL(validation, model)))
    let optimizer = try Adam(table.parameters + recurrent.parameters + scores.parameters, learningRate: 0.01)
    let loader = try DataLoader(train, batchSize: 64, ordering: .shuffled(seed: 14))
    var losses: [Double] = []
    for batch in loader.batches(epoch: 1).prefix(60) {
        optimizer.zeroGrad()
        let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
        loss.backward()
        optimizer.step()
        losses.append(Double(loss.item()))
    }
    out.print("validation NLL after 60 steps:", num(try setNLL(validation, model)))
    var sampler = SplitMix64(seed: 14)
    var names: [String] = []
    for _ in 0..<6 {
        var context = [Float](repeating: 0, count: 8), name = ""
        while name.count < 12 {
            let logits = try withoutGradients { try model(try Tensor<Float>(shape: [1, 8], elements: context)) }.scalars
            let weights = logits.map { exp(Double($0)) }
            var u = sampler.nextUnit() * weights.reduce(0, +), id = 0
            for (b, w) in weights.enumerated() { u -= w; if u < 0 { id = b; break } }
            if id == 0 { break }
            name += characters[id]
            context = Array(context.dropFirst()) + [Float(id)]
        }
        names.append(name)
    }
    out.print("samples:", names.joined(separator: ", "))
    out.plotLines(title: "LSTM on 8 letters: training loss per batch", xLabel: "step", yLabel: "NLL (nats per character)",
                  series: [("batch loss", losses.indices.map(Double.init), losses)])
    ```
    <!-- run: lstm -->

    ## Backprop through time, one LSTMCell

    How does an LSTM learn? Unroll it: the same cell applied at t = 1, 2, … is one big graph,
    with the same weights entering at every step, and backward is the chain rule through it,
    **backpropagation through time**. Each weight collects a gradient from every step it was
    used in (lesson 4's accumulation). The frames walk a cell with 2 inputs and 2 hidden units
    over 2 steps, node by node, from the loss h₂[0] + h₂[1] back to the first input.

    ```swift
    var rng = SplitMix64(seed: 14)
    let cell = LSTMCell<Double>(inputSize: 2, hiddenSize: 2, using: &rng)
    var state: (hidden: Tensor<Double>, cell: Tensor<Double>)? = nil
    for (t, x) in [[1.0, 0.0], [0.0, 1.0]].enumerated() {
        state = cell(try Tensor<Double>(shape: [1, 2], elements: x), state: state)
        state!.hidden.label = "h\(t + 1)"
        state!.cell.label = "c\(t + 1)"
    }
    let loss = state!.hidden.sum()
    out.print("loss = h₂[0] + h₂[1] =", num(loss.item()))
    let steps = out.walkBackward(from: loss, title: "backprop through time: 2 steps of one LSTMCell")
    out.print("backward steps:", steps)
    for (name, tensor) in cell.namedParameters where name.hasPrefix("weight_hh") {
        out.print("∂loss/∂W_hh row 0:", tensor.grad!.scalars.prefix(2).map { num($0) }.joined(separator: ", "))
    }
    ```
    <!-- run: bptt -->

    The gradient that reaches c₁ from the loss passes through c₂ = f₂ ⊙ c₁ + i₂ ⊙ g₂: an
    additive path, scaled only by the forget gate (over many steps, by the product of the forget
    gates). That path is why an LSTM's gradient survives many
    steps where a plain tanh RNN's shrinks at every step (lesson 13's saturated units).

    ## What to remember

    > A language model predicts the next token; its quality is the negative log-likelihood per
    > token, which is the cross-entropy it is trained on. Counts, an MLP over a fixed window and
    > an LSTM over the whole prefix are the same kind of model with more and more context.
    > Temperature trades variety for safety when sampling. Backprop through time is lesson 3's
    > chain rule on the unrolled graph.
    """#
}
