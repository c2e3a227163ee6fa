// Graders+Scalars.swift — tasks 1.1–1.8: backward rules, topological sort, backward, zeroGrad,
// and the numerical gradient.
//
// Each grader builds the same random expression twice, once from the learner's nodes and
// once from Lumen's `Value`s, and compares gradients node by node; Lumen's answers are
// themselves checked against central differences. A wrong gradient is drawn: the graph goes
// to an SVG with the first wrong node in red.
//
// Read next: GraphExplanation.swift (that drawing), Graders+Tensors.swift.

import Engine
import Foundation

// MARK: - A random expression, built from either kind of node

/// A random expression with branches, shared subexpressions and several paths to a node:
///   d = x₀·x₁, p = tanh d, q = d + x_last, q·q   (d reaches the root along two paths; q·q
///                                                  uses one node twice)
/// then a few random steps on any earlier nodes, then every node not yet used is added into
/// the root, and finally x₀ is added once more at the top, so that a leaf deep in the graph
/// is also a direct input of the root. A chain would let a reversed pre-order or a
/// breadth-first order pass for a topological one; this graph does not.
struct ExpressionPlan {
    enum Step {
        case add(Int, Int), mul(Int, Int), square(Int), tanh(Int), exp(Int)
    }

    var leaves: [Double]
    var steps: [Step]

    init(_ rng: inout SplitMix64) {
        leaves = (0..<rng.nextInt(2, 4)).map { _ in rng.nextUniform(-1.5, 1.5) }
        let l = leaves.count
        steps = [.mul(0, 1), .tanh(l), .add(l, l - 1), .mul(l + 2, l + 2)]
        for _ in 0..<rng.nextInt(2, 5) {
            let count = l + steps.count
            // Often the newest node, else any earlier one: long paths and short cuts both.
            let first = rng.nextInt(0, 1) == 0 ? count - 1 : rng.nextInt(0, count - 1)
            let other = rng.nextInt(0, count - 1)
            switch rng.nextInt(0, 4) {
            case 0: steps.append(.add(first, other))
            case 1: steps.append(.mul(first, other))
            case 2: steps.append(.square(first))
            case 3: steps.append(.tanh(first))
            default: steps.append(.exp(first))
            }
        }
        // Everything ends up on the way to the root.
        var root = l + steps.count - 1
        for k in 0..<root where uses(of: k) == 0 {
            steps.append(.add(root, k))
            root = l + steps.count - 1
        }
        steps.append(.add(root, 0))
    }

    /// Every node, leaves first; the root is last. `exp` is applied to a tanh, so it stays small.
    func buildLearner<N: LearnerScalar>(_: N.Type) -> [N] {
        var nodes = leaves.map { N($0) }
        for step in steps {
            switch step {
            case .add(let i, let j): nodes.append(nodes[i] + nodes[j])
            case .mul(let i, let j): nodes.append(nodes[i] * nodes[j])
            case .square(let i): nodes.append(nodes[i].pow(2))
            case .tanh(let i): nodes.append(nodes[i].tanh())
            case .exp(let i): nodes.append(nodes[i].tanh().exp())
            }
        }
        return nodes
    }

    /// The same expression from Lumen's `Value`s, with the same nodes listed (an `exp` step's
    /// inner tanh is not listed, matching `buildLearner`).
    func buildLumen(_ leafValues: [Value]? = nil) -> [Value] {
        var nodes = leafValues ?? leaves.enumerated().map { Value($1, label: "x\($0)") }
        for step in steps {
            switch step {
            case .add(let i, let j): nodes.append(nodes[i] + nodes[j])
            case .mul(let i, let j): nodes.append(nodes[i] * nodes[j])
            case .square(let i): nodes.append(nodes[i].pow(2))
            case .tanh(let i): nodes.append(nodes[i].tanh())
            case .exp(let i): nodes.append(nodes[i].tanh().exp())
            }
        }
        return nodes
    }

    /// The root's value at `leaves`, in plain Doubles: the same arithmetic as the `Value`s of
    /// `buildLumen` (Foundation's pow, tanh and exp), without building a graph. Task 1.8's `f`.
    func evaluate(_ leaves: [Double]) -> Double {
        var nodes = leaves
        for step in steps {
            switch step {
            case .add(let i, let j): nodes.append(nodes[i] + nodes[j])
            case .mul(let i, let j): nodes.append(nodes[i] * nodes[j])
            case .square(let i): nodes.append(Foundation.pow(nodes[i], 2))
            case .tanh(let i): nodes.append(Foundation.tanh(nodes[i]))
            case .exp(let i): nodes.append(Foundation.exp(Foundation.tanh(nodes[i])))
            }
        }
        return nodes.last!
    }

