// ModelGraphTests.swift — a model drawn one box per module: what each box says, a module
// opened into its ops, frozen parameters greyed, and the digits CNN fitting on one page.

import _TestSupport
import Engine
import Foundation
import Layers
import Render
import Tensors
import Testing
@testable import Training
import Viz

@Suite struct ModelGraphTests {
    /// Linear(3 → 4), ReLU, and a nested Sequential holding Linear(4 → 2), on a batch of two.
    static func smallModel() throws -> (Sequential<Float>, Tensor<Float>) {
        var rng = SplitMix64(seed: 1)
        let model = Sequential<Float>([Linear(in: 3, out: 4, using: &rng), ReLU(),
                                       Sequential<Float>([Linear(in: 4, out: 2, using: &rng)])])
        return (model, try Tensor<Float>(shape: [2, 3], elements: [1, 2, 3, -1, 0, 1]))
    }

    @Test func eachModuleIsOneBoxWithItsParameterAndDataShapes() throws {
        let (model, inputs) = try Self.smallModel()
        let drawing = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1])
        #expect(drawing.nodes.map(\.title) == ["input", "0: Linear(3 → 4)", "1: ReLU", "2.0: Linear(4 → 2)", ModelGraph.lossCluster])
        // PyTorch's convention: a Linear(in → out) has weight out × in and bias out; a batch
        // of 2 rows of 3 features goes in, 2 rows of 4 come out.
        #expect(drawing.nodes[1].rows == [.init("weight", "4×3"), .init("bias", "4"), .init("in → out", "2×3 → 2×4")])
        #expect(drawing.nodes[2].rows == [.init("in → out", "2×4 → 2×4")])
        #expect(drawing.nodes[3].rows == [.init("weight", "2×4"), .init("bias", "2"), .init("in → out", "2×4 → 2×2")])
        // A chain: each box is fed by the one before it.
        for k in 1..<drawing.nodes.count { #expect(drawing.nodes[k].inputs.map(\.position) == [k - 1]) }
        // Backward ran, so every box is coloured by its gradients; the parameters' gradients
        // were cleared afterwards and the mode restored, so drawing does not change a run.
        #expect(drawing.nodes.dropFirst().allSatisfy { $0.gradientMagnitude != nil })
        #expect(model.parameters.allSatisfy { $0.grad == nil } && model.isTraining)
        #expect(drawing.totalCount > drawing.nodes.count)
    }

    @Test func expandOpensOneModuleIntoItsOps() throws {
        let (model, inputs) = try Self.smallModel()
        let drawing = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1], expand: ["0"])
        #expect(drawing.clusterNames == ["0: Linear(3 → 4)"])
        let inside = drawing.nodes.filter { $0.cluster == "0: Linear(3 → 4)" }
        // The weight and the bias by their dotted names, and the ops between them.
        #expect(inside.compactMap(\.title).sorted() == ["0.bias", "0.weight"])
        #expect(inside.contains { $0.op == "@" } || inside.contains { $0.op?.hasPrefix("@") == true })
        // The other modules stay folded.
        #expect(drawing.nodes.contains { $0.title == "2.0: Linear(4 → 2)" && $0.cluster == nil })
        // By its whole name too.
        let byName = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1], expand: ["2.0: Linear(4 → 2)"])
        #expect(byName.clusterNames == ["2.0: Linear(4 → 2)"])
    }

    @Test func modulesAreListedByPathAndNameAsTheBoxesAreTitled() throws {
        let (model, inputs) = try Self.smallModel()
        let modules = ModelGraph.modules(of: model)
        #expect(modules.map(\.path) == ["0", "1", "2.0"])
        #expect(modules.map(\.name) == ["0: Linear(3 → 4)", "1: ReLU", "2.0: Linear(4 → 2)"])
        // The same names as the drawing's boxes, which come between the input and the loss.
        let drawing = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1])
        #expect(Array(drawing.nodes.compactMap(\.title).dropFirst().dropLast()) == modules.map(\.name))
    }

    @Test func frozenParametersAreGreyed() throws {
        let (model, inputs) = try Self.smallModel()
        // The last layer frozen (as when fine-tuning the others): its parameters need no
        // gradient, but its input does, so it is still in the graph.
        for parameter in model.namedParameters where parameter.name.hasPrefix("2.0.") { parameter.tensor.requiresGrad = false }
        let drawing = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1])
        let frozen = try #require(drawing.nodes.first { $0.title == "2.0: Linear(4 → 2)" })
        #expect(frozen.isMuted && frozen.rows.contains(.init("weight", "2×4 (frozen)", isMuted: true)))
        let trained = try #require(drawing.nodes.first { $0.title == "0: Linear(3 → 4)" })
        #expect(!trained.isMuted && trained.rows.contains(.init("weight", "4×3")))
        let dot = drawing.dot()
        #expect(dot.contains("(frozen)"))
    }

    @Test func aFrozenParameterIsGreyInItsBoxAndInItsOpenedModule() throws {
        let (model, inputs) = try Self.smallModel()
        // Only the last layer's weight frozen (its input still needs a gradient, so the weight
        // is in the graph): its box stays coloured, its weight row is grey.
        model.namedParameters.first { $0.name == "2.0.weight" }!.tensor.requiresGrad = false
        let drawing = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1])
        let box = try #require(drawing.nodes.first { $0.title == "2.0: Linear(4 → 2)" })
        #expect(!box.isMuted)
        #expect(box.rows == [.init("weight", "2×4 (frozen)", isMuted: true), .init("bias", "2"), .init("in → out", "2×4 → 2×2")])
        // The DOT text of the box, snapshot style: the frozen row in light grey (#868e96),
        // the others in the box's ink; the box filled with its gradient colour.
        let line = try #require(drawing.dot().split(separator: "\n").first { $0.contains("<b>2.0: Linear(4 → 2)</b>") })
        let grey = "<font color=\"#868e96\">"
        #expect(line.contains("<tr><td align=\"left\">\(grey)weight</font></td><td align=\"right\">  \(grey)2×4 (frozen)</font></td></tr>"
            + "<tr><td align=\"left\">bias</td><td align=\"right\">  2</td></tr>"
            + "<tr><td align=\"left\">in → out</td><td align=\"right\">  2×4 → 2×2</td></tr></table>>"), "\(line)")
        #expect(!line.contains("fillcolor=\"#f1f3f5\""))
        // Opened, the module shows the frozen weight as a grey leaf, and the bias, which
        // trains, in its gradient colour. (Linear multiplies by Wᵀ, and a transpose of a
        // tensor that needs no gradient records no op, so the leaf drawn is Wᵀ, 4×2, titled
        // after the weight.)
        let open = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1], expand: ["2.0"])
        let inside = open.nodes.filter { $0.cluster == "2.0: Linear(4 → 2)" }
        let weight = try #require(inside.first { $0.inputs.isEmpty && $0.subtitle == "4×2" })
        #expect(weight.title == "2.0.weightᵀ (frozen)")
        let bias = try #require(inside.first { $0.title == "2.0.bias" })
        #expect(weight.isMuted && !bias.isMuted && bias.gradientMagnitude != nil)
        let dot = open.dot()
        let position = try #require(open.nodes.firstIndex { $0.key == weight.key })
        let weightLine = try #require(dot.split(separator: "\n").first { $0.hasPrefix("  v\(position) [") })
        #expect(weightLine.hasSuffix("fillcolor=\"#f1f3f5\", color=\"#adb5bd\", fontcolor=\"#495057\"];"), "\(weightLine)")
    }

    @Test func theDigitsCNNGraphFitsOnOnePage() throws {
        let model = Recipe.digitsCNN.makeModel(seed: 0)
        let inputs = Tensor<Float>(repeating: 0.5, shape: [4, 1, 8, 8])
        let drawing = try ModelGraph.drawing(of: model, inputs: inputs, labels: [0, 1, 2, 3])
        // 10 layers and the loss. (The input needs no gradient, so the graph starts where the
        // first convolution pads it; the first box gives its shape.)
        #expect(drawing.nodes.count == 11)
        #expect(drawing.nodes[0].rows.last == .init("in → out", "4×1×8×8 → 4×16×8×8"))
        let dot = drawing.dot(options: DrawingOptions(title: "digits-cnn", direction: .topToBottom))
        let size = try #require(pngSize(try Graphviz.render(dot: dot, as: .png)))
        #expect(size.width <= 2000 && size.height <= 2000, "\(size)")
    }
}
