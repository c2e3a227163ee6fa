// idx-gzip.swift — the libFuzzer target for gzip-compressed IDX files: any bytes must give an
// `IDXArray` or a `DataFileError`, with at most 64 MiB decompressed (the limit is lowered from
// the default 1 GiB so that the fuzzer's 1 GiB allocation limit can catch a limit not kept).
//
// Built and run by Scripts/fuzz.sh idx-gzip SECONDS; seeds in Fuzz/Corpus/idx-gzip.

import Datasets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDXGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let array = try? IDXFile.parseGzip(bytes, path: "fuzz", limit: 64 << 20) else { return 0 }
    let count = array.shape.reduce(array.dataType.byteWidth, *)
    if array.data.count != count { fatalError("IDX gzip: \(array.data.count) data bytes for shape \(array.shape)") }
    return 0
}
