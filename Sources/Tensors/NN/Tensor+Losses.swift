// Tensor+Losses.swift — the losses: cross-entropy from logits with integer labels, binary
// cross-entropy from logits, and mean squared error. All are composites; each doc comment
// names the primitives its gradient flows through. Each returns the mean over its elements
// (a scalar tensor, ready for `backward()`).
//
// Read next: Tensor+Convolution.swift.

extension Tensor {
    /// Cross-entropy of `self` (logits, shape [N, C]) against integer class labels (N of
    /// them, each in 0..<C), averaged over the batch, composed: logSoftmax along the class
    /// axis, then the N entries log p[n, label_n] picked by an indexSelect on the flattened
    /// log-probabilities, then their negated mean, as Σ · (−1/N) (logSoftmax, reshape,
    /// indexSelect, sum, mul).
    ///
    /// ```
    /// loss = −(1/N) Σ_n log softmax(x_n)[label_n]      ∂loss/∂x[n, c] = (softmax(x_n)_c − [c = label_n]) / N
    /// ```
    /// - Throws: `NNError.labelOutOfRange` for a label outside 0..<C,
    ///   `NNError.labelCountMismatch` when there is not one label per row. Labels come from
    ///   data, so they are checked and reported, not trapped on.
    @_specialize(where Scalar == Float)
    public func crossEntropy(labels: [Int], file: StaticString = #fileID, line: UInt = #line) throws(NNError) -> Tensor {
        if rank != 2 {
            shapeTrap("crossEntropy", "logits must have shape [batch, classes], got \(describe(shape))",
                      file: file, line: line)
        }
        let (batch, classes) = (shape[0], shape[1])
        guard labels.count == batch else { throw .labelCountMismatch(labels: labels.count, batch: batch) }
        if let index = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw .labelOutOfRange(label: labels[index], index: index, classCount: classes)
        }
        let logProbabilities = logSoftmax(axis: 1, file: file, line: line).reshape([batch * classes])
        let picked = logProbabilities.indexSelect(axis: 0, labels.enumerated().map { $0.offset * classes + $0.element })
        // −mean(picked) as Σ picked / (−N): one recorded division where a mean and a
        // negation made two. The same number, forward and backward: negating the divisor or
        // the quotient gives the same result.
        return Tensor.div(picked.sum(), Tensor(-Scalar(batch)), file: file, line: line)
    }

    /// Binary cross-entropy of `self` (logits x) against targets y in [0, 1] of the same
    /// shape (or one that broadcasts to it), averaged over all elements, in its stable form
    /// (maximum, mul, add, abs, softplus, sum).
    ///
    /// ```
    /// loss = mean( max(x, 0) − x·y + log(1 + e^(−|x|)) )      ∂loss/∂x = (σ(x) − y) / count
    /// ```
    /// This equals −[y log σ(x) + (1 − y) log(1 − σ(x))], rewritten so that no step can
    /// overflow or take log 0: e^(−|x|) ≤ 1 always, and log(1 + e^(−|x|)) is softplus(−|x|).
    /// Computing σ(x) first would round σ(40) to exactly 1 in Float, and log(1 − 1) = −∞.
    public func binaryCrossEntropy(logitsAgainst targets: Tensor,
                                   file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let positivePart = Tensor.maximum(self, Tensor(0), file: file, line: line)
        let xy = Tensor.mul(self, targets, file: file, line: line)
        let softTail = (-abs()).softplus()
        return Tensor.add(positivePart - xy, softTail, file: file, line: line).mean()
    }

    /// Mean squared error between `self` (predictions) and `targets` of the same shape,
    /// composed: mean((ŷ − y)²) (add, mul, powScalar, sum, div).
    ///
    /// ```
    /// loss = (1/count) Σ (ŷ − y)²        ∂loss/∂ŷ = 2(ŷ − y) / count
    /// ```
    /// The shapes must be equal: broadcasting a [N] target against [N, 1] predictions would
    /// silently compare every prediction with every target.
    public func meanSquaredError(_ targets: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if shape != targets.shape {
            shapeTrap("meanSquaredError", "predictions \(describe(shape)) and targets \(describe(targets.shape)) "
                      + "must have the same shape", file: file, line: line)
        }
        return Tensor.add(self, -targets, file: file, line: line).pow(2).mean()
    }
}
