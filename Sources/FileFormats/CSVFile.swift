// CSVFile.swift — reading rows of numbers from a CSV file: one example per line, its values
// separated by commas, as `numpy.savetxt(path, x, delimiter=",")` or a spreadsheet writes them.
//
// The first line may be a header (any cell that is not a number makes it one); blank lines
// are skipped; cells may be quoted and have spaces around them. Every row must have as many
// values as the first. A problem is an `FileFormatError.csv` naming the file, the line and the
// column. The values are counted against the file's length as they are read, so no row
// count in the file can make the reader allocate more than the file itself.
//
// Read next: PNGImage.swift.

/// The rows of numbers of a CSV file.
public struct CSVTable: Equatable, Sendable {
    /// The header's cells, when the first line is one.
    public let header: [String]?
    /// The number of values in each row.
    public let width: Int
    /// The values, row after row.
    public let values: [Float]
    /// The line (1-based) each row came from, for messages.
    public let lines: [Int]

    public var rowCount: Int { width == 0 ? 0 : values.count / width }

    /// Reads the file at `path`.
    ///
    /// - Throws: `FileFormatError.unreadable` when it cannot be read, `.csv` when it is not rows
    ///   of numbers.
    public static func read(_ path: String) throws(FileFormatError) -> CSVTable {
        try decode(try InputFile.bytes(path), path: path)
    }

    /// Decodes a CSV file's bytes; `path` is only for messages.
    public static func decode(_ bytes: [UInt8], path: String) throws(FileFormatError) -> CSVTable {
        var header: [String]?
        var width = 0
        var values: [Float] = []
        var lines: [Int] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var text = line
            if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
            guard let string = String(bytes: text, encoding: .utf8) else {
                throw .csv(path: path, line: lineNumber, column: nil, problem: "the line is not UTF-8 text")
            }
            if string.allSatisfy(\.isWhitespace) { continue }
            let cells = string.split(separator: ",", omittingEmptySubsequences: false).map(Self.cell)
            let numbers = cells.map { Float($0) }
            if lineNumber == 1 && numbers.contains(nil) {
                header = cells
                continue
            }
            if width == 0 { width = cells.count }
            guard cells.count == width else {
                throw .csv(path: path, line: lineNumber, column: nil,
                           problem: "the row has \(cells.count) values, but the first row has \(width)")
            }
            for (column, number) in numbers.enumerated() {
                guard let number, number.isFinite else {
                    let shown = cells[column].count > 24 ? String(cells[column].prefix(24)) + "…" : cells[column]
                    throw .csv(path: path, line: lineNumber, column: column + 1,
                               problem: "'\(shown)' is not a finite number")
                }
                values.append(number)
            }
            lines.append(lineNumber)
        }
        if let header, width != 0, header.count != width {
            throw .csv(path: path, line: 1, column: nil, problem: "the header has \(header.count) names, but the rows have \(width) values")
        }
        return CSVTable(header: header, width: width, values: values, lines: lines)
    }

    /// A cell without the spaces around it and without its quotes.
    static func cell(_ raw: Substring) -> String {
        var text = raw.trimmingCharacters(in: " \t")
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = String(text.dropFirst().dropLast()) }
        return text
    }
}

extension Substring {
    /// The text without the given characters at either end.
    func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
