// ExerciseTask.swift — the catalogue: every task's id, points, tier, file, test and hints.
//
// One table drives everything: the test suites are named after `suiteName`, `lumen grade`
// prints the scoreboard in this order, `lumen hint` reads `hints`, and Exercises/README.md
// lists the same rows.
//
// Read next: ExerciseSolution.swift (what the learner's code hands to the graders).

import Engine
import ExerciseKit

/// The four tiers, in the order the lessons teach them.
public enum Tier: Int, CaseIterable, Sendable, CustomStringConvertible {
    case scalars = 1, tensors, training, deepNetworks

    public var description: String {
        switch self {
        case .scalars: "Scalars"
        case .tensors: "Tensors"
        case .training: "Training"
        case .deepNetworks: "Deep networks"
        }
    }
}

/// The grader of an array task (tier 4 on): it calls the learner's function, through its
/// hookup line, on inputs drawn from `rng`, and throws a `GradeFailure` that explains a wrong answer.
public typealias ArrayGrader = @Sendable (_ function: ArrayFunction, _ rng: inout SplitMix64) throws -> Void

/// One graded task.
public struct ExerciseTask: Sendable, Equatable {
    /// `"tier.number"`, for example `"1.3"`.
    public let id: String
    public let title: String
    public let points: Int
    /// The file under Exercises/Sources/Exercises that holds the stub.
    public let file: String
    /// The lesson that teaches it.
    public let lesson: String
    /// Progressive hints: a nudge first, the last one nearly the answer.
    public let hints: [String]
    /// The grader of an array task; nil for tasks 1.1–3.8, whose graders `Grader.check` names.
    public internal(set) var arrayGrader: ArrayGrader? = nil

    /// Tasks are told apart by their ids.
    public static func == (a: ExerciseTask, b: ExerciseTask) -> Bool { a.id == b.id }

    public var tier: Tier { Tier(rawValue: Int(id.split(separator: ".")[0])!)! }

    /// The test suite's name prefix, `Task1_3_`; `swift test --filter Task1_3_` runs it alone.
    public var suiteName: String { "Task" + id.replacingOccurrences(of: ".", with: "_") + "_" }

    /// The stub's marker line, `throw Unimplemented("Task 1.3")`.
    public var stubMarker: String { "throw Unimplemented(\"Task \(id)\")" }
}

extension ExerciseTask {
    /// Every task, in course order.
    public static let all: [ExerciseTask] = scalarTasks + tensorTasks + trainingTasks + deepNetworkTasks

    /// The task with this id (`"1.3"`; `"Task 1.3"` and `"1_3"` are accepted too), or nil.
    public static func named(_ text: String) -> ExerciseTask? {
        var id = text.trimmingCharacters(in: .whitespaces)
        if id.lowercased().hasPrefix("task") { id = String(id.dropFirst(4)).trimmingCharacters(in: .whitespaces) }
        id = id.replacingOccurrences(of: "_", with: ".")
        return all.first { $0.id == id }
    }

