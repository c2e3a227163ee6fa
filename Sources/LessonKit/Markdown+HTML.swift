// Markdown+HTML.swift — lesson Markdown as HTML, for the exported page.
//
// The same blocks and spans as the terminal rendering (Markdown.swift), escaped.
// Read next: LessonRunner+HTML.swift.

public enum HTMLText {
    /// Escapes &, <, >, " for text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func inline(_ text: String) -> String {
        InlineSpan.parse(text).map { span in
            let body = escape(span.text)
            switch span.style {
            case .plain: return body
            case .bold: return "<strong>\(body)</strong>"
            case .italic: return "<em>\(body)</em>"
            case .code: return "<code>\(body)</code>"
            }
        }.joined()
    }

    /// Markdown to HTML; `##` headings become `<h3>` (the page's `<h2>` is the step title).
    public static func render(_ markdown: String) -> String {
        MarkdownBlock.parse(markdown).map { block in
            switch block {
            case .heading(let level, let text): return "<h\(level + 1)>\(inline(text))</h\(level + 1)>"
            case .paragraph(let text): return "<p>\(inline(text))</p>"
            case .quote(let text): return "<blockquote>\(inline(text))</blockquote>"
            case .list(let items):
                let numbered = items.first?.marker != "•"
                let tag = numbered ? "ol" : "ul"
                return "<\(tag)>" + items.map { "<li>\(inline($0.text))</li>" }.joined() + "</\(tag)>"
            case .code(let language, let lines):
                return "<pre class=\"code\" data-language=\"\(escape(language))\"><code>"
                    + escape(lines.joined(separator: "\n")) + "</code></pre>"
            }
        }.joined(separator: "\n")
    }
}
