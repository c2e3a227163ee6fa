// MutantCatalogue+DeepNetworks.swift — plausible wrong solutions of tier 4 (tasks 4.1–4.9).
//
// Each is the reference with one typical mistake, handed to the grader through the task's
// entry in `arrayTasks`, exactly where the learner's hookup line puts their function.
//
// Read next: GraderSweepTests.swift.

import ExerciseGraders
import ExerciseSolutions
import Foundation

/// BatchNorm's backward with a chosen mistake.
func mistakenBatchNormBackward(_ n: [[Double]], _ i: [Int], constantStatistics: Bool = false, unbiased: Bool = false,
                               noMeanTerm: Bool = false, gammaFromX: Bool = false, noEpsilon: Bool = false) -> [[Double]] {
    let (x, gamma, dy, epsilon) = (n[0], n[1], n[2], noEpsilon ? 0 : n[3][0])
    let (rows, features) = (i[0], i[1])
    var dx = Array(repeating: 0.0, count: rows * features), dGamma = Array(repeating: 0.0, count: features), dBeta = dGamma
    for j in 0..<features {
        let column = (0..<rows).map { x[$0 * features + j] }, g = (0..<rows).map { dy[$0 * features + j] }
        let mean = column.reduce(0, +) / Double(rows)
        let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(unbiased ? rows - 1 : rows)
        let std = (variance + epsilon).squareRoot()
        let xHat = column.map { ($0 - mean) / std }
        dBeta[j] = g.reduce(0, +)
        dGamma[j] = zip(g, gammaFromX ? column : xHat).reduce(0) { $0 + $1.0 * $1.1 }
        let meanG = noMeanTerm ? 0 : dBeta[j] / Double(rows)
        let meanGX = zip(g, xHat).reduce(0) { $0 + $1.0 * $1.1 } / Double(rows)
        for r in 0..<rows {
            dx[r * features + j] = gamma[j] / std * (constantStatistics ? g[r] : g[r] - meanG - xHat[r] * meanGX)
        }
    }
    return [dx, dGamma, dBeta]
}

/// An LSTM cell's backward with a chosen mistake.
func mistakenLSTMBackward(_ n: [[Double]], _ sizes: [Int], onlyDirectCellGradient: Bool = false, derivativeAtPreActivation: Bool = false,
                          tanhOfOldCell: Bool = false, cellWithoutForgetGate: Bool = false) -> [[Double]] {
    let (x, h, c, wIH, wHH, bias, dhNext, dcNext) = (n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7])
    let (rows, inputs, hidden) = (sizes[0], sizes[1], sizes[2])
    let gates = 4 * hidden
    let pre = zip(ExerciseSolutions.matmul(x, ExerciseSolutions.transpose(wIH, rows: gates, columns: inputs), m: rows, k: inputs, n: gates),
                  ExerciseSolutions.matmul(h, ExerciseSolutions.transpose(wHH, rows: gates, columns: hidden), m: rows, k: hidden, n: gates))
        .enumerated().map { $1.0 + $1.1 + bias[$0 % gates] }
    var dz = Array(repeating: 0.0, count: rows * gates), dc = Array(repeating: 0.0, count: rows * hidden)
    for r in 0..<rows {
        for u in 0..<hidden {
            let z = (0..<4).map { pre[r * gates + $0 * hidden + u] }
            let (i, f, g, o) = (ExerciseSolutions.sigmoid(z[0]), ExerciseSolutions.sigmoid(z[1]), Foundation.tanh(z[2]), ExerciseSolutions.sigmoid(z[3]))
            let k = r * hidden + u
            let cNext = f * c[k] + i * g
            let t = Foundation.tanh(tanhOfOldCell ? c[k] : cNext)
            let dcTotal = dcNext[k] + (onlyDirectCellGradient ? 0 : dhNext[k] * o * (1 - t * t))
            dc[k] = cellWithoutForgetGate ? dcTotal : dcTotal * f
            func sigmoidPrime(_ s: Double, _ zk: Double) -> Double { derivativeAtPreActivation ? zk * (1 - zk) : s * (1 - s) }
            let row = r * gates + u
            dz[row] = dcTotal * g * sigmoidPrime(i, z[0])
            dz[row + hidden] = dcTotal * c[k] * sigmoidPrime(f, z[1])
            dz[row + 2 * hidden] = dcTotal * i * (1 - g * g)
            dz[row + 3 * hidden] = dhNext[k] * Foundation.tanh(cNext) * sigmoidPrime(o, z[3])
        }
    }
    let dzT = ExerciseSolutions.transpose(dz, rows: rows, columns: gates)
    return [ExerciseSolutions.matmul(dz, wIH, m: rows, k: gates, n: inputs), ExerciseSolutions.matmul(dz, wHH, m: rows, k: gates, n: hidden), dc,
            ExerciseSolutions.matmul(dzT, x, m: gates, k: rows, n: inputs), ExerciseSolutions.matmul(dzT, h, m: gates, k: rows, n: hidden),
            (0..<gates).map { j in (0..<rows).reduce(0) { $0 + dz[$1 * gates + j] } }]
}

