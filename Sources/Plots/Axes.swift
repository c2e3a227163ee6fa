// Axes.swift — from data values to pixels, and the ticks, grid and labels that explain the mapping.
//
// An `Axis` is an interval of data values (linear or logarithmic) with "nice" tick values:
// 1, 2 or 5 times a power of ten, so the labels read 0, 0.2, 0.4 rather than 0, 0.23, 0.46.
// A `PlotArea` is the rectangle of the picture the data is drawn in.
//
// Read next: Canvas.swift (the Cairo calls underneath).

import Foundation

/// One axis: the data interval it shows, how values map onto it, and where its ticks go.
struct Axis {
    let lower: Double
    let upper: Double
    let isLogarithmic: Bool
    let ticks: [Double]
    /// The distance between linear ticks (used to choose how many decimals labels show).
    private let step: Double

    /// A linear axis covering `minimum...maximum`. With `padToTicks`, the ends move out to
    /// the nearest ticks, so the data never touches the frame between two labels.
    /// `minimumStep` keeps ticks apart, for example at least 1 for step counts.
    static func linear(
        _ minimum: Double, _ maximum: Double, padToTicks: Bool, targetTicks: Int = 6, minimumStep: Double = 0
    ) -> Axis {
        var (low, high) = (minimum, maximum)
        if low == high {
            // One value: show a unit-wide window around it (or ±10 % of a large value).
            let half = Swift.max(0.5, abs(low) * 0.1)
            (low, high) = (low - half, high + half)
        }
        let step = Swift.max(minimumStep, niceStep(span: high - low, targetCount: targetTicks))
        if padToTicks {
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        let first = Int((low / step - 1e-9).rounded(.up))
        let last = Int((high / step + 1e-9).rounded(.down))
        let ticks = (first...Swift.max(first, last)).map { Double($0) * step }.filter { $0 >= low - step * 1e-9 && $0 <= high + step * 1e-9 }
        return Axis(lower: low, upper: high, isLogarithmic: false, ticks: ticks, step: step)
    }

    /// A base-10 logarithmic axis covering `minimum...maximum` (both positive), widened to
    /// whole decades. Ticks sit on the decades, and also on 2× and 5× when it spans two
    /// decades or fewer.
    static func logarithmic(_ minimum: Double, _ maximum: Double) -> Axis {
        let lowExponent = Int(log10(minimum).rounded(.down))
        var highExponent = Int(log10(maximum).rounded(.up))
        if highExponent == lowExponent { highExponent += 1 }
        var ticks: [Double] = []
        for exponent in lowExponent...highExponent {
            let decade = pow(10, Double(exponent))
            ticks.append(decade)
            if highExponent - lowExponent <= 2 && exponent < highExponent {
                ticks += [2 * decade, 5 * decade]
            }
        }
        return Axis(lower: pow(10, Double(lowExponent)), upper: pow(10, Double(highExponent)),
                    isLogarithmic: true, ticks: ticks, step: 0)
    }

    /// 1, 2 or 5 × 10ᵏ, whichever gives closest to `targetCount` steps across `span`.
    static func niceStep(span: Double, targetCount: Int) -> Double {
        let raw = span / Double(targetCount)
        let magnitude = pow(10, log10(raw).rounded(.down))
        let mantissa = raw / magnitude
        let nice: Double = mantissa < 1.5 ? 1 : mantissa < 3 ? 2 : mantissa < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Where `value` falls along the axis: 0 at `lower`, 1 at `upper`. NaN for a value a
    /// logarithmic axis cannot show (zero or negative).
    func fraction(_ value: Double) -> Double {
        if isLogarithmic {
            guard value > 0 else { return .nan }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// The value at a fraction of the way along the axis (the inverse of `fraction`).
    func value(atFraction t: Double) -> Double {
        isLogarithmic ? pow(10, log10(lower) + t * (log10(upper) - log10(lower))) : lower + t * (upper - lower)
    }

    /// A tick's label: as many decimals as the tick spacing needs (0.05 → "0.05", 2 → "2"),
    /// scientific notation for very large or very small values.
    func label(_ tick: Double) -> String {
        if isLogarithmic { return String(format: "%g", tick) }
        if tick == 0 { return "0" }
        if abs(tick) >= 1e6 || step < 1e-4 { return String(format: "%g", tick) }
        let decimals = Swift.max(0, -Int(log10(step).rounded(.down)))
        return String(format: "%.\(decimals)f", tick)
    }
}

/// How many ticks suit an axis `length` pixels long, with about `spacing` pixels between
/// them (the plots use 110 across and 60 up), between 2 and 8. The count is a target: the
/// nice step decides the exact number.
func tickCount(forLength length: Double, spacing: Double) -> Int {
    min(8, max(2, Int(length / spacing)))
}

/// The rectangle of the picture that shows the data, in pixels from the top-left corner.
struct PlotArea {
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double

    var width: Double { right - left }
    var height: Double { bottom - top }

    /// The pixel for a point given as fractions along the two axes (y grows upwards).
    func point(_ fx: Double, _ fy: Double) -> (x: Double, y: Double) {
        (left + fx * width, bottom - fy * height)
    }
}

/// A finished drawing and the mapping from data to its pixels.
struct DrawnPlot {
    let canvas: Canvas
    let area: PlotArea
    let x: Axis
    let y: Axis

    /// The pixel (column, row) that contains the data point (x, y).
    func pixel(_ x: Double, _ y: Double) -> (x: Int, y: Int) {
        let p = area.point(self.x.fraction(x), self.y.fraction(y))
        return (Int(p.x.rounded(.down)), Int(p.y.rounded(.down)))
    }
}

/// Grid lines, frame, ticks, tick labels and axis labels around `area`.
func drawAxes(on canvas: Canvas, area: PlotArea, x: Axis, y: Axis, xLabel: String, yLabel: String, grid: Bool) {
    let tickLength = 5.0
    for tick in x.ticks {
        let px = area.point(x.fraction(tick), 0).x
        if grid { canvas.line(from: (px, area.top), to: (px, area.bottom), color: .grid, lineWidth: 1) }
        canvas.line(from: (px, area.bottom), to: (px, area.bottom + tickLength), color: .axis, lineWidth: 1)
        canvas.text(x.label(tick), x: px, y: area.bottom + tickLength + 13, size: 11, align: .center, color: .axis)
    }
    for tick in y.ticks {
        let py = area.point(0, y.fraction(tick)).y
        if grid { canvas.line(from: (area.left, py), to: (area.right, py), color: .grid, lineWidth: 1) }
        canvas.line(from: (area.left - tickLength, py), to: (area.left, py), color: .axis, lineWidth: 1)
        canvas.text(y.label(tick), x: area.left - tickLength - 4, y: py + 4, size: 11, align: .right, color: .axis)
    }
    canvas.strokeRectangle(x: area.left, y: area.top, width: area.width, height: area.height, color: .axis, lineWidth: 1)
    canvas.text(xLabel, x: area.left + area.width / 2, y: area.bottom + tickLength + 36, size: 12, align: .center)
    canvas.text(yLabel, x: 18, y: area.top + area.height / 2, size: 12, align: .center, rotated: true)
}
