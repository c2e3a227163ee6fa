// ProgressBar.swift — what `lumen train` prints while it trains.
//
// On a terminal, one line per epoch is redrawn in place after each batch (a carriage return,
// the new text, then "erase to the end of the line"), cut to the terminal's width so it never
// wraps; when the epoch ends, its final figures stay on screen and the next epoch starts a new
// line. When the output is not a terminal (a pipe, a file, a CI log) there is nothing to
// redraw, so it prints one plain line per epoch instead, then the same final summary.
// The text is built by pure functions and written through `TrainingOutput`, so tests read it.
//
// Read next: TrainingOutput.swift (where the text goes, and how a terminal is detected).

import Foundation

/// The figures of one epoch so far, after `batch` of its `batches` batches.
public struct BatchProgress: Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    public var epochs: Int
    /// Batches finished in this epoch, 1...batches.
    public var batch: Int
    public var batches: Int
    /// The mean training loss over the samples seen so far in this epoch (each batch's mean
    /// loss weighted by its size).
    public var loss: Double
    /// The fraction of the samples seen so far in this epoch that the model classified
    /// correctly (before each batch's update).
    public var accuracy: Double
    /// Samples trained on per second of wall-clock time since the epoch started.
    public var samplesPerSecond: Double

    public init(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
                samplesPerSecond: Double) {
        self.epoch = epoch
        self.epochs = epochs
        self.batch = batch
        self.batches = batches
        self.loss = loss
        self.accuracy = accuracy
        self.samplesPerSecond = samplesPerSecond
    }
}

/// The figures of one finished epoch.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// 1-based.
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var testLoss: Double
    public var testAccuracy: Double
    public var seconds: Double
    public var samplesPerSecond: Double

    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double,
                seconds: Double, samplesPerSecond: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }
}

/// Prints a training run's progress: a live bar on a terminal, plain lines elsewhere.
///
/// ```swift
/// let bar = ProgressBar(output: .standardOutput)
/// bar.update(BatchProgress(...))      // after every batch
/// bar.finish(epoch: record, of: 20)   // after every epoch
/// ```
public final class ProgressBar {
    public let output: TrainingOutput
    /// The shortest time between two redraws of the live line, so a fast loop does not spend
    /// its time printing. The last batch of an epoch is always drawn. 0 draws every batch.
    public let redrawInterval: Double
    private var lastDraw: Double = -.infinity
    private var lineIsOpen = false
    /// What the epoch line calls the held-out set: "test", or "validation" for the character
    /// models (`TrainingOutputFolder.heldOutName(for:)`).
    public var heldOut = "test"
    /// True for a regression run: its loss is the mean squared error, and where a classifier
    /// shows its accuracy it shows R² = 1 − MSE / variance of the targets (`Trainer.trainEpoch`).
    public var regression = false
    private let clock: () -> Double

    /// - Parameter clock: seconds from any fixed origin (monotonic); injectable for tests.
    public init(output: TrainingOutput, redrawInterval: Double = 0.1,
                clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.output = output
        self.redrawInterval = redrawInterval
        self.clock = clock
    }

    /// Redraws the live line (terminal only; plain output waits for the end of the epoch).
    public func update(_ progress: BatchProgress) {
        // The clock first: asking whether the output is a terminal (and how wide) takes two
        // system calls, which only a batch that is going to be drawn needs.
        let now = clock()
        guard progress.batch == progress.batches || now - lastDraw >= redrawInterval else { return }
        lastDraw = now
        guard let width = output.terminalWidth else { return }
        output.write("\r" + ProgressBar.liveLine(progress, width: width, regression: regression) + "\u{1B}[K")
        lineIsOpen = true
    }

    /// Ends an epoch: on a terminal the live line is replaced by the epoch's final figures
    /// and kept; otherwise one plain line is printed. The kept line is not cut to the width:
    /// it is never redrawn, so the terminal may wrap it, and no figure is lost.
    public func finish(epoch record: EpochRecord, of epochs: Int) {
        if output.terminalWidth != nil {
            output.write((lineIsOpen ? "\r" : "") + ProgressBar.epochLine(record, epochs: epochs, heldOut: heldOut, regression: regression) + "\u{1B}[K\n")
        } else {
            output.write(ProgressBar.epochLine(record, epochs: epochs, heldOut: heldOut, regression: regression) + "\n")
        }
        lineIsOpen = false
        lastDraw = -.infinity
    }