/// Causal attention with a chosen mistake in the mask, the scale or the softmax.
enum AttentionMistake { case noMask, keepsTheFuture, maskedToZero, noScale, scaleByD, unguardedExp }

func mistakenAttention(_ n: [[Double]], _ i: [Int], _ mistake: AttentionMistake) -> [[Double]] {
    let (q, k, v, time, d) = (n[0], n[1], n[2], i[0], i[1])
    var out = Array(repeating: 0.0, count: time * d)
    let scale = mistake == .noScale ? 1 : mistake == .scaleByD ? 1 / Double(d) : 1 / Double(d).squareRoot()
    for row in 0..<time {
        let visible: [Int] = switch mistake {
        case .noMask, .maskedToZero: Array(0..<time)
        case .keepsTheFuture: Array(row..<time)
        default: Array(0...row)
        }
        let scores = visible.map { j in mistake == .maskedToZero && j > row ? 0 : (0..<d).reduce(0) { $0 + q[row * d + $1] * k[j * d + $1] } * scale }
        let top = mistake == .unguardedExp ? 0 : scores.max()!
        let weights = scores.map { Foundation.exp($0 - top) }
        let total = weights.reduce(0, +)
        for (w, j) in zip(weights, visible) { for e in 0..<d { out[row * d + e] += w / total * v[j * d + e] } }
    }
    return [out]
}

/// Causal attention's backward with a chosen mistake.
enum AttentionBackwardMistake {
    /// P recomputed over every j, the future included.
    case maskForgotten
    /// The softmax's backward as P ⊙ dP, without subtracting Σ P·dP.
    case noSubtraction
    /// dq and dk without the 1/√d of the scores.
    case scaleForgotten
    /// dk from dS instead of dSᵀ: key j collects from the queries that j looked at.
    case keysNotTransposed
    /// dv = P·dOut instead of Pᵀ·dOut.
    case valuesNotTransposed
    /// The softmax's exp without subtracting the row's maximum.
    case unguardedExp
}

func mistakenAttentionBackward(_ n: [[Double]], _ sizes: [Int], _ mistake: AttentionBackwardMistake) -> [[Double]] {
    let (q, k, v, dOut, time, d) = (n[0], n[1], n[2], n[3], sizes[0], sizes[1])
    let scale = 1 / Double(d).squareRoot()
    func rowDot(_ a: [Double], _ i: Int, _ b: [Double], _ j: Int) -> Double { (0..<d).reduce(0) { $0 + a[i * d + $1] * b[j * d + $1] } }
    // P and dS as full [T, T] matrices, zero where masked (unless the mistake keeps the future).
    var p = Array(repeating: 0.0, count: time * time), dS = p
    for i in 0..<time {
        let visible = mistake == .maskForgotten ? time - 1 : i
        let scores = (0...visible).map { rowDot(q, i, k, $0) * scale }
        let top = mistake == .unguardedExp ? 0 : scores.max()!
        let weights = scores.map { Foundation.exp($0 - top) }
        let total = weights.reduce(0, +)
        for j in 0...visible { p[i * time + j] = weights[j] / total }
        let dp = (0..<time).map { rowDot(dOut, i, v, $0) }
        let weightedMean = (0...visible).reduce(0) { $0 + p[i * time + $1] * dp[$1] }
        for j in 0...visible { dS[i * time + j] = p[i * time + j] * (dp[j] - (mistake == .noSubtraction ? 0 : weightedMean)) }
    }
    let factor = mistake == .scaleForgotten ? 1 : scale
    var dq = Array(repeating: 0.0, count: time * d), dk = dq, dv = dq
    for i in 0..<time {
        for j in 0..<time {
            for e in 0..<d {
                dv[j * d + e] += (mistake == .valuesNotTransposed ? p[j * time + i] : p[i * time + j]) * dOut[i * d + e]
                dq[i * d + e] += dS[i * time + j] * k[j * d + e] * factor
                dk[j * d + e] += (mistake == .keysNotTransposed ? dS[j * time + i] : dS[i * time + j]) * q[i * d + e] * factor
            }
        }
    }
    return [dq, dk, dv]
}

