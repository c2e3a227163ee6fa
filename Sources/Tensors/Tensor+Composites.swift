// Tensor+Composites.swift — operations built from the primitives, with no backward of their own.
//
// Each says what it is made of; its gradient is the chain rule through those primitives,
// so a drawn `a - b` shows a `×` node (by −1) and a `+` node, exactly as for `Value`.
//
// Read next: Tensor+Backward.swift.

extension Tensor {
    // MARK: - Operators (→ add, mul, div)
    //
    // An operator cannot take `#fileID`/`#line` default arguments, so a shape mismatch in
    // `a + b` is reported without the caller's line (see `trapMessage`); `Tensor.add(a, b)`
    // and `Tensor.mul(a, b)` report it.

    @_specialize(where Scalar == Float)
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        add(a, b, file: operatorCallSite.file, line: operatorCallSite.line)
    }

    @_specialize(where Scalar == Float)
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        mul(a, b, file: operatorCallSite.file, line: operatorCallSite.line)
    }

    /// Negation, composed: `-x = x · (−1)` (mul).
    public static prefix func - (x: Tensor) -> Tensor { mul(x, Tensor(-1)) }

    /// Subtraction, composed: `a − b = a + (−b)` (add, mul).
    @_specialize(where Scalar == Float)
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        add(a, -b, file: operatorCallSite.file, line: operatorCallSite.line)
    }

    @_specialize(where Scalar == Float)
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        div(a, b, file: operatorCallSite.file, line: operatorCallSite.line)
    }

    // A plain number next to a tensor becomes a scalar tensor (shape []), which broadcasts
    // to any shape. Overloads rather than literal conformances: a tensor literal `2` would
    // hide which tensors are parameters and which are constants.

    public static func + (a: Tensor, b: Scalar) -> Tensor { a + Tensor(b) }
    public static func + (a: Scalar, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Tensor, b: Scalar) -> Tensor { a - Tensor(b) }
    public static func - (a: Scalar, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Tensor, b: Scalar) -> Tensor { a * Tensor(b) }
    public static func * (a: Scalar, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Tensor, b: Scalar) -> Tensor { a / Tensor(b) }
    public static func / (a: Scalar, b: Tensor) -> Tensor { Tensor(a) / b }

    // MARK: - Reductions (→ sum, max, and elementwise ops)

    /// The mean over `axes`, composed: `sum(axes) / n`, n = the number of elements summed.
    @_specialize(where Scalar == Float)
    public func mean(axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let axisSet = Set(axes.map { normalizedAxis($0, rank: rank, op: "mean", file: file, line: line) })
        let n = axisSet.reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDims: keepDims, file: file, line: line) / Scalar(n)
    }

    /// The mean of all elements, as a scalar tensor.
    public func mean() -> Tensor { mean(axes: Array(0..<rank)) }

    /// The mean along one axis.
    public func mean(axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        mean(axes: [axis], keepDims: keepDims, file: file, line: line)
    }

    /// The variance over `axes`, composed: `sum((x − mean)²) / (n − correction)`
    /// (sum, mul, add, powScalar, div). `correction: 0` (the default) is the population variance
    /// that layer and batch norm use; `correction: 1` is the unbiased sample variance.
    public func variance(axes: [Int], keepDims: Bool = false, correction: Int = 0,
                         file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let axisSet = Set(axes.map { normalizedAxis($0, rank: rank, op: "variance", file: file, line: line) })
        let n = axisSet.reduce(1) { $0 * shape[$1] }
        let centered = self - mean(axes: axes, keepDims: true, file: file, line: line)
        return centered.pow(2).sum(axes: axes, keepDims: keepDims, file: file, line: line) / Scalar(n - correction)
    }

    /// The variance of all elements.
    public func variance(correction: Int = 0) -> Tensor { variance(axes: Array(0..<rank), correction: correction) }

    /// log Σ eˣ over `axes`, computed stably, composed: `m + log(sum(exp(x − m)))` with
    /// m = max(x) (max, add, mul, exp, sum, log).
    ///
    /// Subtracting the maximum makes every exponent ≤ 0, so nothing overflows (e^1000 is ∞
    /// in Double; e^0 = 1 is not). m is detached: the result does not depend on m, so no
    /// gradient needs to flow through it, and the gradient is softmax(x) either way.
    public func logsumexp(axes: [Int], keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let m = max(axes: axes, keepDims: true, file: file, line: line).detach()
        let result = m + (self - m).exp().sum(axes: axes, keepDims: true, file: file, line: line).log()
        if keepDims { return result }
        let axisSet = Set(axes.map { normalizedAxis($0, rank: rank, op: "logsumexp", file: file, line: line) })
        return result.reshape(shape.indices.filter { !axisSet.contains($0) }.map { shape[$0] })
    }

    /// logsumexp along one axis.
    public func logsumexp(axis: Int, keepDims: Bool = false, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        logsumexp(axes: [axis], keepDims: keepDims, file: file, line: line)
    }

    /// Folds a gradient back to `target` shape after broadcasting, composed: sum over the
    /// axes that broadcasting added or stretched, then reshape (sum, reshape).
    ///
    /// ```
    /// [4, 2, 3] → [2, 1]:  sum over axis 0 (added) and axis 2 (stretched from 1)
    /// ```
    @_specialize(where Scalar == Float)
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        var axes = Array(0..<lead)
        for i in target.indices where target[i] == 1 && shape[lead + i] != 1 {
            axes.append(lead + i)
        }
        return sum(axes: axes, keepDims: true).reshape(target)
    }

    // MARK: - Shapes (→ reshape, permute, concat)

    /// Axes `first` and `second` swapped, composed: a `permute`. A view.
    public func transpose(_ first: Int, _ second: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let a = normalizedAxis(first, rank: rank, op: "transpose", file: file, line: line)
        let b = normalizedAxis(second, rank: rank, op: "transpose", file: file, line: line)
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return permute(order, file: file, line: line)
    }

    /// The last two axes swapped (the matrix transpose, batched), composed: a `permute`.
    @_specialize(where Scalar == Float)
    public func transposed(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        if rank < 2 {
            shapeTrap("transposed", "needs rank 2 or more, got \(describe(shape))", file: file, line: line)
        }
        // A matrix, the usual case (every Linear layer, forward and backward), names its
        // permutation directly instead of building it through `transpose`'s axis arithmetic.
        if rank == 2 { return permute([1, 0], file: file, line: line) }
        return transpose(-2, -1, file: file, line: line)
    }

    /// A new axis of extent 1 inserted at `axis` (0...rank), composed: a `reshape`.
    public func unsqueeze(_ axis: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let a = normalizedAxis(axis, rank: rank + 1, op: "unsqueeze", file: file, line: line)
        var newShape = shape
        newShape.insert(1, at: a)
        return reshape(newShape, file: file, line: line)
    }

    /// The axis `axis` (which must have extent 1) removed, composed: a `reshape`.
    public func squeeze(_ axis: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        let a = normalizedAxis(axis, rank: rank, op: "squeeze", file: file, line: line)
        if shape[a] != 1 {
            shapeTrap("squeeze", "axis \(a) of \(describe(shape)) has extent \(shape[a]), not 1", file: file, line: line)
        }
        var newShape = shape
        newShape.remove(at: a)
        return reshape(newShape, file: file, line: line)
    }

    /// Every axis of extent 1 removed, composed: a `reshape`.
    public func squeeze() -> Tensor { reshape(shape.filter { $0 != 1 }) }

    /// Tensors of one shape stacked along a new axis, composed: `unsqueeze` each, then `concat`.
    public static func stack(_ tensors: [Tensor], axis: Int = 0,
                             file: StaticString = #fileID, line: UInt = #line) -> Tensor {
        guard let first = tensors.first else { shapeTrap("stack", "needs at least one tensor", file: file, line: line) }
        for t in tensors where t.shape != first.shape {
            shapeTrap("stack", "shapes \(describe(first.shape)) and \(describe(t.shape)) differ", file: file, line: line)
        }
        return concat(tensors.map { $0.unsqueeze(axis, file: file, line: line) }, axis: axis, file: file, line: line)
    }
}