    static let scalarTasks: [ExerciseTask] = [
        ExerciseTask(id: "1.1", title: "backward of multiplication", points: 2, file: "Scalars.swift", lesson: "Lessons 2–3: derivatives, the chain rule",
                     hints: ["out = a·b. How much does out change when a moves a little, b held still?",
                             "∂out/∂a = b and ∂out/∂b = a. Each is then multiplied by the upstream gradient.",
                             "Each input receives the other input times the upstream gradient. Which is which? Nudge a: out moves by b times as much."]),
        ExerciseTask(id: "1.2", title: "backward of pow", points: 2, file: "Scalars.swift", lesson: "Lessons 2–3: derivatives, the chain rule",
                     hints: ["The power rule from calculus: d/dx xⁿ.",
                             "∂xⁿ/∂x = n·xⁿ⁻¹; use Foundation.pow(x, n - 1).",
                             "Foundation.pow(x, y) computes xʸ. Three things multiply: the exponent, x to one power less, and the upstream gradient."]),
        ExerciseTask(id: "1.3", title: "backward of tanh", points: 2, file: "Scalars.swift", lesson: "Lessons 2–3: derivatives, the chain rule",
                     hints: ["You are given the forward output. tanh' can be written in terms of tanh itself.",
                             "d tanh(x)/dx = 1 − tanh²(x) = 1 − output².",
                             "You have the output y = tanh x, not x: write the derivative in y alone, then multiply by the upstream gradient."]),
        ExerciseTask(id: "1.4", title: "backward of exp", points: 2, file: "Scalars.swift", lesson: "Lessons 2–3: derivatives, the chain rule",
                     hints: ["eˣ is its own derivative.", "∂eˣ/∂x = eˣ, which is the output you are given.",
                             "The local derivative is the output itself; the chain rule then multiplies it by what arrives from above."]),
        ExerciseTask(id: "1.5", title: "topological sort", points: 3, file: "Scalars.swift", lesson: "Lesson 4: order and accumulation",
                     hints: ["Every node must come after all of its inputs; each node exactly once, the root last.",
                             "Depth-first: visit a node's inputs first, then append the node. Keep a Set<ObjectIdentifier> of visited nodes.",
                             "A node reached a second time along another path is already placed: skip it. Append a node only once all its inputs are appended (post-order), not when you first reach it."]),
        ExerciseTask(id: "1.6", title: "backward with gradient accumulation", points: 3, file: "Scalars.swift", lesson: "Lesson 4: order and accumulation",
                     hints: ["Seed root.grad = 1, then walk the topological order from the root back to the leaves.",
                             "At each node ask node.contributions(upstream: node.grad) and add each one to the matching input's grad.",
                             "Use +=, never =: a node used twice (x * x) receives a contribution along each path."]),
        ExerciseTask(id: "1.7", title: "zeroGrad", points: 1, file: "Scalars.swift", lesson: "Lesson 4: order and accumulation",
                     hints: ["Gradients accumulate, so a second backward adds to the first. Reset them first.",
                             "Set grad = 0 on every node the root depends on, the root included.",
                             "Task 1.5 already lists every node the root depends on, each once."]),
        ExerciseTask(id: "1.8", title: "numerical gradient", points: 2, file: "Scalars.swift", lesson: "Lesson 2: derivatives",
                     hints: ["Nudge one input at a time, both ways, and see how f changes.",
                             "Central difference: (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for each i.",
                             "Copy the point twice, add step to one copy's i-th entry and subtract it from the other's."]),
    ]

    static let tensorTasks: [ExerciseTask] = [
        ExerciseTask(id: "2.1", title: "contiguous strides", points: 1, file: "Tensors.swift", lesson: "Lesson 6: shapes, strides and views",
                     hints: ["The last axis moves by one element; each earlier axis jumps over a whole block of the later axes.",
                             "strides[i] = shape[i+1] · shape[i+2] · … · shape[last]; the last stride is 1.",
                             "Walk the axes from the last to the first, keeping a running product."]),
        ExerciseTask(id: "2.2", title: "index ↔ position", points: 2, file: "Tensors.swift", lesson: "Lesson 6: shapes, strides and views",
                     hints: ["A position in storage is a dot product of the index with the strides.",
                             "position = Σ index[i]·strides[i]. For the way back (contiguous), divide by each stride in turn.",
                             "For the index, go axis by axis from the first: how many whole strides fit in what is left, and what is left over."]),
        ExerciseTask(id: "2.3", title: "broadcast shapes", points: 2, file: "Tensors.swift", lesson: "Lesson 7: broadcasting and its backward",
                     hints: ["Line the shapes up at the right; pad the shorter one with 1s on the left.",
                             "Two sizes agree when they are equal or one of them is 1; the result takes the larger. Otherwise return nil.",
                             "Walk both shapes from their last axis towards their first; where one shape has run out of axes, its size counts as 1."]),
        ExerciseTask(id: "2.4", title: "broadcast backward (sum back)", points: 3, file: "Tensors.swift", lesson: "Lesson 7: broadcasting and its backward",
                     hints: ["An element that was copied to many places gets the sum of the gradients of all its copies.",
                             "For each position of the big gradient, find the small tensor's element it came from (size-1 axes → index 0, missing leading axes dropped) and add.",
                             "Convert each output position to an index, clamp axes where the small shape is 1 to 0, drop the leading extra axes, convert back to a position, +=."]),
        ExerciseTask(id: "2.5", title: "sum, mean and max backward", points: 3, file: "Tensors.swift", lesson: "Lesson 7: broadcasting and its backward",
                     hints: ["Each output of a reduction along an axis came from one row (or column); send its upstream back to that row.",
                             "sum: every element gets the upstream. mean: upstream / count. max: only the largest element gets it.",
                             "For axis 1 of [r, c]: grad[i*c + j] = upstream[i] (sum), upstream[i]/c (mean), upstream[i] if j is the row's argmax else 0 (max)."]),
        ExerciseTask(id: "2.6", title: "matmul backward", points: 3, file: "Tensors.swift", lesson: "Lesson 8: matmul and its backward",
                     hints: ["Check the shapes: dA must be [m, k] and dB [k, n]; which products give those?",
                             "dA = dC · Bᵀ and dB = Aᵀ · dC.",
                             "dA[i][p] = Σⱼ dC[i][j]·B[p][j];  dB[p][j] = Σᵢ A[i][p]·dC[i][j]."]),
        ExerciseTask(id: "2.7", title: "stable softmax and logsumexp", points: 2, file: "Tensors.swift", lesson: "Lesson 9: losses and softmax",
                     hints: ["exp(1000) is infinity. Softmax does not change when you subtract the same number from every logit.",
                             "Subtract the maximum first: logsumexp(x) = m + log Σ exp(xᵢ − m).",
                             "softmax(x)ᵢ = exp(xᵢ − logsumexp(x))."]),
        ExerciseTask(id: "2.8", title: "cross-entropy and its gradient", points: 3, file: "Tensors.swift", lesson: "Lesson 9: losses and softmax",
                     hints: ["Loss for one row: logsumexp(row) − row[label]. Average over the rows.",
                             "The gradient of one row's loss is softmax(row) − onehot(label).",
                             "Divide the gradient by the batch size too, because the loss is a mean."]),
    ]

