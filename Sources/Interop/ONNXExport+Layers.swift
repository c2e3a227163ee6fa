// ONNXExport+Layers.swift — each Lumen layer as ONNX operators (opset 17), in evaluation
// mode: dropout is the identity and batch norm uses its running statistics.
//
//     Linear     Gemm(x, W, b, transB=1) for [N, in]; MatMul(x, Wᵀ) + b for more axes
//     Conv2d     Conv, pads [top, left, bottom, right]
//     MaxPool2d  MaxPool;  AvgPool2d  AveragePool with count_include_pad=1 (Lumen's average)
//     BatchNorm  BatchNormalization(x, γ, β, mean, var);  LayerNorm  LayerNormalization
//     Flatten    Reshape to [0, …] (0 keeps the batch size)
//     GELU       0.5 · x · (1 + erf(x / √2)), or its tanh form, from Mul, Div, Erf, Tanh …
//     the rest   Relu, LeakyRelu, Tanh, Sigmoid, Softplus, Softmax, LogSoftmax, Identity
//
// Read next: Tests/InteropTests/ONNXExportTests.swift, where onnxruntime runs the result.

import Checkpoints

extension ONNXGraph {
    /// Adds the nodes of `layer` (the model's layer `index`), reading `input` of shape
    /// `inputShape` (−1 for the batch) and writing `output`.
    ///
    /// - Throws: `InteropError.cannotExport` for a layer setting that has no ONNX form here.
    mutating func add(_ layer: LayerSpec, index: Int, input: String, inputShape: [Int],
                      output: String) throws(InteropError) {
        let name = "\(index)"
        func state(_ local: String) -> String { weight("\(index).\(local)") }
        switch layer {
        case let .linear(_, _, bias):
            if inputShape.count == 2 {
                // Gemm computes α·A·Bᵀ + β·C: with B = W and C = b, x Wᵀ + b.
                var inputs = [input, state("weight")]
                if bias { inputs.append(state("bias")) }
                node("Gemm", inputs, [output], name: name + ".Gemm", [Attribute.int("transB", 1)])
            } else {
                let transposed = "\(index).weight_transposed"
                node("Transpose", [state("weight")], [transposed], name: name + ".Transpose", [Attribute.ints("perm", [1, 0])])
                let product = bias ? "\(index).matmul" : output
                node("MatMul", [input, transposed], [product], name: name + ".MatMul")
                if bias { node("Add", [product, state("bias")], [output], name: name + ".Add") }
            }
        case let .conv2d(_, _, kernel, stride, padding, bias):
            var inputs = [input, state("weight")]
            if bias { inputs.append(state("bias")) }
            node("Conv", inputs, [output], name: name + ".Conv",
                 [Attribute.ints("kernel_shape", kernel), Attribute.ints("strides", stride),
                  Attribute.ints("pads", padding + padding), Attribute.ints("dilations", [1, 1]), Attribute.int("group", 1)])
        case let .maxPool2d(kernel, stride, padding):
            node("MaxPool", [input], [output], name: name + ".MaxPool",
                 [Attribute.ints("kernel_shape", kernel), Attribute.ints("strides", stride), Attribute.ints("pads", padding + padding)])
        case let .avgPool2d(kernel, stride, padding):
            node("AveragePool", [input], [output], name: name + ".AveragePool",
                 [Attribute.ints("kernel_shape", kernel), Attribute.ints("strides", stride), Attribute.ints("pads", padding + padding),
                  Attribute.int("count_include_pad", 1)])
        case let .batchNorm1d(features, momentum, epsilon, affine), let .batchNorm2d(features, momentum, epsilon, affine):
            let scale = affine ? state("weight") : constant("\(index).scale", shape: [features], values: Array(repeating: 1, count: features))
            let shift = affine ? state("bias") : constant("\(index).shift", shape: [features], values: Array(repeating: 0, count: features))
            // ONNX's momentum weighs the old running value, PyTorch's and Lumen's the new batch;
            // neither matters in inference, where the running statistics are only read.
            node("BatchNormalization", [input, scale, shift, state("running_mean"), state("running_var")], [output],
                 name: name + ".BatchNormalization", [Attribute.float("epsilon", epsilon), Attribute.float("momentum", 1 - momentum)])
        case let .layerNorm(normalized, epsilon, affine):
            let count = normalized.reduce(1, *)
            let scale = affine ? state("weight") : constant("\(index).scale", shape: normalized, values: Array(repeating: 1, count: count))
            let shift = affine ? state("bias") : constant("\(index).shift", shape: normalized, values: Array(repeating: 0, count: count))
            node("LayerNormalization", [input, scale, shift], [output], name: name + ".LayerNormalization",
                 [Attribute.int("axis", -normalized.count), Attribute.float("epsilon", epsilon)])
        case let .flatten(startAxis, _):
            let start = startAxis < 0 ? startAxis + inputShape.count : startAxis
            guard start >= 1 else {
                throw .cannotExport(layer: layer.summary, index: index, reason: "it merges the batch axis into the others; "
                                    + "only a Flatten that keeps axis 0 (startAxis ≥ 1) is exported")
            }
            // The spec was checked, so the output shape exists; 0 copies the batch size.
            let shape = (try? layer.outputShape(batch: [1] + inputShape.dropFirst())) ?? []
            let target = constant("\(index).shape", int64: [0] + shape.dropFirst().map(Int64.init))
            node("Reshape", [input, target], [output], name: name + ".Reshape")
        case .dropout, .identity:
            node("Identity", [input], [output], name: name + ".Identity")
        case .relu: node("Relu", [input], [output], name: name + ".Relu")
        case let .leakyRelu(slope): node("LeakyRelu", [input], [output], name: name + ".LeakyRelu", [Attribute.float("alpha", slope)])
        case .tanh: node("Tanh", [input], [output], name: name + ".Tanh")
        case .sigmoid: node("Sigmoid", [input], [output], name: name + ".Sigmoid")
        case .softplus: node("Softplus", [input], [output], name: name + ".Softplus")
        case let .softmax(axis): node("Softmax", [input], [output], name: name + ".Softmax", [Attribute.int("axis", axis)])
        case let .logSoftmax(axis): node("LogSoftmax", [input], [output], name: name + ".LogSoftmax", [Attribute.int("axis", axis)])
        case let .gelu(approximateTanh):
            addGELU(index: index, input: input, output: output, approximateTanh: approximateTanh)
        }
    }

