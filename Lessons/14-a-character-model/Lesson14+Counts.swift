// Lesson14+Counts.swift — what lesson 14's later steps reuse from its earlier ones: the bigram
// table of step 2 and its smoothed probabilities, and the whole-set NLL of a tensor model.
// Read next: Lesson14.swift.

import Datasets
import Foundation
import Tensors

extension Lesson14 {
    /// The characters by id: "." then a–z.
    static let characters = CharacterVocabulary.lowercaseLetters.characters.map { String($0) }

    /// counts[a][b]: how often id b follows id a in the training names, each name read as
    /// ". n a m e ." (step 2's loop).
    static func bigramCounts() throws -> [[Double]] {
        var counts = [[Double]](repeating: [Double](repeating: 0, count: 27), count: 27)
        for name in try Names.split().train {
            let ids = [0] + (try CharacterVocabulary.lowercaseLetters.encode(name)) + [0]
            for (a, b) in zip(ids, ids.dropFirst()) { counts[a][b] += 1 }
        }
        return counts
    }

    /// p[a][b] = (counts[a][b] + 1) / (Σ_b counts[a][b] + 27): add-one smoothing (step 3).
    static func bigramProbabilities(_ counts: [[Double]]) -> [[Double]] {
        counts.map { row in row.map { ($0 + 1) / (row.reduce(0, +) + 27) } }
    }

    /// The mean cross-entropy of `model` over all of `set`'s examples, without a graph: its
    /// NLL in nats per character.
    static func setNLL(_ set: InMemoryDataset<Float>, _ model: (Tensor<Float>) throws -> Tensor<Float>) throws -> Double {
        let inputs = try Tensor<Float>(shape: [set.count] + set.exampleShape, elements: set.features)
        return Double(try withoutGradients { try model(inputs).crossEntropy(labels: set.labels) }.item())
    }
}
