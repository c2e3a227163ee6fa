// Synthetic.swift — small 2-D data sets made from a seed: moons, circles, spirals, blobs.
// Each is a picture a learner can draw (see Plots' decision boundary) and a classifier can
// overfit in seconds. All randomness comes from Engine's SplitMix64, so a seed fixes the set.
//
// Read next: Digits.swift (real data, bundled).

import Basics
import Foundation
import Tensors

/// The synthetic sets. Points are made class by class (all of class 0, then class 1, …); the
/// loader shuffles them. Coordinates are computed in `Double` and rounded to `Scalar` once.
/// "noise" is the standard deviation of Gaussian noise added to x and then to y of each point,
/// drawn from `SplitMix64(seed:)` point by point. With noise 0 the points lie exactly on the
/// curves described below.
extension InMemoryDataset {
    /// Two interleaving half circles (scikit-learn's `make_moons` shape), labels 0 and 1.
    ///
    /// Class 0 gets ⌊count/2⌋ points on the upper unit half circle, (cos t, sin t); class 1 gets
    /// the rest on a flipped copy shifted to (1, 0.5): (1 − cos t, 0.5 − sin t). On each moon
    /// the angles are evenly spaced, tₖ = π·k/(m − 1) for k = 0 … m − 1 (t = 0 when m = 1).
    public static func moons(count: Int = 200, noise: Double = 0.1, seed: UInt64 = 0) -> InMemoryDataset {
        checkParameters("moons", count: count, noise: noise)
        let first = count / 2
        var maker = PointMaker<Scalar>(count: count, noise: noise, seed: seed)
        for k in 0..<first {
            let t = Double.pi * evenFraction(k, of: first)
            maker.add(x: cos(t), y: sin(t), label: 0)
        }
        for k in 0..<(count - first) {
            let t = Double.pi * evenFraction(k, of: count - first)
            maker.add(x: 1 - cos(t), y: 0.5 - sin(t), label: 1)
        }
        return maker.dataset(classCount: 2, classNames: ["upper moon", "lower moon"])
    }

    /// Two concentric circles (scikit-learn's `make_circles` shape): class 0 gets ⌊count/2⌋
    /// points on the unit circle, class 1 the rest on the circle of radius `factor`. On each
    /// circle the angles are 2π·k/m for k = 0 … m − 1 (evenly spaced, no point repeated).
    public static func circles(count: Int = 200, noise: Double = 0.05, factor: Double = 0.5,
                               seed: UInt64 = 0) -> InMemoryDataset {
        checkParameters("circles", count: count, noise: noise)
        trapUnless(factor > 0 && factor < 1, "circles(factor: \(factor)): the inner radius must be in (0, 1)")
        let outer = count / 2
        var maker = PointMaker<Scalar>(count: count, noise: noise, seed: seed)
        for (radius, label, m) in [(1.0, 0, outer), (factor, 1, count - outer)] {
            for k in 0..<m {
                let angle = 2 * Double.pi * Double(k) / Double(m)
                maker.add(x: radius * cos(angle), y: radius * sin(angle), label: label)
            }
        }
        return maker.dataset(classCount: 2, classNames: ["outer circle", "inner circle"])
    }

    /// `arms` spirals winding out of the origin, one class per arm.
    ///
    /// Arm c gets ⌊count/arms⌋ points, plus one for the first count mod arms arms. Its k-th of
    /// m points has radius r = k/(m − 1) (r = 0 when m = 1) and angle
    /// θ = 2π·c/arms + 2π·turns·r, so it is (r cos θ, r sin θ): the arms start together at the
    /// origin, are rotated 2π/arms apart, and each makes `turns` turns on the way out to r = 1.
    public static func spirals(count: Int = 300, arms: Int = 3, turns: Double = 1, noise: Double = 0.05,
                               seed: UInt64 = 0) -> InMemoryDataset {
        checkParameters("spirals", count: count, noise: noise)
        trapUnless(arms >= 1, "spirals(arms: \(arms)): there must be at least one arm")
        trapUnless(turns.isFinite, "spirals(turns: \(turns)): the number of turns must be finite")
        var maker = PointMaker<Scalar>(count: count, noise: noise, seed: seed)
        for arm in 0..<arms {
            let m = count / arms + (arm < count % arms ? 1 : 0)
            for k in 0..<m {
                let r = evenFraction(k, of: m)
                let angle = 2 * Double.pi * Double(arm) / Double(arms) + 2 * Double.pi * turns * r
                maker.add(x: r * cos(angle), y: r * sin(angle), label: arm)
            }
        }
        return maker.dataset(classCount: arms, classNames: (0..<arms).map { "arm \($0)" })
    }

