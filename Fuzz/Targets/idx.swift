// idx.swift — the libFuzzer target for the plain IDX reader (MNIST's format): any bytes must
// give an `IDXArray` whose data is exactly what its shape declares, or a `DataFileError`.
//
// Built and run by Scripts/fuzz.sh idx SECONDS; seeds in Fuzz/Corpus/idx.

import Datasets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let array = try? IDXFile.parse(bytes, path: "fuzz") else { return 0 }
    let count = array.shape.reduce(array.dataType.byteWidth, *)
    if array.data.count != count { fatalError("IDX: \(array.data.count) data bytes for shape \(array.shape)") }
    return 0
}
