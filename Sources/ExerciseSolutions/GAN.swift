// GAN.swift — Tier 4, lesson 16: a GAN on 2-D points. The discriminator's step, which must
// treat the generator's samples as constants (detach them), and counting the modes that the
// generator covers.
//
// Grade with `swift test --filter Task4_7_` (or `Task4_8_`).
//
// Read next: Hookup.swift.

import ExerciseKit
import Foundation

/// A linear generator for 2-D points: fake[r] = noise[r]·Wgᵀ + bg, with noise [rows, 2],
/// Wg [2, 2] and bg [2].
public func generate(noise: [Double], wg: [Double], bg: [Double], rows: Int) -> [Double] {
    linear(noise, w: wg, b: bg, rows: rows, inputs: 2, outputs: 2)
}

/// y = x·Wᵀ + b for x [rows, inputs], W [outputs, inputs], b [outputs].
func linear(_ x: [Double], w: [Double], b: [Double], rows: Int, inputs: Int, outputs: Int) -> [Double] {
    let product = matmul(x, transpose(w, rows: outputs, columns: inputs), m: rows, k: inputs, n: outputs)
    return product.indices.map { product[$0] + b[$0 % outputs] }
}

/// softplus(z) = log(1 + eᶻ), written so that it stays finite for any z: max(z, 0) + log(1 + e^−|z|).
/// Its derivative is σ(z).
public func softplus(_ z: Double) -> Double {
    max(z, 0) + Foundation.log1p(Foundation.exp(-abs(z)))
}

/// One SGD step of a logistic discriminator D(x) = σ(x·wd + bd) on 2-D points, wd [2], bd [1].
/// Its loss is binary cross-entropy with the real points labelled 1 and the generator's 0:
///   L = mean_r softplus(−ℓ(real[r])) + mean_r softplus(ℓ(fake[r])),   ℓ(x) = x·wd + bd,
///   ∂L/∂ℓ(real[r]) = (σ(ℓ) − 1) / rows,   ∂L/∂ℓ(fake[r]) = σ(ℓ) / rows.
/// The fake points come from `generate`, but they are detached: this step changes the
/// discriminator alone, and the generator's wg and bg come back exactly as they went in.
/// Returns the new wd, bd, the generator's wg and bg, and the loss before the step.
public func discriminatorStep(real: [Double], noise: [Double], wd: [Double], bd: [Double], wg: [Double], bg: [Double],
                              rows: Int, learningRate: Double) throws
    -> (wd: [Double], bd: [Double], wg: [Double], bg: [Double], loss: Double) {
    // SOLUTION(Task 4.7): generate the fakes, score both batches, average the two cross-entropies, and step wd and bd only.
    let fake = generate(noise: noise, wg: wg, bg: bg, rows: rows)
    var loss = 0.0
    var dWd = [0.0, 0.0], dBd = 0.0
    for (points, label) in [(real, 1.0), (fake, 0.0)] {
        for r in 0..<rows {
            let point = [points[2 * r], points[2 * r + 1]]
            let logit = point[0] * wd[0] + point[1] * wd[1] + bd[0]
            loss += (label == 1 ? softplus(-logit) : softplus(logit)) / Double(rows)
            let dLogit = (sigmoid(logit) - label) / Double(rows)
            dWd[0] += dLogit * point[0]
            dWd[1] += dLogit * point[1]
            dBd += dLogit
        }
    }
    let newWd = [wd[0] - learningRate * dWd[0], wd[1] - learningRate * dWd[1]]
    return (newWd, [bd[0] - learningRate * dBd], wg, bg, loss)
}

/// How many modes of the real data the generated samples cover. Each sample belongs to its
/// nearest centre, and only when it lies within `radius` of it (distance ≤ radius); a mode is
/// covered when at least `minimum` samples belong to it. samples [n, 2], centres [m, 2].
public func modesCovered(samples: [Double], centres: [Double], radius: Double, minimum: Int) throws -> Int {
    // SOLUTION(Task 4.8): give each sample to its nearest centre if it is close enough, then count the centres with enough samples.
    let modes = centres.count / 2
    var counts = Array(repeating: 0, count: modes)
    for s in 0..<samples.count / 2 {
        let distances = (0..<modes).map { m in
            Foundation.hypot(samples[2 * s] - centres[2 * m], samples[2 * s + 1] - centres[2 * m + 1])
        }
        let nearest = distances.indices.min { distances[$0] < distances[$1] }!
        if distances[nearest] <= radius { counts[nearest] += 1 }
    }
    return counts.filter { $0 >= minimum }.count
}
