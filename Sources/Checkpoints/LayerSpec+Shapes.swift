// LayerSpec+Shapes.swift — checking a layer spec that came from a file: its settings are in
// range, and the shape it gives for a batch of inputs, or why that input does not fit. The
// rules are the layers' own (Layers/), written out so that a bad file is refused with a
// message instead of trapping inside a layer.
//
// Read next: Checkpoint.swift.

extension LayerSpec {
    /// Why a layer cannot take its input, or why its settings are out of range.
    public struct ShapeProblem: Error {
        public let text: String
        init(_ text: String) { self.text = text }
    }

    /// The output shape for an input of shape `batch` (batch axis first).
    ///
    /// - Throws: `ShapeProblem` when a setting is out of range or the input does not fit.
    public func outputShape(batch shape: [Int]) throws(ShapeProblem) -> [Int] {
        switch self {
        case let .linear(inputs, outputs, _):
            try positive(["inFeatures": inputs, "outFeatures": outputs])
            guard let last = shape.last, last == inputs else { throw expected("[N, …, \(inputs)]", shape) }
            return shape.dropLast() + [outputs]
        case let .conv2d(inputs, outputs, kernel, stride, padding, _):
            try positive(["inChannels": inputs, "outChannels": outputs])
            try window(kernel, stride, padding)
            guard shape.count == 4, shape[1] == inputs else { throw expected("[N, \(inputs), H, W]", shape) }
            return [shape[0], outputs] + (try slide(shape, kernel, stride, padding))
        case let .maxPool2d(kernel, stride, padding), let .avgPool2d(kernel, stride, padding):
            try window(kernel, stride, padding)
            guard shape.count == 4 else { throw expected("[N, C, H, W]", shape) }
            return Array(shape[0...1]) + (try slide(shape, kernel, stride, padding))
        case let .batchNorm1d(features, momentum, epsilon, _), let .batchNorm2d(features, momentum, epsilon, _):
            try positive(["features": features])
            try finite(["momentum": momentum])
            try positiveFinite(["epsilon": epsilon])
            let ranks = if case .batchNorm1d = self { [2, 3] } else { [4] }
            guard ranks.contains(shape.count), shape[1] == features else {
                throw expected(ranks == [4] ? "[N, \(features), H, W]" : "[N, \(features)] or [N, \(features), L]", shape)
            }
            return shape
        case let .layerNorm(normalized, epsilon, _):
            guard !normalized.isEmpty, normalized.count <= 8, normalized.allSatisfy({ $0 > 0 }) else {
                throw ShapeProblem("normalizedShape \(normalized) must be 1 to 8 positive sizes")
            }
            try positiveFinite(["epsilon": epsilon])
            guard shape.count > normalized.count, Array(shape.suffix(normalized.count)) == normalized else {
                throw expected("[N, …, \(normalized.map(String.init).joined(separator: ", "))]", shape)
            }
            return shape
        case let .flatten(startAxis, endAxis):
            let start = startAxis < 0 ? startAxis + shape.count : startAxis
            let end = endAxis < 0 ? endAxis + shape.count : endAxis
            guard start >= 0, end < shape.count, start <= end else {
                throw ShapeProblem("needs axes \(startAxis)...\(endAxis) to exist in its input \(shape)")
            }
            return Array(shape[..<start]) + [shape[start...end].reduce(1, *)] + Array(shape[(end + 1)...])
        case let .dropout(probability):
            guard (0...1).contains(probability) else { throw ShapeProblem("probability \(probability) must be in 0...1") }
            return shape
        case let .leakyRelu(slope):
            try finite(["slope": slope])
            return shape
        case let .softmax(axis), let .logSoftmax(axis):
            guard (-shape.count ..< shape.count).contains(axis) else {
                throw ShapeProblem("axis \(axis) does not exist in its input \(shape)")
            }
            return shape
        case .relu, .tanh, .sigmoid, .gelu, .softplus, .identity:
            return shape
        case let .tokenEmbedding(vocabularySize, dimension, positions):
            try positive(["vocabularySize": vocabularySize, "dimension": dimension, "positions": positions ?? 1])
            guard shape.count == 2 else { throw expected("ids [N, T]", shape) }
            if let positions, shape[1] > positions {
                throw ShapeProblem("has \(positions) positions, but its input has contexts of \(shape[1]) ids")
            }
            return shape + [dimension]
        case let .lstm(inputs, hidden, layers, _, batchFirst):
            try positive(["inputSize": inputs, "hiddenSize": hidden, "numLayers": layers])
            guard layers <= 64 else { throw ShapeProblem("numLayers \(layers) must be at most 64") }
            guard shape.count == 3, shape[2] == inputs, shape[batchFirst ? 1 : 0] >= 1 else {
                throw expected(batchFirst ? "[N, L ≥ 1, \(inputs)]" : "[L ≥ 1, N, \(inputs)]", shape)
            }
            return shape.dropLast() + [hidden]
        case .lastPosition:
            guard shape.count == 3, shape[1] >= 1 else { throw expected("[N, T ≥ 1, E]", shape) }
            return [shape[0], shape[2]]
        case let .transformerBlock(e, heads, f, dropout, activation, _):
            try positive(["embedDim": e, "numHeads": heads, "feedforwardDim": f])
            guard e % heads == 0 else { throw ShapeProblem("embedDim \(e) must be a multiple of numHeads \(heads)") }
            guard (0...1).contains(dropout) else { throw ShapeProblem("dropout \(dropout) must be in 0...1") }
            guard activation.isElementwise else {
                throw ShapeProblem("its activation \(activation.summary) must be an elementwise layer (ReLU, GELU, Tanh …)")
            }
            guard shape.count == 3, shape[2] == e else { throw expected("[N, L, \(e)]", shape) }
            // Its attention holds heads × L × L scores per example.
            let (square, overflow) = shape[1].multipliedReportingOverflow(by: shape[1])
            guard !overflow, square <= (1 << 24) / heads else {
                throw ShapeProblem("would hold \(heads) × \(shape[1]) × \(shape[1]) attention scores per example; at most \(1 << 24) are built")
            }
            _ = try activation.outputShape(batch: shape.dropLast() + [f])
            return shape
        }
    }

