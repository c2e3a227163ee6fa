// ModelGraph.swift — a model's computation graph, drawn with one box per module.
//
// The model runs one layer at a time on a few examples, and every tensor that first appears
// in a layer's output graph (its parameters, its intermediate results, its output) is put
// in that layer's box, named by its path and summary ("0: Linear(64 → 128)"). Parameters are
// titled by their dotted names ("0.weight"), as checkpoints name them. The loss gets a box of
// its own, and backward runs, so the drawing is coloured by the gradients.
//
// Read next: Sources/Viz/GraphDrawing+Clusters.swift, which turns the two maps into boxes.

import Layers
import Tensors
import Viz

/// Drawing a model's forward pass and loss, grouped by module.
public enum ModelGraph {
    /// The name of the loss's box.
    public static let lossCluster = "loss: cross-entropy"

    /// The graph of `model` on `inputs` (a batch), followed by the cross-entropy against
    /// `labels`, after backward. The model runs in evaluation mode (its mode is restored),
    /// and its parameters' gradients are cleared afterwards, so drawing does not change a run.
    ///
    /// - Throws: `NNError` when `labels` do not fit the model's output.
    public static func drawing<Scalar: TensorScalar>(
        of model: Sequential<Scalar>, inputs: Tensor<Scalar>, labels: [Int]
    ) throws(NNError) -> GraphDrawing {
        let wasTraining = model.isTraining
        model.eval()
        defer {
            model.train(wasTraining)
            model.zeroGrad()
        }
        var titles: [Int: String] = [:]
        for (name, parameter) in model.namedParameters { titles[parameter.id] = name }
        inputs.label = "input"

        var clusters: [Int: String] = [:]
        var seen: Set<Int> = [inputs.id]
        var x = inputs
        /// Puts every tensor of `root`'s graph not seen before in the box `name`.
        func claim(_ root: Tensor<Scalar>, for name: String) {
            for node in root.topologicalOrder() where seen.insert(node.id).inserted {
                clusters[node.id] = name
            }
        }
        func run(_ sequential: Sequential<Scalar>, path: String?) {
            for (index, layer) in sequential.layers.enumerated() {
                let name = path.map { "\($0).\(index)" } ?? String(index)
                if let inner = layer as? Sequential<Scalar> {
                    run(inner, path: name)
                } else {
                    x = layer(x)
                    claim(x, for: "\(name): \(layer.summaryName)")
                }
            }
        }
        run(model, path: nil)
        x.label = "logits"
        let loss = try x.crossEntropy(labels: labels)
        loss.label = "loss"
        claim(loss, for: lossCluster)
        loss.backward()
        return GraphDrawing(tracing: loss, clusters: clusters, titles: titles)
    }
}
