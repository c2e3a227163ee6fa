// MutantCatalogue.swift — for every task, plausible wrong solutions a learner might write.
//
// Each mutant is the reference solution with one function replaced by a typical mistake: an
// off-by-one, `=` for `+=`, a transposed layout, the wrong pivot, a forgotten factor.
// GraderSweepTests proves that each one fails on every one of 200 seeds, and that the
// reference passes on 2,000. A new task needs at least three entries here; the sweep test
// fails for a task without them.
//
// Read next: GraderSweepTests.swift.

@testable import ExerciseGraders
import ExerciseSolutions
import Foundation

typealias Solution = ExerciseSolution<ExerciseSolutions.Scalar>
typealias Node = ExerciseSolutions.Scalar

struct Mutant: Sendable, CustomStringConvertible {
    let task: String
    let name: String
    let apply: @Sendable (inout Solution) -> Void
    var description: String { "\(task): \(name)" }
}

/// Softmax and logsumexp with `pivot` subtracted instead of the maximum.
func pivoted(_ pivot: @escaping @Sendable ([Double]) -> Double) -> (lse: @Sendable ([Double]) -> Double, softmax: @Sendable ([Double]) -> [Double]) {
    let lse: @Sendable ([Double]) -> Double = { x in
        let m = pivot(x)
        return m + Foundation.log(x.reduce(0) { $0 + Foundation.exp($1 - m) })
    }
    return (lse, { x in let total = lse(x); return x.map { Foundation.exp($0 - total) } })
}

/// Cross-entropy built from a given logsumexp/softmax, or from -log(softmax), with options.
func crossEntropy(lse: ([Double]) -> Double, softmax: ([Double]) -> [Double], logits: [Double], rows: Int, classes: Int, labels: [Int],
                  negativeLogSoftmax: Bool = false, average: Bool = true) -> (Double, [Double]) {
    var loss = 0.0
    var gradient: [Double] = []
    for r in 0..<rows {
        let row = Array(logits[r * classes..<(r + 1) * classes])
        let p = softmax(row)
        loss += negativeLogSoftmax ? -Foundation.log(p[labels[r]]) : lse(row) - row[labels[r]]
        gradient += p.enumerated().map { j, pj in (pj - (j == labels[r] ? 1 : 0)) / (average ? Double(rows) : 1) }
    }
    return (average ? loss / Double(rows) : loss, gradient)
}

/// A depth-first pre-order (node, then its inputs), reversed: right for a chain, wrong as soon
/// as a node is reached along two paths.
func reversedPreOrder(_ root: Node) -> [Node] {
    var order: [Node] = []
    var visited: Set<ObjectIdentifier> = []
    func visit(_ node: Node) {
        guard visited.insert(ObjectIdentifier(node)).inserted else { return }
        order.append(node)
        node.inputs.forEach(visit)
    }
    visit(root)
    return order.reversed()
}

/// Breadth-first from the root, reversed (each node once, at its first, shallowest visit).
func reversedBreadthFirst(_ root: Node) -> [Node] {
    var order: [Node] = [root]
    var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    var k = 0
    while k < order.count {
        for input in order[k].inputs where visited.insert(ObjectIdentifier(input)).inserted { order.append(input) }
        k += 1
    }
    return order.reversed()
}

/// Backward over a given order of the nodes (the reference's body, with the order swapped in).
func backward(_ root: Node, order: (Node) throws -> [Node], accumulate: Bool = true, seed: Double = 1) throws {
    root.grad = seed
    for node in try order(root).reversed() {
        for (input, contribution) in zip(node.inputs, try node.contributions(upstream: node.grad)) {
            input.grad = accumulate ? input.grad + contribution : contribution
        }
    }
}

