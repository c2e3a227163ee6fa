// AxesTests.swift — tick values and labels, checked against hand-worked examples.

@testable import Plots
import Testing
import _TestSupport

@Suite struct AxesTests {
    @Test func niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        // raw step = span / count; then 1, 2 or 5 × 10ᵏ by the mantissa (< 1.5, < 3, < 7, else 10).
        #expect(Axis.niceStep(span: 10, targetCount: 5) == 2)  // raw 2
        #expect(Axis.niceStep(span: 7, targetCount: 5) == 1)  // raw 1.4
        #expect(Axis.niceStep(span: 100, targetCount: 4) == 20)  // raw 25
        #expect(Axis.niceStep(span: 35, targetCount: 5) == 10)  // raw 7
        #expect(isClose(Axis.niceStep(span: 0.074, targetCount: 6), 0.01))  // raw 0.0123
    }

    @Test func linearAxisPaddedToTicks() {
        // Span 1 / 6 ≈ 0.167 → step 0.2.
        let axis = Axis.linear(0, 1, padToTicks: true)
        let expected = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
        #expect(axis.ticks.count == expected.count)
        #expect(zip(axis.ticks, expected).allSatisfy { isClose($0, $1) })
        #expect(axis.ticks.map(axis.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])

        // 0.13 ... 0.87: span 0.74 / 6 ≈ 0.123 → step 0.1, padded out to 0.1 ... 0.9.
        let padded = Axis.linear(0.13, 0.87, padToTicks: true)
        #expect(isClose(padded.lower, 0.1) && isClose(padded.upper, 0.9))
        #expect(padded.ticks.map(padded.label) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"])
    }

    @Test func linearAxisInsideTheData() {
        // Span 0.074 → step 0.01: ticks 0.02 ... 0.08 inside 0.013 ... 0.087.
        let axis = Axis.linear(0.013, 0.087, padToTicks: false)
        #expect(axis.lower == 0.013 && axis.upper == 0.087)
        #expect(axis.ticks.map(axis.label) == ["0.02", "0.03", "0.04", "0.05", "0.06", "0.07", "0.08"])
        // Large values: step 200 000, no decimals; a million and above in scientific notation.
        let large = Axis.linear(0, 1_000_000, padToTicks: true)
        #expect(large.ticks.map(large.label) == ["0", "200000", "400000", "600000", "800000", "1e+06"])
    }

    @Test func oneValueGetsAWindowAroundIt() {
        let axis = Axis.linear(5, 5, padToTicks: false)
        #expect(axis.lower == 4.5 && axis.upper == 5.5)
        #expect(axis.ticks.contains { isClose($0, 5) })
    }

    @Test func logarithmicAxes() {
        // 0.03 ... 0.7 widens to the decades 10⁻² ... 10⁰; two decades, so 2× and 5× ticks too.
        let axis = Axis.logarithmic(0.03, 0.7)
        #expect(isClose(axis.lower, 0.01) && isClose(axis.upper, 1))
        #expect(axis.ticks.map(axis.label) == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
        #expect(isClose(axis.fraction(0.1), 0.5))
        #expect(axis.fraction(0).isNaN && axis.fraction(-1).isNaN)

        // Six decades: ticks on the decades only.
        let wide = Axis.logarithmic(1, 1e6)
        #expect(wide.ticks.map(wide.label) == ["1", "10", "100", "1000", "10000", "100000", "1e+06"])

        // A range inside one decade still spans a whole one.
        let narrow = Axis.logarithmic(2, 3)
        #expect(narrow.lower == 1 && narrow.upper == 10)
    }

    @Test func fractionAndValueAreInverses() {
        for axis in [Axis.linear(-3, 7, padToTicks: false), Axis.logarithmic(0.001, 50)] {
            for t in [0, 0.25, 0.5, 0.9, 1] {
                #expect(isClose(axis.fraction(axis.value(atFraction: t)), t, tolerance: 1e-12))
            }
        }
        let linear = Axis.linear(-3, 7, padToTicks: false)
        #expect(linear.fraction(-3) == 0 && linear.fraction(7) == 1 && linear.fraction(2) == 0.5)
    }
}
