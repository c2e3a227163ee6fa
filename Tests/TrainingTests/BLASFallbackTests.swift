// BLASFallbackTests.swift — every recipe of `lumen train` runs on the BLAS backend's own fast
// loops: an epoch of each (forward, loss, backward, the optimizer's step, and the evaluation
// after it) with `BLASBackend.onFallback` set to record every kernel that hands a layout to
// the default loop. None may. (A recipe that did would run part of every step through the
// slower strided walk: issue "real training at full speed".)

#if BLAS
import Testing
import Datasets
import Engine
import Foundation
import Tensors
import Training

@Suite struct BLASFallbackTests {
    /// A few batches of random data shaped like the recipe's own: the kernels see the same
    /// layouts whatever the numbers are.
    static func smallData(for recipe: Recipe) throws -> TrainTestSplit<Float> {
        if let language = LanguageModel.of(recipe) {
            // A character model reads ids: contexts of `blockSize` ids, the next id the label.
            let size = language.vocabulary.size
            var rng = SplitMix64(seed: 3)
            func part(_ count: Int) throws -> InMemoryDataset<Float> {
                let features = (0..<(count * language.blockSize)).map { _ in Float(rng.next() % UInt64(size)) }
                let labels = (0..<count).map { _ in Int(rng.next() % UInt64(size)) }
                return try InMemoryDataset(features: features, labels: labels, exampleShape: [language.blockSize],
                                           classCount: size)
            }
            return TrainTestSplit(train: try part(100), test: try part(30))
        }
        let exampleShape: [Int] = switch recipe.name {
        case "moons", "spirals": [2]
        case "digits-mlp": [64]
        case "digits-cnn": [1, 8, 8]
        default: [784]
        }
        let classes = recipe.name == "moons" || recipe.name == "spirals" ? 2 : 10
        var rng = SplitMix64(seed: 3)
        func part(_ count: Int) throws -> InMemoryDataset<Float> {
            let size = exampleShape.reduce(1, *)
            let features = (0..<(count * size)).map { _ in Float(rng.nextUniform(0, 1)) }
            let labels = (0..<count).map { _ in Int(rng.next() % UInt64(classes)) }
            return try InMemoryDataset(features: features, labels: labels, exampleShape: exampleShape, classCount: classes)
        }
        // 100 examples: full batches and a last, partial one (a different shape) for every batch size.
        return TrainTestSplit(train: try part(100), test: try part(30))
    }

    @Test(arguments: Recipe.builtIn.map(\.name))
    func recipeStepsTakeNoFallback(name: String) throws {
        let recipe = try Recipe.named(name)
        let trainer = try Trainer(recipe: recipe, settings: recipe.defaults, data: Self.smallData(for: recipe))
        let fallbacks = FallbackLog()
        try BLASBackend.$onFallback.withValue({ fallbacks.append($0) }) {
            try Backends.$scoped.withValue(BLASBackend()) {
                try trainer.trainEpoch(progress: nil)
            }
        }
        #expect(trainer.history.count == 1)
        if LanguageModel.of(recipe) != nil {
            // Known gap (issue "real training at full speed"): the character models' attention
            // and position slices hand strided views to `map`, which BLAS has no fast loop for yet.
            // When that is fixed, this known issue stops being recorded and the test says so.
            withKnownIssue("\(name) still takes the default map loop for strided views") {
                #expect(fallbacks.kernels.isEmpty, "\(name): default loops taken by \(Set(fallbacks.kernels).sorted())")
            }
        } else {
            #expect(fallbacks.kernels.isEmpty, "\(name): default loops taken by \(fallbacks.kernels)")
        }
    }

    /// The hook itself works: a transposed view's relu has no fast loop and is reported.
    @Test func aStridedLayoutIsReported() {
        let fallbacks = FallbackLog()
        let x = Tensor<Float>.ones([3, 5]).transposed()
        BLASBackend.$onFallback.withValue({ fallbacks.append($0) }) {
            Backends.$scoped.withValue(BLASBackend()) { _ = x.relu() }
        }
        #expect(fallbacks.kernels == ["map"])
    }
}

/// The kernels reported to the hook, collected across threads.
final class FallbackLog: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func append(_ kernel: String) { lock.withLock { names.append(kernel) } }
    var kernels: [String] { lock.withLock { names } }
}
#endif
