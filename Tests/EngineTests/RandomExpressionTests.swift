// RandomExpressionTests.swift — backward on many seeded random graphs, against two oracles.
//
// Each seed gives a different expression (RandomExpression.swift) with reused leaves and
// subexpressions. Lumen's forward value is compared with the plain-Double interpreter, and
// its gradient with central finite differences and with Swift's `_Differentiation` of that
// interpreter. The same graphs check the topological order and the step-by-step pass.
// Every failure message starts with the seed; `RandomExpression(seed:)` rebuilds the case.
//
// Read next: SplitMix64Tests.swift.

import _Differentiation
import Engine
import Testing
import _TestSupport

private let seeds: ClosedRange<UInt64> = 1...200

@Suite("Random expressions")
struct RandomExpressionTests {
    @Test("forward and gradient agree with Double math, finite differences and _Differentiation",
          arguments: seeds)
    func againstOracles(seed: UInt64) {
        let expression = RandomExpression(seed: seed)
        let point = expression.point

        let lumen = lumenGradient(at: point) { expression.lumen($0) }
        let plain = interpret(expression, point)
        #expect(isClose(lumen.value, plain, tolerance: 1e-12),
                "seed \(seed): forward \(lumen.value) vs Double \(plain)\n\(expression)")

        let check = gradientCheck(at: point) { expression.lumen($0) }
        #expect(check.passes(tolerance: 1e-5),
                "seed \(seed): analytic \(check.analytic) numeric \(check.numeric), worst input \(check.worstInput ?? -1)\n\(expression)")

        let swift = swiftGradient(at: point) { interpret(expression, $0) }
        #expect(gradientsAgree(lumen.gradient, swift, tolerance: 1e-10),
                "seed \(seed): Lumen \(lumen.gradient) vs _Differentiation \(swift)\n\(expression)")
    }

    @Test("BackwardPass, stepped, leaves exactly the gradients backward() does", arguments: seeds)
    func stepByStepMatchesBackward(seed: UInt64) {
        let expression = RandomExpression(seed: seed)
        let whole = expression.lumenGraph(expression.point.map { Value($0) })
        let stepped = expression.lumenGraph(expression.point.map { Value($0) })

        whole.root.backward()
        var pass = BackwardPass(from: stepped.root)
        var steps = 0
        while pass.next() != nil { steps += 1 }

        #expect(steps == whole.root.topologicalOrder().count, "seed \(seed)")
        #expect(whole.root.grad == 1 && stepped.root.grad == 1, "seed \(seed)")
        for (k, (a, b)) in zip(whole.results, stepped.results).enumerated() {
            // Bit for bit, including nil for nodes outside the root's graph.
            #expect(a.grad == b.grad, "seed \(seed): v\(k) backward() \(String(describing: a.grad)) vs stepped \(String(describing: b.grad))")
        }
    }

    @Test("topological order: every reachable node once, inputs before users, root last",
          arguments: seeds)
    func topologicalOrder(seed: UInt64) {
        let expression = RandomExpression(seed: seed)
        let root = expression.lumen(expression.point.map { Value($0) })
        let order = root.topologicalOrder()

        var position: [ObjectIdentifier: Int] = [:]
        for (index, node) in order.enumerated() {
            #expect(position.updateValue(index, forKey: ObjectIdentifier(node)) == nil,
                    "seed \(seed): node \(node.id) listed twice")
        }
        #expect(order.last === root, "seed \(seed): the root comes last")
        for (index, node) in order.enumerated() {
            for input in node.inputs {
                let inputIndex = position[ObjectIdentifier(input)]
                #expect(inputIndex != nil && inputIndex! < index,
                        "seed \(seed): input \(input.id) of node \(node.id) is not listed before it")
            }
        }
        #expect(Set(position.keys) == reachable(from: root), "seed \(seed): exactly the nodes the root depends on")
    }

    @Test("the generator really reuses nodes and uses every operation")
    func generatorCoverage() {
        var reusingExpressions = 0
        var operationsSeen = Set<String>()
        for seed in seeds {
            let expression = RandomExpression(seed: seed)
            var uses: [Int: Int] = [:]
            for instruction in expression.instructions {
                uses[instruction.lhs, default: 0] += 1
                if instruction.operation.isBinary { uses[instruction.rhs, default: 0] += 1 }
                operationsSeen.insert("\(instruction.operation)".prefix { $0 != "(" }.description)
            }
            if uses.values.contains(where: { $0 > 1 }) { reusingExpressions += 1 }
        }
        #expect(reusingExpressions > seeds.count / 2, "only \(reusingExpressions) expressions reuse a node")
        #expect(operationsSeen.count == 15, "operations seen: \(operationsSeen.sorted())")
    }
}

/// The nodes `root` depends on, found by a plain recursive walk (fine for small graphs):
/// an independent answer for what `topologicalOrder()` must contain.
private func reachable(from root: Value) -> Set<ObjectIdentifier> {
    var seen: Set<ObjectIdentifier> = []
    func visit(_ node: Value) {
        guard seen.insert(ObjectIdentifier(node)).inserted else { return }
        node.inputs.forEach(visit)
    }
    visit(root)
    return seen
}
