// Shape.swift — the arithmetic of shapes: strides, broadcasting, axes, and the messages a
// shape mismatch traps with.
//
// A tensor of shape [d₀, d₁, …, dₙ₋₁] stored row-major has strides
//     sₙ₋₁ = 1,   sᵢ = sᵢ₊₁ · dᵢ₊₁
// and element [i₀, …, iₙ₋₁] lives at  offset + Σ iₖ·sₖ  in its storage. A view changes the
// shape, strides and offset and never touches the numbers.
//
// The rules that Expressions shares (broadcasting, matmul shapes, how a shape is written)
// are in Basics/ShapeRules.swift.
//
// Read next: Tensor.swift.

import Basics

/// Row-major strides for `shape`: the last axis is contiguous.
@usableFromInline
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
        strides[axis] = step
        step *= max(shape[axis], 1)
    }
    return strides
}

/// Whether `strides` are exactly `contiguousStrides(shape)` (unit axes included), checked
/// without making that array.
func hasContiguousStrides(_ shape: [Int], _ strides: [Int]) -> Bool {
    var step = 1
    for axis in shape.indices.reversed() {
        if strides[axis] != step { return false }
        step *= max(shape[axis], 1)
    }
    return true
}

/// The number of elements of a tensor with this shape (1 for a scalar, shape []).
@usableFromInline
func elementCount(_ shape: [Int]) -> Int {
    shape.reduce(1, *)
}

/// The strides that make a tensor of `shape` and `strides` read as if it had `target`
/// shape: a broadcast axis (extent 1, or missing in front) gets stride 0, so every index
/// along it reads the same element. The caller has checked that `shape` broadcasts to `target`.
func broadcastStrides(shape: [Int], strides: [Int], to target: [Int]) -> [Int] {
    if shape == target { return strides }  // nothing is broadcast (and no new array)
    let lead = target.count - shape.count
    return target.indices.map { i in
        i < lead || (shape[i - lead] == 1 && target[i] != 1) ? 0 : strides[i - lead]
    }
}

/// The text of a programmer-error trap: the op, what went wrong, and where it was called from.
///
/// ```
/// add: shapes [2, 3] and [4] do not broadcast (called from Model.swift:12)
/// ```
/// Kept as a separate function so the tests can check the exact wording without trapping.
///
/// Operators (`a + b`) cannot take `#fileID`/`#line` default arguments: an operator function
/// has exactly its operands as parameters. They pass `line: 0`, and the message says where
/// to look instead.
func trapMessage(_ op: String, _ problem: String, file: StaticString, line: UInt) -> String {
    if line == 0 {
        return "\(op): \(problem) (called through an operator, which cannot know its caller's line: "
            + "see the backtrace, or call Tensor.\(op)(_:_:) to have it named here)"
    }
    return "\(op): \(problem) (called from \(file):\(line))"
}

/// The call site operators pass on (see `trapMessage`).
let operatorCallSite: (file: StaticString, line: UInt) = ("an operator", 0)

/// Stops the program with `trapMessage(op, problem, ...)`, reported at the caller's line.
/// (`fatalError`, not `preconditionFailure`: an optimized build, such as the release `lumen` or
/// a learner's `swift build -c release`, drops a precondition's message and stops silently.)
func shapeTrap(_ op: String, _ problem: String, file: StaticString, line: UInt) -> Never {
    fatalError(trapMessage(op, problem, file: file, line: line), file: file, line: line)
}

/// Turns a possibly negative axis (−1 = last) into an index in 0..<rank, or traps.
func normalizedAxis(_ axis: Int, rank: Int, op: String, file: StaticString, line: UInt) -> Int {
    let result = axis < 0 ? axis + rank : axis
    if result < 0 || result >= rank {
        shapeTrap(op, "axis \(axis) is out of range for a tensor of rank \(rank)", file: file, line: line)
    }
    return result
}

/// Errors that user data can cause, thrown instead of trapping.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// The number of elements given does not match the shape.
    case elementCountMismatch(shape: [Int], expected: Int, given: Int)
    /// A shape has a negative extent.
    case negativeExtent(shape: [Int])
    /// Nested arrays whose rows do not all have the same length.
    case raggedRows(rowLengths: [Int])

    public var description: String {
        switch self {
        case let .elementCountMismatch(shape, expected, given):
            "a tensor of shape \(describe(shape)) needs \(expected) elements, but \(given) were given; "
                + "pass exactly \(expected) elements or change the shape"
        case let .negativeExtent(shape):
            "the shape \(describe(shape)) has a negative extent; every extent must be 0 or more"
        case let .raggedRows(rowLengths):
            "the rows have different lengths \(rowLengths); every row of a matrix must have the same length"
        }
    }
}
