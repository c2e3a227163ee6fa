// ShapeRules.swift — the rules about shapes that more than one module needs: NumPy's
// broadcasting, the shape of a matrix product, and how a shape is written in a message.
//
// Tensors applies these rules when it computes; Expressions applies the same ones earlier,
// to report a bad `--shape` as an error instead of a trap. Both call these functions, so the
// two cannot disagree.
//
// Read next: SplitMix64.swift.

/// NumPy's broadcasting rule: align the shapes at their last axis; two extents are
/// compatible when they are equal or one of them is 1, and the result takes the larger.
/// A missing leading axis counts as 1. Returns `nil` when the shapes are incompatible.
///
/// ```
/// [2, 1, 4] and [3, 1]  →  [2, 3, 4]
/// [2, 3]    and [4]     →  incompatible
/// ```
public func broadcastShapes(_ a: [Int], _ b: [Int]) -> [Int]? {
    if a == b { return a }   // the usual case, without making a new array
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 {
            result[i] = da
        } else if da == 1 {
            result[i] = db
        } else {
            return nil
        }
    }
    return result
}

/// NumPy's `matmul` shapes: `[..., m, k] @ [..., k, n] → [..., m, n]`, the leading (batch)
/// axes broadcast. A vector on the left is a row (`[k] @ [..., k, n] → [..., n]`), on the
/// right a column (`[..., m, k] @ [k] → [..., m]`). Returns `nil` when either is a scalar,
/// the inner extents differ, or the batch axes do not broadcast.
///
/// ```
/// [2, 3] @ [3, 4]        →  [2, 4]
/// [5, 2, 3] @ [3, 4]     →  [5, 2, 4]
/// [3] @ [3]              →  []
/// ```
public func matmulShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    let left = a.count == 1 ? [1] + a : a, right = b.count == 1 ? b + [1] : b
    guard left[left.count - 1] == right[right.count - 2],
          let batch = broadcastShapes(Array(left.dropLast(2)), Array(right.dropLast(2))) else { return nil }
    var shape = batch
    if a.count > 1 { shape.append(left[left.count - 2]) }
    if b.count > 1 { shape.append(right[right.count - 1]) }
    return shape
}

/// How a message writes a shape.
public enum ShapeStyle: Sendable {
    /// `[2, 3]`, and `[]` for a scalar: the style of Tensors' and Layers' traps.
    case list
    /// `2×3`, and `scalar` for []: the style of drawings and expression errors.
    case product
}

/// A shape as text, in the given style: `describe([2, 3])` is `[2, 3]`,
/// `describe([2, 3], as: .product)` is `2×3`.
public func describe(_ shape: [Int], as style: ShapeStyle = .list) -> String {
    switch style {
    case .list: "[" + shape.map(String.init).joined(separator: ", ") + "]"
    case .product: shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }
}
