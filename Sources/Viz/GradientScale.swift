// GradientScale.swift — the colours of a drawing: gradient size, bad numbers, unreached nodes.
//
// Gradients in one graph often span many orders of magnitude, so the fill colour follows
// log₁₀|grad|: one shade of blue per decade, pale for tiny gradients and dark for large ones.
// Every drawing with gradients carries a legend that prints this table.
//
// Read next: DrawingOptions.swift, then GraphDrawing+DOT.swift.

import Foundation

/// The colour ramp for |∂root/∂node|: seven bins, one per decade from 10⁻³ to 10².
///
/// | bin | \|grad\| | fill | text |
/// |---|---|---|---|
/// | 0 | below 0.001 (including exactly 0) | `#f1f5fb` | black |
/// | 1 | 0.001 to 0.01 | `#d6e4f5` | black |
/// | 2 | 0.01 to 0.1 | `#b3cdeb` | black |
/// | 3 | 0.1 to 1 | `#87b0dd` | black |
/// | 4 | 1 to 10 | `#5a8fcb` | black |
/// | 5 | 10 to 100 | `#3a6fb0` | white |
/// | 6 | 100 and above | `#1f4e8c` | white |
///
/// Each bin includes its lower bound: |grad| = 1 is in bin 4, and so is 0.99999, which a node
/// prints as `1`. The colours get darker (lower
/// relative luminance) from bin to bin, so a bigger gradient is always a darker node.
/// Two states are not on the scale:
/// - NaN or ±∞ in a node's value or gradient: red fill and a thick red outline.
/// - a node backward has not reached (grad `nil`): white, with a dashed grey outline.
public enum GradientScale {
    /// The lower bound of bins 1 through 6.
    public static let thresholds: [Double] = [1e-3, 1e-2, 1e-1, 1, 10, 100]

    /// The fill colour of each bin, lightest first.
    public static let fillColors = ["#f1f5fb", "#d6e4f5", "#b3cdeb", "#87b0dd", "#5a8fcb", "#3a6fb0", "#1f4e8c"]

    /// The text colour that stays readable on each bin's fill.
    public static let textColors = ["#000000", "#000000", "#000000", "#000000", "#000000", "#ffffff", "#ffffff"]

    /// How each bin is described in the legend.
    public static let binNames = ["< 0.001", "0.001 – 0.01", "0.01 – 0.1", "0.1 – 1", "1 – 10", "10 – 100", "≥ 100"]

    /// The bin of a gradient magnitude: how many thresholds it reaches.
    ///
    /// The magnitude is first rounded to the four significant digits a node prints, so the
    /// colour always agrees with the number on the node: a gradient of 0.9999999999999998
    /// prints as `1` and is coloured as 1. NaN is not on the scale; it is given bin 0, and the
    /// drawing shows it in red anyway (`isNonFinite`).
    public static func bin(for magnitude: Double) -> Int {
        guard magnitude.isFinite else { return magnitude.isNaN ? 0 : thresholds.count }
        let shown = Double(String(format: "%.4g", magnitude)) ?? magnitude
        return thresholds.count(where: { shown >= $0 })
    }

    /// Fill and outline of a node whose value or gradient is NaN or ±∞.
    public static let nonFiniteFill = "#ffe3e3"
    public static let nonFiniteOutline = "#c92a2a"

    /// Outline and text of a node that backward has not reached.
    public static let notReachedOutline = "#adb5bd"
    public static let notReachedText = "#495057"
}