/// Sampling with a chosen mistake.
func mistakenSample(_ n: [[Double]], multiplyByTemperature: Bool = false, greedy: Bool = false, ignoreTemperature: Bool = false,
                    unguardedExp: Bool = false) -> [[Double]] {
    let (logits, t, u) = (n[0], n[1][0], n[2][0])
    let scaled = logits.map { ignoreTemperature ? $0 : multiplyByTemperature ? $0 * t : $0 / t }
    if greedy { return [[Double(scaled.indices.max { scaled[$0] < scaled[$1] }!)]] }
    let top = unguardedExp ? 0 : scaled.max()!
    let weights = scaled.map { Foundation.exp($0 - top) }
    let total = weights.reduce(0, +)
    var cumulative = 0.0
    for (index, w) in weights.enumerated() {
        cumulative += w / total
        if u < cumulative { return [[Double(index)]] }
    }
    return [[Double(logits.count - 1)]]
}

/// The discriminator's step with a chosen mistake.
enum DiscriminatorMistake { case noDetach, labelsSwapped, unguardedLog, summedNotAveraged, realBatchOnly }

func mistakenDiscriminatorStep(_ n: [[Double]], _ i: [Int], _ mistake: DiscriminatorMistake) -> [[Double]] {
    let (real, noise, wd, bd, wg, bg, lr, rows) = (n[0], n[1], n[2], n[3], n[4], n[5], n[6][0], i[0])
    let fake = ExerciseSolutions.generate(noise: noise, wg: wg, bg: bg, rows: rows)
    let scale = mistake == .summedNotAveraged ? 1 : 1 / Double(rows)
    var loss = 0.0, dWd = [0.0, 0.0], dBd = 0.0, dWg = [0.0, 0.0, 0.0, 0.0], dBg = [0.0, 0.0]
    let batches = mistake == .realBatchOnly ? [(real, 1.0)] : [(real, 1.0), (fake, 0.0)]
    for (points, trueLabel) in batches {
        let label = mistake == .labelsSwapped ? 1 - trueLabel : trueLabel
        for r in 0..<rows {
            let logit = points[2 * r] * wd[0] + points[2 * r + 1] * wd[1] + bd[0]
            let s = ExerciseSolutions.sigmoid(logit)
            loss += scale * (mistake == .unguardedLog ? -(label * Foundation.log(s) + (1 - label) * Foundation.log(1 - s))
                                                      : label == 1 ? ExerciseSolutions.softplus(-logit) : ExerciseSolutions.softplus(logit))
            let dLogit = (s - label) * scale
            dWd[0] += dLogit * points[2 * r]
            dWd[1] += dLogit * points[2 * r + 1]
            dBd += dLogit
            if trueLabel == 0 {
                // Without detach the loss reaches the generator: fake[r] = noise[r]·Wgᵀ + bg.
                for o in 0..<2 {
                    dBg[o] += dLogit * wd[o]
                    for k in 0..<2 { dWg[o * 2 + k] += dLogit * wd[o] * noise[2 * r + k] }
                }
            }
        }
    }
    let newWg = mistake == .noDetach ? zip(wg, dWg).map { $0 - lr * $1 } : wg
    let newBg = mistake == .noDetach ? zip(bg, dBg).map { $0 - lr * $1 } : bg
    return [[wd[0] - lr * dWd[0], wd[1] - lr * dWd[1]], [bd[0] - lr * dBd], newWg, newBg, [loss]]
}