    /// How many times node `k` is an operand (`x·x` counts twice).
    func uses(of k: Int) -> Int {
        steps.reduce(0) { count, step in
            switch step {
            case .add(let i, let j), .mul(let i, let j): count + (i == k ? 1 : 0) + (j == k ? 1 : 0)
            case .square(let i), .tanh(let i), .exp(let i): count + (i == k ? 1 : 0)
            }
        }
    }

    /// The expression as text, for messages: `x0 = 0.3, x1 = -1.2; n2 = x0·x0; n3 = tanh(n2)`.
    var text: String {
        func name(_ i: Int) -> String { i < leaves.count ? "x\(i)" : "n\(i)" }
        let leafText = leaves.enumerated().map { "x\($0) = \(format($1))" }.joined(separator: ", ")
        let stepText = steps.enumerated().map { k, step -> String in
            let lhs = name(leaves.count + k)
            switch step {
            case .add(let i, let j): return "\(lhs) = \(name(i)) + \(name(j))"
            case .mul(let i, let j): return "\(lhs) = \(name(i))·\(name(j))"
            case .square(let i): return "\(lhs) = \(name(i))^2"
            case .tanh(let i): return "\(lhs) = tanh(\(name(i)))"
            case .exp(let i): return "\(lhs) = exp(tanh(\(name(i))))"
            }
        }.joined(separator: "; ")
        return leafText + "; " + stepText
    }
}

// MARK: - 1.1–1.4: one backward rule each

extension Grader {
    /// Checks a one-node backward rule against Lumen's engine and against central differences,
    /// drawing the node's graph on failure. The upstream gradient is a node of its own in that
    /// graph (out · upstream), so the picture shows it arriving at `out`, and every gradient
    /// drawn is the one the learner's function should return.
    static func checkRule(
        _ id: String, _ what: String, inputs: String,
        yours: [Double], lumenRoot: Value, leaves: [Value], upstream: Double,
        forward: ([Double]) -> Double, at point: [Double]
    ) throws {
        let withUpstream = lumenRoot * Value(upstream, label: "upstream")
        withUpstream.backward()
        for (i, leaf) in leaves.enumerated() {
            let expected = leaf.grad ?? 0
            var plus = point, minus = point
            plus[i] += 1e-6
            minus[i] -= 1e-6
            let numeric = (forward(plus) - forward(minus)) / 2e-6 * upstream
            guard close(yours[i], expected, 1e-6) else {
                let picture = GraphExplanation.write(
                    task: id, root: withUpstream, wrong: leaf,
                    note: "\(format(yours[i])) (expected \(format(expected)))")
                throw GradeFailure("""
                    \(what) is wrong for \(inputs), upstream = \(format(upstream)).
                      gradient sent to \(leaf.label ?? "input \(i)"): yours \(format(yours[i])), \
                    Lumen's engine \(format(expected)), numeric (central difference) \(format(numeric)).
                      \(picture)
                    """)
            }
        }
    }

