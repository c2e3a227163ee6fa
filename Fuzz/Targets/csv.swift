// csv.swift — the libFuzzer target for the CSV reader (`lumen predict` and `lumen eval --data`):
// any bytes must give a `CSVTable` whose rows all have the table's width, each from a line
// of the file in increasing order, or a `FileFormatError`; never a crash.
//
// Built and run by Scripts/fuzz.sh csv SECONDS; seeds in Fuzz/Corpus/csv.

import FileFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let table = try? CSVTable.decode(bytes, path: "fuzz.csv") else { return 0 }
    if table.values.count != table.width * table.rowCount || table.lines.count != table.rowCount {
        fatalError("CSV: \(table.values.count) values, \(table.lines.count) lines for \(table.rowCount) rows of \(table.width)")
    }
    if !table.values.allSatisfy(\.isFinite) { fatalError("CSV: a value that is not finite was read") }
    if zip(table.lines, table.lines.dropFirst()).contains(where: { $0 >= $1 }) { fatalError("CSV: lines out of order") }
    if let header = table.header, table.width != 0, header.count != table.width { fatalError("CSV: header of another width") }
    return 0
}
