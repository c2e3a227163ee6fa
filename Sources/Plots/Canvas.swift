// Canvas.swift — a Cairo drawing surface that ends up as PNG bytes, SVG bytes, or raw pixels.
//
// Both plots draw through this one small wrapper: it owns the Cairo context and surface,
// offers the few drawing calls the plots need (lines, rectangles, circles, text), and checks
// Cairo's status before handing back the bytes. Cairo's `cairo_t*` and `cairo_surface_t*`
// both reach Swift as `OpaquePointer`, so the two are kept in clearly named properties.
//
// Read next: Sources/Files/AtomicFile.swift (how the bytes reach the disk).

import Basics
import CCairo

/// Pixels as Cairo stores them: one `UInt32` per pixel, 0xAARRGGBB, rows top to bottom.
struct Raster {
    let width: Int
    let height: Int
    let pixels: [UInt32]

    func pixel(x: Int, y: Int) -> (red: Int, green: Int, blue: Int) {
        let argb = pixels[y * width + x]
        return (Int((argb >> 16) & 0xFF), Int((argb >> 8) & 0xFF), Int(argb & 0xFF))
    }
}

/// An RGB colour with components in 0...1.
struct Color {
    let red: Double, green: Double, blue: Double

    /// `0xRRGGBB`.
    init(hex: UInt32) {
        red = Double((hex >> 16) & 0xFF) / 255
        green = Double((hex >> 8) & 0xFF) / 255
        blue = Double(hex & 0xFF) / 255
    }

    init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `self` moved a fraction `t` of the way towards `other` (t = 0 is self, 1 is other).
    func mixed(with other: Color, _ t: Double) -> Color {
        Color(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
              blue: blue + (other.blue - blue) * t)
    }

    static let white = Color(hex: 0xFFFFFF)
    static let text = Color(hex: 0x212529)
    static let axis = Color(hex: 0x495057)
    static let grid = Color(hex: 0xE9ECEF)
}

/// Collects the bytes Cairo writes through a `cairo_write_func_t`.
private final class ByteSink {
    var bytes: [UInt8] = []
}

/// Cairo's write callback: appends to the `ByteSink` passed as `closure`.
private let appendToSink: cairo_write_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

/// One picture being drawn. Make it, draw, then call `pngBytes()`, `svgBytes()` or `raster()`.
final class Canvas {
    enum Target {
        /// An image surface in memory: becomes PNG bytes or raw pixels.
        case image
        /// An SVG document streamed into memory.
        case svg
    }

    let width: Int
    let height: Int
    private let target: Target
    private let surface: OpaquePointer  // cairo_surface_t*
    let context: OpaquePointer  // cairo_t*
    private let sink = ByteSink()

    init(target: Target, width: Int, height: Int) throws(PlotError) {
        // Cairo's image surfaces are limited to 32767 pixels a side.
        guard (1...32767).contains(width), (1...32767).contains(height) else {
            throw .invalidSize(width: width, height: height)
        }
        self.width = width
        self.height = height
        self.target = target
        switch target {
        case .image:
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        case .svg:
            surface = cairo_svg_surface_create_for_stream(
                appendToSink, Unmanaged.passUnretained(sink).toOpaque(), Double(width), Double(height))
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX)
        }
        // Cairo never returns NULL: a failed surface or context is an object in an error state.
        context = cairo_create(surface)
        try check()
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Throws Cairo's message if the context or surface is in an error state.
    func check() throws(PlotError) {
        for status in [cairo_surface_status(surface), cairo_status(context)] where status != CAIRO_STATUS_SUCCESS {
            throw .cairo(status: String(cString: cairo_status_to_string(status)))
        }
    }

    /// The finished picture as PNG bytes (image target only).
    func pngBytes() throws(PlotError) -> [UInt8] {
        trapUnless(target == .image, "Canvas.pngBytes: this canvas draws SVG")
        try check()
        let status = cairo_surface_write_to_png_stream(surface, appendToSink, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw .cairo(status: String(cString: cairo_status_to_string(status))) }
        return sink.bytes
    }

    /// The finished picture as SVG bytes (SVG target only). Ends the drawing.
    func svgBytes() throws(PlotError) -> [UInt8] {
        trapUnless(target == .svg, "Canvas.svgBytes: this canvas draws an image")
        try check()
        cairo_surface_finish(surface)  // writes the document through `appendToSink`
        try check()
        return sink.bytes
    }

