// SyntheticTests.swift — moons, circles, spirals and blobs: shapes, labels, balance, seeding,
// and (with no noise) points exactly on the curves their documentation describes.

import Datasets
import Foundation
import Testing
import _TestSupport

/// The points of `data` as (x, y, label).
private func points(_ data: InMemoryDataset<Double>) -> [(x: Double, y: Double, label: Int)] {
    (0..<data.count).map { (data.features[2 * $0], data.features[2 * $0 + 1], data.labels[$0]) }
}

@Suite struct SyntheticTests {
    @Test func moonsLieOnTheirHalfCircles() {
        let data = InMemoryDataset<Double>.moons(count: 101, noise: 0, seed: 3)
        #expect(data.exampleShape == [2] && data.count == 101 && data.classCount == 2)
        #expect(data.classCounts() == [50, 51])
        for p in points(data) {
            if p.label == 0 {
                #expect(isClose(p.x * p.x + p.y * p.y, 1, tolerance: 1e-12) && p.y >= -1e-12)
            } else {
                let (dx, dy) = (p.x - 1, p.y - 0.5)
                #expect(isClose(dx * dx + dy * dy, 1, tolerance: 1e-12) && p.y <= 0.5 + 1e-12)
            }
        }
        // The ends of the first moon are (1, 0) and (−1, 0).
        #expect(isClose(data.features[0], 1) && isClose(data.features[98], -1))
    }

    @Test func circlesHaveTheirTwoRadii() {
        let data = InMemoryDataset<Double>.circles(count: 40, noise: 0, factor: 0.3, seed: 0)
        #expect(data.classCounts() == [20, 20])
        for p in points(data) {
            #expect(isClose((p.x * p.x + p.y * p.y).squareRoot(), p.label == 0 ? 1 : 0.3, tolerance: 1e-12))
        }
    }

    @Test func spiralArmsWindAsDocumented() {
        let data = InMemoryDataset<Double>.spirals(count: 31, arms: 3, turns: 1.5, noise: 0, seed: 0)
        #expect(data.classCount == 3 && data.classCounts() == [11, 10, 10])
        let all = points(data)
        // Arm 1 (10 points): the k-th has r = k/9 and angle 2π/3 + 2π·1.5·r.
        for k in 0..<10 {
            let p = all[11 + k]
            let r = Double(k) / 9, angle = 2 * Double.pi / 3 + 3 * Double.pi * r
            #expect(p.label == 1)
            #expect(abs(p.x - r * cos(angle)) < 1e-12 && abs(p.y - r * sin(angle)) < 1e-12)
        }
    }

    @Test func blobsGatherAroundTheirCentres() {
        let centers = [[5.0, -5.0, 0.0], [-3.0, 2.0, 8.0]]
        let data = InMemoryDataset<Double>.blobs(count: 2001, centers: centers, standardDeviation: 0.5, seed: 4)
        #expect(data.exampleShape == [3] && data.classCounts() == [1001, 1000])
        for (label, center) in centers.enumerated() {
            let rows = (0..<data.count).filter { data.labels[$0] == label }
            for axis in 0..<3 {
                let mean = rows.map { data.features[3 * $0 + axis] }.reduce(0, +) / Double(rows.count)
                // The standard error of the mean is 0.5/√1000 ≈ 0.016; 0.1 is six of them.
                #expect(abs(mean - center[axis]) < 0.1)
            }
        }
        let random = InMemoryDataset<Float>.blobs(count: 30, classCount: 4, seed: 1)
        #expect(random.classCount == 4 && random.classCounts() == [8, 8, 7, 7] && random.exampleShape == [2])
    }

    @Test func aSeedFixesEachSetAndNoiseMovesThePoints() {
        typealias Data = InMemoryDataset<Float>
        #expect(Data.moons(count: 50, seed: 7).features == Data.moons(count: 50, seed: 7).features)
        #expect(Data.moons(count: 50, seed: 7).features != Data.moons(count: 50, seed: 8).features)
        #expect(Data.circles(count: 50, seed: 7).features != Data.circles(count: 50, seed: 8).features)
        #expect(Data.spirals(count: 50, seed: 7).features == Data.spirals(count: 50, seed: 7).features)
        #expect(Data.spirals(count: 50, seed: 7).features != Data.spirals(count: 50, seed: 8).features)
        #expect(Data.blobs(count: 50, seed: 7).features != Data.blobs(count: 50, seed: 8).features)
        // Noise 0.1 on a unit circle: the radii spread, with a standard deviation near 0.1.
        let noisy = points(InMemoryDataset<Double>.moons(count: 400, noise: 0.1, seed: 2)).filter { $0.label == 0 }
        let deviations = noisy.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() - 1 }
        let spread = (deviations.map { $0 * $0 }.reduce(0, +) / Double(deviations.count)).squareRoot()
        #expect(spread > 0.07 && spread < 0.13)
    }
}
