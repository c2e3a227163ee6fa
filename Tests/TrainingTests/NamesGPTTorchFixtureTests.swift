// NamesGPTTorchFixtureTests.swift — names-gpt against PyTorch on the same weights and batches:
// the validation NLL of PyTorch's initial weights, five Adam steps' losses, and the
// validation NLL after them, from Fixtures/make_names_gpt_fixture.py (which builds the same
// architecture in PyTorch, Scripts/names_gpt_torch.py's TinyGPT, and writes its weights
// under Lumen's names).
//
// Read next: Sources/Training/Recipe+Names.swift.

import Checkpoints
import Datasets
import Foundation
import Layers
import Optimizers
import Tensors
import Testing
@testable import Training

/// What make_names_gpt_fixture.py wrote.
private struct NamesGPTFixture: Decodable {
    let trainExamples: Int
    let validationExamples: Int
    let validationNLL: Double
    let batches: [[Int]]
    let learningRate: Double
    let losses: [Double]
    let validationNLLAfter: Double
}

@Suite struct NamesGPTTorchFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The mean cross-entropy of `model` over every example of `set`: its NLL in nats per character.
    static func nll(_ model: Sequential<Float>, _ set: InMemoryDataset<Float>) throws -> Double {
        let inputs = try Tensor<Float>(shape: [set.count, LanguageModel.names.blockSize], elements: set.features)
        return Double(try withoutGradients { try model(inputs).crossEntropy(labels: set.labels) }.item())
    }

    @Test func namesGPTMatchesPyTorchOnTheSameWeightsAndBatches() throws {
        let fixture = try JSONDecoder().decode(
            NamesGPTFixture.self, from: Data(contentsOf: Self.folder.appendingPathComponent("names-gpt-torch.json")))
        let model = Recipe.namesGPT.makeModel(seed: 0)
        // Strict: every tensor of the model is in the file and nothing else is.
        try Checkpoint.load(Self.folder.appendingPathComponent("names-gpt-torch.safetensors").path, into: model)
        let data = try LanguageModel.names.trainingData()   // train; validation in the place of test
        #expect(data.train.count == fixture.trainExamples && data.test.count == fixture.validationExamples)

        // The same function: PyTorch's weights score the validation names alike (Float sums).
        let before = try Self.nll(model, data.test)
        #expect(abs(before - fixture.validationNLL) < 1e-4, "Lumen \(before), PyTorch \(fixture.validationNLL)")

        // The same training: Adam on the same batches gives the same losses.
        let optimizer = try Adam(model.parameters, learningRate: fixture.learningRate)
        let width = LanguageModel.names.blockSize
        for (step, (batch, expected)) in zip(fixture.batches, fixture.losses).enumerated() {
            let inputs = try Tensor<Float>(shape: [batch.count, width],
                                           elements: batch.flatMap { data.train.features[$0 * width ..< ($0 + 1) * width] })
            optimizer.zeroGrad()
            let loss = try model(inputs).crossEntropy(labels: batch.map { data.train.labels[$0] })
            loss.backward()
            optimizer.step()
            #expect(abs(Double(loss.item()) - expected) < 1e-4, "step \(step + 1): Lumen \(loss.item()), PyTorch \(expected)")
        }
        let after = try Self.nll(model, data.test)
        #expect(abs(after - fixture.validationNLLAfter) < 1e-3, "Lumen \(after), PyTorch \(fixture.validationNLLAfter)")
        #expect(after < before - 0.3)   // the steps taught the model something: not a comparison of idle weights
    }
}
