// GraphDrawing+Numbers.swift — how numbers are written inside a drawing.
//
// Four significant digits are enough to follow a calculation by hand and short enough to fit
// in a node. The format is C's `%.4g`, with the special values spelled for readers.
//
// Read next: GradientScale.swift (how gradients are coloured).

import Foundation

extension GraphDrawing {
    /// A number in four significant digits, the way every node and edge label shows it.
    ///
    /// | value | text |
    /// |---|---|
    /// | 0.7071067811865476 | `0.7071` |
    /// | -3 | `-3` |
    /// | 123456 | `1.235e+05` |
    /// | 0.000012345 | `1.234e-05` or `1.235e-05` (C rounding of the binary value) |
    /// | 0 and -0 | `0` |
    /// | NaN | `NaN` |
    /// | +∞, -∞ | `∞`, `-∞` |
    ///
    /// This is C's `%.4g`: plain decimals while the exponent is between -5 and 3, scientific
    /// notation outside that, trailing zeros dropped.
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        if x == 0 { return "0" }
        return String(format: "%.4g", x)
    }

    /// The text for a gradient that backward has not reached: a dash, never `0`.
    public static let notReached = "—"
}
