// Names.swift — the bundled first names: 5,163 of them, lowercased, from the 1990 US Census
// first-name lists (public domain; Resources/README-names.md names the source), and their fixed
// train / validation / test split. A character-level language model learns from these.
//
// Read next: Names+Vocabulary.swift (characters to ids, with an end token), then
// Names+Examples.swift (a name cut into context → next-character examples).

import Basics

/// Facts about the bundled names, and the file they are read from.
public enum Names {
    /// The number of names: the 4,275 female and 1,219 male first names of the census lists,
    /// lowercased, less the 331 that are on both lists.
    public static let count = 5163
    /// The longest name has 11 letters.
    public static let longestName = 11
    /// The seed of the split's shuffle (the census year).
    public static let splitSeed: UInt64 = 1990
    /// The sizes of the standard split: 4,131 train, 516 validation, 516 test.
    public static let validationCount = 516
    public static let testCount = 516
    public static var trainCount: Int { count - validationCount - testCount }

    /// Every name, in the file's (alphabetical) order: Resources/names.txt, one per line,
    /// each 2 to 11 lowercase letters a–z.
    ///
    /// - Throws: `DataFileError` only if the bundled file is missing or damaged.
    public static func all() throws(DataFileError) -> [String] {
        let (path, text) = try resourceText("names", "txt")
        var names: [String] = []
        names.reserveCapacity(count)
        var seen = Set<Substring>()
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty && names.count == count { continue }
            guard !line.isEmpty, line.count <= longestName,
                  line.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else {
                throw .malformedText(path: path, line: offset + 1,
                                     reason: "expected a name of 1 to \(longestName) letters a–z, found \"\(line)\"")
            }
            guard seen.insert(line).inserted else {
                throw .malformedText(path: path, line: offset + 1, reason: "the name \"\(line)\" is listed twice")
            }
            names.append(String(line))
        }
        guard names.count == count else {
            throw .malformedText(path: path, line: names.count + 1,
                                 reason: "expected \(count) names, found \(names.count)")
        }
        return names
    }

    /// The standard split. The order is `epochOrder(seed: 1990, count: 5163)` (a Fisher–Yates
    /// shuffle by SplitMix64, EpochOrder.swift) over the names in the file's order; its first
    /// 4,131 names are the training set, the next 516 the validation set and the last 516 the
    /// test set, each in that order. Scripts/names_data.py computes the same split in Python.
    public static func split() throws(DataFileError) -> NameSplit {
        let names = try all()
        let order = epochOrder(seed: splitSeed, count: count)
        let shuffled = order.map { names[$0] }
        return NameSplit(train: Array(shuffled[..<trainCount]),
                         validation: Array(shuffled[trainCount ..< trainCount + validationCount]),
                         test: Array(shuffled[(trainCount + validationCount)...]))
    }
}

/// Names cut into three disjoint sets: to train on, to choose settings by, and to report once.
public struct NameSplit: Sendable, Equatable {
    public let train: [String]
    public let validation: [String]
    public let test: [String]

    public init(train: [String], validation: [String], test: [String]) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}
