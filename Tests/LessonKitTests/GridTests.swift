// GridTests.swift — the later lessons' two pictures: histograms (counts that add up) and
// shaded grids (drawn through Graphviz as cells coloured by value).
//
// Read next: Sources/LessonKit/StepContext+Grids.swift.

import Foundation
import Plots
import Testing
@testable import LessonKit

@Suite struct GridTests {
    @Test func histogramBinsAreEqualWidthAndCountEveryValue() {
        // 0.5 sits on the edge between bins 2 and 3 of [0, 1) cut in 4: it goes to bin 2 (⌊0.5·4⌋).
        let h = Histogram([0, 0.1, 0.25, 0.5, 0.99, 1, -2, 2], bins: 4, low: 0, high: 1)
        #expect(h.counts == [3, 1, 1, 3])
        #expect(h.counts.reduce(0, +) == 8 && h.nanCount == 0)
    }

    @Test func aShadedGridIsDrawnCellByCellEvenWithQuotesInItsTitle() throws {
        let root = NSTemporaryDirectory() + "grid-\(UUID().uuidString)"
        let context = StepContext(frames: FrameWriter(root: root, lessonID: 99))
        // The largest value is darkest (#0033ff: red 0, green 255·0.2), zero is white.
        context.shadedGrids([ShadedGrid(title: "a \"quoted\" <grid>", rowLabels: ["r"], columnLabels: ["0", "max"], values: [[0, 4]])],
                            title: "grid \"one\"", numbers: true)
        guard case .picture(_, let file, let png, let svg, let problem) = try #require(context.outputs.last) else {
            Issue.record("no picture recorded")
            return
        }
        #expect(problem == nil)
        #expect(file != nil && png != nil)
        let text = try #require(svg)
        #expect(text.contains("#0033ff") && text.contains("#ffffff"))
        #expect(text.contains("4.00"))        // numbers: the value written in its cell
        #expect(!text.contains(">g0</text>"))  // not the fallback label Graphviz draws when the table is invalid
    }
}