    /// Gaussian blobs around given centres, one class per centre (scikit-learn's `make_blobs`).
    ///
    /// Class c gets ⌊count/k⌋ points, plus one for the first count mod k classes, each
    /// centres[c] + standardDeviation · N(0, I). The centres may have any dimension d (all the
    /// same); the examples then have shape [d].
    public static func blobs(count: Int = 300, centers: [[Double]], standardDeviation: Double = 1,
                             seed: UInt64 = 0) -> InMemoryDataset {
        var generator = SplitMix64(seed: seed)
        return makeBlobs(count: count, centers: centers, standardDeviation: standardDeviation,
                         generator: &generator)
    }

    /// Blobs around `classCount` centres in the plane, themselves drawn uniformly from the
    /// square [−10, 10)², x then y, from the same generator before the points are.
    public static func blobs(count: Int = 300, classCount: Int = 3, standardDeviation: Double = 1,
                             seed: UInt64 = 0) -> InMemoryDataset {
        trapUnless(classCount >= 1, "blobs(classCount: \(classCount)): there must be at least one class")
        var generator = SplitMix64(seed: seed)
        let centers = (0..<classCount).map { _ in
            [generator.nextUniform(-10, 10), generator.nextUniform(-10, 10)]
        }
        return makeBlobs(count: count, centers: centers, standardDeviation: standardDeviation,
                         generator: &generator)
    }

    private static func makeBlobs(count: Int, centers: [[Double]], standardDeviation: Double,
                                  generator: inout SplitMix64) -> InMemoryDataset {
        checkParameters("blobs", count: count, noise: standardDeviation)
        trapUnless(!centers.isEmpty, "blobs(centers:): give at least one centre")
        let dimension = centers[0].count
        trapUnless(dimension >= 1 && centers.allSatisfy { $0.count == dimension },
                   "blobs(centers:): every centre needs the same number (≥ 1) of coordinates")
        var features = [Scalar]()
        features.reserveCapacity(count * dimension)
        var labels = [Int]()
        labels.reserveCapacity(count)
        for (label, center) in centers.enumerated() {
            let m = count / centers.count + (label < count % centers.count ? 1 : 0)
            for _ in 0..<m {
                for coordinate in center {
                    features.append(Scalar(coordinate + standardDeviation * generator.nextGaussian()))
                }
                labels.append(label)
            }
        }
        return InMemoryDataset(checkedFeatures: features, labels: labels, exampleShape: [dimension],
                               classCount: centers.count, classNames: nil)
    }

    private static func checkParameters(_ name: String, count: Int, noise: Double) {
        trapUnless(count >= 0, "\(name)(count: \(count)): the count must not be negative")
        trapUnless(noise >= 0 && noise.isFinite, "\(name): the noise \(noise) must be finite and ≥ 0")
    }
}

/// k/(m − 1) for k in 0..<m: m evenly spaced fractions from 0 to 1 (just 0 when m = 1).
private func evenFraction(_ k: Int, of m: Int) -> Double {
    m > 1 ? Double(k) / Double(m - 1) : 0
}

/// Collects 2-D points with labels, adding the noise as they come.
private struct PointMaker<Scalar: TensorScalar> {
    var features: [Scalar] = []
    var labels: [Int] = []
    let noise: Double
    var generator: SplitMix64

    init(count: Int, noise: Double, seed: UInt64) {
        features.reserveCapacity(2 * count)
        labels.reserveCapacity(count)
        self.noise = noise
        generator = SplitMix64(seed: seed)
    }

    mutating func add(x: Double, y: Double, label: Int) {
        let noisyX = x + noise * generator.nextGaussian()
        let noisyY = y + noise * generator.nextGaussian()
        features.append(Scalar(noisyX))
        features.append(Scalar(noisyY))
        labels.append(label)
    }

    func dataset(classCount: Int, classNames: [String]) -> InMemoryDataset<Scalar> {
        InMemoryDataset(checkedFeatures: features, labels: labels, exampleShape: [2],
                        classCount: classCount, classNames: classNames)
    }
}
