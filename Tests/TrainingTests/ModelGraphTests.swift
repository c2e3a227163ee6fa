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
        #expect(frozen.isMuted && frozen.rows.contains(.init("weight", "2×4 (frozen)")))
        let trained = try #require(drawing.nodes.first { $0.title == "0: Linear(3 → 4)" })
        #expect(!trained.isMuted && trained.rows.contains(.init("weight", "4×3")))
        let dot = drawing.dot()
        #expect(dot.contains("(frozen)"))
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