    static func checkMulBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<20 {
            let a = rng.nextUniform(-3, 3), b = rng.nextUniform(-3, 3), upstream = rng.nextUniform(-2, 2)
            let (da, db) = try s.mulBackward(a, b, upstream)
            let x = Value(a, label: "a"), y = Value(b, label: "b")
            try checkRule("1.1", "mulBackward", inputs: "a = \(format(a)), b = \(format(b))", yours: [da, db],
                          lumenRoot: x * y, leaves: [x, y], upstream: upstream,
                          forward: { $0[0] * $0[1] }, at: [a, b])
        }
    }

    static func checkPowBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for trial in 0..<20 {
            let x = rng.nextUniform(0.3, 3)
            // Integer and fractional exponents, negative ones too.
            let exponent = trial % 2 == 0 ? Double(rng.nextInt(-3, 4)) : rng.nextUniform(-2.5, 3.5)
            let upstream = rng.nextUniform(-2, 2)
            let yours = try s.powBackward(x, exponent, upstream)
            let leaf = Value(x, label: "x")
            try checkRule("1.2", "powBackward", inputs: "x = \(format(x)), exponent = \(format(exponent))", yours: [yours],
                          lumenRoot: leaf.pow(exponent), leaves: [leaf], upstream: upstream,
                          forward: { Foundation.pow($0[0], exponent) }, at: [x])
        }
    }

    static func checkTanhBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<20 {
            let x = rng.nextUniform(-2.5, 2.5), upstream = rng.nextUniform(-2, 2)
            let yours = try s.tanhBackward(Foundation.tanh(x), upstream)
            let leaf = Value(x, label: "x")
            try checkRule("1.3", "tanhBackward", inputs: "x = \(format(x)) (output \(format(Foundation.tanh(x))))", yours: [yours],
                          lumenRoot: leaf.tanh(), leaves: [leaf], upstream: upstream,
                          forward: { Foundation.tanh($0[0]) }, at: [x])
        }
    }

    static func checkExpBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<20 {
            let x = rng.nextUniform(-3, 3), upstream = rng.nextUniform(-2, 2)
            let yours = try s.expBackward(Foundation.exp(x), upstream)
            let leaf = Value(x, label: "x")
            try checkRule("1.4", "expBackward", inputs: "x = \(format(x)) (output \(format(Foundation.exp(x))))", yours: [yours],
                          lumenRoot: leaf.exp(), leaves: [leaf], upstream: upstream,
                          forward: { Foundation.exp($0[0]) }, at: [x])
        }
    }

    // MARK: - 1.5 topological order

    static func checkTopologicalOrder<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let plan = ExpressionPlan(&rng)
            let nodes = plan.buildLearner(N.self)
            let root = nodes.last!
            let order = try s.topologicalOrder(root)
            let expectedCount = plan.buildLumen().last!.topologicalOrder().count
            let inputs = { "the expression \(plan.text)" }
            var placed: [ObjectIdentifier: Int] = [:]
            for (k, node) in order.enumerated() {
                guard placed.updateValue(k, forKey: ObjectIdentifier(node)) == nil else {
                    throw GradeFailure("topologicalOrder lists a node twice (at \(k), data \(format(node.data))) for \(inputs()). Keep a set of visited nodes.")
                }
            }
            try expectEqual(order.count, expectedCount, "the number of nodes in topologicalOrder", inputs: inputs())
            guard order.last === root else {
                throw GradeFailure("topologicalOrder must end with the root for \(inputs()); it ends with a node holding \(format(order.last?.data ?? .nan)).")
            }
            for (k, node) in order.enumerated() {
                for input in node.inputs {
                    // The picture marks the node in the wrong place, by its position in the plan.
                    func picture(_ note: String) -> String {
                        let lumen = plan.buildLumen()
                        guard let index = nodes.firstIndex(where: { $0 === node }) else { return "" }
                        return "\n  " + GraphExplanation.write(task: "1.5", root: lumen.last!, wrong: lumen[index], note: note,
                                                               title: "Task 1.5: the node in red comes too early in your order",
                                                               caption: "Red: a node your order places before one of its inputs; its last row says where.")
                    }
                    guard let at = placed[ObjectIdentifier(input)] else {
                        throw GradeFailure("topologicalOrder misses an input (data \(format(input.data))) of the node at \(k) for \(inputs())."
                                           + picture("at \(k); an input is missing"))
                    }
                    guard at < k else {
                        throw GradeFailure("topologicalOrder puts a node (at \(k)) before its input (at \(at)) for \(inputs()). Append a node only after all of its inputs."
                                           + picture("at \(k), its input at \(at)"))
                    }
                }
            }
        }
    }

    // MARK: - 1.6 backward

    static func checkBackward<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let plan = ExpressionPlan(&rng)
            let mine = plan.buildLearner(N.self)
            try s.backward(mine.last!)
            let lumen = plan.buildLumen()
            lumen.last!.backward()
            let check = gradientCheck(at: plan.leaves) { plan.buildLumen($0).last! }
            // Walk from the root down: the first wrong node is where the mistake entered.
            for k in lumen.indices.reversed() {
                let expected = lumen[k].grad ?? 0
                guard close(mine[k].grad, expected, 1e-6) else {
                    let name = k < plan.leaves.count ? "x\(k)" : "n\(k)"
                    var numbers = "yours \(format(mine[k].grad)), Lumen's engine \(format(expected))"
                    if k < plan.leaves.count { numbers += ", numeric (central difference) \(format(check.numeric[k]))" }
                    let uses = plan.uses(of: k)
                    let picture = GraphExplanation.write(task: "1.6", root: lumen.last!, wrong: lumen[k],
                                                         note: format(mine[k].grad))
                    throw GradeFailure("""
                        backward gives the wrong gradient at \(name) for the expression \(plan.text).
                          ∂root/∂\(name): \(numbers).\(uses > 1 ? "\n  \(name) is used \(uses) times: does each use add (+=) its contribution, or does the last one overwrite the others?" : "")
                          \(picture)
                        """)
                }
            }
        }
    }

    // MARK: - 1.7 zeroGrad

    static func checkZeroGrad<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let plan = ExpressionPlan(&rng)
            let nodes = plan.buildLearner(N.self)
            for node in nodes { node.grad = rng.nextUniform(-5, 5) }
            try s.zeroGrad(nodes.last!)
            // Only the nodes the root depends on: a leaf the expression never used keeps its grad.
            var reachable: Set<ObjectIdentifier> = []
            var pending = [nodes.last!]
            while let node = pending.popLast() {
                if reachable.insert(ObjectIdentifier(node)).inserted { pending += node.inputs }
            }
            if let k = nodes.indices.first(where: { reachable.contains(ObjectIdentifier(nodes[$0])) && nodes[$0].grad != 0 }) {
                let name = k < plan.leaves.count ? "x\(k)" : "n\(k)"
                let lumen = plan.buildLumen()
                let picture = GraphExplanation.write(task: "1.7", root: lumen.last!, wrong: lumen[k], note: "grad still \(format(nodes[k].grad))",
                                                     title: "Task 1.7: the node in red kept its gradient",
                                                     caption: "Red: a node the root depends on whose gradient zeroGrad left as it was.")
                throw GradeFailure("after zeroGrad(root), \(name) still has grad \(format(nodes[k].grad)) for the expression \(plan.text). Every node the root depends on, the root too, must read 0.\n  \(picture)")
            }
        }
    }

    // MARK: - 1.8 numerical gradient

    static func checkNumericalGradient<N>(_ s: ExerciseSolution<N>, _ rng: inout SplitMix64) throws {
        for _ in 0..<10 {
            let plan = ExpressionPlan(&rng)
            // Plain Doubles: a numerical gradient calls f many times, and graphs are slow to free.
            let f: ([Double]) -> Double = { xs in plan.evaluate(xs) }
            // A large step, so that a one-sided difference (error ∝ h) is told apart from the
            // central one (error ∝ h²).
            let step = 1e-3
            let yours = try s.numericalGradient(f, plan.leaves, step)
            let central = plan.leaves.indices.map { i -> Double in
                var plus = plan.leaves, minus = plan.leaves
                plus[i] += step
                minus[i] -= step
                return (f(plus) - f(minus)) / (2 * step)
            }
            let analytic = gradientCheck(at: plan.leaves) { plan.buildLumen($0).last! }.analytic
            let inputs = { "the expression \(plan.text), step \(step)" }
            // Even a correct central difference is off by about h²·f‴/6, which a steep random
            // expression can push past 1e-4: allow the reference's own distance from backward.
            let truncation = zip(central, analytic).map { abs($0 - $1) }.max() ?? 0
            do {
                try expectClose(yours, analytic, "numericalGradient (compared with Lumen's backward)",
                                tolerance: 1e-4 + truncation, inputs: inputs(), scene: nil)
                try expectClose(yours, central, "numericalGradient (compared with the central difference (f(x+h) − f(x−h)) / 2h)", tolerance: 1e-8, inputs: inputs(), scene: nil)
            } catch let failure as GradeFailure {
                // The expression's graph, with backward's gradients, and the first leaf you got wrong in red.
                guard yours.count == central.count, let i = yours.indices.first(where: { !close(yours[$0], central[$0], 1e-8) }) else { throw failure }
                let lumen = plan.buildLumen()
                lumen.last!.backward()
                let picture = GraphExplanation.write(task: "1.8", root: lumen.last!, wrong: lumen[i], note: "\(format(yours[i], central[i])) (central \(format(central[i], yours[i])))",
                                                     title: "Task 1.8: your numerical gradient of the leaf in red is off",
                                                     caption: "Gradients shown are Lumen's backward; the red leaf's last row is your numerical gradient.")
                throw GradeFailure(failure.message + "\n  " + picture)
            }
        }
    }
}
