// Markdown+Terminal.swift — lesson Markdown drawn for a terminal: bold coloured headings,
// emphasis, code in colour, and paragraphs wrapped to the window's width.
//
// Colour is ANSI escape codes; with `color: false` the same layout comes out as plain text
// (for pipes, files and tests). Read next: Terminal.swift (raw mode, window size).

/// Renders Markdown to lines of terminal text.
public struct TerminalStyle: Sendable {
    /// The width to wrap prose at (code is never wrapped).
    public var width: Int
    /// Whether to emit ANSI colour and weight codes.
    public var color: Bool

    public init(width: Int = 80, color: Bool = true) {
        self.width = max(20, width)
        self.color = color
    }

    // SGR codes: 1 bold, 2 dim, 3 italic, 4 underline, 36 cyan, 33 yellow, 32 green, 35 magenta.
    public func paint(_ text: String, _ codes: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
    }
    public func bold(_ text: String) -> String { paint(text, "1") }
    public func dim(_ text: String) -> String { paint(text, "2") }
    public func accent(_ text: String) -> String { paint(text, "1;36") }

    /// Markdown to terminal lines.
    public func render(_ markdown: String) -> [String] {
        var out: [String] = []
        for block in MarkdownBlock.parse(markdown) {
            if !out.isEmpty { out.append("") }
            switch block {
            case .heading(let level, let text):
                let styled = InlineSpan.parse(text).map { $0.text }.joined()
                out.append(level == 1 ? paint(styled.uppercased(), "1;36") : paint(styled, level == 2 ? "1;33" : "1"))
            case .paragraph(let text):
                out += wrap(InlineSpan.parse(text), width: width)
            case .list(let items):
                for item in items {
                    let lead = "  " + item.marker + " "
                    let lines = wrap(InlineSpan.parse(item.text), width: width - lead.count)
                    for (i, line) in lines.enumerated() {
                        out.append((i == 0 ? lead : String(repeating: " ", count: lead.count)) + line)
                    }
                }
            case .quote(let text):
                for line in wrap(InlineSpan.parse(text), width: width - 4) {
                    out.append(paint("  │ ", "2;36") + line)
                }
            case .code(let language, let lines):
                for line in lines {
                    out.append("    " + (language == "swift" || language.isEmpty ? highlightSwift(line) : paint(line, "32")))
                }
            }
        }
        return out
    }

    /// Word-wraps styled spans to `width` visible characters per line.
    func wrap(_ spans: [InlineSpan], width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var visible = 0
        var pendingSpace = false
        for span in spans {
            // Split on spaces, remembering whether each piece was preceded by one.
            var word = ""
            var pieces: [(String, Bool)] = []
            var spaceBefore = false
            for c in span.text {
                if c == " " {
                    if !word.isEmpty { pieces.append((word, spaceBefore)); word = "" }
                    spaceBefore = true
                } else {
                    word.append(c)
                }
            }
            if !word.isEmpty { pieces.append((word, spaceBefore)) }
            let trailingSpace = span.text.last == " "
            for (index, (piece, spaced)) in pieces.enumerated() {
                let separated = index == 0 ? (spaced || pendingSpace) : true
                let length = piece.count
                if visible > 0 && visible + (separated ? 1 : 0) + length > width {
                    lines.append(line); line = ""; visible = 0
                } else if visible > 0 && separated {
                    line += " "; visible += 1
                }
                line += styled(piece, span.style)
                visible += length
            }
            pendingSpace = trailingSpace || (pieces.isEmpty && span.text.contains(" "))
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    func styled(_ text: String, _ style: InlineSpan.Style) -> String {
        switch style {
        case .plain: text
        case .bold: paint(text, "1")
        case .italic: paint(text, "3")
        case .code: paint(text, "36")
        }
    }

    /// A light colouring of one line of Swift: comments dim, string literals green, numbers
    /// cyan, keywords magenta. It never changes the characters, only their colour.
    public func highlightSwift(_ line: String) -> String {
        guard color else { return line }
        if let comment = line.range(of: "//") , !line[..<comment.lowerBound].contains("\"") {
            return highlightSwift(String(line[..<comment.lowerBound])) + paint(String(line[comment.lowerBound...]), "2")
        }
        let keywords: Set<String> = ["let", "var", "for", "in", "if", "else", "func", "return", "while", "guard", "try", "static"]
        var out = ""
        var token = ""
        var inString = false
        func flushToken() {
            guard !token.isEmpty else { return }
            if keywords.contains(token) { out += paint(token, "35") }
            else if token.first!.isNumber { out += paint(token, "36") }
            else { out += token }
            token = ""
        }
        var stringText = ""
        for c in line {
            if inString {
                stringText.append(c)
                if c == "\"" { out += paint(stringText, "32"); stringText = ""; inString = false }
            } else if c == "\"" {
                flushToken(); inString = true; stringText = "\""
            } else if c.isLetter || c.isNumber || c == "_" || (c == "." && token.first?.isNumber == true) {
                token.append(c)
            } else {
                flushToken(); out.append(c)
            }
        }
        flushToken()
        out += stringText
        return out
    }
}

extension String {
    /// The number of characters a terminal shows, ignoring ANSI escape sequences.
    public var visibleWidth: Int {
        var count = 0
        var inEscape = false
        for c in self {
            if inEscape { if c.isLetter { inEscape = false } }
            else if c == "\u{1B}" { inEscape = true }
            else { count += 1 }
        }
        return count
    }
}
