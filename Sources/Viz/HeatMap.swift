// HeatMap.swift — a tensor's numbers as a small grid of coloured cells.
//
// A 4 × 5 matrix of numbers is hard to read in a graph; a 4 × 5 grid of colours shows at a
// glance where it is large, small, positive or negative. Bigger tensors are shrunk to at most
// `maxSide` × `maxSide` cells, each the mean of the block of elements it covers. The colours
// are diverging: blue below zero, white at zero, red above, scaled to the map's largest |cell|,
// and the map carries the range of the original numbers, which the drawing prints under it.
//
// Read next: GraphDrawing+Tensor.swift, which puts a data map and a gradient map in each node.

import Basics
import Foundation

/// The numbers of one tensor (or one gradient), shrunk to a small grid for drawing.
///
/// The tensor is read as a matrix: its last axis gives the columns and all other axes, taken
/// together, the rows (a vector is one row; shape [2, 3, 4] is 6 rows of 4). When that matrix
/// has more than `maxSide` rows or columns, it is cut into `maxSide` bands each way, as even
/// as whole elements allow, and each cell is the mean of its block:
///
///     cell[i][j] = mean of x[r][c] for r in rows(i), c in columns(j)
///     rows(i) = ⌊i·R/r⌋ ..< ⌊(i+1)·R/r⌋,   r = min(R, maxSide)   (columns likewise)
public struct HeatMap: Sendable, Equatable {
    /// The most cells on each side.
    public static let maxSide = 8

    /// What the map shows, such as `data` or `grad`.
    public var name: String
    public var rows: Int
    public var columns: Int
    /// The cells in row-major order, `rows × columns` of them.
    public var cells: [Double]
    /// The smallest and largest of the original numbers (NaN left out; both NaN when all are).
    public var low: Double
    public var high: Double

    /// The map of `elements` (row-major, of a tensor with `shape`), named `name`.
    public init(name: String, elements: [Double], shape: [Int]) {
        trapUnless(elements.count == shape.reduce(1, *), "HeatMap: \(elements.count) elements for shape \(shape)")
        self.name = name
        let width = max(1, shape.last ?? 1)
        let height = elements.isEmpty ? 0 : elements.count / width
        rows = min(height, HeatMap.maxSide)
        columns = height == 0 ? 0 : min(width, HeatMap.maxSide)
        var cells = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            let r0 = i * height / rows, r1 = (i + 1) * height / rows
            for j in 0..<columns {
                let c0 = j * width / columns, c1 = (j + 1) * width / columns
                var sum = 0.0
                for r in r0..<r1 {
                    for c in c0..<c1 { sum += elements[r * width + c] }
                }
                cells[i * columns + j] = sum / Double((r1 - r0) * (c1 - c0))
            }
        }
        self.cells = cells
        let summary = TensorSummary(elements)
        low = summary.min
        high = summary.max
    }

    /// The largest |cell|, which the colours are scaled to (0 for an all-zero map).
    public var scale: Double {
        cells.reduce(0) { $1.isFinite ? max($0, abs($1)) : $0 }
    }

    /// The colour of one cell, as `#rrggbb`.
    public func color(ofCell index: Int) -> String {
        HeatMap.color(cells[index], scale: scale)
    }

    /// The diverging colour of `x` on a scale whose ends are -`scale` and +`scale`:
    /// t = x / scale in [-1, 1]; white at t = 0, `positiveStops` towards +1 and
    /// `negativeStops` towards -1, interpolated linearly in sRGB. NaN and ±∞ are drawn black.
    public static func color(_ x: Double, scale: Double) -> String {
        guard x.isFinite else { return nonFiniteCell }
        let t = scale > 0 ? min(1, abs(x) / scale) : 0
        let stops = x < 0 ? negativeStops : positiveStops
        // stops[0] at t = 0, stops[1] at t = 0.5, stops[2] at t = 1.
        let segment = t < 0.5 ? 0 : 1
        let u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5
        let a = stops[segment], b = stops[segment + 1]
        var hex = "#"
        for channel in 0..<3 {
            let from = Double(a[channel]), to = Double(b[channel])
            let mixed = Int((from + (to - from) * u).rounded())
            hex += String(format: "%02x", mixed)
        }
        return hex
    }

    /// White, light red, dark red: the colours for 0, half the scale and the whole scale.
    static let positiveStops: [[Int]] = [[0xff, 0xff, 0xff], [0xf4, 0xa5, 0x82], [0xb2, 0x18, 0x2b]]
    /// White, light blue, dark blue.
    static let negativeStops: [[Int]] = [[0xff, 0xff, 0xff], [0x92, 0xc5, 0xde], [0x21, 0x66, 0xac]]
    /// A NaN or infinite cell.
    public static let nonFiniteCell = "#000000"
}
