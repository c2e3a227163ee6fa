// LanguageModel+Report.swift — what `lumen train names-lstm` / `names-gpt` report after training:
// the negative log-likelihood of the validation and test names in nats per character, and 20
// names sampled from the model. Also written to samples.txt in the output folder.
//
// NLL = −(1/C) Σ_c log p(character c | the characters before it), over every character c of
// every name, end tokens included. A model that knew nothing (uniform over 27 ids) scores
// ln 27 ≈ 3.30; counting letter pairs (a bigram table) gives about 2.45 on names like these.
//
// Read next: Sources/LumenCLI/TrainCommand.swift.

import Datasets
import Files
import Foundation

/// A trained character model's scores and samples.
public struct LanguageModelReport: Sendable, Equatable {
    /// Mean NLL per character of the validation names (the trainer's per-epoch test set).
    public let validationNLL: Double
    /// Mean NLL per character of the test names, scored once.
    public let testNLL: Double
    public let temperature: Double
    public let samplingSeed: UInt64
    public let samples: [String]

    /// The number of names a report samples.
    public static let sampleCount = 20

    /// The seed of the samples of a run trained with `seed`: apart from the weights' seed and
    /// the shuffle's (seed + 1000), so that each stream stays its own.
    public static func samplingSeed(for seed: UInt64) -> UInt64 { seed &+ 2000 }

    /// The lines printed and written: the two NLLs, then the samples, five to a line (a name
    /// the model ended at once shows as "(empty)").
    public var lines: [String] {
        let nll = "validation NLL \(Self.fixed(validationNLL)) nats/char, test NLL \(Self.fixed(testNLL)) nats/char"
        let header = "\(samples.count) samples (temperature \(temperature), seed \(samplingSeed)):"
        let rows = stride(from: 0, to: samples.count, by: 5).map { start in
            "  " + samples[start ..< min(start + 5, samples.count)].map { $0.isEmpty ? "(empty)" : $0 }
                .joined(separator: "  ")
        }
        return [nll, header] + rows
    }

    static func fixed(_ x: Double) -> String { String(format: "%.4f", x) }
}

extension Trainer {
    /// The report of a trained character model: the last epoch's validation loss, the test
    /// set's loss, and `LanguageModelReport.sampleCount` names at `temperature`, drawn with
    /// `LanguageModelReport.samplingSeed(for: settings.seed)`.
    ///
    /// - Throws: `TrainingError.data` when the test names cannot be read.
    public func languageModelReport(_ language: LanguageModel, temperature: Double) throws(TrainingError) -> LanguageModelReport {
        let test = evaluate(try language.testSet())
        let seed = LanguageModelReport.samplingSeed(for: settings.seed)
        return LanguageModelReport(
            validationNLL: history.last?.testLoss ?? evaluate(data.test).loss, testNLL: test.loss,
            temperature: temperature, samplingSeed: seed,
            samples: language.sample(from: model, count: LanguageModelReport.sampleCount, temperature: temperature,
                                     seed: seed))
    }
}

extension TrainingOutputFolder {
    /// `samples.txt`: the report's lines.
    public func writeSamples(_ report: LanguageModelReport) throws(TrainingError) -> String {
        let target = file("samples.txt")
        do {
            try AtomicFile.write(Array((report.lines.joined(separator: "\n") + "\n").utf8), to: target)
        } catch {
            throw .unwritable(path: target, reason: error.reason)
        }
        return target
    }
}
