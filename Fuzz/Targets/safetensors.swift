// safetensors.swift — the libFuzzer target for the safetensors reader: any bytes at all must
// give a checked `SafetensorsFile` or a `CheckpointError`, never a crash, an out-of-bounds read
// (AddressSanitizer watches) or an allocation beyond the fuzzer's limit.
//
// Built and run by Scripts/fuzz.sh safetensors SECONDS; seeds in Fuzz/Corpus/safetensors.

import Checkpoints
import Tensors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? Safetensors.decode(bytes, file: "fuzz") else { return 0 }
    // A file that passed the checks must convert: every entry to Float and to Double.
    _ = try? file.tensors(as: Float.self)
    _ = try? file.tensors(as: Double.self)
    for entry in file.entries { _ = file[entry.name] }
    return 0
}
