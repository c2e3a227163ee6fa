// NamedList.swift — the `name=…,name=…` lists of `--set` and `--shape`.
//
// Both lists split on commas, trim spaces, and check each name the same way; only what
// follows the "=" differs (a number, or a shape such as 2x3). `NamedList.parse` does the
// shared part and hands each value's characters to the caller.
//
// Read next: Assignments.swift and TensorShapes.swift, its two callers.

enum NamedList {
    /// Parses `text` as a comma-separated list of `name=value` items.
    ///
    /// - Parameters:
    ///   - isReserved: names that may not be used (function names), reported as `.reservedName`.
    ///   - value: reads the trimmed, non-empty value range of the item named `name`.
    /// - Returns: each item's name, value and the position of its name, in order. A blank
    ///   `text` is an empty list.
    static func parse<Value>(
        _ text: String,
        isReserved: (String) -> Bool,
        value: (_ chars: [Character], _ range: Range<Int>, _ name: String) throws(ExpressionError) -> Value
    ) throws(ExpressionError) -> [(name: String, value: Value, position: Int)] {
        let chars = Array(text)
        guard !chars.allSatisfy(\.isWhitespace) else { return [] }
        var items: [(name: String, value: Value, position: Int)] = []
        var start = 0
        while start <= chars.count {
            var end = start
            while end < chars.count, chars[end] != "," { end += 1 }
            let item = try parseItem(chars, start..<end, text: text, isReserved: isReserved, value: value)
            if items.contains(where: { $0.name == item.name }) {
                throw ExpressionError(.duplicateName(item.name), in: text, at: item.position)
            }
            items.append(item)
            start = end + 1
        }
        return items
    }

    private static func parseItem<Value>(
        _ chars: [Character], _ range: Range<Int>, text: String,
        isReserved: (String) -> Bool,
        value: (_ chars: [Character], _ range: Range<Int>, _ name: String) throws(ExpressionError) -> Value
    ) throws(ExpressionError) -> (name: String, value: Value, position: Int) {
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
        guard !isReserved(name) else {
            throw ExpressionError(.reservedName(name), in: text, at: nameRange.lowerBound)
        }
        guard !valueRange.isEmpty else {
            throw ExpressionError(.missingValue(name: name), in: text, at: equals + 1)
        }
        return (name, try value(chars, valueRange, name), nameRange.lowerBound)
    }

    /// `range` without the whitespace at either end.
    static func trimmed(_ chars: [Character], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, chars[lower].isWhitespace { lower += 1 }
        while upper > lower, chars[upper - 1].isWhitespace { upper -= 1 }
        return lower..<upper
    }
}