/// Mode counting with a chosen mistake.
enum CoverageMistake { case squaredDistanceAgainstRadius, distanceAgainstRadiusSquared, noRadius, strictMinimum, countsSamples }

func mistakenModesCovered(_ n: [[Double]], _ i: [Int], _ mistake: CoverageMistake) -> [[Double]] {
    let (samples, centres, radius, minimum) = (n[0], n[1], n[2][0], i[0])
    let modes = centres.count / 2
    var counts = Array(repeating: 0, count: modes)
    var within = 0
    for s in 0..<samples.count / 2 {
        let squared = (0..<modes).map { m in Foundation.pow(samples[2 * s] - centres[2 * m], 2) + Foundation.pow(samples[2 * s + 1] - centres[2 * m + 1], 2) }
        let nearest = squared.indices.min { squared[$0] < squared[$1] }!
        let close: Bool = switch mistake {
        case .squaredDistanceAgainstRadius: squared[nearest] <= radius
        case .distanceAgainstRadiusSquared: squared[nearest].squareRoot() <= radius * radius
        case .noRadius: true
        default: squared[nearest].squareRoot() <= radius
        }
        if close { counts[nearest] += 1; within += 1 }
    }
    if mistake == .countsSamples { return [[Double(within)]] }
    return [[Double(counts.filter { mistake == .strictMinimum ? $0 > minimum : $0 >= minimum }.count)]]
}

extension MutantCatalogue {
    /// A mutant of array task `task`: its function replaced by `function`.
    static func arrays(_ task: String, _ name: String, _ function: @escaping @Sendable ([[Double]], [Int]) -> [[Double]]) -> Mutant {
        Mutant(task: task, name: name) { $0.arrayTasks[task] = { n, i in function(n, i) } }
    }

