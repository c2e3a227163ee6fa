// Names+Examples.swift — texts cut into (context → next character) examples, the training data
// of a character-level language model (Bengio et al. 2003; Karpathy's makemore).
//
// A name of n letters gives n + 1 examples: each letter, and then the end token, predicted
// from the `blockSize` ids before it, with end tokens standing in for the ids before the
// first letter. With block size 3, "emma" (e = 5, m = 13, a = 1) gives
//
//     . . .  → e        [0, 0, 0] → 5
//     . . e  → m        [0, 0, 5] → 13
//     . e m  → m        [0, 5, 13] → 13
//     e m m  → a        [5, 13, 13] → 1
//     m m a  → .        [13, 13, 1] → 0
//
// The mean cross-entropy over a set's examples is its negative log-likelihood in nats per
// character (the end token counting as one character per name).
//
// Read next: Sources/Training/Recipe+Names.swift, which trains models on these.

import Basics

extension InMemoryDataset {
    /// The (context → next character) examples of `texts`, text after text, in order.
    ///
    /// Example shape `[blockSize]`: the context's ids as scalars (exact: ids are small
    /// integers); the label is the next id. `classCount` is the vocabulary's size and the
    /// class names are its characters, so a classifier over the vocabulary fits.
    ///
    /// - Throws: `VocabularyError.unknownCharacter` for a character the vocabulary lacks.
    public static func nextCharacterExamples(_ texts: [String], vocabulary: CharacterVocabulary,
                                             blockSize: Int) throws(VocabularyError) -> InMemoryDataset {
        trapUnless(blockSize >= 1, "nextCharacterExamples: the block size must be at least 1, got \(blockSize)")
        var features: [Scalar] = []
        var labels: [Int] = []
        for text in texts {
            let ids = try vocabulary.encode(text) + [CharacterVocabulary.endID]
            var context = [Int](repeating: CharacterVocabulary.endID, count: blockSize)
            for id in ids {
                features.append(contentsOf: context.map { Scalar($0) })
                labels.append(id)
                context.removeFirst()
                context.append(id)
            }
        }
        return InMemoryDataset(checkedFeatures: features, labels: labels, exampleShape: [blockSize],
                               classCount: vocabulary.size, classNames: vocabulary.characters.map { String($0) })
    }
}
