// ProgressBarTests.swift — the text `lumen train` prints: the live line on a terminal (its
// layout, its width limits, redrawing in place) and the plain lines elsewhere.

import Testing
@testable import Training

@Suite struct ProgressBarTests {
    static let midEpoch = BatchProgress(epoch: 3, epochs: 20, batch: 12, batches: 24, loss: 0.43214,
                                        accuracy: 0.9123, samplesPerSecond: 5312.4)
    static let record = EpochRecord(epoch: 3, trainLoss: 0.12341, trainAccuracy: 0.961, testLoss: 0.15017,
                                    testAccuracy: 0.953, seconds: 0.314, samplesPerSecond: 4900)

    @Test func barFillsInEighthsOfAColumn() {
        #expect(ProgressBar.bar(0.5, width: 10) == "█████     ")
        // 0.3125 · 4 columns · 8 = 10 eighths: one full column and a quarter.
        #expect(ProgressBar.bar(0.3125, width: 4) == "█▎  ")
        #expect(ProgressBar.bar(0, width: 3) == "   ")
        #expect(ProgressBar.bar(1, width: 3) == "███")
        #expect(ProgressBar.bar(7, width: 3) == "███")
        #expect(ProgressBar.bar(-1, width: 2) == "  ")
    }

    @Test func liveLineOnAnEightyColumnTerminal() {
        // Figures: 11 + 47 columns, brackets and gaps 5, so the bar gets 79 - 63 = 16 columns,
        // half of them full after 12 of 24 batches.
        let line = ProgressBar.liveLine(Self.midEpoch, width: 80)
        #expect(line == "epoch  3/20 [████████        ]  12/24  loss 0.4321  acc  91.2%  5,312 samples/s")
        #expect(line.count == 79)
    }

    @Test func wideTerminalsCapTheBarAtThirtyColumns() {
        let line = ProgressBar.liveLine(Self.midEpoch, width: 200)
        #expect(line.contains("[" + String(repeating: "█", count: 15) + String(repeating: " ", count: 15) + "]"))
    }

    @Test func narrowTerminalsDropTheBarThenCutTheText() {
        // 11 + 2 + 47 = 60 columns of figures: a 66-column terminal leaves 0 columns for a bar.
        let noBar = ProgressBar.liveLine(Self.midEpoch, width: 66)
        #expect(noBar == "epoch  3/20  12/24  loss 0.4321  acc  91.2%  5,312 samples/s")
        let cut = ProgressBar.liveLine(Self.midEpoch, width: 30)
        #expect(cut == "epoch  3/20  12/24  loss 0.4…")
        #expect(cut.count == 29)
    }

