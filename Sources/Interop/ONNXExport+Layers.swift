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
//     TokenEmbedding    Cast(ids → int64), Gather(table, ids), + the first T rows of the positions
//     LastPosition      Gather(x, T − 1, axis 1)
//     LSTM              per layer: ONNX's LSTM (gates reordered from PyTorch's i, f, g, o to
//                       ONNX's i, o, f, c; B = [b_ih, b_hh]), sequence first, Squeeze
//     TransformerBlock  written out: LayerNormalization, MatMul, Split, Reshape, Transpose,
//                       MatMul · 1/√d (+ the causal mask), Softmax, MatMul, residual Adds
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
        case .dropout, .identity, .relu, .leakyRelu, .tanh, .sigmoid, .softplus, .gelu:
            addElementwise(layer, prefix: name, input: input, output: output)
        case let .softmax(axis): node("Softmax", [input], [output], name: name + ".Softmax", [Attribute.int("axis", axis)])
        case let .logSoftmax(axis): node("LogSoftmax", [input], [output], name: name + ".LogSoftmax", [Attribute.int("axis", axis)])
        case let .tokenEmbedding(_, dimension, positions):
            let ids = name + ".ids"
            node("Cast", [input], [ids], name: name + ".Cast", [Attribute.int("to", Int(Onnx_TensorProto.DataType.int64.rawValue))])
            let tokens = positions == nil ? output : name + ".tokens"
            node("Gather", [state("token.weight"), ids], [tokens], name: name + ".Gather", [Attribute.int("axis", 0)])
            if positions != nil {
                // The context length T is fixed by the model's input shape: the first T rows.
                let length = inputShape[1]
                let table = self.state["\(index).position.weight"]!.scalars
                let rows = constant(name + ".positions", shape: [length, dimension], values: Array(table[0 ..< length * dimension]))
                node("Add", [tokens, rows], [output], name: name + ".AddPositions")
            }
        case .lastPosition:
            let last = constant(name + ".last", int64: [Int64(inputShape[1] - 1)], shape: [])
            node("Gather", [input, last], [output], name: name + ".Gather", [Attribute.int("axis", 1)])
        case let .lstm(_, hidden, layers, bias, batchFirst):
            addLSTM(index: index, hidden: hidden, layers: layers, bias: bias, batchFirst: batchFirst, input: input, output: output)
        case let .transformerBlock(e, heads, _, _, activation, causal):
            addTransformerBlock(index: index, embedDim: e, heads: heads, length: inputShape[1], activation: activation,
                                causal: causal, input: input, output: output)
        }
    }

    /// An elementwise layer (an activation, dropout or identity) under the node-name prefix `prefix`.
    private mutating func addElementwise(_ layer: LayerSpec, prefix name: String, input: String, output: String) {
        switch layer {
        case .relu: node("Relu", [input], [output], name: name + ".Relu")
        case let .leakyRelu(slope): node("LeakyRelu", [input], [output], name: name + ".LeakyRelu", [Attribute.float("alpha", slope)])
        case .tanh: node("Tanh", [input], [output], name: name + ".Tanh")
        case .sigmoid: node("Sigmoid", [input], [output], name: name + ".Sigmoid")
        case .softplus: node("Softplus", [input], [output], name: name + ".Softplus")
        case let .gelu(approximateTanh): addGELU(prefix: name, input: input, output: output, approximateTanh: approximateTanh)
        default: node("Identity", [input], [output], name: name + ".Identity")  // dropout (in evaluation) and identity
        }
    }

    /// x Wᵀ + b over any leading axes (Transpose, MatMul, Add), W and b the model's tensors
    /// `weight` and `bias`.
    private mutating func addLinear(prefix p: String, weight: String, bias: String, input: String, output: String) {
        node("Transpose", [self.weight(weight)], [p + "weight_transposed"], name: p + "Transpose", [Attribute.ints("perm", [1, 0])])
        node("MatMul", [input, p + "weight_transposed"], [p + "matmul"], name: p + "MatMul")
        node("Add", [p + "matmul", self.weight(bias)], [output], name: p + "AddBias")
    }

    /// Layer by layer, ONNX's LSTM on a sequence-first input [L, N, in]. ONNX orders the gates
    /// i, o, f, c and PyTorch (so Lumen) i, f, g, o: each [4H, …] tensor's blocks of H rows
    /// are reordered 0, 3, 1, 2. ONNX's Y is [L, 1, N, H] (one direction), squeezed to [L, N, H].
    private mutating func addLSTM(index: Int, hidden: Int, layers: Int, bias: Bool, batchFirst: Bool,
                                  input: String, output: String) {
        let p = "\(index)."
        func reordered(_ local: String) -> (shape: [Int], values: [Float]) {
            let tensor = state["\(index).\(local)"]!
            let width = tensor.shape.count == 2 ? tensor.shape[1] : 1
            let blocks = (0..<4).map { Array(tensor.scalars[$0 * hidden * width ..< ($0 + 1) * hidden * width]) }
            return ([1] + tensor.shape, blocks[0] + blocks[3] + blocks[1] + blocks[2])
        }
        var current = input
        if batchFirst {
            node("Transpose", [input], [p + "sequence_first"], name: p + "TransposeIn", [Attribute.ints("perm", [1, 0, 2])])
            current = p + "sequence_first"
        }
        let squeezeAxes = constant(p + "direction_axis", int64: [1])
        for k in 0..<layers {
            let (wShape, w) = reordered("weight_ih_l\(k)"), (rShape, r) = reordered("weight_hh_l\(k)")
            var inputs = [current, constant(p + "W\(k)", shape: wShape, values: w), constant(p + "R\(k)", shape: rShape, values: r)]
            if bias {
                let values = reordered("bias_ih_l\(k)").values + reordered("bias_hh_l\(k)").values
                inputs.append(constant(p + "B\(k)", shape: [1, 8 * hidden], values: values))
            }
            node("LSTM", inputs, [p + "Y\(k)"], name: p + "LSTM\(k)", [Attribute.int("hidden_size", hidden)])
            let next = !batchFirst && k == layers - 1 ? output : p + "layer\(k)"
            node("Squeeze", [p + "Y\(k)", squeezeAxes], [next], name: p + "Squeeze\(k)")
            current = next
        }
        if batchFirst { node("Transpose", [current], [output], name: p + "TransposeOut", [Attribute.ints("perm", [1, 0, 2])]) }
    }

    /// Lumen's pre-norm block: a = x + out_proj(attention(norm1(x))), out = a + linear2(act(linear1(norm2(a)))),
    /// the attention of `heads` heads of width d = E / heads: softmax(Q Kᵀ · 1/√d + M) V, M the
    /// causal mask (−∞ above the diagonal) when `causal`. Dropout is the identity in evaluation.
    private mutating func addTransformerBlock(index: Int, embedDim e: Int, heads: Int, length: Int, activation: LayerSpec,
                                              causal: Bool, input: String, output: String) {
        let p = "\(index)."
        let d = e / heads
        func norm(_ which: String, _ x: String) -> String {
            node("LayerNormalization", [x, weight(p + which + ".weight"), weight(p + which + ".bias")], [p + which + ".out"],
                 name: p + which + ".LayerNormalization", [Attribute.int("axis", -1), Attribute.float("epsilon", 1e-5)])
            return p + which + ".out"
        }
        addLinear(prefix: p + "in_proj.", weight: p + "self_attn.in_proj_weight", bias: p + "self_attn.in_proj_bias",
                  input: norm("norm1", input), output: p + "qkv")
        node("Split", [p + "qkv", constant(p + "split", int64: [Int64(e), Int64(e), Int64(e)])], [p + "q", p + "k", p + "v"],
             name: p + "Split", [Attribute.int("axis", 2)])
        let headShape = constant(p + "head_shape", int64: [0, 0, Int64(heads), Int64(d)])
        for (part, perm) in [("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])] {
            node("Reshape", [p + part, headShape], [p + part + ".heads"], name: p + "Reshape." + part)
            node("Transpose", [p + part + ".heads"], [p + part + ".t"], name: p + "Transpose." + part, [Attribute.ints("perm", perm)])
        }
        node("MatMul", [p + "q.t", p + "k.t"], [p + "scores.raw"], name: p + "MatMul.scores")
        let scale = constant(p + "scale", shape: [], values: [1 / Float(d).squareRoot()])
        node("Mul", [p + "scores.raw", scale], [p + "scores"], name: p + "Scale")
        var scores = p + "scores"
        if causal {
            let mask = (0 ..< length * length).map { $0 % length > $0 / length ? -Float.infinity : 0 }
            node("Add", [scores, constant(p + "causal_mask", shape: [length, length], values: mask)], [p + "scores.masked"],
                 name: p + "Mask")
            scores = p + "scores.masked"
        }
        node("Softmax", [scores], [p + "weights"], name: p + "Softmax", [Attribute.int("axis", -1)])
        node("MatMul", [p + "weights", p + "v.t"], [p + "context.heads"], name: p + "MatMul.context")
        node("Transpose", [p + "context.heads"], [p + "context.t"], name: p + "Transpose.context", [Attribute.ints("perm", [0, 2, 1, 3])])
        node("Reshape", [p + "context.t", constant(p + "merged_shape", int64: [0, 0, Int64(e)])], [p + "context"],
             name: p + "Reshape.context")
        addLinear(prefix: p + "out_proj.", weight: p + "self_attn.out_proj.weight", bias: p + "self_attn.out_proj.bias",
                  input: p + "context", output: p + "attention")
        node("Add", [input, p + "attention"], [p + "attended"], name: p + "Residual1")
        addLinear(prefix: p + "linear1.", weight: p + "linear1.weight", bias: p + "linear1.bias",
                  input: norm("norm2", p + "attended"), output: p + "hidden")
        addElementwise(activation, prefix: p + "activation", input: p + "hidden", output: p + "activated")
        addLinear(prefix: p + "linear2.", weight: p + "linear2.weight", bias: p + "linear2.bias",
                  input: p + "activated", output: p + "feedforward")
        node("Add", [p + "attended", p + "feedforward"], [output], name: p + "Residual2")
    }

    /// GELU from opset-17 operators (Gelu itself arrived in opset 20):
    /// exact 0.5 · x · (1 + erf(x / √2)); tanh form 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))).
    private mutating func addGELU(prefix: String, input: String, output: String, approximateTanh: Bool) {
        let p = prefix + "."
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
