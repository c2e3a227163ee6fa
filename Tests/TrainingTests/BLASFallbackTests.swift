// BLASFallbackTests.swift — every recipe of `lumen train` runs on the BLAS backend's own fast
// loops: an epoch of each (forward, loss, backward, the optimizer's step, and the evaluation
// after it) with `BLASBackend.onFallback` set to record every kernel that hands a layout to
// the default loop. None may, the character models included. (A recipe that did would run
// part of every step through the slower strided walk: issue "real training at full speed".)

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
        #expect(fallbacks.kernels.isEmpty, "\(name): default loops taken by \(Set(fallbacks.kernels).sorted())")
    }

    /// Attention's layouts: a permuted 4-D view (heads split off, [N, T, H, D] read as
    /// [N, H, T, D]) and its last two axes swapped (Kᵀ) are made contiguous and mapped by
    /// BLAS's own row loops, to exactly the reference's numbers (a copy, abs and relu
    /// round nothing).
    @Test func permutedViewsTakeTheRowLoops() throws {
        var rng = SplitMix64(seed: 5)
        let x = Tensor<Float>.randomUniform([2, 3, 4, 5], -1, 1, using: &rng)
        let heads = x.permute([0, 2, 1, 3]), keysT = x.permute([0, 2, 3, 1])
        let ops: [(String, @Sendable (Tensor<Float>) -> Tensor<Float>)] = [
            ("copy", { $0.contiguous() }), ("abs", { $0.abs() }), ("relu", { $0.relu() }),
        ]
        for (name, view) in [("heads", heads), ("keys transposed", keysT)] {
            for (kernel, op) in ops {
                let fallbacks = FallbackLog()
                let fast = BLASBackend.$onFallback.withValue({ fallbacks.append($0) }) {
                    Backends.$scoped.withValue(BLASBackend()) { op(view).scalars }
                }
                let reference = Backends.$scoped.withValue(ReferenceBackend()) { op(view).scalars }
                #expect(fast == reference, "\(kernel) on \(name)")
                #expect(fallbacks.kernels.isEmpty, "\(kernel) on \(name): \(fallbacks.kernels)")
            }
        }
    }

    /// The hook itself works: adding a transposed view (a last axis that steps by 5) has no
    /// fast loop in `zip` and is reported.
    @Test func aStridedLayoutIsReported() {
        let fallbacks = FallbackLog()
        let x = Tensor<Float>.ones([3, 5]).transposed()
        BLASBackend.$onFallback.withValue({ fallbacks.append($0) }) {
            Backends.$scoped.withValue(BLASBackend()) { _ = x + x }
        }
        #expect(fallbacks.kernels == ["zip"])
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
