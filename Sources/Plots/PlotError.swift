// PlotError.swift — everything that can go wrong when drawing a plot or writing it to disk.
//
// Each case says what failed in one line (`description`) and what to do about it (`hint`).
//
// Read next: LinePlot.swift.

/// Why a plot could not be drawn or written.
public enum PlotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The requested picture is too small for the axes and labels (see `minimumSize` of each
    /// plot) or too large for Cairo (more than 32767 pixels a side).
    case invalidSize(width: Int, height: Int)
    /// There is nothing finite to draw, for example every series is empty or all NaN.
    case noData(plot: String)
    /// A series has a different number of x and y values.
    case mismatchedLengths(series: String, xCount: Int, yCount: Int)
    /// A decision boundary's grid must have 1 to 1000 cells a side.
    case invalidGridSize(Int)
    /// A logarithmic axis was asked for, but no y value is positive.
    case noPositiveValues(plot: String)
    /// Cairo reported an error; `status` is its message.
    case cairo(status: String)
    /// The output path does not end in `.png` or `.svg`.
    case unknownExtension(path: String)
    /// The output file could not be written; `reason` is the system's.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidSize(let width, let height):
            "cannot draw a picture of \(width)×\(height) pixels"
        case .noData(let plot):
            "the plot '\(plot)' has no finite values to draw"
        case .mismatchedLengths(let series, let xCount, let yCount):
            "the series '\(series)' has \(xCount) x values but \(yCount) y values"
        case .invalidGridSize(let size):
            "cannot evaluate the score on a grid of \(size) cells a side"
        case .noPositiveValues(let plot):
            "the plot '\(plot)' has a logarithmic y axis but no positive values"
        case .cairo(let status):
            "Cairo could not draw the plot: \(status)"
        case .unknownExtension(let path):
            "cannot tell the output format of '\(path)' from its extension"
        case .unwritable(let path, let reason):
            "cannot write '\(path)': \(reason)"
        }
    }

    /// One line on how to fix it.
    public var hint: String {
        switch self {
        case .invalidSize:
            "use a width and height of at least 240×200 and at most 32767 pixels, for example 800×500"
        case .noData:
            "give at least one series a finite value (NaN and ±∞ are skipped)"
        case .mismatchedLengths:
            "give every series one y value per x value"
        case .invalidGridSize:
            "use 1 to 1000 cells (the score is called (cells + 1)² times; 60 is smooth and quick)"
        case .noPositiveValues:
            "use a linear y axis, or plot positive values such as a loss"
        case .cairo:
            "check that libcairo2 is installed (`apt-get install libcairo2`) and that there is memory to spare"
        case .unknownExtension:
            "use a path ending in .png or .svg"
        case .unwritable:
            "check that the directory exists and that you may write to it"
        }
    }
}
