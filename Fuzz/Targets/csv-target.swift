// csv-target.swift — the libFuzzer target for the CSV reader of `lumen train --data FILE.csv
// --target y` (FileFormats/CSVFile+Target.swift): any bytes must give a `TargetCSV` whose
// header holds "y", whose rows each have one target and the header's width less one
// features, all finite, each from a line of the file in increasing order; or a
// `FileFormatError`; never a crash.
//
// Built and run by Scripts/fuzz.sh csv-target SECONDS; seeds in Fuzz/Corpus/csv-target.

import FileFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTargetCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let table = try? TargetCSV.decode(bytes, path: "fuzz.csv", target: "y") else { return 0 }
    if table.header[table.targetColumn] != "y" { fatalError("CSV target: column \(table.targetColumn) is not 'y'") }
    if table.header.count < 2 { fatalError("CSV target: a header of \(table.header.count) names was accepted") }
    if table.features.count != table.featureCount * table.rowCount || table.lines.count != table.rowCount {
        fatalError("CSV target: \(table.features.count) values, \(table.lines.count) lines for \(table.rowCount) rows of \(table.featureCount)")
    }
    if !table.features.allSatisfy(\.isFinite) { fatalError("CSV target: a value that is not finite was read") }
    if zip(table.lines, table.lines.dropFirst()).contains(where: { $0 >= $1 }) { fatalError("CSV target: lines out of order") }
    if table.lines.first.map({ $0 < 2 }) == true { fatalError("CSV target: a row on the header's line") }
    return 0
}