    /// The pixels drawn so far (image target only), for tests.
    func raster() -> Raster {
        trapUnless(target == .image, "Canvas.raster: this canvas draws SVG")
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var pixels: [UInt32] = []
        pixels.reserveCapacity(width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            pixels.append(contentsOf: UnsafeBufferPointer(start: row, count: width))
        }
        return Raster(width: width, height: height, pixels: pixels)
    }

    // MARK: - Drawing

    func setColor(_ color: Color, alpha: Double = 1) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, alpha)
    }

    func fillRectangle(x: Double, y: Double, width: Double, height: Double, color: Color, alpha: Double = 1) {
        setColor(color, alpha: alpha)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    func strokeRectangle(x: Double, y: Double, width: Double, height: Double, color: Color, lineWidth: Double) {
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, x, y, width, height)
        cairo_stroke(context)
    }

    func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), color: Color, lineWidth: Double) {
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        cairo_stroke(context)
    }

    /// Connected line segments through `points`, with rounded joins.
    func polyline(_ points: [(x: Double, y: Double)], color: Color, lineWidth: Double) {
        guard let first = points.first else { return }
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_move_to(context, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(context, point.x, point.y) }
        cairo_stroke(context)
    }

    /// Separate line segments in the current colour, with round caps so that touching
    /// segments look like one line.
    func strokeSegments(_ segments: [((x: Double, y: Double), (x: Double, y: Double))], lineWidth: Double) {
        guard !segments.isEmpty else { return }
        cairo_set_line_width(context, lineWidth)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        for (start, end) in segments {
            cairo_move_to(context, start.x, start.y)
            cairo_line_to(context, end.x, end.y)
        }
        cairo_stroke(context)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
    }

    func circle(x: Double, y: Double, radius: Double, fill: Color, outline: Color, lineWidth: Double) {
        cairo_new_sub_path(context)
        cairo_arc(context, x, y, radius, 0, 2 * Double.pi)
        setColor(fill)
        cairo_fill_preserve(context)
        setColor(outline)
        cairo_set_line_width(context, lineWidth)
        cairo_stroke(context)
    }

    /// Paints a `width` × `height` block of pixels with its top-left corner at (x, y), each
    /// pixel coloured by `color(column, row)`.
    func drawPixels(x: Double, y: Double, width: Int, height: Int, color: (Int, Int) -> Color) throws(PlotError) {
        guard width > 0, height > 0 else { return }
        let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        defer { cairo_surface_destroy(image) }
        let status = cairo_surface_status(image)
        guard status == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(image) else {
            throw .cairo(status: String(cString: cairo_status_to_string(status)))
        }
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image))
        for row in 0..<height {
            let pixels = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<width {
                let c = color(column, row)
                let (r, g, b) = (UInt32((c.red * 255).rounded()), UInt32((c.green * 255).rounded()), UInt32((c.blue * 255).rounded()))
                pixels[column] = 0xFF00_0000 | r << 16 | g << 8 | b
            }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(context)
        cairo_set_source_surface(context, image, x, y)
        cairo_paint(context)
        cairo_restore(context)
    }

    enum Alignment { case left, center, right }

    /// Draws one line of text with its baseline at `y`, aligned to `x`, optionally turned
    /// 90° counter-clockwise (for a y-axis label).
    func text(
        _ string: String, x: Double, y: Double, size: Double, bold: Bool = false,
        align: Alignment = .left, color: Color = .text, rotated: Bool = false
    ) {
        cairo_save(context)
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        let shift: Double
        switch align {
        case .left: shift = 0
        case .center: shift = extents.x_advance / 2
        case .right: shift = extents.x_advance
        }
        cairo_translate(context, x, y)
        if rotated { cairo_rotate(context, -Double.pi / 2) }
        setColor(color)
        cairo_move_to(context, -shift, 0)
        cairo_show_text(context, string)
        cairo_restore(context)
    }

    /// The width of `string` at `size`, for laying out legends.
    func textWidth(_ string: String, size: Double, bold: Bool = false) -> Double {
        cairo_save(context)
        defer { cairo_restore(context) }
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        return extents.x_advance
    }
}