    static let deepNetworks: [Mutant] = [
        arrays("4.1", "mean and variance treated as constants") { mistakenBatchNormBackward($0, $1, constantStatistics: true) },
        arrays("4.1", "the unbiased variance (N − 1)") { mistakenBatchNormBackward($0, $1, unbiased: true) },
        arrays("4.1", "the mean of dy left out of dx") { mistakenBatchNormBackward($0, $1, noMeanTerm: true) },
        arrays("4.1", "dγ from x instead of x̂") { mistakenBatchNormBackward($0, $1, gammaFromX: true) },
        arrays("4.1", "ε left out") { mistakenBatchNormBackward($0, $1, noEpsilon: true) },
        arrays("4.2", "the slope ignored: √(2 / fanIn)") { _, i in [[(2 / Double(i[0])).squareRoot()]] },
        arrays("4.2", "the variance, not the std") { n, i in [[2 / ((1 + n[0][0] * n[0][0]) * Double(i[0]))]] },
        arrays("4.2", "1 + a instead of 1 + a²") { n, i in [[(2 / ((1 + n[0][0]) * Double(i[0]))).squareRoot()]] },
        arrays("4.2", "divided by fanIn, not its root") { n, i in [[(2 / (1 + n[0][0] * n[0][0])).squareRoot() / Double(i[0])]] },
        arrays("4.3", "= instead of +=: a repeated id keeps its last gradient") { n, i in
            var table = Array(repeating: 0.0, count: i[0] * i[1])
            for (t, id) in i.dropFirst(2).enumerated() { for d in 0..<i[1] { table[id * i[1] + d] = n[0][t * i[1] + d] } }
            return [table]
        },
        arrays("4.3", "a repeated id gets the mean of its gradients") { n, i in
            let ids = Array(i.dropFirst(2))
            var table = (try? ExerciseSolutions.embeddingBackward(ids: ids, upstream: n[0], vocabulary: i[0], dimension: i[1])) ?? []
            for id in Set(ids) { for d in 0..<i[1] { table[id * i[1] + d] /= Double(ids.filter { $0 == id }.count) } }
            return [table]
        },
        arrays("4.3", "the table laid out [dimension, vocabulary]") { n, i in
            var table = Array(repeating: 0.0, count: i[0] * i[1])
            for (t, id) in i.dropFirst(2).enumerated() { for d in 0..<i[1] { table[d * i[0] + id] += n[0][t * i[1] + d] } }
            return [table]
        },
        arrays("4.4", "c' reached through dc' only (the h' path forgotten)") { mistakenLSTMBackward($0, $1, onlyDirectCellGradient: true) },
        arrays("4.4", "σ' taken at the pre-activation") { mistakenLSTMBackward($0, $1, derivativeAtPreActivation: true) },
        arrays("4.4", "tanh' at the old cell c") { mistakenLSTMBackward($0, $1, tanhOfOldCell: true) },
        arrays("4.4", "dc without the forget gate") { mistakenLSTMBackward($0, $1, cellWithoutForgetGate: true) },
        arrays("4.5", "no mask") { mistakenAttention($0, $1, .noMask) },
        arrays("4.5", "the wrong triangle masked") { mistakenAttention($0, $1, .keepsTheFuture) },
        arrays("4.5", "masked scores set to 0, not −∞") { mistakenAttention($0, $1, .maskedToZero) },
        arrays("4.5", "scores not divided by √d") { mistakenAttention($0, $1, .noScale) },
        arrays("4.5", "scores divided by d") { mistakenAttention($0, $1, .scaleByD) },
        arrays("4.5", "softmax without subtracting the maximum") { mistakenAttention($0, $1, .unguardedExp) },
        arrays("4.6", "logits multiplied by the temperature") { n, _ in mistakenSample(n, multiplyByTemperature: true) },
        arrays("4.6", "greedy: the argmax, whatever u is") { n, _ in mistakenSample(n, greedy: true) },
        arrays("4.6", "the temperature ignored") { n, _ in mistakenSample(n, ignoreTemperature: true) },
        arrays("4.6", "softmax without subtracting the maximum") { n, _ in mistakenSample(n, unguardedExp: true) },
        arrays("4.7", "no detach: the generator steps too") { mistakenDiscriminatorStep($0, $1, .noDetach) },
        arrays("4.7", "labels swapped") { mistakenDiscriminatorStep($0, $1, .labelsSwapped) },
        arrays("4.7", "log(σ) and log(1 − σ) taken directly") { mistakenDiscriminatorStep($0, $1, .unguardedLog) },
        arrays("4.7", "summed over the batch, not averaged") { mistakenDiscriminatorStep($0, $1, .summedNotAveraged) },
        arrays("4.7", "the generated batch forgotten") { mistakenDiscriminatorStep($0, $1, .realBatchOnly) },
        arrays("4.8", "squared distance against the radius") { mistakenModesCovered($0, $1, .squaredDistanceAgainstRadius) },
        arrays("4.8", "distance against the radius squared") { mistakenModesCovered($0, $1, .distanceAgainstRadiusSquared) },
        arrays("4.8", "no radius: every sample counts for its nearest mode") { mistakenModesCovered($0, $1, .noRadius) },
        arrays("4.8", "more than `minimum`, not at least") { mistakenModesCovered($0, $1, .strictMinimum) },
        arrays("4.8", "counts samples, not modes") { mistakenModesCovered($0, $1, .countsSamples) },
        arrays("4.9", "the mask forgotten in backward: P recomputed over the future too") { mistakenAttentionBackward($0, $1, .maskForgotten) },
        arrays("4.9", "softmax backward without the subtraction: P ⊙ dP") { mistakenAttentionBackward($0, $1, .noSubtraction) },
        arrays("4.9", "the 1/√d forgotten in dq and dk") { mistakenAttentionBackward($0, $1, .scaleForgotten) },
        arrays("4.9", "dk from dS, not dSᵀ") { mistakenAttentionBackward($0, $1, .keysNotTransposed) },
        arrays("4.9", "dv = P·dOut, not Pᵀ·dOut") { mistakenAttentionBackward($0, $1, .valuesNotTransposed) },
        arrays("4.9", "softmax without subtracting the maximum") { mistakenAttentionBackward($0, $1, .unguardedExp) },
    ]
}
