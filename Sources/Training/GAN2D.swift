// GAN2D.swift — a generative adversarial network on the plane (`lumen train gan-2d`): a
// generator turns noise into points, a discriminator tells them from samples of a ring of 8
// Gaussians, and each trains against the other (Goodfellow et al. 2014, with the
// non-saturating generator loss).
//
//     discriminator step:  L_D = BCE(D(x), 1) + BCE(D(G(z).detach()), 0)
//     generator step:      L_G = BCE(D(G(z)), 1)
//
// `detach()` cuts the generator out of the discriminator's graph: L_D's backward stops at the
// fake points, so the discriminator's step leaves the generator's gradients empty. Mode
// coverage measures whether the generator found every Gaussian rather than collapsing onto
// a few (`GaussianRing.coveredModes`).
//
// Read next: Sources/LumenCLI/TrainCommand.swift (`gan-2d`), which draws the frames.

import Basics
import Foundation
import Layers
import Optimizers
import Tensors

/// The target distribution: 8 Gaussians of standard deviation σ = 0.1 whose centres sit evenly
/// on a circle of radius 2, centre k at (2 cos(2πk/8), 2 sin(2πk/8)), each chosen with
/// probability 1/8.
public enum GaussianRing {
    public static let modes = 8
    public static let radius = 2.0
    public static let sigma = 0.1

    /// The centre of mode k.
    public static func centre(_ k: Int) -> (x: Double, y: Double) {
        let angle = 2 * Double.pi * Double(k) / Double(modes)
        return (radius * cos(angle), radius * sin(angle))
    }

    /// `count` points, x₀ y₀ x₁ y₁ …: for each, a mode from `rng.next() % 8`, then two
    /// standard normals (Box–Muller) scaled by σ.
    public static func sample(_ count: Int, using rng: inout SplitMix64) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(2 * count)
        for _ in 0..<count {
            let (cx, cy) = centre(Int(rng.next() % UInt64(modes)))
            out.append(Float(cx + sigma * rng.nextGaussian()))
            out.append(Float(cy + sigma * rng.nextGaussian()))
        }
        return out
    }

    /// How many of `points` (x₀ y₀ x₁ y₁ …) lie within 3σ of each centre.
    public static func countsNearModes(_ points: [Float]) -> [Int] {
        var counts = [Int](repeating: 0, count: modes)
        for index in stride(from: 0, to: points.count - 1, by: 2) {
            for k in 0..<modes {
                let (cx, cy) = centre(k)
                let (dx, dy) = (Double(points[index]) - cx, Double(points[index + 1]) - cy)
                if (dx * dx + dy * dy).squareRoot() <= 3 * sigma { counts[k] += 1 }
            }
        }
        return counts
    }

    /// Mode coverage: the number of modes that receive at least 2 % of the points within 3σ of
    /// their centre. (The README defines it on 1,000 samples: a mode counts with ≥ 20 of them.)
    public static func coveredModes(_ points: [Float]) -> Int {
        let needed = 0.02 * Double(points.count / 2)
        return countsNearModes(points).filter { Double($0) >= needed }.count
    }
}

/// A GAN on the ring: generator 2 → 128 → 128 → 2 (ReLU), discriminator 2 → 128 → 128 → 1
/// (ReLU), both trained by Adam with β₁ = 0.5 (the DCGAN setting), one discriminator step and
/// one generator step per batch. Everything is drawn from SplitMix64 streams fixed by `seed`.
public final class GAN2D {
    public let generator: Sequential<Float>
    public let discriminator: Sequential<Float>
    let generatorOptimizer: Adam<Float>
    let discriminatorOptimizer: Adam<Float>
    public let batchSize: Int
    /// The noise z and the real batches: one stream, after the weights' draws.
    private var data: SplitMix64
    public private(set) var steps = 0

    public static let noiseDimension = 2

    /// - Throws: `TrainingError.optimizer` for a learning rate Adam refuses.
    public init(seed: UInt64, learningRate: Double = 1e-3, batchSize: Int = 256) throws(TrainingError) {
        var rng = SplitMix64(seed: seed)
        generator = Recipe.mlp([Self.noiseDimension, 128, 128, 2], using: &rng)
        discriminator = Recipe.mlp([2, 128, 128, 1], using: &rng)
        do {
            generatorOptimizer = try Adam(generator.parameters, learningRate: learningRate, beta1: 0.5)
            discriminatorOptimizer = try Adam(discriminator.parameters, learningRate: learningRate, beta1: 0.5)
        } catch {
            throw .optimizer(error)
        }
        self.batchSize = batchSize
        data = SplitMix64(seed: seed &+ 1000)
    }

    /// z ~ N(0, I), shape [count, noiseDimension].
    func noise(_ count: Int) -> Tensor<Float> {
        let values = (0..<count * Self.noiseDimension).map { _ in Float(data.nextGaussian()) }
        return try! Tensor(shape: [count, Self.noiseDimension], elements: values)
    }

    /// L_D on a real batch [N, 2] and fakes made from `noise` [N, noiseDimension]; the fakes
    /// are detached, so backward reaches the discriminator's parameters only.
    public func discriminatorLoss(real: Tensor<Float>, noise z: Tensor<Float>) -> Tensor<Float> {
        let fake = generator(z).detach()
        return discriminator(real).binaryCrossEntropy(logitsAgainst: .ones([real.shape[0], 1]))
            + discriminator(fake).binaryCrossEntropy(logitsAgainst: .zeros([fake.shape[0], 1]))
    }

    /// L_G for fakes made from `noise`: backward goes through the discriminator into the
    /// generator (the discriminator's gradients from it are cleared before its next step).
    public func generatorLoss(noise z: Tensor<Float>) -> Tensor<Float> {
        discriminator(generator(z)).binaryCrossEntropy(logitsAgainst: .ones([z.shape[0], 1]))
    }

    /// One discriminator step, then one generator step on fresh noise; returns both losses.
    @discardableResult
    public func step() -> (discriminator: Double, generator: Double) {
        let real = try! Tensor<Float>(shape: [batchSize, 2], elements: GaussianRing.sample(batchSize, using: &data))
        discriminatorOptimizer.zeroGrad()
        let lossD = discriminatorLoss(real: real, noise: noise(batchSize))
        lossD.backward()
        discriminatorOptimizer.step()

        generatorOptimizer.zeroGrad()
        let lossG = generatorLoss(noise: noise(batchSize))
        lossG.backward()
        generatorOptimizer.step()
        steps += 1
        return (Double(lossD.item()), Double(lossG.item()))
    }

    /// `count` generated points (x₀ y₀ x₁ y₁ …) from noise of `SplitMix64(seed: seed)`,
    /// without recording a graph; the training stream is left as it was.
    public func samples(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        let z = try! Tensor<Float>(shape: [count, Self.noiseDimension],
                                   elements: (0..<count * Self.noiseDimension).map { _ in Float(rng.nextGaussian()) })
        return withoutGradients { generator(z) }.scalars
    }

    /// The discriminator's logit at (x, y): positive where it believes the point is real.
    public func score(_ x: Double, _ y: Double) -> Double {
        Double(withoutGradients { discriminator(try! Tensor<Float>(shape: [1, 2], elements: [Float(x), Float(y)])) }.item())
    }
}
