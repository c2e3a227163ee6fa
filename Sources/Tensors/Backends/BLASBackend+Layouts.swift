// BLASBackend+Layouts.swift — how the fast loops see a strided walk: which shapes and
// strides flatten into rows of consecutive numbers (RowLayout, LastAxisRows), which
// reductions are blocks (ReductionBlocks), a transposed copy in tiles, and where a window tap
// leaves the padding. Plain Swift, but only BLASBackend uses it, so it is compiled only with
// the package trait `BLAS`, as BLASBackend.swift is.
//
// Read next: Backends+Choice.swift.

#if BLAS
/// A loop over `shape` seen as `outer` rows of `inner` consecutive output elements. Found
/// by splitting the axes in two: each operand must be, over the leading axes and over the
/// trailing ones separately, either laid out row-major without gaps or not moving at all
/// (stride 0, a broadcast). That covers an operand that is
///     contiguous            row step = inner, element step = 1
///     one repeated row      row step = 0,     element step = 1   (a bias [n] against [m, n])
///     one value per row     row step = 1,     element step = 0   (a row max [m, 1])
///     a single value        row step = 0,     element step = 0
/// The output must be contiguous. `nil` when no split works (a transposed view, a slice
/// with gaps): the reference loop takes those.
struct RowLayout {
    /// How one operand moves: `row` elements per row, `element` (0 or 1) per element.
    struct Walk: Equatable {
        var row: Int
        var element: Int
    }

    var outer: Int
    var inner: Int
    var a: Walk
    var b: Walk

    /// `a` and `output` (and `b` for two-input kernels) walking `shape`.
    ///
    /// The arrays are `borrowing`: an initializer otherwise takes its arguments owned, so
    /// every kernel call retained and released four arrays here.
    init?(shape: borrowing [Int], _ a: borrowing [Int], _ output: borrowing [Int], _ b: borrowing [Int]? = nil) {
        let rank = shape.count
        for split in 0...rank {
            var inner = 1
            for axis in split..<rank { inner *= shape[axis] }
            guard let outWalk = Self.walk(shape, output, split: split, inner: inner),
                  outWalk == Walk(row: inner, element: 1),
                  let aWalk = Self.walk(shape, a, split: split, inner: inner) else { continue }
            var bWalk = Walk(row: 0, element: 0)
            switch b {  // (`if let` would copy the borrowed array)
            case .some(let strides):
                guard let walk = Self.walk(shape, strides, split: split, inner: inner) else { continue }
                bWalk = walk
            case .none: break
            }
            var outer = 1
            for axis in 0..<split { outer *= shape[axis] }
            (self.outer, self.inner, self.a, self.b) = (outer, inner, aWalk, bWalk)
            return
        }
        return nil
    }

    /// The walk of a buffer with `strides` over `shape` split at `split`, or nil.
    private static func walk(_ shape: [Int], _ strides: [Int], split: Int, inner: Int) -> Walk? {
        let rank = shape.count
        if isRowMajor(shape, strides, split..<rank, unit: 1) {
            if isRowMajor(shape, strides, 0..<split, unit: inner) { return Walk(row: inner, element: 1) }
            if isStill(shape, strides, 0..<split) { return Walk(row: 0, element: 1) }
        }
        if isStill(shape, strides, split..<rank) {
            if isRowMajor(shape, strides, 0..<split, unit: 1) { return Walk(row: 1, element: 0) }
            if isStill(shape, strides, 0..<split) { return Walk(row: 0, element: 0) }
        }
        return nil
    }
}

/// A loop over `shape` as rows along its last axis, for layouts `RowLayout` cannot flatten:
/// the output's last axis is contiguous and each input's is contiguous or repeated (step
/// 1 or 0); the other axes may be anything (broadcast, sliced, permuted), and are walked by
/// `forEachIndex`. Any row length: short rows (a 4 × 4 image's) cost what the default walk costs.
struct LastAxisRows {
    var outerShape: [Int]
    /// The strides of the outer axes: inputs first, then the output.
    var outerStrides: [[Int]]
    /// Each input's step along the last axis (0 or 1).
    var steps: [Int]
    var inner: Int

    init?(shape: [Int], inputs: [[Int]], output: [Int]) {
        guard output.last == 1, inputs.allSatisfy({ $0.last == 0 || $0.last == 1 }) else { return nil }
        let (shape, strides) = mergingTrailingAxes(shape, inputs + [output])
        guard let inner = shape.last else { return nil }
        self.inner = inner
        outerShape = Array(shape.dropLast())
        outerStrides = strides.map { Array($0.dropLast()) }
        steps = strides.dropLast().map { $0.last! }
    }
}

