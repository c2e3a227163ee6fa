// TensorWalkTests.swift — a tensor backward walked one node at a time: one frame per step, and
// what the frames say each input received adds up to the gradient `backward()` gives.
//
// The oracle is an independent run: the same expression built again from the same numbers
// and differentiated with `backward()` in one go. Expressions are random (seeded), with
// broadcasting (a bias of shape [n] added to [m, n], a scalar times a matrix) and reuse (x
// used twice), so sums over broadcast axes and accumulation from two edges are both checked.

import Engine
import Foundation
import Tensors
import Testing
@testable import LessonKit

@Suite struct TensorWalkTests {
    /// The leaves of one random expression, as plain numbers, so it can be built twice.
    struct Leaves {
        var x: [Double], w: [Double], b: [Double], s: Double
        let m: Int, k: Int, n: Int
    }

    static func leaves(seed: UInt64) -> Leaves {
        var rng = SplitMix64(seed: seed)
        let m = 1 + Int(rng.next() % 3), k = 1 + Int(rng.next() % 3), n = 1 + Int(rng.next() % 4)
        func numbers(_ count: Int) -> [Double] { (0..<count).map { _ in rng.nextUniform(-1, 1) } }
        return Leaves(x: numbers(m * k), w: numbers(k * n), b: numbers(n), s: rng.nextUniform(0.5, 2), m: m, k: k, n: n)
    }

    /// loss = Σ tanh(s · (x @ W) + b) ⊙ (x @ W)  — b broadcast over rows, s over everything,
    /// x @ W used twice. Returns the loss and the four leaves.
    static func build(_ v: Leaves) throws -> (loss: Tensor<Double>, leaves: [Tensor<Double>]) {
        let x = try Tensor<Double>(shape: [v.m, v.k], elements: v.x, requiresGrad: true)
        let w = try Tensor<Double>(shape: [v.k, v.n], elements: v.w, requiresGrad: true)
        let b = try Tensor<Double>(shape: [v.n], elements: v.b, requiresGrad: true)
        let s = Tensor<Double>(v.s, requiresGrad: true)
        let xw = x.matmul(w)
        let loss = ((s * xw + b).tanh() * xw).sum()
        return (loss, [x, w, b, s])
    }

    @Test(arguments: 0..<8 as Range<UInt64>)
    func contributionsAddUpToTheGradient(seed: UInt64) throws {
        let numbers = Self.leaves(seed: seed)
        let (loss, leaves) = try Self.build(numbers)
        let context = StepContext(frames: nil)
        let steps = context.walkBackward(from: loss, title: "test")
        let frames = context.outputs.compactMap { output -> TensorBackpropFrame? in
            if case .tensorFrame(let frame) = output { frame } else { nil }
        }
        // One frame per node made by an op: x@W, s·(x@W), +b, tanh, ⊙, Σ.
        #expect(steps == 6 && frames.count == 6)
        #expect(frames.map(\.index) == Array(1...6) && frames.allSatisfy { $0.total == 6 })

        let (oracleLoss, oracleLeaves) = try Self.build(numbers)
        oracleLoss.backward()
        for (leaf, oracle) in zip(leaves, oracleLeaves) {
            // Everything the frames say this leaf received, added up element by element.
            var total = [Double](repeating: 0, count: leaf.count)
            for frame in frames {
                for c in frame.contributions where c.inputID == leaf.id {
                    #expect(c.shape == leaf.shape)
                    for i in total.indices { total[i] += c.elements[i] }
                }
            }
            let expected = try #require(oracle.grad).scalars
            for (got, want) in zip(total, expected) { #expect(abs(got - want) <= 1e-12 * max(1, abs(want))) }
            // And the walk left the same gradient on the leaf as backward() does.
            let walked = try #require(leaf.grad).scalars
            for (got, want) in zip(walked, expected) { #expect(abs(got - want) <= 1e-12 * max(1, abs(want))) }
        }
        // The bias was added to an m × n matrix: its share is summed over axis 0 (the rows);
        // the scalar s multiplied the whole m × n matrix: summed over axes 0 and 1.
        let bias = try #require(frames.flatMap(\.contributions).first { $0.inputID == leaves[2].id })
        #expect(bias.summedAxes == [0])
        let scale = try #require(frames.flatMap(\.contributions).first { $0.inputID == leaves[3].id })
        #expect(scale.summedAxes == [0, 1])
    }

    @Test func eachStepIsDrawnWithTheNodeHighlighted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-walk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (loss, leaves) = try Self.build(Self.leaves(seed: 1))
        let context = StepContext(frames: FrameWriter(root: directory, lessonID: 8))
        context.walkBackward(from: loss, title: "walk")
        let frames = context.outputs.compactMap { output -> TensorBackpropFrame? in
            if case .tensorFrame(let frame) = output { frame } else { nil }
        }
        #expect(frames.count == 6)
        for frame in frames {
            let svg = try #require(frame.svg, "\(frame.problem ?? "")")
            // The caption names the step; the highlighted node's outline is orange.
            #expect(svg.contains("backward step \(frame.index) of 6"))
            #expect(svg.contains("#f76707"))
            #expect(FileManager.default.fileExists(atPath: try #require(frame.png)))
        }
        // The step where b is added says that its share is summed over axis 0.
        #expect(frames.contains { $0.svg!.contains("Σ axes [0] → \(leaves[2].shape[0])") })
        let text = frames.flatMap { $0.lines(style: TerminalStyle(width: 80, color: false)) }.joined(separator: "\n")
        #expect(text.contains("summed over axes [0]"))
    }
}
