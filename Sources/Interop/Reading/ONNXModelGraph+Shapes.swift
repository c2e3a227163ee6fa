// ONNXModelGraph+Shapes.swift — the shape of every value in an ONNX graph, for drawing: the
// shapes the file states (inputs, outputs, value infos, weights), and for the rest, the
// shapes that the common operators give, worked out node by node in order.
//
// A dimension that cannot be known (an operator not covered here, an attribute that does
// not fit) stays unknown and is drawn as "?": this is a picture, not a checker. The sums
// are made with overflow checks, since the numbers come from an untrusted file.
//
// Read next: ../ONNXDrawing.swift, which draws the graph with these shapes.

extension ONNXModelGraph {
    /// Every value's shape that is stated or can be worked out, by value name.
    public func shapes() -> [String: [Dimension]] {
        var shapes: [String: [Dimension]] = [:]
        for initializer in initializers { shapes[initializer.name] = initializer.shape.map { .known($0) } }
        for value in inputs + valueInfo + outputs {
            if let shape = value.shape { shapes[value.name] = shape }
        }
        var constants: [String: [Int]] = [:]
        for initializer in initializers { constants[initializer.name] = initializer.int64Values }
        for node in nodes {
            if node.opType == "Constant", case .tensor(let tensor)? = node.attribute("value"), let output = node.outputs.first {
                shapes[output] = tensor.shape.map { .known($0) }
                constants[output] = tensor.int64Values
                continue
            }
            let inputs = node.inputs.map { $0.isEmpty ? nil : shapes[$0] }
            guard let output = node.outputs.first, !output.isEmpty, shapes[output] == nil,
                  let shape = Self.outputShape(node, inputs, constants: constants), shape.count <= ONNXReader.maximumRank else { continue }
            shapes[output] = shape
        }
        return shapes
    }