/// `shape` and the operands' `strides` with the last two axes merged into one for as long as
/// every operand walks them as one axis (its stride on the first is its stride on the second
/// times the second's extent: both consecutive, or both still). The walk visits the same
/// elements in the same order, in longer rows: a conv bias [1, C, 1, 1] against
/// [N, C, H, W] becomes rows of H·W instead of W.
func mergingTrailingAxes(_ shape: [Int], _ strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
    var shape = shape, strides = strides
    while shape.count >= 2 {
        let last = shape.count - 1
        guard strides.allSatisfy({ $0[last - 1] == $0[last] * shape[last] }) else { break }
        shape[last - 1] *= shape[last]
        shape.removeLast()
        for k in strides.indices {
            strides[k][last - 1] = strides[k][last]
            strides[k].removeLast()
        }
    }
    return (shape, strides)
}

/// True when the axes in `axes` are laid out row-major without gaps, `unit` apart at the
/// last one. Axes of extent 1 are never stepped along, so their strides do not matter.
@inline(__always)
func isRowMajor(_ shape: [Int], _ strides: [Int], _ axes: Range<Int>, unit: Int) -> Bool {
    var expected = unit
    for axis in axes.reversed() where shape[axis] != 1 {
        if strides[axis] != expected { return false }
        expected *= shape[axis]
    }
    return true
}

/// True when no axis in `axes` moves through memory (every stride 0, a broadcast).
@inline(__always)
func isStill(_ shape: [Int], _ strides: [Int], _ axes: Range<Int>) -> Bool {
    for axis in axes where shape[axis] != 1 && strides[axis] != 0 { return false }
    return true
}

/// A reduction over a contiguous input whose reduced axes (output stride 0) sit together:
/// the input is `outer × reduced × inner` row-major, and the output `outer × inner`.
struct ReductionBlocks {
    var outer: Int
    var reduced: Int
    var inner: Int

    init?(shape: borrowing [Int], input: borrowing [Int], output: borrowing [Int]) {
        let rank = shape.count
        guard isRowMajor(shape, input, 0..<rank, unit: 1) else { return nil }
        // The reduced block: from the first to the last axis along which the output stays still.
        func isStillAxis(_ axis: Int) -> Bool { shape[axis] != 1 && output[axis] == 0 }
        let first = (0..<rank).first(where: isStillAxis) ?? rank
        let end = ((0..<rank).last(where: isStillAxis) ?? rank - 1) + 1
        var inner = 1, reduced = 1, outer = 1
        for axis in end..<rank { inner *= shape[axis] }
        for axis in first..<end { reduced *= shape[axis] }
        for axis in 0..<first { outer *= shape[axis] }
        guard isStill(shape, output, first..<end),
              isRowMajor(shape, output, end..<rank, unit: 1),
              isRowMajor(shape, output, 0..<first, unit: inner) else { return nil }
        (self.outer, self.reduced, self.inner) = (outer, reduced, inner)
    }
}

extension WindowGeometry {
    /// The window positions x whose tap j lands inside the image, not in the padding:
    /// 0 ≤ x·sw + j − pw < W, i.e. ⌈(pw − j)/sw⌉ ≤ x ≤ ⌊(W − 1 + pw − j)/sw⌋, within 0..<OW.
    @inline(__always)
    func insideColumns(tap j: Int) -> Range<Int> {
        // At most OW: a tap whose every window lies in the left padding has no inside columns.
        let first = min(outWidth, max(0, (padWidth - j + strideWidth - 1) / strideWidth))
        let last = (width - 1 + padWidth - j)
        let end = last < 0 ? 0 : min(outWidth, last / strideWidth + 1)
        return first..<max(first, end)
    }
}

/// Making a transposed matrix contiguous (the gradient of a weight used as Wᵀ arrives as a
/// transposed view): matches the default `map(.identity)` on a [rows, columns] view
/// whose columns are contiguous (strides [1, ld]). Copied in 32 × 32 tiles, so that both
/// the reads and the writes stay within a few cache lines at a time.
struct TransposedCopy {
    let rows: Int, columns: Int, ld: Int

    init?(shape: [Int], _ input: [Int], _ output: [Int]) {
        guard input[0] == 1, input[1] >= shape[0], output == [shape[1], 1] else { return nil }
        (rows, columns, ld) = (shape[0], shape[1], input[1])
    }

    func copy<S>(_ x: UnsafeMutablePointer<S>, into out: UnsafeMutablePointer<S>) {
        let tile = 32
        for i0 in stride(from: 0, to: rows, by: tile) {
            for j0 in stride(from: 0, to: columns, by: tile) {
                for j in j0..<min(j0 + tile, columns) {
                    for i in i0..<min(i0 + tile, rows) { out[i * columns + j] = x[j * ld + i] }
                }
            }
        }
    }
}

#endif