    /// Prints a line of its own (closing the live line first, if one is open).
    public func message(_ text: String) {
        closeLiveLine()
        output.write(text + "\n")
    }

    /// Ends the live line where it stands, if one is open, so that whatever is printed next
    /// (an error on standard error, say) starts on a line of its own. The bar keeps the
    /// figures it last drew.
    public func closeLiveLine() {
        if lineIsOpen { output.write("\n") }
        lineIsOpen = false
    }

    // MARK: - The text

    /// The live line for a terminal `width` columns wide:
    ///
    ///     epoch  3/20 [███████▌       ]  12/24  loss 0.4321  acc  91.2%  5,312 samples/s
    ///
    /// The bar takes whatever width the figures leave (at most 30 columns); below 5 columns it
    /// is left out, and if the figures alone do not fit they are cut at the right edge. The
    /// line is always at most `width - 1` columns, so the cursor never wraps.
    public static func liveLine(_ progress: BatchProgress, width: Int, regression: Bool = false) -> String {
        let epochDigits = String(progress.epochs).count, batchDigits = String(progress.batches).count
        let head = "epoch \(pad(progress.epoch, epochDigits))/\(progress.epochs)"
        let tail = "\(pad(progress.batch, batchDigits))/\(progress.batches)  loss \(fixed(progress.loss, 4))  "
            + "\(score(progress.accuracy, regression))  \(grouped(progress.samplesPerSecond)) samples/s"
        let room = width - 1 - head.count - tail.count - 5  // " [" + "]  "
        guard room >= 5 else { return clip(head + "  " + tail, to: width) }
        let fraction = Double(progress.batch) / Double(max(1, progress.batches))
        return head + " [" + bar(fraction, width: min(30, room)) + "]  " + tail
    }

    /// The line that records a finished epoch, on a terminal and in plain output alike:
    ///
    ///     epoch  3/20  loss 0.1234  acc  96.1%  test loss 0.1502  test acc  95.3%  4,900 samples/s  0.31 s
    ///
    /// `heldOut` names the held-out set ("validation" for the character models).
    public static func epochLine(_ record: EpochRecord, epochs: Int, heldOut: String = "test", regression: Bool = false) -> String {
        "epoch \(pad(record.epoch, String(epochs).count))/\(epochs)  loss \(fixed(record.trainLoss, 4))  "
            + "\(score(record.trainAccuracy, regression))  \(heldOut) loss \(fixed(record.testLoss, 4))  "
            + "\(heldOut) \(score(record.testAccuracy, regression))  \(grouped(record.samplesPerSecond)) samples/s  "
            + "\(fixed(record.seconds, 2)) s"
    }

    /// A bar `width` columns wide, filled to `fraction` (clamped to 0...1) in eighths of a
    /// column: `█` for a full column, one of `▏▎▍▌▋▊▉` for the partly filled one, spaces after.
    public static func bar(_ fraction: Double, width: Int) -> String {
        let eighths = Int((min(1, max(0, fraction)) * Double(width * 8)).rounded(.down))
        let full = eighths / 8, partial = eighths % 8
        let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: full)
        if partial > 0 { text.append(partials[partial - 1]) }
        return text + String(repeating: " ", count: width - text.count)
    }

    /// `text` cut to at most `width - 1` characters, ending in `…` when it was cut.
    static func clip(_ text: String, to width: Int) -> String {
        let limit = max(1, width - 1)
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func pad(_ n: Int, _ digits: Int) -> String {
        let text = String(n)
        return String(repeating: " ", count: max(0, digits - text.count)) + text
    }

    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    /// A classifier's accuracy as `acc  91.2%`, a regression's R² as `R²  0.912`.
    static func score(_ value: Double, _ regression: Bool) -> String {
        regression ? "R² " + String(format: "%6.3f", value) : "acc " + percent(value)
    }

    /// 0.9123 as ` 91.2%` (always six characters up to 100.0%).
    static func percent(_ fraction: Double) -> String { String(format: "%5.1f%%", 100 * fraction) }

    /// 5312.4 as `5,312`.
    static func grouped(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        let digits = String(Int(x.rounded()))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && digit != "-" && (digits.count - i) % 3 == 0 && out.last != "-" { out += "," }
            out.append(digit)
        }
        return out
    }
}
