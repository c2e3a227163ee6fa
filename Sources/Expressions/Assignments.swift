// Assignments.swift — the variable values of `--set x=2,w=-3,b=6.88`.
//
// The list is name=value items separated by commas. Spaces around items, names and values
// are allowed; an empty list (or only spaces) sets nothing. Names follow the expression
// grammar's rule for names, values its rule for numbers with an optional sign. Each error
// points into the list with the same three-line `ExpressionError` as the expression.
//
// Read next: ExpressionError.swift.

import Basics

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
        // Only the scalar functions are reserved: a tensor-only name such as `sum` is free in
        // a scalar expression.
        entries = try NamedList.parse(text, isReserved: { ExpressionFunction(rawValue: $0).map { !$0.isTensorOnly } ?? false }) {
            chars, range, name throws(ExpressionError) in
            try Assignments.number(chars, range, name: name, text: text)
        }.map { Entry(name: $0.name, value: $0.value, position: $0.position) }
    }

    /// Values given in code, in order, without parsing. Each name may appear once.
    public init(_ values: KeyValuePairs<String, Double>, file: StaticString = #fileID, line: UInt = #line) {
        let names = values.map(\.key)
        trapUnless(Set(names).count == names.count, "Assignments(\(names)): a name is given twice",
                   file: file, line: line)
        entries = values.map { Entry(name: $0.key, value: $0.value, position: 0) }
    }

    /// The value of `name`, if it was given.
    public subscript(name: String) -> Double? {
        entries.first { $0.name == name }?.value
    }

    /// The names, in the order given.
    public var names: [String] { entries.map(\.name) }

    /// A number with an optional sign, filling all of `range`.
    private static func number(_ chars: [Character], _ range: Range<Int>, name: String, text: String) throws(ExpressionError) -> Double {
        let written = String(chars[range])
        var i = range.lowerBound
        if chars[i] == "+" || chars[i] == "-" { i += 1 }
        let startsNumber = i < range.upperBound
            && (CharacterClass.isDigit(chars[i])
                || (chars[i] == "." && i + 1 < range.upperBound && CharacterClass.isDigit(chars[i + 1])))
        guard startsNumber, NumberSyntax.end(of: Array(chars[..<range.upperBound]), from: i) == range.upperBound,
              Double(written) != nil else {
            throw ExpressionError(.badNumber(name: name, text: written), in: text, at: range.lowerBound)
        }
        // Too large (∞) or too small (rounds to 0): both refused, as in the expression.
        guard let magnitude = NumberSyntax.value(of: String(chars[i..<range.upperBound])) else {
            throw ExpressionError(.numberOutOfRange(written), in: text, at: range.lowerBound)
        }
        return chars[range.lowerBound] == "-" ? -magnitude : magnitude
    }
}
