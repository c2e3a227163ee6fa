// Hookup.swift — connects your functions to Lumen's graders. You do not need to edit it.
//
// The graders cannot see your module, so this file hands them each function you write as a
// closure, and your `Scalar` through the `LearnerScalar` protocol.
//
// Read next: Scalars.swift.

import ExerciseKit

extension Scalar: LearnerScalar {}

/// Every function of the exercises, for the graders.
public func learnerSolution() -> ExerciseSolution<Scalar> {
    ExerciseSolution<Scalar>(
        mulBackward: { try mulBackward($0, $1, upstream: $2) },
        powBackward: { try powBackward($0, exponent: $1, upstream: $2) },
        tanhBackward: { try tanhBackward(output: $0, upstream: $1) },
        expBackward: { try expBackward(output: $0, upstream: $1) },
        topologicalOrder: { try topologicalOrder($0) },
        backward: { try backward($0) },
        zeroGrad: { try zeroGrad($0) },
        numericalGradient: { try numericalGradient(of: $0, at: $1, step: $2) },
        contiguousStrides: { try contiguousStrides($0) },
        position: { try position(of: $0, strides: $1) },
        index: { try index(at: $0, shape: $1) },
        broadcastShape: { try broadcastShape($0, $1) },
        sumToShape: { try sumToShape($0, from: $1, to: $2) },
        reductionBackward: { try reductionBackward($0, $1, rows: $2, columns: $3, axis: $4, upstream: $5) },
        matmulBackward: { try matmulBackward($0, $1, m: $2, k: $3, n: $4, upstream: $5) },
        logSumExp: { try logSumExp($0) },
        softmax: { try softmax($0) },
        crossEntropy: { try crossEntropy(logits: $0, rows: $1, classes: $2, labels: $3) },
        linearForward: { try linearForward(x: $0, w: $1, b: $2, rows: $3, inputs: $4, outputs: $5) },
        linearBackward: { try linearBackward(x: $0, w: $1, dy: $2, rows: $3, inputs: $4, outputs: $5) },
        sgdMomentumStep: { try sgdMomentumStep(parameters: &$0, gradients: $1, velocity: &$2, learningRate: $3, momentum: $4) },
        adamStep: { try adamStep(parameters: &$0, gradients: $1, state: &$2, learningRate: $3, beta1: $4, beta2: $5, epsilon: $6) },
        trainMoons: { try trainMoons(network: &$0, points: $1, labels: $2, steps: $3, learningRate: $4) },
        im2col: { try im2col($0, $1) },
        conv2dForward: { try conv2dForward($0, weights: $1, $2) },
        conv2dBackward: { try conv2dBackward($0, weights: $1, upstream: $2, $3) },
        // Tier 4 on: each function takes arrays of numbers (n) and integers (i) in the order its
        // grader sends them, and gives back arrays of numbers.
        arrayTasks: [
            "4.1": { n, i in
                let g = try batchNormBackward(x: n[0], gamma: n[1], dy: n[2], rows: i[0], features: i[1], epsilon: n[3][0])
                return [g.dx, g.dGamma, g.dBeta]
            },
            "4.2": { n, i in [[try kaimingStd(fanIn: i[0], negativeSlope: n[0][0])]] },
            "4.3": { n, i in [try embeddingBackward(ids: Array(i.dropFirst(2)), upstream: n[0], vocabulary: i[0], dimension: i[1])] },
            "4.4": { n, i in
                let g = try lstmCellBackward(x: n[0], h: n[1], c: n[2], wIH: n[3], wHH: n[4], bias: n[5], dhNext: n[6], dcNext: n[7],
                                             rows: i[0], inputs: i[1], hidden: i[2])
                return [g.dx, g.dh, g.dc, g.dWIH, g.dWHH, g.dBias]
            },
            "4.5": { n, i in [try causalAttention(q: n[0], k: n[1], v: n[2], time: i[0], dimension: i[1])] },
            "4.9": { n, i in
                let g = try causalAttentionBackward(q: n[0], k: n[1], v: n[2], dOut: n[3], time: i[0], dimension: i[1])
                return [g.dq, g.dk, g.dv]
            },
            "4.6": { n, _ in [[Double(try sampleWithTemperature(logits: n[0], temperature: n[1][0], uniform: n[2][0]))]] },
            "4.7": { n, i in
                let s = try discriminatorStep(real: n[0], noise: n[1], wd: n[2], bd: n[3], wg: n[4], bg: n[5], rows: i[0], learningRate: n[6][0])
                return [s.wd, s.bd, s.wg, s.bg, [s.loss]]
            },
            "4.8": { n, i in [[Double(try modesCovered(samples: n[0], centres: n[1], radius: n[2][0], minimum: i[0]))]] },
        ]
    )
}