// MARK: - Function spelling
//
// `relu(x.matmul(w) + b)` reads like the formula; these forward to the methods.

public func exp<S>(_ x: Tensor<S>) -> Tensor<S> { x.exp() }
public func log<S>(_ x: Tensor<S>) -> Tensor<S> { x.log() }
public func sqrt<S>(_ x: Tensor<S>) -> Tensor<S> { x.sqrt() }
public func tanh<S>(_ x: Tensor<S>) -> Tensor<S> { x.tanh() }
public func sigmoid<S>(_ x: Tensor<S>) -> Tensor<S> { x.sigmoid() }
public func relu<S>(_ x: Tensor<S>) -> Tensor<S> { x.relu() }
public func abs<S>(_ x: Tensor<S>) -> Tensor<S> { x.abs() }
public func sin<S>(_ x: Tensor<S>) -> Tensor<S> { x.sin() }
public func cos<S>(_ x: Tensor<S>) -> Tensor<S> { x.cos() }
public func pow<S>(_ x: Tensor<S>, _ n: S) -> Tensor<S> { x.pow(n) }
public func pow<S>(_ x: Tensor<S>, _ y: Tensor<S>) -> Tensor<S> { x.pow(y) }
public func maximum<S>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { Tensor.maximum(a, b) }
public func matmul<S>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> { a.matmul(b) }
