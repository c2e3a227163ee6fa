// Lesson16+GAN.swift — the two players of lesson 16 and the ring they learn: the data
// (8 Gaussians on a circle), mode coverage, and `RingGAN`, which holds a generator, a
// discriminator and their optimizers. The training loop itself is written out in
// Lesson16.swift's steps. Read next: Lesson16.swift.

import Foundation
import Layers
import Optimizers
import Tensors

/// 8 Gaussians of standard deviation 0.1 with centres evenly on a circle of radius 2:
/// centre k at (2 cos(2πk/8), 2 sin(2πk/8)).
enum Ring {
    static let sigma = 0.1

    static func centre(_ k: Int) -> (x: Double, y: Double) {
        (2 * cos(2 * Double.pi * Double(k) / 8), 2 * sin(2 * Double.pi * Double(k) / 8))
    }

    /// `count` points, x₀ y₀ x₁ y₁ …: for each a mode `rng.next() % 8`, then two normals · σ.
    static func sample(_ count: Int, using rng: inout SplitMix64) -> [Float] {
        (0..<count).flatMap { _ -> [Float] in
            let (cx, cy) = centre(Int(rng.next() % 8))
            return [Float(cx + sigma * rng.nextGaussian()), Float(cy + sigma * rng.nextGaussian())]
        }
    }

    /// How many of `points` lie within 3σ of each centre.
    static func countsNearModes(_ points: [Float]) -> [Int] {
        (0..<8).map { k in
            let (cx, cy) = centre(k)
            return stride(from: 0, to: points.count, by: 2).filter { i in
                let (dx, dy) = (Double(points[i]) - cx, Double(points[i + 1]) - cy)
                return (dx * dx + dy * dy).squareRoot() <= 3 * sigma
            }.count
        }
    }

    /// Mode coverage: how many modes receive at least 2 % of the points within 3σ.
    static func coveredModes(_ points: [Float]) -> Int {
        countsNearModes(points).filter { Double($0) >= 0.02 * Double(points.count / 2) }.count
    }
}

/// A generator 2 → 64 → 64 → 2 and a discriminator 2 → 64 → 64 → 1 (ReLU between the
/// Linear layers), each with its own Adam (β₁ = 0.5). The weights come from
/// SplitMix64(seed), generator first; noise and real batches from a second stream.
final class RingGAN {
    let generator: Sequential<Float>
    let discriminator: Sequential<Float>
    let generatorOptimizer: Adam<Float>
    let discriminatorOptimizer: Adam<Float>
    var stream: SplitMix64

    init(seed: UInt64, learningRate: Double = 0.002) throws {
        var rng = SplitMix64(seed: seed)
        func mlp(_ widths: [Int]) -> Sequential<Float> {
            var layers: [any Layer<Float>] = []
            for (index, (a, b)) in zip(widths, widths.dropFirst()).enumerated() {
                if index > 0 { layers.append(ReLU<Float>()) }
                layers.append(Linear<Float>(in: a, out: b, using: &rng))
            }
            return Sequential(layers)
        }
        generator = mlp([2, 64, 64, 2])
        discriminator = mlp([2, 64, 64, 1])
        generatorOptimizer = try Adam(generator.parameters, learningRate: learningRate, beta1: 0.5)
        discriminatorOptimizer = try Adam(discriminator.parameters, learningRate: learningRate, beta1: 0.5)
        stream = SplitMix64(seed: seed &+ 1000)
    }

    /// `count` real points, [count, 2].
    func real(_ count: Int) -> Tensor<Float> {
        try! Tensor(shape: [count, 2], elements: Ring.sample(count, using: &stream))
    }

    /// Noise z ~ N(0, I), [count, 2].
    func noise(_ count: Int) -> Tensor<Float> {
        Tensor<Float>.randomNormal([count, 2], using: &stream)
    }

    /// 1,000 generated points from a fixed noise (seed 99), without a graph.
    func samples() -> [Float] {
        var rng = SplitMix64(seed: 99)
        return withoutGradients { generator(Tensor<Float>.randomNormal([1000, 2], using: &rng)) }.scalars
    }

    /// The discriminator's logit at (x, y): positive where it believes points are real.
    func score(_ x: Double, _ y: Double) -> Double {
        Double(withoutGradients { discriminator(try! Tensor<Float>(shape: [1, 2], elements: [Float(x), Float(y)])) }.item())
    }

    /// L_D = BCE(D(real), 1) + BCE(D(G(z).detach()), 0).
    func discriminatorLoss(_ count: Int) -> Tensor<Float> {
        discriminator(real(count)).binaryCrossEntropy(logitsAgainst: .ones([count, 1]))
            + discriminator(generator(noise(count)).detach()).binaryCrossEntropy(logitsAgainst: .zeros([count, 1]))
    }

    /// L_G = BCE(D(G(z)), 1): the generator wants its points called real.
    func generatorLoss(_ count: Int) -> Tensor<Float> {
        discriminator(generator(noise(count))).binaryCrossEntropy(logitsAgainst: .ones([count, 1]))
    }
}
