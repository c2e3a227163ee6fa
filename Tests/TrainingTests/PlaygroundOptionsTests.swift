// PlaygroundOptionsTests.swift — TensorFlow Playground's knobs on the 2-D recipes: --hidden,
// --activation, --noise, --points. The model and the data follow them, a short run's loss
// falls, the checkpoint records them, and --resume remakes exactly that recipe.

import Checkpoints
import Foundation
import Layers
import Tensors
import Testing
@testable import Training

@Suite struct PlaygroundOptionsTests {
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-playground-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func hiddenAndActivationShapeTheModelAndPointsAndNoiseTheData() throws {
        let recipe = try Recipe.named("spirals", options: RecipeOptions(hidden: [8, 8], activation: .tanh, points: 200, noise: 0.1))
        let model = recipe.makeModel(seed: 0)
        #expect(model.layers.map(\.summaryName) == ["Linear(2 → 8)", "Tanh", "Linear(8 → 8)", "Tanh", "Linear(8 → 2)"])
        #expect((model.layers[0] as? Linear<Float>).map { [$0.inFeatures, $0.outFeatures] } == [2, 8])
        #expect((model.layers[4] as? Linear<Float>).map { [$0.inFeatures, $0.outFeatures] } == [8, 2])
        let data = try recipe.loadData()
        #expect(data.train.count == 150 && data.test.count == 50)
        // The noise reaches the points: the same seed with more noise moves them.
        let quiet = try Recipe.named("spirals", options: RecipeOptions(points: 200, noise: 0)).loadData()
        #expect(quiet.train.features != data.train.features && quiet.train.labels == data.train.labels)
        // Without options, the built-in recipe as it was.
        #expect(try Recipe.named("moons", options: RecipeOptions()).makeModel(seed: 0).layers.count == 5)
    }

    @Test func aShortTanhRunsLossFalls() throws {
        let recipe = try Recipe.named("moons", options: RecipeOptions(hidden: [8, 8], activation: .tanh))
        let trainer = try Trainer(recipe: recipe, settings: TrainingSettings(epochs: 10, batchSize: 16, learningRate: 0.02, optimizer: .adam))
        try trainer.train(progress: nil)
        #expect(trainer.history.last!.trainLoss < trainer.history.first!.trainLoss * 0.8)
        // summary.txt ends with the final metrics.
        let lines = TrainingOutputFolder.finalMetrics(trainer)
        #expect(lines[0] == "Final metrics after 10 epochs (300 train, 100 test examples):")
        #expect(lines[2] == "  test: loss " + String(format: "%.6f", trainer.history.last!.testLoss)
                + ", accuracy " + String(format: "%.2f%%", 100 * trainer.history.last!.testAccuracy))
    }

    @Test func theCheckpointRecordsTheOptionsAndResumeRemakesTheRecipe() throws {
        let directory = try Self.folder()
        let path = directory + "/model.safetensors"
        let options = RecipeOptions(hidden: [6], activation: .sigmoid, points: 120, noise: 0.2)
        let recipe = try Recipe.named("moons", options: options)
        var settings = TrainingSettings(epochs: 2, batchSize: 16, learningRate: 0.02, optimizer: .adam, seed: 4)
        try Trainer(recipe: recipe, settings: settings).train(progress: nil, checkpointPath: path)

        let metadata = try Safetensors.read(from: path).metadata
        #expect(metadata[RecipeOptions.metadataKey] == #"{"activation":"sigmoid","hidden":[6],"noise":0.2,"points":120}"#)
        let spec = try #require(try ModelSpec.read(from: metadata))
        #expect(spec.layers == [.linear(inFeatures: 2, outFeatures: 6, bias: true), .sigmoid, .linear(inFeatures: 6, outFeatures: 2, bias: true)])

        let remade = try Trainer.savedRecipe(at: path)
        #expect(remade.options == options)
        let resumed = try Trainer(resumingFrom: path, recipe: remade, overrides: .init(epochs: 4))
        try resumed.train(progress: nil)
        settings.epochs = 4
        let straight = try Trainer(recipe: recipe, settings: settings)
        try straight.train(progress: nil)
        #expect(resumed.history.map(\.trainLoss) == straight.history.map(\.trainLoss))
        for ((name, a), (_, b)) in zip(resumed.model.namedState, straight.model.namedState) {
            #expect(a.scalars == b.scalars, "\(name)")
        }
        // The plain recipe is not the one that trained: refused, saying which options differ.
        #expect {
            try Trainer(resumingFrom: path, recipe: .moons, overrides: .init(epochs: 4))
        } throws: { error in
            "\(error)".hasPrefix("cannot resume from \(path): it was trained with the options "
                                  + #"{"activation":"sigmoid","hidden":[6],"noise":0.2,"points":120}, and the recipe given has {}"#)
        }
    }

    @Test func optionsOutOfRangeOrForOtherRecipesAreTypedErrors() {
        func message(_ name: String, _ options: RecipeOptions) -> String {
            do { _ = try Recipe.named(name, options: options); return "no error" } catch { return error.description }
        }
        #expect(message("digits-mlp", RecipeOptions(hidden: [8]))
            == "--hidden (given) is not allowed: --hidden must be left out: it applies only to moons and spirals and to --data FILE runs")
        #expect(message("moons", RecipeOptions(points: 3)) == "--points 3 is not allowed: --points must be 8 to 1000000")
        #expect(message("moons", RecipeOptions(noise: -1)).hasPrefix("--noise -1.0 is not allowed"))
        #expect(message("moons", RecipeOptions(hidden: [8, 5000])).hasPrefix("--hidden 8,5000 is not allowed"))
    }
}