    /// The shape of `node`'s first output from its inputs' shapes, for the common operators.
    static func outputShape(_ node: Node, _ inputs: [[Dimension]?], constants: [String: [Int]]) -> [Dimension]? {
        let x = inputs.first ?? nil
        switch node.opType {
        case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Gelu", "Elu", "Selu", "Softplus", "Erf", "Exp", "Log", "Neg", "Abs",
             "Sqrt", "Reciprocal", "Softmax", "LogSoftmax", "Dropout", "Identity", "Cast", "Clip", "BatchNormalization",
             "LayerNormalization", "InstanceNormalization", "HardSigmoid", "HardSwish", "Mish":
            return x
        case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Where", "Equal", "Less", "Greater":
            var result: [Dimension] = []
            for input in inputs {
                guard let input, let joined = broadcast(result, input) else { return nil }
                result = joined
            }
            return result
        case "Conv", "MaxPool", "AveragePool":
            guard let x, x.count >= 3 else { return nil }
            let spatial = x.count - 2
            var kernel: [Int]
            var channels = x[1]
            if node.opType == "Conv" {
                guard inputs.count > 1, let w = inputs[1], w.count == x.count else { return nil }
                kernel = w.dropFirst(2).map { size in if case .known(let k) = size { k } else { -1 } }
                channels = w[0]
            } else {
                guard case .ints(let k)? = node.attribute("kernel_shape") else { return nil }
                kernel = k
            }
            guard kernel.count == spatial, kernel.allSatisfy({ $0 >= 1 }) else { return nil }
            if case .string(let pad)? = node.attribute("auto_pad"), pad != "NOTSET" { return nil }
            let strides = ints(node, "strides") ?? Array(repeating: 1, count: spatial)
            let dilations = ints(node, "dilations") ?? Array(repeating: 1, count: spatial)
            let pads = ints(node, "pads") ?? Array(repeating: 0, count: 2 * spatial)
            guard strides.count == spatial, dilations.count == spatial, pads.count == 2 * spatial,
                  strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else { return nil }
            let ceil = { if case .int(1)? = node.attribute("ceil_mode") { true } else { false } }()
            let limit = 1 << 40   // sizes, pads and strides beyond this are not drawn
            guard strides.allSatisfy({ $0 <= limit }), pads.allSatisfy({ $0 <= limit }) else { return nil }
            var result = [x[0], channels]
            for axis in 0..<spatial {
                guard case .known(let size) = x[axis + 2], size <= limit else { result.append(.unknown); continue }
                // ⌊(size + pads − dilation·(kernel − 1) − 1) / stride⌋ + 1, or ⌈…⌉ in ceil mode.
                let (reach, overflow) = dilations[axis].multipliedReportingOverflow(by: kernel[axis] - 1)
                guard !overflow else { return nil }
                let span = size + pads[axis] + pads[axis + spatial] - reach - 1
                guard span >= 0 else { return nil }
                result.append(.known((ceil ? (span + strides[axis] - 1) / strides[axis] : span / strides[axis]) + 1))
            }
            return result
        case "GlobalAveragePool", "GlobalMaxPool":
            guard let x, x.count >= 3 else { return nil }
            return Array(x.prefix(2)) + Array(repeating: .known(1), count: x.count - 2)
        case "Flatten":
            guard let x else { return nil }
            var axis = 1
            if case .int(let a)? = node.attribute("axis") { axis = a }
            if axis < 0 { axis += x.count }
            guard axis >= 0, axis <= x.count else { return nil }
            return [product(x[..<axis]), product(x[axis...])]
        case "Gemm":
            guard let a = x, inputs.count > 1, let b = inputs[1], a.count == 2, b.count == 2 else { return nil }
            let transA = { if case .int(1)? = node.attribute("transA") { true } else { false } }()
            let transB = { if case .int(1)? = node.attribute("transB") { true } else { false } }()
            return [transA ? a[1] : a[0], transB ? b[0] : b[1]]
        case "MatMul":
            guard let a = x, inputs.count > 1, let b = inputs[1], !a.isEmpty, !b.isEmpty else { return nil }
            if a.count == 1 && b.count == 1 { return [] }
            if a.count == 1 { return Array(b.dropLast(2)) + [b[b.count - 1]] }
            if b.count == 1 { return Array(a.dropLast()) }
            guard let batch = broadcast(Array(a.dropLast(2)), Array(b.dropLast(2))) else { return nil }
            return batch + [a[a.count - 2], b[b.count - 1]]
        case "Reshape":
            guard inputs.count > 1, let target = constants[node.inputs[1]], target.count <= ONNXReader.maximumRank else { return nil }
            var result: [Dimension] = []
            for (axis, size) in target.enumerated() {
                if size == 0, let x, axis < x.count { result.append(x[axis]) }
                else if size > 0 { result.append(.known(size)) }
                else { result.append(.unknown) }
            }
            // One −1 takes what is left, when every other size is known.
            if let x, target.filter({ $0 == -1 }).count == 1, case .known(let all) = product(x[...]),
               case .known(let rest) = product(result.filter { $0 != .unknown }[...]), rest > 0, all % rest == 0,
               let free = result.firstIndex(of: .unknown) {
                result[free] = .known(all / rest)
            }
            return result
        case "Transpose":
            guard let x else { return nil }
            let perm = ints(node, "perm") ?? Array((0..<x.count).reversed())
            guard perm.count == x.count, perm.allSatisfy({ $0 >= 0 && $0 < x.count }) else { return nil }
            return perm.map { x[$0] }
        case "Gather":
            guard let x, inputs.count > 1, let indices = inputs[1] else { return nil }
            var axis = 0
            if case .int(let a)? = node.attribute("axis") { axis = a }
            if axis < 0 { axis += x.count }
            guard axis >= 0, axis < x.count else { return nil }
            return Array(x[..<axis]) + indices + Array(x[(axis + 1)...])
        default:
            return nil
        }
    }

    /// The attribute `name` of `node` as a list of integers, when it is one.
    static func ints(_ node: Node, _ name: String) -> [Int]? {
        if case .ints(let values)? = node.attribute(name) { return values }
        return nil
    }

    /// NumPy broadcasting of two shapes, when it applies (unknown sizes stay unknown).
    static func broadcast(_ a: [Dimension], _ b: [Dimension]) -> [Dimension]? {
        let rank = max(a.count, b.count)
        var result: [Dimension] = []
        for axis in 0..<rank {
            let x = axis < rank - a.count ? Dimension.known(1) : a[axis - (rank - a.count)]
            let y = axis < rank - b.count ? Dimension.known(1) : b[axis - (rank - b.count)]
            switch (x, y) {
            case (.known(1), _): result.append(y)
            case (_, .known(1)): result.append(x)
            case let (.known(p), .known(q)): if p != q { return nil } else { result.append(x) }
            case (.known, _): result.append(x)
            default: result.append(x == y ? x : y)
            }
        }
        return result
    }

    /// The product of `dims` when all are known and it fits (or the one dimension), else unknown.
    static func product(_ dims: ArraySlice<Dimension>) -> Dimension {
        if dims.count == 1 { return dims.first! }   // a named batch size stays named
        var total = 1
        for dimension in dims {
            guard case .known(let size) = dimension else { return .unknown }
            let (next, overflow) = total.multipliedReportingOverflow(by: size)
            if overflow { return .unknown }
            total = next
        }
        return .known(total)
    }
}
