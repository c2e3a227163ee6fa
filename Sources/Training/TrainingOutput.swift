// TrainingOutput.swift — where a training run's text goes, and whether it is a terminal.
//
// Standard output is a terminal when isatty(1) says so; its width comes from the TIOCGWINSZ
// ioctl (asked again at every redraw, so resizing the window works), then $COLUMNS, then 80.
// Tests use `TrainingOutput.collecting(width:)`, which keeps the text and pretends to be a
// terminal of the given width (or a pipe, for `nil`).
//
// Read next: Trainer.swift, which reports to a ProgressBar over one of these.

import Foundation
import Glibc

/// A sink for text, with the width of the terminal behind it (`nil` when it is not one).
public final class TrainingOutput {
    /// Where the text goes; `nil` keeps it in `collected`.
    private let sink: ((String) -> Void)?
    private let width: () -> Int?
    private var collected: String = ""

    /// Text goes to `sink`; `width` says how wide the terminal is, or `nil` when the text
    /// does not go to a terminal.
    public init(width: @escaping () -> Int?, sink: @escaping (String) -> Void) {
        self.sink = sink
        self.width = width
    }

    private init(collectingWithWidth width: Int?) {
        self.sink = nil
        self.width = { width }
    }

    /// Standard output, detected as a terminal or not.
    public static var standardOutput: TrainingOutput {
        TrainingOutput(width: { TrainingOutput.standardOutputTerminalWidth() }) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Keeps everything written (read it back with `text`); a terminal `width` columns wide,
    /// or not a terminal when `width` is nil.
    public static func collecting(width: Int?) -> TrainingOutput {
        TrainingOutput(collectingWithWidth: width)
    }

    /// Everything written so far, for an output made by `collecting(width:)` (empty otherwise).
    public var text: String { collected }

    /// The terminal's width in columns, or `nil` when the output is not a terminal.
    public var terminalWidth: Int? { width() }

    public func write(_ text: String) {
        if let sink { sink(text) } else { collected += text }
    }

    /// The width of the terminal on standard output, or `nil` when standard output is not a
    /// terminal.
    public static func standardOutputTerminalWidth() -> Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return columns
        }
        return 80
    }
}
