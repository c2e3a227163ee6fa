// NumberFormatTests.swift — the four-significant-digit format every node and edge label uses.

import Testing
import Viz

@Suite struct NumberFormatTests {
    @Test(arguments: [
        (0.7071067811865476, "0.7071"),
        (-3, "-3"),
        (123456, "1.235e+05"),
        (6.8813735870195432, "6.881"),
        (0.5, "0.5"),
        (1000, "1000"),
        (12345, "1.234e+04"),  // 12345 is exact in binary; C rounds the tie to even
        (0.0001, "0.0001"),
        (0.00001234, "1.234e-05"),
        (-0.0625, "-0.0625"),
        (0, "0"),
        (-0.0, "0"),
        (.nan, "NaN"),
        (-Double.nan, "NaN"),
        (.infinity, "∞"),
        (-Double.infinity, "-∞"),
    ] as [(Double, String)])
    func fourSignificantDigits(value: Double, text: String) {
        #expect(GraphDrawing.format(value) == text)
    }

    @Test func chainRuleLabels() {
        #expect(GraphDrawing.chainRuleLabel(upstream: 0.5, local: -3) == "0.5 × -3 = -1.5")
        // Nothing has been sent along an edge whose node has no gradient yet: no label.
        #expect(GraphDrawing.chainRuleLabel(upstream: nil, local: 2) == nil)
        #expect(GraphDrawing.chainRuleLabel(upstream: 2, local: .infinity) == "2 × ∞ = ∞")
    }
}
