// Tensor+MoreLosses.swift — the losses beyond Tensor+Losses.swift: cross-entropy with label
// smoothing, the binary hinge loss, and the multi-class hinge loss (PyTorch's
// MultiMarginLoss). All are composites, and each returns a scalar mean ready for backward().
//
// Read next: Tensor+Convolution.swift.

extension Tensor {
    /// Cross-entropy of `self` (logits, shape [N, C]) against labels smoothed by ε, as
    /// PyTorch's `cross_entropy(label_smoothing: ε)`: the target puts 1 − ε on the label and
    /// spreads ε evenly over all C classes (the label included). Composed: logSoftmax, the
    /// label entries picked by indexSelect, and two means (logSoftmax, add, mul, reshape,
    /// indexSelect, sum).
    ///
    /// ```
    /// q[n, c] = (1 − ε)·[c = label_n] + ε/C
    /// loss = −(1/N) Σ_n Σ_c q[n, c] · log p[n, c]          p = softmax along the classes
    ///      = (1 − ε) · (−(1/N) Σ_n log p[n, label_n])  +  ε · (−(1/(N·C)) Σ_n Σ_c log p[n, c])
    /// ∂loss/∂x[n, c] = (p[n, c] − q[n, c]) / N
    /// ```
    /// A model trained against smoothed targets is not pushed to make one logit infinitely
    /// larger than the rest, which makes it less over-confident. ε = 0 is plain cross-entropy.
    ///
    /// - Throws: `NNError.labelOutOfRange` for a label outside 0..<C,
    ///   `NNError.labelCountMismatch` when there is not one label per row.
    public func crossEntropy(labels: [Int], labelSmoothing epsilon: Scalar,
                             file: StaticString = #fileID, line: UInt = #line) throws(NNError) -> Tensor {
        if !(epsilon >= 0 && epsilon <= 1) {
            shapeTrap("crossEntropy", "labelSmoothing is \(epsilon), but it must be in [0, 1]", file: file, line: line)
        }
        let (batch, classes) = try checkedClassification(labels, op: "crossEntropy", file: file, line: line)
        let logProbabilities = logSoftmax(axis: 1, file: file, line: line)
        let labelTerm = -logProbabilities.reshape([batch * classes])
            .indexSelect(axis: 0, labels.enumerated().map { $0.offset * classes + $0.element }).mean()
        if epsilon == 0 { return labelTerm }
        let uniformTerm = -logProbabilities.mean()
        return labelTerm * (1 - epsilon) + uniformTerm * epsilon
    }

    /// The hinge loss of `self` (scores x) against targets y of the same shape, each −1 or
    /// +1, averaged over all elements, composed: relu(1 − y·x) (mul, add, relu, sum).
    /// Labels in {0, 1} become targets 2y − 1.
    ///
    /// ```
    /// loss = mean( max(0, 1 − y·x) )       ∂loss/∂x = −y / count where y·x < 1, else 0
    /// ```
    /// The support vector machine's loss: a score on the right side of 0 by a margin of at
    /// least 1 costs nothing, and so sends back no gradient.
    public func hingeLoss(targets: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if shape != targets.shape {
            shapeTrap("hingeLoss", "scores \(describe(shape)) and targets \(describe(targets.shape)) "
                      + "must have the same shape", file: file, line: line)
        }
        return (1 - Tensor.mul(self, targets, file: file, line: line)).relu().mean()
    }

    /// The multi-class hinge loss of `self` (scores, shape [N, C]) against integer labels,
    /// as PyTorch's `MultiMarginLoss` (p = 1): every wrong class whose score comes within
    /// `margin` of the label's score costs the shortfall. Composed: the label scores picked
    /// by indexSelect, then relu(margin − x[n, label_n] + x[n, c]) summed (reshape,
    /// indexSelect, mul, add, relu, sum).
    ///
    /// ```
    /// loss = (1/N) Σ_n (1/C) Σ_{c ≠ label_n} max(0, margin − x[n, label_n] + x[n, c])
    /// ```
    /// Summing over every c, the label included, adds max(0, margin − x + x) = margin once per
    /// row, a constant whose gradient is exactly 0 (x[n, label_n] enters it twice, with
    /// opposite signs); it is subtracted again, N · margin in all.
    ///
    /// - Throws: `NNError.labelOutOfRange` for a label outside 0..<C,
    ///   `NNError.labelCountMismatch` when there is not one label per row.
    public func multiClassHingeLoss(labels: [Int], margin: Scalar = 1,
                                    file: StaticString = #fileID, line: UInt = #line) throws(NNError) -> Tensor {
        if !(margin >= 0) {
            shapeTrap("multiClassHingeLoss", "margin is \(margin), but it must be ≥ 0", file: file, line: line)
        }
        let (batch, classes) = try checkedClassification(labels, op: "multiClassHingeLoss", file: file, line: line)
        let labelScores = reshape([batch * classes])
            .indexSelect(axis: 0, labels.enumerated().map { $0.offset * classes + $0.element })
            .reshape([batch, 1])
        let shortfalls = (Tensor.add(self, -labelScores, file: file, line: line) + margin).relu()
        return (shortfalls.sum() - Scalar(batch) * margin) / Scalar(batch * classes)
    }

    /// Checks that `self` is [N, C] logits or scores (a trap otherwise: a programmer error)
    /// and that `labels` are N class indices in 0..<C (a typed error: they come from data).
    private func checkedClassification(_ labels: [Int], op: String, file: StaticString,
                                       line: UInt) throws(NNError) -> (batch: Int, classes: Int) {
        if rank != 2 {
            shapeTrap(op, "scores must have shape [batch, classes], got \(describe(shape))", file: file, line: line)
        }
        let (batch, classes) = (shape[0], shape[1])
        guard labels.count == batch else { throw .labelCountMismatch(labels: labels.count, batch: batch) }
        if let index = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw .labelOutOfRange(label: labels[index], index: index, classCount: classes)
        }
        return (batch, classes)
    }
}
