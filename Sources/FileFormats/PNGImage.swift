// PNGImage.swift — a PNG picture as one example for `lumen predict`: decoded by Cairo (which
// reads PNG through libpng), turned to gray, and shrunk to the model's input by averaging.
//
// The gray value of a pixel is its luminance 0.299 R + 0.587 G + 0.114 B in [0, 1] (a
// transparent pixel counts as white paper). Shrinking a w × h picture to W × H gives each
// output pixel the mean of the part of the picture it covers (a box filter, with fractional
// edges), so a 32 × 32 drawing becomes the 8 × 8 that the digits recipes read. The picture's
// size is read from its header, and checked, before Cairo allocates anything.
//
// Read next: InputFile.swift.

import CCairo
import Foundation

/// Reading PNG pictures as model inputs.
public enum PNGImage {
    /// The largest picture read: 4096 × 4096 pixels.
    public static let maximumSide = 4096

    /// The picture at `path` as `height` × `width` gray values in [0, 1], row-major.
    ///
    /// - Parameter invert: use 1 − gray, for dark ink on light paper when the model was
    ///   trained on light ink on a dark ground (as the digits recipes were).
    /// - Throws: `FileFormatError.unreadable` for a file that cannot be read (InputFile.swift),
    ///   and what `decode` throws.
    public static func gray(_ path: String, height: Int, width: Int, invert: Bool) throws(FileFormatError) -> [Float] {
        try decode(try InputFile.bytes(path), path: path, height: height, width: width, invert: invert)
    }

    /// The PNG file `bytes` as `height` × `width` gray values in [0, 1]; `path` is only for
    /// messages.
    ///
    /// - Throws: `FileFormatError.image` for bytes that are not a PNG, a picture larger than
    ///   `maximumSide` or one Cairo cannot decode; `.inputDoesNotFit` for one smaller than the
    ///   model's input or not of its shape (width : height).
    public static func decode(_ bytes: [UInt8], path: String, height: Int, width: Int,
                              invert: Bool) throws(FileFormatError) -> [Float] {
        let (pictureWidth, pictureHeight) = try size(of: bytes, path: path)
        let expected = "a PNG of \(width) × \(height) pixels or a multiple of that shape"
        guard pictureWidth >= width, pictureHeight >= height, pictureWidth * height == pictureHeight * width else {
            throw .inputDoesNotFit(path: path, found: "a \(pictureWidth) × \(pictureHeight) picture", expected: expected)
        }
        guard let surface = decodeWithCairo(bytes) else { throw .image(path: path, problem: "Cairo could not open it") }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else {
            throw .image(path: path, problem: String(cString: cairo_status_to_string(status)))
        }
        let format = cairo_image_surface_get_format(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard Int(cairo_image_surface_get_width(surface)) == pictureWidth,
              Int(cairo_image_surface_get_height(surface)) == pictureHeight else {
            throw .image(path: path, problem: "its size changed between its header and its pixels")
        }
        // Cairo's pixels are 32-bit words, alpha in the top byte (premultiplied), then R, G, B.
        var gray = [Double](repeating: 0, count: pictureWidth * pictureHeight)
        for row in 0 ..< pictureHeight {
            let pixels = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0 ..< pictureWidth {
                let pixel = pixels[column]
                let alpha = format == CAIRO_FORMAT_ARGB32 ? Double(pixel >> 24) : 255
                let (r, g, b) = (Double(pixel >> 16 & 0xFF), Double(pixel >> 8 & 0xFF), Double(pixel & 0xFF))
                // Premultiplied colour over white paper: c + (255 − α).
                let luminance = (0.299 * r + 0.587 * g + 0.114 * b + (255 - alpha)) / 255
                gray[row * pictureWidth + column] = invert ? 1 - luminance : luminance
            }
        }
        return shrink(gray, width: pictureWidth, height: pictureHeight, to: width, height).map(Float.init)
    }

    /// The width and height in the PNG header (the IHDR chunk, bytes 16 to 23), checked.
    static func size(of bytes: [UInt8], path: String) throws(FileFormatError) -> (width: Int, height: Int) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw .image(path: path, problem: "it is not a PNG file (no PNG signature and IHDR header)")
        }
        func bigEndian(_ offset: Int) -> Int { bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        let (width, height) = (bigEndian(16), bigEndian(20))
        guard (1...maximumSide).contains(width), (1...maximumSide).contains(height) else {
            throw .image(path: path, problem: "it is \(width) × \(height) pixels; pictures of 1 to \(maximumSide) pixels a side are read")
        }
        return (width, height)
    }

    /// Cairo's image surface for the PNG in `bytes` (read through Cairo's stream reader, which
    /// asks for `length` bytes at a time: a request beyond the end is a read error), or `nil`.
    private static func decodeWithCairo(_ bytes: [UInt8]) -> OpaquePointer? {
        var stream = PNGStream(bytes: bytes)
        return withUnsafeMutablePointer(to: &stream) { pointer in
            cairo_image_surface_create_from_png_stream({ closure, data, length in
                let stream = closure!.assumingMemoryBound(to: PNGStream.self)
                let count = Int(length)
                guard let data, count <= stream.pointee.bytes.count - stream.pointee.offset else { return CAIRO_STATUS_READ_ERROR }
                stream.pointee.bytes.withUnsafeBufferPointer { source in
                    data.update(from: source.baseAddress! + stream.pointee.offset, count: count)
                }
                stream.pointee.offset += count
                return CAIRO_STATUS_SUCCESS
            }, UnsafeMutableRawPointer(pointer))
        }
    }

    /// The bytes Cairo's stream reader reads from, and how far it has read.
    private struct PNGStream {
        let bytes: [UInt8]
        var offset = 0
    }

    /// The box-filter shrink of a `width` × `height` picture to `newWidth` × `newHeight`:
    /// output pixel (x, y) is the mean of the source over [x·w/W, (x+1)·w/W) × [y·h/H, (y+1)·h/H),
    /// partly covered source pixels weighted by the part covered.
    static func shrink(_ pixels: [Double], width: Int, height: Int, to newWidth: Int, _ newHeight: Int) -> [Double] {
        /// For each output index, the source indices it covers and their weights.
        func coverage(_ source: Int, _ target: Int) -> [[(index: Int, weight: Double)]] {
            let scale = Double(source) / Double(target)
            return (0 ..< target).map { i in
                let start = Double(i) * scale, end = Double(i + 1) * scale
                return (Int(start.rounded(.down)) ..< min(source, Int(end.rounded(.up)))).map { j in
                    (j, min(end, Double(j + 1)) - max(start, Double(j)))
                }
            }
        }
        let columns = coverage(width, newWidth), rows = coverage(height, newHeight)
        var result: [Double] = []
        result.reserveCapacity(newWidth * newHeight)
        for rowCover in rows {
            for columnCover in columns {
                var sum = 0.0, area = 0.0
                for (y, wy) in rowCover {
                    for (x, wx) in columnCover {
                        sum += pixels[y * width + x] * wx * wy
                        area += wx * wy
                    }
                }
                result.append(sum / area)
            }
        }
        return result
    }
}
