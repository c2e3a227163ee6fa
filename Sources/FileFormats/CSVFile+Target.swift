// CSVFile+Target.swift — a CSV table for training on one's own data (`lumen train --data
// FILE.csv --target COLUMN`): a header that names the columns, every column a number except
// the target, which may also be text (class names such as "setosa").
//
// The rules are CSVFile.swift's (commas, optional quotes and spaces around a cell, blank
// lines skipped, every row as wide as the header), with one more: the first line must be the
// header. A problem is a `FileFormatError.csv` naming the file, the line and the column.
//
// This reader works on the bytes directly, one cell at a time, without making a String of
// each line: a 100,000 × 20 table has two million cells, and `lumen-bench csv` holds it to
// one second. Numbers are read by the C library's `strtof` (correctly rounded, "1e-3",
// "-.5", "+2" all work); a cell is a number only when `strtof` reads all of it.
//
// Read next: Sources/Training/Recipe+OwnData.swift, which turns the table into a data set.

import Glibc

/// A CSV file with a header, split into the feature columns (numbers) and one target column.
public struct TargetCSV: Sendable {
    /// The header's names, in file order (the target's among them).
    public let header: [String]
    /// The index of the target column in `header`.
    public let targetColumn: Int
    /// The feature values, row after row: every column but the target, in file order.
    public let features: [Float]
    /// The target cell of each row, as written (without spaces and quotes).
    public let targets: [String]
    /// The line (1-based) each row came from, for messages.
    public let lines: [Int]

    /// The number of feature columns: the header's width less one.
    public var featureCount: Int { header.count - 1 }
    /// The names of the feature columns, in order.
    public var featureNames: [String] { header.enumerated().filter { $0.offset != targetColumn }.map(\.element) }
    public var rowCount: Int { targets.count }

    /// The longest cell read as a number, in bytes; longer cells are not numbers.
    static let longestNumber = 63

    /// Reads the file at `path`; `target` names the target column in its header.
    ///
    /// - Throws: `FileFormatError.unreadable` when the file cannot be read, `.csv` when it is
    ///   not a header and rows of numbers, or has no column called `target`.
    public static func read(_ path: String, target: String) throws(FileFormatError) -> TargetCSV {
        try decode(try InputFile.bytes(path), path: path, target: target)
    }

    /// Decodes a CSV file's bytes; `path` is only for messages.
    public static func decode(_ bytes: [UInt8], path: String, target: String) throws(FileFormatError) -> TargetCSV {
        var header: [String]?
        var targetColumn = 0
        var features: [Float] = []
        var targets: [String] = []
        var lines: [Int] = []
        var cells: [Range<Int>] = []
        var number = [CChar](repeating: 0, count: longestNumber + 1)
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let next = end + 1
            if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            defer { start = next }
            if bytes[start ..< end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            splitCells(bytes, start ..< end, into: &cells)

            guard let names = header else {
                header = try headerCells(bytes, cells, path: path, line: lineNumber)
                guard let column = header!.firstIndex(of: target) else {
                    throw .csv(path: path, line: lineNumber, column: nil,
                               problem: "the header has no column named '\(target)' for --target; its columns are "
                                   + header!.map { "'\($0)'" }.joined(separator: ", "))
                }
                guard header!.count >= 2 else {
                    throw .csv(path: path, line: lineNumber, column: nil,
                               problem: "the header names only the target; a model needs at least one more column to learn from")
                }
                targetColumn = column
                continue
            }
            guard cells.count == names.count else {
                throw .csv(path: path, line: lineNumber, column: nil,
                           problem: "the row has \(cells.count) values, but the header names \(names.count) columns")
            }
            for (column, cell) in cells.enumerated() {
                if column == targetColumn {
                    targets.append(String(decoding: bytes[cell], as: UTF8.self))
                    continue
                }
                guard let value = parseNumber(bytes, cell, buffer: &number) else {
                    let text = String(decoding: bytes[cell], as: UTF8.self)
                    let shown = text.count > 24 ? String(text.prefix(24)) + "…" : text
                    throw .csv(path: path, line: lineNumber, column: column + 1,
                               problem: "'\(shown)' in column '\(names[column])' is not a finite number")
                }
                features.append(value)
            }
            lines.append(lineNumber)
        }
        guard let header else {
            throw .csv(path: path, line: 1, column: nil, problem: "the file is empty; expected a header line naming the columns")
        }
        return TargetCSV(header: header, targetColumn: targetColumn, features: features, targets: targets, lines: lines)
    }

    /// The cells of the line `line` of `bytes`, each without the spaces or tabs around it and
    /// without its quotes, as ranges of `bytes` (into `cells`, which is reused line to line).
    static func splitCells(_ bytes: [UInt8], _ line: Range<Int>, into cells: inout [Range<Int>]) {
        cells.removeAll(keepingCapacity: true)
        var cellStart = line.lowerBound
        var index = line.lowerBound
        while true {
            if index == line.upperBound || bytes[index] == UInt8(ascii: ",") {
                var low = cellStart, high = index
                while low < high && (bytes[low] == 0x20 || bytes[low] == 0x09) { low += 1 }
                while high > low && (bytes[high - 1] == 0x20 || bytes[high - 1] == 0x09) { high -= 1 }
                if high - low >= 2 && bytes[low] == UInt8(ascii: "\"") && bytes[high - 1] == UInt8(ascii: "\"") {
                    low += 1
                    high -= 1
                }
                cells.append(low ..< high)
                if index == line.upperBound { return }
                cellStart = index + 1
            }
            index += 1
        }
    }

    /// The header's names: UTF-8 text, none empty, no two alike, not all numbers (a file
    /// whose first line is numbers has no header).
    static func headerCells(_ bytes: [UInt8], _ cells: [Range<Int>], path: String,
                            line: Int) throws(FileFormatError) -> [String] {
        var names: [String] = []
        var scratch = [CChar](repeating: 0, count: longestNumber + 1)
        var allNumbers = true
        for (column, cell) in cells.enumerated() {
            guard let name = String(validating: bytes[cell], as: UTF8.self) else {
                throw .csv(path: path, line: line, column: column + 1, problem: "the column name is not UTF-8 text")
            }
            guard !name.isEmpty else {
                throw .csv(path: path, line: line, column: column + 1, problem: "the header leaves this column without a name")
            }
            if names.contains(name) {
                throw .csv(path: path, line: line, column: column + 1, problem: "the header names two columns '\(name)'")
            }
            if parseNumber(bytes, cell, buffer: &scratch) == nil { allNumbers = false }
            names.append(name)
        }
        if allNumbers {
            throw .csv(path: path, line: line, column: nil,
                       problem: "the first line is numbers, not a header; add a first line that names the columns, such as x1,x2,label")
        }
        return names
    }

    /// The cell as a finite Float, or nil when it is not one number (all of it) or is NaN or ±∞.
    static func parseNumber(_ bytes: [UInt8], _ cell: Range<Int>, buffer: inout [CChar]) -> Float? {
        guard !cell.isEmpty, cell.count <= longestNumber else { return nil }
        for (offset, byte) in bytes[cell].enumerated() { buffer[offset] = CChar(bitPattern: byte) }
        buffer[cell.count] = 0
        return buffer.withUnsafeBufferPointer { text -> Float? in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtof(text.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: text.baseAddress!) == cell.count, value.isFinite else { return nil }
            return value
        }
    }

    /// The cell as a finite Double (for a target), or nil.
    public static func number(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
