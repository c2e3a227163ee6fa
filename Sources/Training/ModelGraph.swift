// ModelGraph.swift — a model's computation graph, drawn with one box per module.
//
// The model runs one layer at a time on a few examples, and every tensor that first appears
// in a layer's output graph (its parameters, its intermediate results, its output) belongs to
// that layer, named by its path and summary ("0: Linear(64 → 128)"). Each layer is then
// drawn as one box listing its parameters' shapes and its input and output shapes; a layer
// named in `expand` is drawn open instead, its ops inside a labelled frame, its parameters
// titled by their dotted names ("0.weight"), as checkpoints name them. Frozen parameters
// (`requiresGrad == false`) are greyed: their rows in a box, their leaves in an opened module
// (as every tensor that needs no gradient is), and the whole box of a layer whose parameters
// are all frozen.
// The loss gets a box of its own, and backward runs, so the drawing is coloured by the
// gradients.
//
// Read next: Sources/Viz/GraphDrawing+Clusters.swift, which folds the layers into boxes.

import Layers
import Tensors
import Viz

/// Drawing a model's forward pass and loss, grouped by module.
public enum ModelGraph {
    /// The name of the loss's box.
    public static let lossCluster = "loss: cross-entropy"
    /// The name of a regression's loss box (`targets` given).
    public static let regressionLossCluster = "loss: mean squared error"

    /// The graph of `model` on `inputs` (a batch), followed by the cross-entropy against
    /// `labels` (or, given `targets`, the mean squared error against them), after backward: one box per layer, except the layers named in `expand`
    /// (by path, `"3"` or `"1.0"`, or by the box's whole name), which are drawn op by op.
    /// The model runs in evaluation mode (its mode is restored), and its parameters'
    /// gradients are cleared afterwards, so drawing does not change a run.
    ///
    /// - Throws: `NNError` when `labels` do not fit the model's output.
    public static func drawing<Scalar: TensorScalar>(
        of model: Sequential<Scalar>, inputs: Tensor<Scalar>, labels: [Int], expand: Set<String> = [],
        targets: Tensor<Scalar>? = nil
    ) throws(NNError) -> GraphDrawing {
        let wasTraining = model.isTraining
        model.eval()
        defer {
            model.train(wasTraining)
            model.zeroGrad()
        }
        var titles: [Int: String] = [:]
        for (name, parameter) in model.namedParameters { titles[parameter.id] = name + (parameter.requiresGrad ? "" : " (frozen)") }
        inputs.label = "input"

        var clusters: [Int: String] = [:]
        var rows: [String: [GraphDrawing.Row]] = [:]
        var frozen: Set<String> = []
        var opened: Set<String> = []
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
                let path = path.map { "\($0).\(index)" } ?? String(index)
                if let inner = layer as? Sequential<Scalar> {
                    run(inner, path: path)
                    continue
                }
                let input = x
                x = layer(x)
                let name = "\(path): \(layer.summaryName)"
                claim(x, for: name)
                if expand.contains(path) || expand.contains(name) { opened.insert(name) }
                rows[name] = boxRows(layer, input: input, output: x)
                let parameters = layer.namedParameters
                if !parameters.isEmpty && parameters.allSatisfy({ !$0.tensor.requiresGrad }) { frozen.insert(name) }
            }
        }
        run(model, path: nil)
        x.label = targets == nil ? "logits" : "prediction"
        // A regression (`targets`, shaped as the outputs) draws its mean squared error instead.
        let loss: Tensor<Scalar>
        if let targets { loss = x.meanSquaredError(targets) } else { loss = try x.crossEntropy(labels: labels) }
        let lossBox = targets == nil ? lossCluster : regressionLossCluster
        loss.label = "loss"
        claim(loss, for: lossBox)
        rows[lossBox] = [GraphDrawing.Row(targets == nil ? "labels" : "targets", "\(labels.count)"),
                         GraphDrawing.Row("loss", GraphDrawing.format(Double(loss.scalars[0])))]
        // A frozen weight enters the graph through a view that records no op (Linear multiplies
        // by Wᵀ): the view is a leaf of its own, titled after the parameter whose numbers it shows.
        let frozenParameters = model.namedParameters.filter { !$0.tensor.requiresGrad }
        for node in loss.topologicalOrder() where node.isLeaf && titles[node.id] == nil {
            guard let (name, parameter) = frozenParameters.first(where: { $0.tensor.storage === node.storage }) else { continue }
            let isTranspose = node.shape == parameter.shape.reversed() && node.strides == parameter.strides.reversed()
            titles[node.id] = name + (isTranspose ? "ᵀ" : " (a view)") + " (frozen)"
        }
        loss.backward()
        let traced = GraphDrawing(tracing: loss, clusters: clusters, titles: titles, nodeLimit: .max)
        return traced.foldingClusters(except: opened, rows: rows).mappingNodes { node in
            var node = node
            if let title = node.title, frozen.contains(title), node.cluster == nil { node.isMuted = true }
            return node
        }
    }

    /// The model's modules as `drawing(of:inputs:labels:expand:)` names its boxes: each
    /// layer's path (`"3"`, or `"1.0"` inside a nested `Sequential`) and its box's whole name
    /// (`"3: Linear(64 → 128)"`), in order. `expand` takes either.
    public static func modules<Scalar: TensorScalar>(of model: Sequential<Scalar>) -> [(path: String, name: String)] {
        var found: [(path: String, name: String)] = []
        func visit(_ sequential: Sequential<Scalar>, path: String?) {
            for (index, layer) in sequential.layers.enumerated() {
                let path = path.map { "\($0).\(index)" } ?? String(index)
                if let inner = layer as? Sequential<Scalar> {
                    visit(inner, path: path)
                } else {
                    found.append((path, "\(path): \(layer.summaryName)"))
                }
            }
        }
        visit(model, path: nil)
        return found
    }

    /// What a layer's box lists: each parameter's local name and shape (marked and greyed when frozen),
    /// then `in → out` shapes.
    static func boxRows<Scalar>(_ layer: any Layer<Scalar>, input: Tensor<Scalar>, output: Tensor<Scalar>) -> [GraphDrawing.Row] {
        var rows = layer.namedParameters.map { name, tensor in
            GraphDrawing.Row(name, GraphDrawing.formatShape(tensor.shape) + (tensor.requiresGrad ? "" : " (frozen)"),
                             isMuted: !tensor.requiresGrad)
        }
        rows.append(GraphDrawing.Row("in → out", "\(GraphDrawing.formatShape(input.shape)) → \(GraphDrawing.formatShape(output.shape))"))
        return rows
    }
}
