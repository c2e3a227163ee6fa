// Assignments.swift — the variable values of `--set x=2,w=-3,b=6.88`.
//
// The list is name=value items separated by commas. Spaces around items, names and values
// are allowed; an empty list (or only spaces) sets nothing. Names follow the expression
// grammar's rule for names, values its rule for numbers with an optional sign. Each error
// points into the list with the same three-line `ExpressionError` as the expression.
//
// Read next: ExpressionError.swift.

/// Variable values, in the order they were given.
public struct Assignments: Sendable, Equatable {
    /// One `name=value` item and the position of its name in the text.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let value: Double
        public let position: Int
    }

    public let entries: [Entry]

    /// Parses a list such as "x=2,w=-3,b=6.88".
    ///
    /// Throws an `ExpressionError` (with the list as its `source`) for an empty item, an item
    /// without "=", a missing or invalid name, a function's name, a missing or malformed
    /// value, a value out of range, or a name given twice.
    public init(parsing text: String) throws(ExpressionError) {
        let chars = Array(text)
        var entries: [Entry] = []
        if chars.allSatisfy(\.isWhitespace) {
            self.entries = []
            return
        }
        var start = 0
        while start <= chars.count {
            var end = start
            while end < chars.count, chars[end] != "," { end += 1 }
            let entry = try Assignments.parseItem(chars, start..<end, text: text)
            if entries.contains(where: { $0.name == entry.name }) {
                throw ExpressionError(.duplicateName(entry.name), in: text, at: entry.position)
            }
            entries.append(entry)
            start = end + 1
        }
        self.entries = entries
    }

    /// Values given in code, in order, without parsing. Each name may appear once.
    public init(_ values: KeyValuePairs<String, Double>, file: StaticString = #fileID, line: UInt = #line) {
        let names = values.map(\.key)
        precondition(Set(names).count == names.count, "Assignments(\(names)): a name is given twice",
                     file: file, line: line)
        entries = values.map { Entry(name: $0.key, value: $0.value, position: 0) }
    }

    /// The value of `name`, if it was given.
    public subscript(name: String) -> Double? {
        entries.first { $0.name == name }?.value
    }

    /// The names, in the order given.
    public var names: [String] { entries.map(\.name) }

    /// One `name=value` item, `range` being its characters between commas.
    private static func parseItem(_ chars: [Character], _ range: Range<Int>, text: String) throws(ExpressionError) -> Entry {
        let item = trimmed(chars, range)
        guard !item.isEmpty else {
            throw ExpressionError(.emptyAssignment, in: text, at: range.lowerBound)
        }
        guard let equals = item.firstIndex(where: { chars[$0] == "=" }) else {
            throw ExpressionError(.missingEquals(String(chars[item])), in: text, at: item.lowerBound)
        }
        let nameRange = trimmed(chars, item.lowerBound..<equals)
        let valueRange = trimmed(chars, equals + 1..<item.upperBound)
        let name = String(chars[nameRange])

        guard !nameRange.isEmpty else {
            throw ExpressionError(.missingName, in: text, at: equals)
        }
        guard CharacterClass.isNameStart(chars[nameRange.lowerBound]),
              chars[nameRange].allSatisfy(CharacterClass.isNameContinuation) else {
            throw ExpressionError(.invalidName(name), in: text, at: nameRange.lowerBound)
        }
        // Only the scalar functions: a tensor-only name such as `sum` is free in a scalar expression.
        guard ExpressionFunction(rawValue: name).map(\.isTensorOnly) ?? true else {
            throw ExpressionError(.reservedName(name), in: text, at: nameRange.lowerBound)
        }
        guard !valueRange.isEmpty else {
            throw ExpressionError(.missingValue(name: name), in: text, at: equals + 1)
        }
        let value = try number(chars, valueRange, name: name, text: text)
        return Entry(name: name, value: value, position: nameRange.lowerBound)
    }

    /// A number with an optional sign, filling all of `range`.
    private static func number(_ chars: [Character], _ range: Range<Int>, name: String, text: String) throws(ExpressionError) -> Double {
        let written = String(chars[range])
        var i = range.lowerBound
        if chars[i] == "+" || chars[i] == "-" { i += 1 }
        let startsNumber = i < range.upperBound
            && (CharacterClass.isDigit(chars[i])
                || (chars[i] == "." && i + 1 < range.upperBound && CharacterClass.isDigit(chars[i + 1])))
        guard startsNumber, NumberSyntax.end(of: Array(chars[..<range.upperBound]), from: i) == range.upperBound,
              let value = Double(written) else {
            throw ExpressionError(.badNumber(name: name, text: written), in: text, at: range.lowerBound)
        }
        guard value.isFinite else {
            throw ExpressionError(.numberOutOfRange(written), in: text, at: range.lowerBound)
        }
        return value
    }

    /// `range` without the whitespace at either end.
    private static func trimmed(_ chars: [Character], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, chars[lower].isWhitespace { lower += 1 }
        while upper > lower, chars[upper - 1].isWhitespace { upper -= 1 }
        return lower..<upper
    }
}
