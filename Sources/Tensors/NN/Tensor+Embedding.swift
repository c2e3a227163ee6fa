// Tensor+Embedding.swift — embedding lookup: rows of a table picked by token id, composed
// from indexSelect (and reshape). No backward of its own.
//
// Read next: Tensor+Dropout.swift.

extension Tensor {
    /// The rows of this table ([vocabularySize, D]) for `ids`, arranged in `shape` (default
    /// `[ids.count]`), giving shape + [D]. Composed: indexSelect along axis 0, then reshape.
    ///
    /// ```
    /// out[p, :] = table[ids[p], :]        ∂table[r, :] = Σ_{p : ids[p] = r} u[p, :]
    /// ```
    /// A token that appears several times sends back the sum of its gradients (indexSelect
    /// adds, never overwrites); rows that no id picked get gradient 0.
    ///
    /// - Throws: `NNError.tokenOutOfRange` for an id outside 0..<vocabularySize,
    ///   `NNError.idCountMismatch` when `ids` do not fill `shape`. Ids come from data
    ///   (a tokenizer), so they are checked and reported, not trapped on.
    public func embedding(_ ids: [Int], shape idShape: [Int]? = nil,
                          file: StaticString = #fileID, line: UInt = #line) throws(NNError) -> Tensor {
        if rank != 2 {
            shapeTrap("embedding", "the table must have shape [vocabularySize, D], got \(describe(shape))",
                      file: file, line: line)
        }
        let arrangement = idShape ?? [ids.count]
        if arrangement.contains(where: { $0 < 0 }) || arrangement.reduce(1, *) != ids.count {
            throw .idCountMismatch(ids: ids.count, shape: arrangement)
        }
        if let index = ids.firstIndex(where: { $0 < 0 || $0 >= shape[0] }) {
            throw .tokenOutOfRange(id: ids[index], index: index, vocabularySize: shape[0])
        }
        return indexSelect(axis: 0, ids, file: file, line: line).reshape(arrangement + [shape[1]], file: file, line: line)
    }
}
