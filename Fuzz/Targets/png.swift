// png.swift — the libFuzzer target for PNG inputs (`lumen predict picture.png`): our header
// check, Cairo's decoding from memory (libpng inside it) and the shrink to the model's input.
// The first two bytes choose the input's width and height (1 to 16 each); the rest is the
// file. Any bytes must give width × height gray values in [0, 1], or a `FileFormatError`.
//
// Only Lumen's code is instrumented: libpng and Cairo are the system's, so libFuzzer steers
// by Lumen's branches. So that libpng's CRC checks do not turn away every mutated chunk, the
// target writes each whole chunk's CRC-32 before decoding: the mutations reach libpng's
// parsing of sizes, palettes and compressed pixels.
//
// Built and run by Scripts/fuzz.sh png SECONDS; seeds in Fuzz/Corpus/png.

import FileFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let (width, height) = (Int(data[0] % 16) + 1, Int(data[1] % 16) + 1)
    var bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    fixChunkChecksums(&bytes)
    guard let gray = try? PNGImage.decode(bytes, path: "fuzz.png", height: height, width: width, invert: false) else { return 0 }
    if gray.count != width * height { fatalError("PNG: \(gray.count) values for \(width) × \(height)") }
    // The box filter's means of values in [0, 1] stay in [0, 1] up to rounding.
    if !gray.allSatisfy({ $0 >= -1e-6 && $0 <= 1 + 1e-6 }) { fatalError("PNG: a gray value outside [0, 1]") }
    return 0
}

/// Sets the CRC-32 of every complete chunk after the 8-byte signature: a chunk is a 4-byte
/// big-endian length, a 4-byte type, the data, then the CRC of type and data.
func fixChunkChecksums(_ bytes: inout [UInt8]) {
    var offset = 8
    while offset + 12 <= bytes.count {
        let length = bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= bytes.count - offset - 12 else { return }
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes[offset + 4 ..< offset + 8 + length] {
            crc ^= UInt32(byte)
            for _ in 0 ..< 8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        crc = ~crc
        for k in 0 ..< 4 { bytes[offset + 8 + length + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(k))) }
        offset += length + 12
    }
}
