// TensorShapes.swift — the variable shapes of `--shape x=2x3,W=3x4,b=4`.
//
// The list is name=shape items separated by commas, a shape being extents separated by "x"
// (or "×"). Spaces around items, names and extents are allowed. Each error points into the
// list with the same three-line `ExpressionError` as the expression and `--set`.
//
// Read next: ParsedExpression+Tensor.swift, which gives the variables these shapes.

/// Variable shapes, in the order they were given.
public struct TensorShapes: Sendable, Equatable {
    /// The largest extent a shape may have on one axis.
    public static let maximumExtent = 100_000

    /// One `name=shape` item and the position of its name in the text.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let position: Int
    }

    public let entries: [Entry]

    /// Parses a list such as "x=2x3,W=3x4,b=4".
    ///
    /// Throws an `ExpressionError` (with the list as its `source`) for an empty item, an item
    /// without "=", a missing or invalid name, a missing shape, a shape that is not extents
    /// from 1 to `maximumExtent` separated by "x", or a name given twice.
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
            let entry = try TensorShapes.parseItem(chars, start..<end, text: text)
            if entries.contains(where: { $0.name == entry.name }) {
                throw ExpressionError(.duplicateName(entry.name), in: text, at: entry.position)
            }
            entries.append(entry)
            start = end + 1
        }
        self.entries = entries
    }

    /// Shapes given in code, without parsing. Each name may appear once.
    public init(_ shapes: KeyValuePairs<String, [Int]>, file: StaticString = #fileID, line: UInt = #line) {
        let names = shapes.map(\.key)
        precondition(Set(names).count == names.count, "TensorShapes(\(names)): a name is given twice",
                     file: file, line: line)
        entries = shapes.map { Entry(name: $0.key, shape: $0.value, position: 0) }
    }

    /// The shape of `name`, if it was given.
    public subscript(name: String) -> [Int]? {
        entries.first { $0.name == name }?.shape
    }

    /// One `name=shape` item, `range` being its characters between commas.
    private static func parseItem(_ chars: [Character], _ range: Range<Int>, text: String) throws(ExpressionError) -> Entry {
        let item = trimmed(chars, range)
        guard !item.isEmpty else {
            throw ExpressionError(.emptyAssignment, in: text, at: range.lowerBound)
        }
        guard let equals = item.firstIndex(where: { chars[$0] == "=" }) else {
            throw ExpressionError(.missingEquals(String(chars[item])), in: text, at: item.lowerBound)
        }
        let nameRange = trimmed(chars, item.lowerBound..<equals)
        let shapeRange = trimmed(chars, equals + 1..<item.upperBound)
        let name = String(chars[nameRange])
        guard !nameRange.isEmpty else {
            throw ExpressionError(.missingName, in: text, at: equals)
        }
        guard CharacterClass.isNameStart(chars[nameRange.lowerBound]),
              chars[nameRange].allSatisfy(CharacterClass.isNameContinuation) else {
            throw ExpressionError(.invalidName(name), in: text, at: nameRange.lowerBound)
        }
        guard ExpressionFunction(rawValue: name) == nil else {
            throw ExpressionError(.reservedName(name), in: text, at: nameRange.lowerBound)
        }
        guard !shapeRange.isEmpty else {
            throw ExpressionError(.missingValue(name: name), in: text, at: equals + 1)
        }
        let shape = try extents(chars, shapeRange, name: name, text: text)
        return Entry(name: name, shape: shape, position: nameRange.lowerBound)
    }

    /// "2x3" → [2, 3]. Each extent is 1 to `maximumExtent` digits-only; the error points at
    /// the first bad extent.
    private static func extents(_ chars: [Character], _ range: Range<Int>, name: String, text: String) throws(ExpressionError) -> [Int] {
        var shape: [Int] = []
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound, chars[end] != "x", chars[end] != "×", chars[end] != "X" { end += 1 }
            let extentRange = trimmed(chars, start..<end)
            let written = String(chars[extentRange])
            guard !written.isEmpty, written.allSatisfy(CharacterClass.isDigit), written.count <= 6,
                  let extent = Int(written), extent >= 1, extent <= maximumExtent else {
                throw ExpressionError(.badShape(name: name, text: String(chars[range])), in: text,
                                      at: extentRange.isEmpty ? start : extentRange.lowerBound)
            }
            shape.append(extent)
            start = end + 1
        }
        return shape
    }

    /// `range` without the whitespace at either end.
    private static func trimmed(_ chars: [Character], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, chars[lower].isWhitespace { lower += 1 }
        while upper > lower, chars[upper - 1].isWhitespace { upper -= 1 }
        return lower..<upper
    }
}
