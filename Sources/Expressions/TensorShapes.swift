// TensorShapes.swift — the variable shapes of `--shape x=2x3,W=3x4,b=4`.
//
// The list is name=shape items separated by commas, a shape being extents separated by "x"
// (or "×"). Spaces around items, names and extents are allowed. Each error points into the
// list with the same three-line `ExpressionError` as the expression and `--set`.
//
// Read next: ParsedExpression+Tensor.swift, which gives the variables these shapes.

import Basics

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
        entries = try NamedList.parse(text, isReserved: { ExpressionFunction(rawValue: $0) != nil }) {
            chars, range, name throws(ExpressionError) in
            try TensorShapes.extents(chars, range, name: name, text: text)
        }.map { Entry(name: $0.name, shape: $0.value, position: $0.position) }
    }

    /// Shapes given in code, without parsing. Each name may appear once.
    public init(_ shapes: KeyValuePairs<String, [Int]>, file: StaticString = #fileID, line: UInt = #line) {
        let names = shapes.map(\.key)
        trapUnless(Set(names).count == names.count, "TensorShapes(\(names)): a name is given twice",
                   file: file, line: line)
        entries = shapes.map { Entry(name: $0.key, shape: $0.value, position: 0) }
    }

    /// The shape of `name`, if it was given.
    public subscript(name: String) -> [Int]? {
        entries.first { $0.name == name }?.shape
    }

    /// "2x3" → [2, 3]. Each extent is 1 to `maximumExtent` digits-only; the error points at
    /// the first bad extent.
    private static func extents(_ chars: [Character], _ range: Range<Int>, name: String, text: String) throws(ExpressionError) -> [Int] {
        var shape: [Int] = []
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound, chars[end] != "x", chars[end] != "×", chars[end] != "X" { end += 1 }
            let extentRange = NamedList.trimmed(chars, start..<end)
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
}
