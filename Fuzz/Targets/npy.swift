// npy.swift — the libFuzzer target for the .npy reader (`lumen predict`): any bytes must give
// an `NPYArray` holding exactly as many values as its shape says, or a `FileFormatError`;
// never a crash, an out-of-bounds read (AddressSanitizer watches) or an allocation beyond the
// fuzzer's limit (a header may claim any shape).
//
// Built and run by Scripts/fuzz.sh npy SECONDS; seeds in Fuzz/Corpus/npy.

import FileFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let array = try? NPYFile.decode(bytes, path: "fuzz.npy") else { return 0 }
    if array.values.count != array.shape.reduce(1, *) {
        fatalError("NPY: \(array.values.count) values for shape \(array.shape)")
    }
    return 0
}
