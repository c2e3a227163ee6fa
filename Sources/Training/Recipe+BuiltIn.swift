// Recipe+BuiltIn.swift — the recipes `lumen train` knows: two small 2-D problems whose
// decision boundary can be watched (moons, spirals), the bundled 8 × 8 digits with an MLP
// and with a small CNN, and MNIST from files the user has.
//
// The digits recipes use the fixed split of ../shared/bench/WORKLOADS.md (W3): train on the
// rows perm[0 ..< 1500] of numpy's RandomState(0).permutation(1797), test on the other 297.
// Their defaults reach the documented accuracies (README: `lumen train`) on that split.
//
// Read next: Trainer.swift, which trains a recipe.

import Datasets
import Basics
import Layers

extension Recipe {
    /// Every built-in recipe, in the order `lumen train --help` lists them.
    public static let builtIn: [Recipe] = [moons, spirals, digitsMLP, digitsCNN, mnist, namesLSTM, namesGPT]

    /// The seed of the synthetic data sets, and of their train/test split. Fixed, so that
    /// `--seed` changes only the weights and the batch order, and runs compare.
    static let dataSeed: UInt64 = 7

    /// Two interleaving half moons, 400 points (noise 0.15): 300 train, 100 test. An MLP
    /// 2 → 16 → 16 → 2 with ReLU, Adam.
    public static let moons = Recipe(
        name: "moons", summary: "an MLP 2 → 16 → 16 → 2 on 400 noisy two-moons points (300 train, 100 test)",
        defaults: TrainingSettings(epochs: 40, batchSize: 32, learningRate: 0.01, optimizer: .adam),
        isPlanar: true,
        load: { _ throws(TrainingError) in
            try planarSplit(InMemoryDataset<Float>.moons(count: 400, noise: 0.15, seed: dataSeed))
        },
        build: { rng in mlp([2, 16, 16, 2], using: &rng) })

    /// Two spirals of one turn each, 400 points: 300 train, 100 test. An MLP
    /// 2 → 64 → 64 → 2 with ReLU, Adam.
    public static let spirals = Recipe(
        name: "spirals", summary: "an MLP 2 → 64 → 64 → 2 on two spirals, 400 points (300 train, 100 test)",
        defaults: TrainingSettings(epochs: 100, batchSize: 32, learningRate: 0.01, optimizer: .adam),
        isPlanar: true,
        load: { _ throws(TrainingError) in
            try planarSplit(InMemoryDataset<Float>.spirals(count: 400, arms: 2, turns: 1, noise: 0.04, seed: dataSeed))
        },
        build: { rng in mlp([2, 64, 64, 2], using: &rng) })

    /// The bundled digits as vectors of 64 pixels; an MLP 64 → 128 → 64 → 10 (the W3 model)
    /// trained with SGD and momentum.
    public static let digitsMLP = Recipe(
        name: "digits-mlp", summary: "an MLP 64 → 128 → 64 → 10, bundled 8×8 digits (1500 train, 297 test)",
        defaults: TrainingSettings(epochs: 30, batchSize: 32, learningRate: 0.05, optimizer: .momentum),
        load: { _ throws(TrainingError) in try digits(layout: .flat) },
        build: { rng in mlp([64, 128, 64, 10], using: &rng) })

    /// The bundled digits as 1 × 8 × 8 images; two 3 × 3 convolutions (16 and 32 channels,
    /// padding 1), each followed by ReLU and 2 × 2 max pooling, then an MLP 128 → 64 → 10.
    public static let digitsCNN = Recipe(
        name: "digits-cnn",
        summary: "a CNN: conv 3×3 ×16, pool, conv 3×3 ×32, pool, 128 → 64 → 10; 8×8 digits",
        defaults: TrainingSettings(epochs: 30, batchSize: 32, learningRate: 0.05, optimizer: .momentum),
        load: { _ throws(TrainingError) in try digits(layout: .image) },
        build: { rng in
            Sequential<Float>([
                Conv2d(inChannels: 1, outChannels: 16, kernelSize: 3, padding: 1, using: &rng), ReLU(),
                MaxPool2d(kernelSize: 2),
                Conv2d(inChannels: 16, outChannels: 32, kernelSize: 3, padding: 1, using: &rng), ReLU(),
                MaxPool2d(kernelSize: 2),
                Flatten(),
                Linear(in: 32 * 2 * 2, out: 64, using: &rng), ReLU(),
                Linear(in: 64, out: 10, using: &rng),
            ])
        })

    /// MNIST from the IDX files in `--data DIR` (60,000 train, 10,000 test); an MLP
    /// 784 → 256 → 10, Adam.
    public static let mnist = Recipe(
        name: "mnist", summary: "an MLP 784 → 256 → 10 on MNIST from --data DIR (60000 train, 10000 test)",
        defaults: TrainingSettings(epochs: 5, batchSize: 64, learningRate: 0.001, optimizer: .adam),
        needsDataDirectory: true,
        dataFiles: MNIST.Part.allCases.flatMap { part in
            [false, true].map { labels in MNIST.acceptedFileNames(part: part, labels: labels)[0] }
        },
        load: { directory throws(TrainingError) in
            let split: TrainTestSplit<Float>
            do throws(DataFileError) {
                split = TrainTestSplit(train: try .mnist(directory: directory ?? ".", part: .train),
                                       test: try .mnist(directory: directory ?? ".", part: .test))
            } catch {
                throw .data(error)
            }
            for (part, data) in [("training", split.train), ("test", split.test)] {
                if data.exampleShape != [784] {
                    throw .dataDoesNotFit(recipe: "mnist", part: part, found: "images of \(data.exampleShape) pixels",
                                          expected: "28 × 28 = 784 pixels per image")
                }
                if data.count == 0 {
                    throw .dataDoesNotFit(recipe: "mnist", part: part, found: "no images", expected: "at least one")
                }
            }
            return split
        },
        build: { rng in mlp([784, 256, 10], using: &rng) })

    // MARK: - Parts

    /// Linear layers of the given widths with a ReLU between each two.
    static func mlp(_ widths: [Int], using rng: inout SplitMix64) -> Sequential<Float> {
        var layers: [any Layer<Float>] = []
        for (index, (input, output)) in zip(widths, widths.dropFirst()).enumerated() {
            if index > 0 { layers.append(ReLU<Float>()) }
            layers.append(Linear<Float>(in: input, out: output, using: &rng))
        }
        return Sequential(layers)
    }

    /// A synthetic set cut 75 % / 25 % by a fixed seeded shuffle.
    static func planarSplit(_ data: InMemoryDataset<Float>) throws(TrainingError) -> TrainTestSplit<Float> {
        // 0.75 is in [0, 1], so the split cannot fail.
        try! data.split(trainFraction: 0.75, seed: dataSeed)
    }

    /// The bundled digits, split as in WORKLOADS.md's W3.
    static func digits(layout: ImageLayout) throws(TrainingError) -> TrainTestSplit<Float> {
        do throws(DataFileError) {
            return try InMemoryDataset<Float>.digitsSplit(layout: layout)
        } catch {
            throw .data(error)
        }
    }
}
