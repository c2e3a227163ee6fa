// LanguageModel+Sampling.swift — new names from a trained character model: start from a
// context of end tokens, ask the model for the next character's distribution, draw one, slide
// the context, and stop at the end token.
//
// Temperature T reshapes the distribution before the draw: p_i = exp(ℓ_i / T) / Σ_j exp(ℓ_j / T)
// for logits ℓ. T = 1 samples the model as trained; T < 1 sharpens it toward the likeliest
// characters (safer, more repetitive names), T > 1 flattens it (more inventive, more
// misspelled ones); T → 0 would be greedy decoding. Every draw comes from one SplitMix64
// stream, so a seed gives the same names on every run and machine (up to the model's own
// floating-point results, which the backend fixes).
//
// Read next: Sources/LumenCLI/TrainCommand.swift, which prints the samples after training.

import Datasets
import Basics
import Foundation
import Layers
import Tensors

extension LanguageModel {
    /// A sample stops after this many characters if the model has not ended it.
    public static let maximumSampleLength = 30

    /// `count` texts drawn from `model`, all at once: at step s every unfinished sample gets
    /// its next character, in the order of the samples, each from one `nextUnit()` of
    /// `SplitMix64(seed: seed)` (inverse-CDF sampling of `probabilities(logits:temperature:)`).
    /// The model runs in evaluation mode without recording a graph; its mode is restored.
    ///
    /// - Precondition: temperature is finite and > 0 (the CLI checks what users type).
    public func sample(from model: Sequential<Float>, count: Int, temperature: Double, seed: UInt64) -> [String] {
        trapUnless(temperature.isFinite && temperature > 0, "sample: the temperature must be > 0, got \(temperature)")
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        var generator = SplitMix64(seed: seed)
        var contexts = [[Int]](repeating: [Int](repeating: CharacterVocabulary.endID, count: blockSize), count: count)
        var texts = [[Int]](repeating: [], count: count)
        var open = Array(0..<count)
        var step = 0
        while !open.isEmpty && step < Self.maximumSampleLength {
            let input = try! Tensor<Float>(shape: [open.count, blockSize],
                                           elements: open.flatMap { contexts[$0].map { Float($0) } })
            let logits = withoutGradients { model(input) }.scalars
            var stillOpen: [Int] = []
            for (row, sample) in open.enumerated() {
                let rowLogits = Array(logits[row * vocabulary.size ..< (row + 1) * vocabulary.size])
                let id = Self.draw(Self.probabilities(logits: rowLogits, temperature: temperature), generator.nextUnit())
                contexts[sample].removeFirst()
                contexts[sample].append(id)
                if id == CharacterVocabulary.endID { continue }
                texts[sample].append(id)
                stillOpen.append(sample)
            }
            open = stillOpen
            step += 1
        }
        // Every id came from the model's vocabulary-sized output.
        return texts.map { try! vocabulary.decode($0) }
    }

    /// softmax(ℓ / T) in Double, shifted by the largest logit so that no exponential overflows.
    public static func probabilities(logits: [Float], temperature: Double) -> [Double] {
        let scaled = logits.map { Double($0) / temperature }
        let top = scaled.max() ?? 0
        let weights = scaled.map { Foundation.exp($0 - top) }
        let total = weights.reduce(0.0) { $0 + $1 }
        return weights.map { $0 / total }
    }

    /// The first index i with p₀ + … + pᵢ > u, for u in [0, 1) (the last index if rounding
    /// leaves the total just below u).
    public static func draw(_ probabilities: [Double], _ u: Double) -> Int {
        var cumulative = 0.0
        for (index, p) in probabilities.enumerated() {
            cumulative += p
            if u < cumulative { return index }
        }
        return probabilities.count - 1
    }
}