    @Test func epochLineHasEveryFigure() {
        #expect(ProgressBar.epochLine(Self.record, epochs: 20)
            == "epoch  3/20  loss 0.1234  acc  96.1%  test loss 0.1502  test acc  95.3%  4,900 samples/s  0.31 s")
    }

    @Test("the character models' epoch line names their held-out set: validation, not test")
    func epochLineNamesTheHeldOutSet() {
        #expect(ProgressBar.epochLine(Self.record, epochs: 20, heldOut: "validation")
            == "epoch  3/20  loss 0.1234  acc  96.1%  validation loss 0.1502  validation acc  95.3%  4,900 samples/s  0.31 s")
        var written: [String] = []
        let bar = ProgressBar(output: TrainingOutput(width: { nil }, sink: { written.append($0) }))
        bar.heldOut = "validation"
        bar.finish(epoch: Self.record, of: 20)
        #expect(written == [ProgressBar.epochLine(Self.record, epochs: 20, heldOut: "validation") + "\n"])
    }

    @Test func groupedThousands() {
        #expect(ProgressBar.grouped(0) == "0")
        #expect(ProgressBar.grouped(999.6) == "1,000")
        #expect(ProgressBar.grouped(1_234_567) == "1,234,567")
        #expect(ProgressBar.grouped(.infinity) == "–")
    }

    @Test func terminalModeRedrawsInPlaceAndKeepsEachEpoch() {
        let output = TrainingOutput.collecting(width: 80)
        let bar = ProgressBar(output: output, redrawInterval: 0)
        for batch in 1...2 {
            bar.update(BatchProgress(epoch: 1, epochs: 2, batch: batch, batches: 2, loss: 1, accuracy: 0.5,
                                     samplesPerSecond: 100))
        }
        bar.finish(epoch: EpochRecord(epoch: 1, trainLoss: 1, trainAccuracy: 0.5, testLoss: 2, testAccuracy: 0.25,
                                      seconds: 1, samplesPerSecond: 100), of: 2)
        let writes = output.text.split(separator: "\r", omittingEmptySubsequences: true)
        #expect(writes.count == 3)
        #expect(writes[0].hasPrefix("epoch 1/2 [") && writes[0].contains("1/2  loss 1.0000") && writes[0].hasSuffix("\u{1B}[K"))
        #expect(writes[1].contains("2/2  loss 1.0000"))
        #expect(writes[2] == "epoch 1/2  loss 1.0000  acc  50.0%  test loss 2.0000  test acc  25.0%  100 samples/s  1.00 s\u{1B}[K\n")
        // The kept line is longer than the 79 columns the live line may use: it is not cut.
        // No newline until the epoch is over: the live line is overwritten, not appended.
        #expect(output.text.filter { $0 == "\n" }.count == 1)
    }

    @Test func terminalRedrawsAreThrottledButTheLastBatchIsAlwaysDrawn() {
        let output = TrainingOutput.collecting(width: 100)
        var now = 0.0
        let bar = ProgressBar(output: output, redrawInterval: 1, clock: { now })
        for batch in 1...5 {
            now = Double(batch) * 0.3  // 0.3, 0.6, 0.9, 1.2, 1.5 s
            bar.update(BatchProgress(epoch: 1, epochs: 1, batch: batch, batches: 5, loss: 0, accuracy: 0,
                                     samplesPerSecond: 0))
        }
        // Batch 1 draws (nothing before it), 2 and 3 are within 1 s of it, 4 is 0.9 s after
        // it (skipped), 5 is the last batch.
        let draws = output.text.split(separator: "\r")
        #expect(draws.count == 2)
        #expect(draws.first?.contains("]  1/5  loss") == true)
        #expect(draws.last?.contains("]  5/5  loss") == true)
    }

    @Test func plainModePrintsOneLinePerEpochAndNoEscapes() {
        let output = TrainingOutput.collecting(width: nil)
        let bar = ProgressBar(output: output, redrawInterval: 0)
        for epoch in 1...2 {
            for batch in 1...3 {
                bar.update(BatchProgress(epoch: epoch, epochs: 2, batch: batch, batches: 3, loss: 0.5, accuracy: 1,
                                         samplesPerSecond: 10))
            }
            bar.finish(epoch: EpochRecord(epoch: epoch, trainLoss: 0.5, trainAccuracy: 1, testLoss: 0.5,
                                          testAccuracy: 1, seconds: 2, samplesPerSecond: 10), of: 2)
        }
        bar.message("done")
        #expect(output.text == """
            epoch 1/2  loss 0.5000  acc 100.0%  test loss 0.5000  test acc 100.0%  10 samples/s  2.00 s
            epoch 2/2  loss 0.5000  acc 100.0%  test loss 0.5000  test acc 100.0%  10 samples/s  2.00 s
            done

            """)
    }

    @Test func aMessageClosesAnOpenLiveLine() {
        let output = TrainingOutput.collecting(width: 80)
        let bar = ProgressBar(output: output, redrawInterval: 0)
        bar.update(BatchProgress(epoch: 1, epochs: 1, batch: 1, batches: 2, loss: 0, accuracy: 0, samplesPerSecond: 0))
        bar.message("saved")
        #expect(output.text.hasSuffix("\u{1B}[K\nsaved\n"))
    }

    @Test func closingTheLiveLineEndsItOnce() {
        let output = TrainingOutput.collecting(width: 80)
        let bar = ProgressBar(output: output, redrawInterval: 0)
        bar.closeLiveLine()
        #expect(output.text.isEmpty, "no line is open, so nothing to end")
        bar.update(BatchProgress(epoch: 1, epochs: 1, batch: 1, batches: 2, loss: 0, accuracy: 0, samplesPerSecond: 0))
        bar.closeLiveLine()
        bar.closeLiveLine()
        bar.message("next")
        #expect(output.text.hasSuffix("\u{1B}[K\nnext\n"), "one line end, then the message")
    }

    /// On a pipe the terminal is never asked about and nothing is drawn mid-epoch, however
    /// often the clock says a redraw is due.
    @Test func plainOutputSkipsTheLiveLine() {
        var widthAsked = 0
        let output = TrainingOutput(width: { widthAsked += 1; return nil }, sink: { _ in Issue.record("wrote mid-epoch") })
        var now = 0.0
        let bar = ProgressBar(output: output, redrawInterval: 0.1, clock: { now += 0.01; return now })
        for batch in 1...9 {
            bar.update(BatchProgress(epoch: 1, epochs: 1, batch: batch, batches: 10, loss: 0, accuracy: 0, samplesPerSecond: 0))
        }
        // The clock was due once in 9 batches (0.01 s each, redraw every 0.1 s, first draw at once).
        #expect(widthAsked == 1)
    }

    @Test func aRegressionShowsRSquaredWhereAClassifierShowsItsAccuracy() {
        let record = EpochRecord(epoch: 3, trainLoss: 0.25, trainAccuracy: 0.9123, testLoss: 0.5, testAccuracy: -0.25,
                                 seconds: 0.5, samplesPerSecond: 1000)
        #expect(ProgressBar.epochLine(record, epochs: 10, regression: true)
            == "epoch  3/10  loss 0.2500  R²  0.912  test loss 0.5000  test R² -0.250  1,000 samples/s  0.50 s")
        #expect(ProgressBar.epochLine(record, epochs: 10).contains("acc  91.2%"))
    }
}