    // MARK: - Checks

    private func expected(_ pattern: String, _ shape: [Int]) -> ShapeProblem {
        ShapeProblem("expects input \(pattern), but the layer before gives \(shape)")
    }

    private func positive(_ values: KeyValuePairs<String, Int>) throws(ShapeProblem) {
        for (name, value) in values where value <= 0 { throw ShapeProblem("\(name) \(value) must be positive") }
    }

    private func finite(_ values: KeyValuePairs<String, Double>) throws(ShapeProblem) {
        for (name, value) in values where !value.isFinite { throw ShapeProblem("\(name) \(value) must be a finite number") }
    }

    private func positiveFinite(_ values: KeyValuePairs<String, Double>) throws(ShapeProblem) {
        for (name, value) in values where !(value > 0 && value.isFinite) {
            throw ShapeProblem("\(name) \(value) must be a positive finite number")
        }
    }

    /// Kernel, stride and padding: two sizes each, kernel and stride positive, padding ≥ 0.
    private func window(_ kernel: [Int], _ stride: [Int], _ padding: [Int]) throws(ShapeProblem) {
        guard kernel.count == 2, stride.count == 2, padding.count == 2 else {
            throw ShapeProblem("kernelSize \(kernel), stride \(stride) and padding \(padding) must have two sizes each (height, width)")
        }
        guard kernel.allSatisfy({ $0 > 0 && $0 <= 1 << 16 }), stride.allSatisfy({ $0 > 0 && $0 <= 1 << 16 }),
              padding.allSatisfy({ $0 >= 0 && $0 <= 1 << 16 }) else {
            throw ShapeProblem("kernelSize \(kernel) and stride \(stride) must be positive and padding \(padding) not negative")
        }
    }

    /// The output height and width of a window sliding over `shape`'s last two axes:
    /// ⌊(H + 2p − k) / s⌋ + 1.
    private func slide(_ shape: [Int], _ kernel: [Int], _ stride: [Int], _ padding: [Int]) throws(ShapeProblem) -> [Int] {
        try (0..<2).map { (axis: Int) throws(ShapeProblem) -> Int in
            let padded = shape[2 + axis] + 2 * padding[axis]
            guard padded >= kernel[axis] else {
                throw ShapeProblem("its \(kernel[0])×\(kernel[1]) window is larger than the input \(shape) with padding \(padding)")
            }
            return (padded - kernel[axis]) / stride[axis] + 1
        }
    }
}
