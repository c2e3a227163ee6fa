// png.swift — the libFuzzer target for PNG inputs (`lumen predict picture.png`): our header
// check, Cairo's decoding from memory (libpng inside it) and the shrink to the model's input.
// The first two bytes choose the input's width and height (1 to 16 each); the rest is the
// file. Any bytes must give width × height gray values in [0, 1], or a `FileFormatError`.
//
// Only Lumen's code is instrumented: libpng and Cairo are the system's, so libFuzzer steers
// by Lumen's branches, and libpng's CRC checks turn away most mutations of its chunks (the
// seeds are valid pictures, so their pixels and sizes are reached).
//
// Built and run by Scripts/fuzz.sh png SECONDS; seeds in Fuzz/Corpus/png.

import FileFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let (width, height) = (Int(data[0] % 16) + 1, Int(data[1] % 16) + 1)
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    guard let gray = try? PNGImage.decode(bytes, path: "fuzz.png", height: height, width: width, invert: false) else { return 0 }
    if gray.count != width * height { fatalError("PNG: \(gray.count) values for \(width) × \(height)") }
    // The box filter's means of values in [0, 1] stay in [0, 1] up to rounding.
    if !gray.allSatisfy({ $0 >= -1e-6 && $0 <= 1 + 1e-6 }) { fatalError("PNG: a gray value outside [0, 1]") }
    return 0
}
