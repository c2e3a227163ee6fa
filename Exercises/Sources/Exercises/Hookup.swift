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
        conv2dBackward: { try conv2dBackward($0, weights: $1, upstream: $2, $3) }
    )
}