    /// GELU from opset-17 operators (Gelu itself arrived in opset 20):
    /// exact 0.5 · x · (1 + erf(x / √2)); tanh form 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))).
    private mutating func addGELU(index: Int, input: String, output: String, approximateTanh: Bool) {
        let p = "\(index)."
        func scalar(_ local: String, _ value: Float) -> String { constant(p + local, shape: [], values: [value]) }
        let one = scalar("one", 1), half = scalar("half", 0.5)
        let inner: String
        if approximateTanh {
            let cubed = p + "cubed", scaled = p + "scaled_cube", sum = p + "sum", argument = p + "argument"
            node("Mul", [input, input], [p + "squared"], name: p + "Square")
            node("Mul", [p + "squared", input], [cubed], name: p + "Cube")
            node("Mul", [cubed, scalar("c", 0.044715)], [scaled], name: p + "ScaleCube")
            node("Add", [input, scaled], [sum], name: p + "AddCube")
            node("Mul", [sum, scalar("sqrt_2_over_pi", Float((2 / Double.pi).squareRoot()))], [argument], name: p + "Scale")
            inner = p + "tanh"
            node("Tanh", [argument], [inner], name: p + "Tanh")
        } else {
            node("Div", [input, scalar("sqrt2", Float(2.0.squareRoot()))], [p + "scaled"], name: p + "Div")
            inner = p + "erf"
            node("Erf", [p + "scaled"], [inner], name: p + "Erf")
        }
        node("Add", [inner, one], [p + "one_plus"], name: p + "AddOne")
        node("Mul", [input, p + "one_plus"], [p + "product"], name: p + "Mul")
        node("Mul", [p + "product", half], [output], name: p + "Half")
    }
}
