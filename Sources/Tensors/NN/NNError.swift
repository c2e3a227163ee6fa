// NNError.swift — the errors the NN functions throw when user data (class labels, token ids)
// is out of range. Shape mismatches between tensors are programmer errors and trap instead.
//
// Read next: Tensor+Softmax.swift, then Tensor+Losses.swift.

/// Errors that labels or ids coming from a data set can cause, thrown instead of trapping.
public enum NNError: Error, Equatable, CustomStringConvertible {
    /// A class label outside 0..<classCount, at position `index` of the labels.
    case labelOutOfRange(label: Int, index: Int, classCount: Int)
    /// A different number of labels than rows of logits.
    case labelCountMismatch(labels: Int, batch: Int)
    /// A token id outside 0..<vocabularySize, at position `index` of the ids.
    case tokenOutOfRange(id: Int, index: Int, vocabularySize: Int)
    /// A number of ids that does not fill the shape they are to be arranged in.
    case idCountMismatch(ids: Int, shape: [Int])

    public var description: String {
        switch self {
        case let .labelOutOfRange(label, index, classCount):
            "label \(label) at position \(index) is out of range: with \(classCount) classes a label must be "
                + "in 0..<\(classCount); check the data set's labels or the model's number of outputs"
        case let .labelCountMismatch(labels, batch):
            "\(labels) labels were given for a batch of \(batch) rows of logits; give exactly one label per row"
        case let .tokenOutOfRange(id, index, vocabularySize):
            "token id \(id) at position \(index) is out of range: the embedding table has \(vocabularySize) rows, "
                + "so an id must be in 0..<\(vocabularySize); check the tokenizer or enlarge the table"
        case let .idCountMismatch(ids, shape):
            "\(ids) ids cannot be arranged in shape \(describe(shape)), which needs \(shape.reduce(1, *)); "
                + "give exactly that many ids or change the shape"
        }
    }
}
