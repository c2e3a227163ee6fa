// ExpressionLexer.swift — text to tokens: numbers, names, operators, parentheses, commas.
//
// Works on `Character`s, so a position is the number of characters before a token, which
// is also where a caret goes under the text. Whitespace separates tokens and is dropped.
//
// Read next: ExpressionParser.swift.

/// One token and where it starts.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case name(String)
        case plus, minus, star, slash, caret
        /// `@`, the matrix product (tensor expressions only).
        case at
        case leftParenthesis, rightParenthesis, comma
        case end
    }

    let kind: Kind
    /// The characters as written (empty for `.end`).
    let text: String
    let position: Int

    /// How an error message names this token: `'x'`, `'+'`, or "the end of the expression".
    var quoted: String {
        kind == .end ? "the end of the expression" : "'\(text)'"
    }

    /// True for the tokens that can begin an operand: a number, a name or "(".
    var startsOperand: Bool {
        switch kind {
        case .number, .name, .leftParenthesis: true
        default: false
        }
    }
}

enum ExpressionLexer {
    /// All tokens of `source`, ending with `.end`. `@` is a token only with `tensorSyntax`;
    /// otherwise it is an unexpected character, as for scalar expressions.
    static func tokens(of source: String, tensorSyntax: Bool = false) throws(ExpressionError) -> [Token] {
        let chars = Array(source)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            if tensorSyntax, c == "@" {
                tokens.append(Token(kind: .at, text: "@", position: i))
                i += 1
            } else if let kind = punctuation[c] {
                tokens.append(Token(kind: kind, text: String(c), position: i))
                i += 1
            } else if CharacterClass.isDigit(c) || (c == "." && i + 1 < chars.count && CharacterClass.isDigit(chars[i + 1])) {
                let end = try number(in: chars, from: i, source: source)
                let text = String(chars[i..<end])
                // `number(in:)` has checked that the text is a finite number.
                tokens.append(Token(kind: .number(Double(text) ?? .nan), text: text, position: i))
                i = end
            } else if CharacterClass.isNameStart(c) {
                var end = i + 1
                while end < chars.count, CharacterClass.isNameContinuation(chars[end]) { end += 1 }
                let name = String(chars[i..<end])
                tokens.append(Token(kind: .name(name), text: name, position: i))
                i = end
            } else {
                throw ExpressionError(.unexpectedCharacter(c), in: source, at: i)
            }
        }
        tokens.append(Token(kind: .end, text: "", position: chars.count))
        return tokens
    }

    private static let punctuation: [Character: Token.Kind] = [
        "+": .plus, "-": .minus, "*": .star, "/": .slash, "^": .caret,
        "(": .leftParenthesis, ")": .rightParenthesis, ",": .comma,
    ]

    /// The end of the number starting at `start`, after checking that it is one: "1.2.3",
    /// "1e" and "1e+" are malformed, "1e999" and "1e-999" are out of range.
    static func number(in chars: [Character], from start: Int, source: String) throws(ExpressionError) -> Int {
        let end = NumberSyntax.end(of: chars, from: start)
        if end < chars.count, NumberSyntax.continuesMalformed(chars, at: end) {
            var runEnd = end
            while runEnd < chars.count, NumberSyntax.continuesMalformed(chars, at: runEnd) { runEnd += 1 }
            throw ExpressionError(.malformedNumber(String(chars[start..<runEnd])), in: source, at: start)
        }
        let text = String(chars[start..<end])
        guard NumberSyntax.value(of: text) != nil else {
            throw ExpressionError(.numberOutOfRange(text), in: source, at: start)
        }
        return end
    }
}

/// The characters that make up names and numbers.
enum CharacterClass {
    /// 0–9 only (not other scripts' digits, which `Double` cannot read).
    static func isDigit(_ c: Character) -> Bool {
        guard c.unicodeScalars.count == 1, let ascii = c.asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }

    /// A letter of any script, or "_".
    static func isNameStart(_ c: Character) -> Bool {
        c == "_" || c.isLetter
    }

    static func isNameContinuation(_ c: Character) -> Bool {
        isNameStart(c) || isDigit(c)
    }
}

/// The decimal number syntax shared by expressions and `--set` values:
/// digits [ "." [digits] ] [exponent] | "." digits [exponent], exponent = e [+|-] digits.
enum NumberSyntax {
    /// The value of a number's text (digits, an optional "." and exponent, no sign), or `nil`
    /// when it lies outside the range of a Double in either direction: above about 1.8e308
    /// (it would become ∞), or nonzero but below about 4.9e-324 (it would become 0). Both are
    /// refused alike, so that no number the user wrote silently turns into another.
    static func value(of text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        if value == 0 {
            // Only the mantissa's digits count: "0e-999" is 0, "1e-999" is not.
            let mantissa = text.prefix { $0 != "e" && $0 != "E" }
            if mantissa.contains(where: { $0 >= "1" && $0 <= "9" }) { return nil }
        }
        return value
    }

    /// The index just past the longest number starting at `start`. The caller has checked
    /// that a digit, or "." and then a digit, is there.
    static func end(of chars: [Character], from start: Int) -> Int {
        var i = start
        while i < chars.count, CharacterClass.isDigit(chars[i]) { i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            while i < chars.count, CharacterClass.isDigit(chars[i]) { i += 1 }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, CharacterClass.isDigit(chars[j]) {
                while j < chars.count, CharacterClass.isDigit(chars[j]) { j += 1 }
                i = j
            }
        }
        return i
    }

    /// True when the character at `i`, right after a number (or inside a malformed one),
    /// shows that the writer meant a longer number: a second ".", a digit, or an "e" that
    /// is not the start of a name ("1e", "1e+", but not "2exp(1)", which is 2 and then exp).
    static func continuesMalformed(_ chars: [Character], at i: Int) -> Bool {
        let c = chars[i]
        if c == "." || CharacterClass.isDigit(c) { return true }
        if c == "e" || c == "E" {
            return i + 1 >= chars.count || !CharacterClass.isNameContinuation(chars[i + 1])
        }
        if c == "+" || c == "-" {
            // Only as the sign of an exponent: "1e+" is malformed, "1+2" is not.
            return i > 0 && (chars[i - 1] == "e" || chars[i - 1] == "E")
        }
        return false
    }
}
