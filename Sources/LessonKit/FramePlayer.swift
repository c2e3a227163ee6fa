// FramePlayer.swift — the lesson page's frame player (a slider, ◀ previous and next ▶, the ←
// and → keys, one frame shown at a time) as markup any page can hold, and a one-file offline
// page with a single player: `lumen learn N --html` puts one player per backprop walk in a
// lesson, `lumen train --frames N` one of the decision regions by epoch.
//
// The style and the script are the lesson page's (LessonRunner+HTML.swift): one player, in
// one place.
//
// Read next: LessonRunner+HTML.swift.

import Foundation

/// The frame player of Lumen's HTML pages.
public enum FramePlayer {
    /// One frame of a player: text above a picture (inline SVG, or any HTML).
    public struct Frame: Sendable {
        public var caption: String
        public var svg: String

        public init(caption: String, svg: String) {
            self.caption = caption
            self.svg = svg
        }
    }

    /// A self-contained HTML page (style and script inline, so it works offline) with a title,
    /// an introduction and one player of `frames`, the counter saying "`unit` i of n".
    public static func page(title: String, kicker: String, introduction: String, frames: [Frame], unit: String) -> String {
        let figures = frames.enumerated().map { index, frame in
            (explain: frame.caption, figure: inlineSVG(frame.svg, idPrefix: "f\(index + 1)-"))
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title)) · Lumen</title>
        <style>\(LessonRunner.css)</style></head>
        <body><main>
        <header><p class="kicker">\(HTMLText.escape(kicker))</p><h1>\(HTMLText.escape(title))</h1></header>
        <p>\(HTMLText.escape(introduction))</p>
        \(markup(figures, id: "frames", unit: unit, sliderLabel: unit))
        <pre id="selftest" hidden></pre>
        </main>
        <script>\(LessonRunner.script)</script>
        </body></html>

        """
    }

    /// One player: the controls, then every frame in one grid cell (so the player is as big
    /// as its biggest frame and nothing moves while scrubbing; the frames not shown are
    /// invisible, not removed). `explain` is plain text, `figure` HTML.
    static func markup(_ frames: [(explain: String, figure: String)], id: String, unit: String, sliderLabel: String) -> String {
        var html = "<div class=\"player\" id=\"\(id)\" data-unit=\"\(HTMLText.escape(unit))\">\n<div class=\"controls\">"
        html += "<button class=\"prev\" type=\"button\">◀ previous</button>"
        html += "<input class=\"slider\" type=\"range\" min=\"1\" max=\"\(frames.count)\" value=\"1\" aria-label=\"\(HTMLText.escape(sliderLabel))\">"
        html += "<button class=\"next\" type=\"button\">next ▶</button>"
        html += "<span class=\"counter\">\(HTMLText.escape(unit)) 1 of \(frames.count)</span></div>\n"
        html += "<div class=\"frames\">\n"
        for (i, frame) in frames.enumerated() {
            html += "<div class=\"frame\(i == 0 ? "" : " off")\" data-index=\"\(i + 1)\"\(i == 0 ? "" : " aria-hidden=\"true\"")>"
            html += "<pre class=\"explain\">" + HTMLText.escape(frame.explain) + "</pre>"
            html += "<figure class=\"graph\">" + frame.figure + "</figure>"
            html += "</div>\n"
        }
        return html + "</div>\n</div>\n"
    }

    /// An SVG file's text ready to sit inside HTML, its ids prefixed (LessonRunner.inlineSVG).
    static func inlineSVG(_ svg: String, idPrefix: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
            .replacing(/(\s)id="([^"]+)"/) { "\($0.1)id=\"\(idPrefix)\($0.2)\"" }
            .replacing(/href="#([^"]+)"/) { "href=\"#\(idPrefix)\($0.1)\"" }
            .replacing(/url\(#([^)]+)\)/) { "url(#\(idPrefix)\($0.1))" }
    }
}