    static let trainingTasks: [ExerciseTask] = [
        ExerciseTask(id: "3.1", title: "Linear forward", points: 2, file: "Training.swift", lesson: "Lesson 11: an MLP for the digits (Linear)",
                     hints: ["y = x·Wᵀ + b, with x [n, in], W [out, in] (the layout of Lumen's Linear: one row of weights per output), b [out].",
                             "y[r][o] = b[o] + Σᵢ x[r][i]·W[o][i]; row o of W is output o's weights.",
                             "The worked example has matmul and transpose; the bias is added to every row."]),
        ExerciseTask(id: "3.2", title: "Linear backward", points: 3, file: "Training.swift", lesson: "Lesson 11: an MLP for the digits (Linear)",
                     hints: ["This is the matmul backward (2.6) for y = x·Wᵀ, plus the bias, which was broadcast over the rows.",
                             "dx = dy·W [n, in], dW = dyᵀ·x [out, in] (the same layout as W), db = the sum of dy over the rows.",
                             "Check each shape against its parameter: dW has W's shape, db has b's."]),
        ExerciseTask(id: "3.3", title: "SGD with momentum", points: 2, file: "Training.swift", lesson: "Lesson 10: optimizers",
                     hints: ["Keep a running velocity per parameter and move along it.",
                             "velocity = momentum·velocity + grad; then parameter −= learningRate·velocity.",
                             "Update velocity[i] first, then parameters[i], for every i."]),
        ExerciseTask(id: "3.4", title: "Adam with bias correction", points: 3, file: "Training.swift", lesson: "Lesson 10: optimizers",
                     hints: ["Adam keeps two running averages: of the gradient and of its square.",
                             "m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ).",
                             "parameter −= lr·m̂/(√v̂ + ε), with t counting steps from 1."]),
        ExerciseTask(id: "3.5", title: "a training loop that learns the moons", points: 4, file: "Training.swift", lesson: "Lessons 9–11: losses, optimizers, an MLP for the digits",
                     hints: ["Each step: forward through Linear, tanh, Linear; the loss and its gradient (2.8); backward; one Adam step per weight and bias.",
                             "Record the loss before the update. Backward runs in reverse: the second Linear (3.2), then tanh, whose derivative 1 − h² uses its output h, then the first Linear.",
                             "Keep four AdamStates, one per array (w1, b1, w2, b2), made before the first step and kept across steps."]),
        ExerciseTask(id: "3.6", title: "im2col", points: 2, file: "Convolution.swift", lesson: "Lesson 12: convolutions",
                     hints: ["Every output pixel looks at one C×kh×kw patch; lay each patch out as a column.",
                             "Row (c, ki, kj), column (oi, oj) holds input[c][oi·stride + ki − padding][oj·stride + kj − padding], 0 outside.",
                             "outH = (H + 2·padding − kh)/stride + 1, and the same for the width."]),
        ExerciseTask(id: "3.7", title: "conv2d forward through im2col", points: 2, file: "Convolution.swift", lesson: "Lesson 12: convolutions",
                     hints: ["After im2col the convolution is a single matrix product.",
                             "Weights as [F, C·kh·kw] times columns [C·kh·kw, outH·outW] gives [F, outH·outW].",
                             "output = matmul(weights, im2col(input)); the weight array is already laid out row-major as [F, C·kh·kw]."]),
        ExerciseTask(id: "3.8", title: "conv2d backward (col2im)", points: 4, file: "Convolution.swift", lesson: "Lesson 12: convolutions",
                     hints: ["Use the matmul backward on the product you formed in 3.7.",
                             "dW = dOut · colsᵀ; dCols = Wᵀ · dOut; then scatter dCols back into the input shape.",
                             "col2im adds (+=) each column entry back to the input pixel it was copied from; overlapping patches add up."]),
    ]
}

import Foundation
