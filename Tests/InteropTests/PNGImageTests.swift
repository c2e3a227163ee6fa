// PNGImageTests.swift — PNG pictures as inputs. The pictures are written here by a small PNG
// encoder of the tests' own (stored deflate blocks, CRC-32 and Adler-32 by their definitions),
// independent of the Cairo/libpng reader under test; the expected gray values are the box
// averages computed in plain Double.
//
// Read next: ONNXExportTests.swift.

import Foundation
import Testing
@testable import FileFormats
@testable import Interop

/// A PNG file: 8-bit gray (colour type 0) or RGBA (colour type 6), no filtering.
func pngBytes(width: Int, height: Int, channels: Int, pixels: [UInt8]) -> [UInt8] {
    func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
    func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }
    // Each row: filter type 0, then the row's bytes.
    var raw: [UInt8] = []
    for row in 0..<height { raw += [0] + pixels[row * width * channels ..< (row + 1) * width * channels] }
    // zlib: header, stored blocks of at most 65535 bytes, Adler-32.
    var zlib: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
        let block = Array(raw[offset ..< min(raw.count, offset + 65535)])
        offset += block.count
        let length = UInt16(block.count)
        zlib += [offset == raw.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)] + block
    } while offset < raw.count
    var (a, b): (UInt32, UInt32) = (1, 0)
    for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
    zlib += bigEndian(b << 16 | a)
    let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, channels == 1 ? 0 : 6, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
}

@Suite struct PNGImageTests {
    @Test func aGrayPictureIsAveragedDownToTheInput() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        // 24 × 12 → 8 × 4: each output pixel averages a 3 × 3 block.
        let pixels: [UInt8] = (0 ..< 24 * 12).map { (i: Int) -> UInt8 in UInt8((i * 37 + (i / 24) * 11) % 256) }
        try write(pngBytes(width: 24, height: 12, channels: 1, pixels: pixels), to: folder + "/g.png")
        let gray = try PNGImage.gray(folder + "/g.png", height: 4, width: 8, invert: false)
        var expected: [Double] = []
        for y in 0..<4 {
            for x in 0..<8 {
                var sum = 0.0
                for dy in 0..<3 {
                    for dx in 0..<3 {
                        let index: Int = (3 * y + dy) * 24 + 3 * x + dx
                        sum += Double(pixels[index]) / 255
                    }
                }
                expected.append(sum / 9)
            }
        }
        #expect(zip(gray, expected).allSatisfy { abs(Double($0) - $1) < 1e-6 }, "\(gray) vs \(expected)")
        let inverted = try PNGImage.gray(folder + "/g.png", height: 4, width: 8, invert: true)
        #expect(zip(inverted, expected).allSatisfy { abs(Double($0) - (1 - $1)) < 1e-6 })
    }

    /// A fractional shrink (3 → 2): the middle source pixel is split half and half.
    @Test func aFractionalShrinkWeighsPartlyCoveredPixels() {
        let result = PNGImage.shrink([0, 0.6, 0.9, 0, 0.6, 0.9, 0, 0.6, 0.9], width: 3, height: 3, to: 2, 2)
        let left: Double = (0 * 1 + 0.6 * 0.5) / 1.5, right: Double = (0.6 * 0.5 + 0.9 * 1) / 1.5
        #expect(zip(result, [left, right, left, right]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func transparentPixelsReadAsWhitePaper() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        // Opaque black, fully transparent, half-transparent black, opaque mid gray.
        let pixels: [UInt8] = [0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128, 100, 100, 100, 255]
        try write(pngBytes(width: 2, height: 2, channels: 4, pixels: pixels), to: folder + "/a.png")
        let gray = try PNGImage.gray(folder + "/a.png", height: 2, width: 2, invert: false)
        let expected = [0, 1, 127.0 / 255, 100.0 / 255]
        #expect(zip(gray, expected).allSatisfy { abs(Double($0) - $1) < 0.01 }, "\(gray)")
    }

    @Test func picturesThatDoNotFitAreRefusedBeforeDecoding() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        try write(pngBytes(width: 16, height: 8, channels: 1, pixels: Array(repeating: 9, count: 128)), to: folder + "/wide.png")
        try write(pngBytes(width: 4, height: 4, channels: 1, pixels: Array(repeating: 9, count: 16)), to: folder + "/small.png")
        var huge = pngBytes(width: 8, height: 8, channels: 1, pixels: Array(repeating: 9, count: 64))
        huge[16 ..< 20] = [0, 1, 0x86, 0xA0]  // width 100000 in the header
        try write(huge, to: folder + "/huge.png")
        let cut = pngBytes(width: 8, height: 8, channels: 1, pixels: Array(repeating: 9, count: 64))
        try write(Array(cut.prefix(40)), to: folder + "/cut.png")
        try write(Array("GIF89a not a png at all".utf8), to: folder + "/fake.png")
        for (name, mention) in [("wide.png", "holds a 16 × 8 picture, but the model expects a PNG of 8 × 8 pixels"),
                                ("small.png", "holds a 4 × 4 picture"), ("huge.png", "it is 100000 × 8 pixels"),
                                ("cut.png", "is not a picture Lumen can read"), ("fake.png", "not a PNG file"),
                                ("missing.png", "no such file")] {
            do {
                _ = try InputFile.examples(folder + "/" + name, inputShape: [1, 8, 8])
                Issue.record("\(name) was read")
            } catch {
                #expect(error.description.contains(folder + "/" + name) && error.description.contains(mention), "\(error)")
            }
        }
        #expect(throws: FileFormatError.self) { try InputFile.examples(folder + "/small.png", inputShape: [10]) }
    }

    /// A test digit drawn 4 × larger (each pixel a 4 × 4 block) and saved as PNG is predicted
    /// exactly as the same digit given as .npy: the average of a block of equal pixels is the pixel.
    @Test func aDigitAsPNGIsPredictedAsTheSameDigitAsNpy() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let digit = TrainedDigits.trainer.data.test.features[0 ..< 64].map { UInt8(($0 * 255).rounded()) }
        var big: [UInt8] = []
        for y in 0..<32 { for x in 0..<32 { big.append(digit[(y / 4) * 8 + x / 4]) } }
        try write(pngBytes(width: 32, height: 32, channels: 1, pixels: big), to: folder + "/digit.png")
        try write(npyBytes(shape: [1, 64], values: digit.map { Float($0) / 255 }), to: folder + "/digit.npy")
        let png = try Lumen(["predict", TrainedDigits.checkpoint, folder + "/digit.png", "--json"])
        let npy = try Lumen(["predict", TrainedDigits.checkpoint, folder + "/digit.npy", "--json"])
        #expect(png.status == 0 && npy.status == 0, "\(png.stderr)\(npy.stderr)")
        #expect(png.stdout.replacingOccurrences(of: "digit.png", with: "digit.npy") == npy.stdout)
    }
}