/// 3.5's training with a chosen mistake: tanh's derivative taken at the pre-activation, plain
/// gradient descent instead of Adam, or the loss recorded after the update.
func mistakenTraining(_ network: inout MoonsNetwork, _ points: [[Double]], _ labels: [Int], _ steps: Int, _ lr: Double,
                      derivativeAtPreActivation: Bool = false, plainDescent: Bool = false, lossAfterUpdate: Bool = false) throws -> [Double] {
    let count = points.count, hidden = network.hidden
    let x = points.flatMap { $0 }
    var states = [network.w1.count, network.b1.count, network.w2.count, network.b2.count].map { AdamState(count: $0) }
    var losses: [Double] = []
    func loss(_ n: MoonsNetwork) throws -> Double {
        let h = try ExerciseSolutions.linearForward(x: x, w: n.w1, b: n.b1, rows: count, inputs: 2, outputs: hidden).map { Foundation.tanh($0) }
        let logits = try ExerciseSolutions.linearForward(x: h, w: n.w2, b: n.b2, rows: count, inputs: hidden, outputs: 2)
        return try ExerciseSolutions.crossEntropy(logits: logits, rows: count, classes: 2, labels: labels).loss
    }
    for _ in 0..<steps {
        let z = try ExerciseSolutions.linearForward(x: x, w: network.w1, b: network.b1, rows: count, inputs: 2, outputs: hidden)
        let h = z.map { Foundation.tanh($0) }
        let logits = try ExerciseSolutions.linearForward(x: h, w: network.w2, b: network.b2, rows: count, inputs: hidden, outputs: 2)
        let (value, dLogits) = try ExerciseSolutions.crossEntropy(logits: logits, rows: count, classes: 2, labels: labels)
        if !lossAfterUpdate { losses.append(value) }
        let second = try ExerciseSolutions.linearBackward(x: h, w: network.w2, dy: dLogits, rows: count, inputs: hidden, outputs: 2)
        let dz = zip(derivativeAtPreActivation ? z : h, second.dx).map { (1 - $0 * $0) * $1 }
        let first = try ExerciseSolutions.linearBackward(x: x, w: network.w1, dy: dz, rows: count, inputs: 2, outputs: hidden)
        let gradients = [first.dw, first.db, second.dw, second.db]
        var parameters = [network.w1, network.b1, network.w2, network.b2]
        for k in 0..<4 {
            if plainDescent {
                for i in parameters[k].indices { parameters[k][i] -= lr * gradients[k][i] }
            } else {
                try ExerciseSolutions.adamStep(parameters: &parameters[k], gradients: gradients[k], state: &states[k], learningRate: lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
            }
        }
        (network.w1, network.b1, network.w2, network.b2) = (parameters[0], parameters[1], parameters[2], parameters[3])
        if lossAfterUpdate { losses.append(try loss(network)) }
    }
    return losses
}

/// col2im's scatter with a chosen mistake.
func mistakenConvBackward(_ input: [Double], _ weights: [Double], _ upstream: [Double], _ g: ConvGeometry, overwrite: Bool) throws -> ([Double], [Double]) {
    let (_, dWeights) = try ExerciseSolutions.conv2dBackward(input, weights: weights, upstream: upstream, g)
    let columns = g.outHeight * g.outWidth
    let dCols = ExerciseSolutions.matmul(ExerciseSolutions.transpose(weights, rows: g.filters, columns: g.patchSize), upstream,
                                         m: g.patchSize, k: g.filters, n: columns)
    var dInput = Array(repeating: 0.0, count: input.count)
    for c in 0..<g.channels { for ki in 0..<g.kernel { for kj in 0..<g.kernel {
        let row = (c * g.kernel + ki) * g.kernel + kj
        for oi in 0..<g.outHeight { for oj in 0..<g.outWidth {
            guard let p = ExerciseSolutions.inputPosition(g, channel: c, output: oi, oj, tap: ki, kj) else { continue }
            let value = dCols[row * columns + oi * g.outWidth + oj]
            dInput[p] = overwrite ? value : dInput[p] + value
        } }
    } } }
    return (dInput, dWeights)
}

/// im2col with a chosen mistake: reading without the padding offset, or without the stride,
/// or with the rows ordered (ki, kj, c) instead of (c, ki, kj).
func mistakenIm2col(_ input: [Double], _ g: ConvGeometry, ignorePadding: Bool = false, ignoreStride: Bool = false, channelLast: Bool = false) -> [Double] {
    let columns = g.outHeight * g.outWidth
    var cols = Array(repeating: 0.0, count: g.patchSize * columns)
    for c in 0..<g.channels { for ki in 0..<g.kernel { for kj in 0..<g.kernel {
        let row = channelLast ? (ki * g.kernel + kj) * g.channels + c : (c * g.kernel + ki) * g.kernel + kj
        for oi in 0..<g.outHeight { for oj in 0..<g.outWidth {
            let stride = ignoreStride ? 1 : g.stride, padding = ignorePadding ? 0 : g.padding
            let i = oi * stride + ki - padding, j = oj * stride + kj - padding
            guard (0..<g.height).contains(i), (0..<g.width).contains(j) else { continue }
            cols[row * columns + oi * g.outWidth + oj] = input[(c * g.height + i) * g.width + j]
        } }
    } } }
    return cols
}

enum MutantCatalogue {
    static let all: [Mutant] = scalars + tensors + training + deepNetworks

    static let scalars: [Mutant] = [
        Mutant(task: "1.1", name: "inputs swapped: (a·u, b·u)") { $0.mulBackward = { a, b, u in (a * u, b * u) } },
        Mutant(task: "1.1", name: "upstream forgotten: (b, a)") { $0.mulBackward = { a, b, _ in (b, a) } },
        Mutant(task: "1.1", name: "the sum rule: (u, u)") { $0.mulBackward = { _, _, u in (u, u) } },
        Mutant(task: "1.2", name: "exponent not lowered: n·xⁿ·u") { $0.powBackward = { x, n, u in n * Foundation.pow(x, n) * u } },
        Mutant(task: "1.2", name: "n forgotten: xⁿ⁻¹·u") { $0.powBackward = { x, n, u in Foundation.pow(x, n - 1) * u } },
        Mutant(task: "1.2", name: "upstream forgotten") { $0.powBackward = { x, n, _ in n * Foundation.pow(x, n - 1) } },
        Mutant(task: "1.3", name: "no square: (1 − y)·u") { $0.tanhBackward = { y, u in (1 - y) * u } },
        Mutant(task: "1.3", name: "at the wrong point: (1 − tanh²(y))·u") { $0.tanhBackward = { y, u in (1 - Foundation.tanh(y) * Foundation.tanh(y)) * u } },
        Mutant(task: "1.3", name: "upstream forgotten") { $0.tanhBackward = { y, _ in 1 - y * y } },
        Mutant(task: "1.4", name: "derivative 1: u") { $0.expBackward = { _, u in u } },
        Mutant(task: "1.4", name: "exp of the output: e^y·u") { $0.expBackward = { y, u in Foundation.exp(y) * u } },
        Mutant(task: "1.4", name: "upstream forgotten") { $0.expBackward = { y, _ in y } },
        Mutant(task: "1.5", name: "no visited set: shared nodes twice") { solution in
            solution.topologicalOrder = { root in
                var order: [Node] = []
                func visit(_ node: Node) { node.inputs.forEach(visit); order.append(node) }
                visit(root)
                return order
            }
        },
        Mutant(task: "1.5", name: "a pre-order, reversed") { $0.topologicalOrder = { reversedPreOrder($0) } },
        Mutant(task: "1.5", name: "breadth-first from the root, reversed") { $0.topologicalOrder = { reversedBreadthFirst($0) } },
        Mutant(task: "1.5", name: "root first") { $0.topologicalOrder = { try ExerciseSolutions.topologicalOrder($0).reversed() } },
        Mutant(task: "1.6", name: "= instead of +=") { $0.backward = { try backward($0, order: ExerciseSolutions.topologicalOrder, accumulate: false) } },
        Mutant(task: "1.6", name: "over a reversed pre-order") { $0.backward = { try backward($0, order: reversedPreOrder) } },
        Mutant(task: "1.6", name: "the root not seeded with 1") { $0.backward = { try backward($0, order: ExerciseSolutions.topologicalOrder, seed: 0) } },
        Mutant(task: "1.6", name: "leaves first (the order not reversed)") { $0.backward = { try backward($0, order: { try ExerciseSolutions.topologicalOrder($0).reversed() }) } },
        Mutant(task: "1.7", name: "only the root") { $0.zeroGrad = { root in root.grad = 0 } },
        Mutant(task: "1.7", name: "only the leaves") { $0.zeroGrad = { root in for node in try ExerciseSolutions.topologicalOrder(root) where node.inputs.isEmpty { node.grad = 0 } } },
        Mutant(task: "1.7", name: "all but the root") { $0.zeroGrad = { root in for node in try ExerciseSolutions.topologicalOrder(root) where node !== root { node.grad = 0 } } },
        Mutant(task: "1.8", name: "a forward difference") { solution in
            solution.numericalGradient = { f, point, h in point.indices.map { i in var plus = point; plus[i] += h; return (f(plus) - f(point)) / h } }
        },
        Mutant(task: "1.8", name: "central, divided by h instead of 2h") { solution in
            solution.numericalGradient = { f, point, h in point.indices.map { i in
                var plus = point, minus = point
                plus[i] += h; minus[i] -= h
                return (f(plus) - f(minus)) / h
            } }
        },
        Mutant(task: "1.8", name: "every coordinate nudged at once") { solution in
            solution.numericalGradient = { f, point, h in point.indices.map { _ in (f(point.map { $0 + h }) - f(point.map { $0 - h })) / (2 * h) } }
        },
    ]

    static let tensors: [Mutant] = [
        Mutant(task: "2.1", name: "each axis's own size included") { $0.contiguousStrides = { shape in shape.indices.map { shape[$0...].reduce(1, *) } } },
        Mutant(task: "2.1", name: "column-major") { $0.contiguousStrides = { shape in shape.indices.map { shape[..<$0].reduce(1, *) } } },
        Mutant(task: "2.1", name: "all ones") { $0.contiguousStrides = { shape in shape.map { _ in 1 } } },
        Mutant(task: "2.2", name: "position as the sum of the index") { $0.position = { index, _ in index.reduce(0, +) } },
        Mutant(task: "2.2", name: "index read column-major") { solution in
            solution.index = { position, shape in
                var rest = position
                return shape.map { size in defer { rest /= size }; return rest % size }
            }
        },
        Mutant(task: "2.2", name: "position with the strides reversed") { $0.position = { index, strides in zip(index, strides.reversed()).reduce(0) { $0 + $1.0 * $1.1 } } },
        Mutant(task: "2.3", name: "same rank only, no 1-rule") { $0.broadcastShape = { a, b in a.count == b.count ? zip(a, b).map { max($0, $1) } : nil } },
        Mutant(task: "2.3", name: "never incompatible: the larger size") { solution in
            solution.broadcastShape = { a, b in
                let rank = max(a.count, b.count)
                let pa = Array(repeating: 1, count: rank - a.count) + a, pb = Array(repeating: 1, count: rank - b.count) + b
                return zip(pa, pb).map { max($0, $1) }
            }
        },
        Mutant(task: "2.3", name: "aligned from the left") { solution in
            solution.broadcastShape = { a, b in
                let rank = max(a.count, b.count)
                let pa = a + Array(repeating: 1, count: rank - a.count), pb = b + Array(repeating: 1, count: rank - b.count)
                return zip(pa, pb).allSatisfy { $0 == $1 || $0 == 1 || $1 == 1 } ? zip(pa, pb).map { max($0, $1) } : nil
            }
        },
        Mutant(task: "2.4", name: "= instead of +=") { solution in
            solution.sumToShape = { gradient, big, small in
                var result = Array(repeating: 0.0, count: small.reduce(1, *))
                let strides = try ExerciseSolutions.contiguousStrides(small)
                for p in gradient.indices {
                    let index = try ExerciseSolutions.index(at: p, shape: big)
                    let offset = big.count - small.count
                    result[small.indices.reduce(0) { $0 + (small[$1] == 1 ? 0 : index[$1 + offset]) * strides[$1] }] = gradient[p]
                }
                return result
            }
        },
        Mutant(task: "2.4", name: "the first block, not summed") { $0.sumToShape = { gradient, _, small in Array(gradient.prefix(small.reduce(1, *))) } },
        Mutant(task: "2.4", name: "the mean instead of the sum") { solution in
            solution.sumToShape = { gradient, big, small in
                let summed = try ExerciseSolutions.sumToShape(gradient, from: big, to: small)
                let factor = Double(big.reduce(1, *)) / Double(small.reduce(1, *))
                return summed.map { $0 / factor }
            }
        },
        Mutant(task: "2.5", name: "mean without the division") { solution in
            solution.reductionBackward = { kind, input, rows, columns, axis, upstream in
                try ExerciseSolutions.reductionBackward(kind == .mean ? .sum : kind, input, rows: rows, columns: columns, axis: axis, upstream: upstream)
            }
        },
        Mutant(task: "2.5", name: "max's gradient to every element") { solution in
            solution.reductionBackward = { kind, input, rows, columns, axis, upstream in
                try ExerciseSolutions.reductionBackward(kind == .max ? .sum : kind, input, rows: rows, columns: columns, axis: axis, upstream: upstream)
            }
        },
        Mutant(task: "2.5", name: "mean divided by the other axis's length") { solution in
            solution.reductionBackward = { kind, input, rows, columns, axis, upstream in
                let grads = try ExerciseSolutions.reductionBackward(kind, input, rows: rows, columns: columns, axis: axis, upstream: upstream)
                guard kind == .mean else { return grads }
                let (right, wrong) = axis == 1 ? (columns, rows) : (rows, columns)
                return grads.map { $0 * Double(right) / Double(wrong) }
            }
        },
        Mutant(task: "2.6", name: "dA reversed") { solution in
            solution.matmulBackward = { a, b, m, k, n, u in let (da, db) = try ExerciseSolutions.matmulBackward(a, b, m: m, k: k, n: n, upstream: u); return (da.reversed(), db) }
        },
        Mutant(task: "2.6", name: "dA = U·B, B read as [n, k] (no transpose)") { solution in
            solution.matmulBackward = { a, b, m, k, n, u in
                let (_, db) = try ExerciseSolutions.matmulBackward(a, b, m: m, k: k, n: n, upstream: u)
                let da = (0..<m * k).map { ip in (0..<n).reduce(0.0) { $0 + u[(ip / k) * n + $1] * b[$1 * k + ip % k] } }
                return (da, db)
            }
        },
        Mutant(task: "2.6", name: "dB = Aᵀ·U without the upstream weights (Aᵀ·1)") { solution in
            solution.matmulBackward = { a, b, m, k, n, u in
                let (da, _) = try ExerciseSolutions.matmulBackward(a, b, m: m, k: k, n: n, upstream: u)
                let (_, db) = try ExerciseSolutions.matmulBackward(a, b, m: m, k: k, n: n, upstream: u.map { _ in 1 })
                return (da, db)
            }
        },
        Mutant(task: "2.7", name: "pivot at the minimum") { s in let p = pivoted { $0.min() ?? 0 }; s.logSumExp = p.lse; s.softmax = p.softmax },
        Mutant(task: "2.7", name: "pivot at the mean") { s in let p = pivoted { $0.reduce(0, +) / Double(max(1, $0.count)) }; s.logSumExp = p.lse; s.softmax = p.softmax },
        Mutant(task: "2.7", name: "pivot at x[0]") { s in let p = pivoted { $0.first ?? 0 }; s.logSumExp = p.lse; s.softmax = p.softmax },
        Mutant(task: "2.7", name: "no pivot") { s in let p = pivoted { _ in 0 }; s.logSumExp = p.lse; s.softmax = p.softmax },
        Mutant(task: "2.8", name: "−log(softmax[label])") { solution in
            solution.crossEntropy = { logits, rows, classes, labels in
                crossEntropy(lse: { try! ExerciseSolutions.logSumExp($0) }, softmax: { try! ExerciseSolutions.softmax($0) },
                             logits: logits, rows: rows, classes: classes, labels: labels, negativeLogSoftmax: true)
            }
        },
        Mutant(task: "2.8", name: "summed, not averaged") { solution in
            solution.crossEntropy = { logits, rows, classes, labels in
                crossEntropy(lse: { try! ExerciseSolutions.logSumExp($0) }, softmax: { try! ExerciseSolutions.softmax($0) },
                             logits: logits, rows: rows, classes: classes, labels: labels, average: false)
            }
        },
        Mutant(task: "2.8", name: "softmax pivoted at the minimum") { solution in
            let p = pivoted { $0.min() ?? 0 }
            solution.crossEntropy = { logits, rows, classes, labels in
                crossEntropy(lse: p.lse, softmax: p.softmax, logits: logits, rows: rows, classes: classes, labels: labels)
            }
        },
        Mutant(task: "2.8", name: "gradient softmax − onehot, not divided by the rows") { solution in
            solution.crossEntropy = { logits, rows, classes, labels in
                let (loss, gradient) = try ExerciseSolutions.crossEntropy(logits: logits, rows: rows, classes: classes, labels: labels)
                return (loss, gradient.map { $0 * Double(rows) })
            }
        },
    ]

    static let training: [Mutant] = [
        Mutant(task: "3.1", name: "W read as [in, out]") { solution in
            solution.linearForward = { x, w, b, rows, inputs, outputs in
                let product = ExerciseSolutions.matmul(x, w, m: rows, k: inputs, n: outputs)
                return product.indices.map { product[$0] + b[$0 % outputs] }
            }
        },
        Mutant(task: "3.1", name: "no bias") { solution in
            solution.linearForward = { x, w, b, rows, inputs, outputs in try ExerciseSolutions.linearForward(x: x, w: w, b: b.map { _ in 0 }, rows: rows, inputs: inputs, outputs: outputs) }
        },
        Mutant(task: "3.1", name: "bias added to the first row only") { solution in
            solution.linearForward = { x, w, b, rows, inputs, outputs in
                let y = try ExerciseSolutions.linearForward(x: x, w: w, b: b.map { _ in 0 }, rows: rows, inputs: inputs, outputs: outputs)
                return y.indices.map { $0 < outputs ? y[$0] + b[$0] : y[$0] }
            }
        },
        Mutant(task: "3.2", name: "db from the first row only") { solution in
            solution.linearBackward = { x, w, dy, rows, inputs, outputs in
                let (dx, dw, _) = try ExerciseSolutions.linearBackward(x: x, w: w, dy: dy, rows: rows, inputs: inputs, outputs: outputs)
                return (dx, dw, Array(dy.prefix(outputs)))
            }
        },
        Mutant(task: "3.2", name: "dW laid out [in, out]") { solution in
            solution.linearBackward = { x, w, dy, rows, inputs, outputs in
                let (dx, dw, db) = try ExerciseSolutions.linearBackward(x: x, w: w, dy: dy, rows: rows, inputs: inputs, outputs: outputs)
                return (dx, ExerciseSolutions.transpose(dw, rows: outputs, columns: inputs), db)
            }
        },
        Mutant(task: "3.2", name: "dx = dy·Wᵀ with W read as [in, out]") { solution in
            solution.linearBackward = { x, w, dy, rows, inputs, outputs in
                let (_, dw, db) = try ExerciseSolutions.linearBackward(x: x, w: w, dy: dy, rows: rows, inputs: inputs, outputs: outputs)
                let dx = (0..<rows * inputs).map { ri in (0..<outputs).reduce(0.0) { $0 + dy[(ri / inputs) * outputs + $1] * w[(ri % inputs) * outputs + $1] } }
                return (dx, dw, db)
            }
        },
        Mutant(task: "3.3", name: "moves before updating the velocity") { solution in
            solution.sgdMomentumStep = { p, g, v, lr, mu in for i in p.indices { p[i] -= lr * v[i]; v[i] = mu * v[i] + g[i] } }
        },
        Mutant(task: "3.3", name: "no momentum") { solution in
            solution.sgdMomentumStep = { p, g, v, lr, _ in for i in p.indices { v[i] = g[i]; p[i] -= lr * v[i] } }
        },
        Mutant(task: "3.3", name: "an average: v ← μv + (1 − μ)g") { solution in
            solution.sgdMomentumStep = { p, g, v, lr, mu in for i in p.indices { v[i] = mu * v[i] + (1 - mu) * g[i]; p[i] -= lr * v[i] } }
        },
        Mutant(task: "3.4", name: "no bias correction") { solution in
            solution.adamStep = { p, g, s, lr, b1, b2, eps in
                s.step += 1
                for i in p.indices {
                    s.m[i] = b1 * s.m[i] + (1 - b1) * g[i]
                    s.v[i] = b2 * s.v[i] + (1 - b2) * g[i] * g[i]
                    p[i] -= lr * s.m[i] / (s.v[i].squareRoot() + eps)
                }
            }
        },
        Mutant(task: "3.4", name: "v̂ corrected with β₁") { solution in
            solution.adamStep = { p, g, s, lr, b1, b2, eps in
                s.step += 1
                for i in p.indices {
                    s.m[i] = b1 * s.m[i] + (1 - b1) * g[i]
                    s.v[i] = b2 * s.v[i] + (1 - b2) * g[i] * g[i]
                    let mHat = s.m[i] / (1 - Foundation.pow(b1, Double(s.step))), vHat = s.v[i] / (1 - Foundation.pow(b1, Double(s.step)))
                    p[i] -= lr * mHat / (vHat.squareRoot() + eps)
                }
            }
        },
        Mutant(task: "3.4", name: "the step counted from 0") { solution in
            solution.adamStep = { p, g, s, lr, b1, b2, eps in
                try ExerciseSolutions.adamStep(parameters: &p, gradients: g, state: &s, learningRate: lr, beta1: b1, beta2: b2, epsilon: eps)
                if s.step == 1 { s.step = 0 }
            }
        },
        Mutant(task: "3.5", name: "1-nearest-neighbour: nothing trained") { $0.trainMoons = { _, _, _, steps, _ in Array(repeating: Foundation.log(2), count: steps) } },
        Mutant(task: "3.5", name: "tanh's derivative at the pre-activation") { $0.trainMoons = { try mistakenTraining(&$0, $1, $2, $3, $4, derivativeAtPreActivation: true) } },
        Mutant(task: "3.5", name: "plain gradient descent instead of Adam") { $0.trainMoons = { try mistakenTraining(&$0, $1, $2, $3, $4, plainDescent: true) } },
        Mutant(task: "3.5", name: "the loss recorded after the update") { $0.trainMoons = { try mistakenTraining(&$0, $1, $2, $3, $4, lossAfterUpdate: true) } },
        Mutant(task: "3.6", name: "the padding offset forgotten") { $0.im2col = { mistakenIm2col($0, $1, ignorePadding: true) } },
        Mutant(task: "3.6", name: "rows ordered (ki, kj, c)") { $0.im2col = { mistakenIm2col($0, $1, channelLast: true) } },
        Mutant(task: "3.6", name: "the stride forgotten") { $0.im2col = { mistakenIm2col($0, $1, ignoreStride: true) } },
        Mutant(task: "3.7", name: "the kernel flipped (a convolution, not a correlation)") { solution in
            solution.conv2dForward = { input, weights, g in
                let k = g.kernel
                let flipped = weights.indices.map { i in weights[(i / (k * k)) * k * k + (k * k - 1 - i % (k * k))] }
                return try ExerciseSolutions.conv2dForward(input, weights: flipped, g)
            }
        },
        Mutant(task: "3.7", name: "the output laid out [pixels, filters]") { solution in
            solution.conv2dForward = { input, weights, g in
                ExerciseSolutions.transpose(try ExerciseSolutions.conv2dForward(input, weights: weights, g), rows: g.filters, columns: g.outHeight * g.outWidth)
            }
        },
        Mutant(task: "3.7", name: "through an im2col that forgets the padding offset") { solution in
            solution.conv2dForward = { input, weights, g in
                ExerciseSolutions.matmul(weights, mistakenIm2col(input, g, ignorePadding: true), m: g.filters, k: g.patchSize, n: g.outHeight * g.outWidth)
            }
        },
        Mutant(task: "3.8", name: "col2im with = instead of +=") { $0.conv2dBackward = { try mistakenConvBackward($0, $1, $2, $3, overwrite: true) } },
        Mutant(task: "3.8", name: "dWeights transposed to [patch, filters]") { solution in
            solution.conv2dBackward = { input, weights, upstream, g in
                let (dInput, dWeights) = try ExerciseSolutions.conv2dBackward(input, weights: weights, upstream: upstream, g)
                return (dInput, ExerciseSolutions.transpose(dWeights, rows: g.filters, columns: g.patchSize))
            }
        },
        Mutant(task: "3.8", name: "dInput from the forward's weights, not the upstream") { solution in
            solution.conv2dBackward = { input, weights, upstream, g in
                let (_, dWeights) = try ExerciseSolutions.conv2dBackward(input, weights: weights, upstream: upstream, g)
                let (dInput, _) = try ExerciseSolutions.conv2dBackward(input, weights: weights, upstream: upstream.map { _ in 1 }, g)
                return (dInput, dWeights)
            }
        },
    ]
}
