// Markdown.swift — the small Markdown that lessons are written in, parsed into blocks and spans.
//
// Blocks: headings (#, ##, ###), paragraphs, bullet and numbered lists, fenced code, quotes
// (>), and HTML comments (hidden). Inline: **bold**, *italic* or _italic_, `code`.
// Read next: Markdown+Terminal.swift and Markdown+HTML.swift, the two ways it is shown.

/// One block of lesson Markdown.
public enum MarkdownBlock: Equatable, Sendable {
    case heading(level: Int, text: String)
    case paragraph(String)
    /// List items; `marker` is "•" for bullets or "1." etc. for numbered items.
    case list([ListItem])
    case code(language: String, lines: [String])
    case quote(String)

    public struct ListItem: Equatable, Sendable {
        public let marker: String
        public let text: String
    }

    /// Parses Markdown into blocks. Blank lines separate paragraphs; lines of one paragraph join
    /// with a space, so the source can be wrapped anywhere.
    public static func parse(_ markdown: String) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var paragraph: [String] = []
        var quote: [String] = []
        var items: [ListItem] = []
        var fence: (language: String, lines: [String])?
        var inComment = false

        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
            if !quote.isEmpty { blocks.append(.quote(quote.joined(separator: " "))) }
            if !items.isEmpty { blocks.append(.list(items)) }
            paragraph = []; quote = []; items = []
        }

        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.trimmingSpaces()
            if var open = fence {
                if trimmed.hasPrefix("```") {
                    blocks.append(.code(language: open.language, lines: open.lines))
                    fence = nil
                } else {
                    open.lines.append(line)
                    fence = open
                }
                continue
            }
            if inComment {
                if trimmed.hasSuffix("-->") { inComment = false }
                continue
            }
            if trimmed.hasPrefix("<!--") {
                if !trimmed.hasSuffix("-->") { inComment = true }
                continue
            }
            if trimmed.hasPrefix("```") {
                flush()
                fence = (String(trimmed.dropFirst(3)).trimmingSpaces(), [])
            } else if trimmed.isEmpty {
                flush()
            } else if let level = headingLevel(trimmed) {
                flush()
                blocks.append(.heading(level: level, text: String(trimmed.dropFirst(level + 1)).trimmingSpaces()))
            } else if trimmed.hasPrefix("> ") || trimmed == ">" {
                if !paragraph.isEmpty || !items.isEmpty { flush() }
                quote.append(String(trimmed.dropFirst(1)).trimmingSpaces())
            } else if let item = listItem(trimmed) {
                if !paragraph.isEmpty || !quote.isEmpty { flush() }
                items.append(item)
            } else if !items.isEmpty && line.hasPrefix("  ") {
                let last = items.removeLast()
                items.append(ListItem(marker: last.marker, text: last.text + " " + trimmed))
            } else {
                if !items.isEmpty || !quote.isEmpty { flush() }
                paragraph.append(trimmed)
            }
        }
        if let open = fence { blocks.append(.code(language: open.language, lines: open.lines)) }
        flush()
        return blocks
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...3).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    private static func listItem(_ line: String) -> ListItem? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") {
            return ListItem(marker: "•", text: String(line.dropFirst(2)).trimmingSpaces())
        }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
            return ListItem(marker: digits + ".", text: String(line.dropFirst(digits.count + 2)).trimmingSpaces())
        }
        return nil
    }
}

/// A run of inline text with one style.
public struct InlineSpan: Equatable, Sendable {
    public enum Style: Equatable, Sendable { case plain, bold, italic, code }
    public let text: String
    public let style: Style

    /// Splits a paragraph into spans: `code` first (nothing inside it is styled), then **bold**,
    /// then *italic* / _italic_ (`**`name`**` is code). An unmatched marker stays as literal text.
    public static func parse(_ text: String) -> [InlineSpan] {
        var spans: [InlineSpan] = []
        var plain = ""
        let chars = Array(text)
        var i = 0

        func closing(_ marker: [Character], from start: Int) -> Int? {
            var j = start
            while j + marker.count <= chars.count {
                if Array(chars[j..<j + marker.count]) == marker, j > start { return j }
                j += 1
            }
            return nil
        }
        func emit(_ style: Style, _ body: ArraySlice<Character>) {
            if !plain.isEmpty { spans.append(InlineSpan(text: plain, style: .plain)); plain = "" }
            spans.append(InlineSpan(text: String(body), style: style))
        }

        while i < chars.count {
            let c = chars[i]
            if c == "`", let end = closing(["`"], from: i + 1) {
                emit(.code, chars[(i + 1)..<end]); i = end + 1
            } else if c == "*", i + 1 < chars.count, chars[i + 1] == "*", let end = closing(["*", "*"], from: i + 2) {
                let body = chars[(i + 2)..<end]
                // **`name`** is a code name being introduced: show it as code.
                if body.count > 2, body.first == "`", body.last == "`" {
                    emit(.code, body.dropFirst().dropLast())
                } else {
                    emit(.bold, body)
                }
                i = end + 2
            } else if (c == "*" || c == "_"), i + 1 < chars.count, chars[i + 1] != " ",
                      i == 0 || !chars[i - 1].isLetter && !chars[i - 1].isNumber,
                      let end = closing([c], from: i + 1), chars[end - 1] != " " {
                emit(.italic, chars[(i + 1)..<end]); i = end + 1
            } else {
                plain.append(c); i += 1
            }
        }
        if !plain.isEmpty { spans.append(InlineSpan(text: plain, style: .plain)) }
        return spans
    }
}
