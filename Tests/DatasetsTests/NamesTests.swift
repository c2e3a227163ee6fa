// NamesTests.swift — the bundled names, their split and their (context → next character)
// examples. The file is read here without the library; the expected values come from the
// census files (counted with awk when they were bundled), from Scripts/names_data.py (an
// independent Python SplitMix64 and Fisher–Yates), and from examples worked out by hand.

import Datasets
import Foundation
import Testing

/// The committed file, read here without the library.
private let fileNames: [String] = {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Datasets/Resources/names.txt").standardized
    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init)
}()

@Suite struct NamesTests {
    @Test func theNamesAreTheFileLowercasedAndDistinct() throws {
        let names = try Names.all()
        #expect(names == fileNames)
        // 4,275 female + 1,219 male census names, 331 on both lists.
        #expect(names.count == 5163 && Names.count == 5163)
        #expect(Set(names).count == names.count)
        #expect(names == names.sorted())
        #expect(names.allSatisfy { $0.allSatisfy { ("a"..."z").contains($0) } })
        #expect(names.prefix(3) == ["aaron", "abbey", "abbie"])
        #expect(names.map(\.count).max() == 11 && names.map(\.count).min() == 2)
        // The census lists' most frequent names are there.
        #expect(["mary", "patricia", "linda", "james", "john", "robert"].allSatisfy(names.contains))
    }

    @Test func theSplitIsFixedDisjointAndMatchesThePythonScript() throws {
        let split = try Names.split()
        #expect(split.train.count == 4131 && split.validation.count == 516 && split.test.count == 516)
        #expect(Set(split.train + split.validation + split.test) == Set(fileNames))
        // python3 Scripts/names_data.py
        #expect(split.train.prefix(5) == ["mickie", "jenee", "arlean", "kenya", "rodney"])
        #expect(split.train.last == "nguyet")
        #expect(split.validation.prefix(5) == ["dorla", "alexia", "myrtis", "paz", "lisabeth"])
        #expect(split.validation.last == "liane")
        #expect(split.test.prefix(5) == ["jerold", "luciano", "hildegard", "vera", "maren"])
        #expect(split.test.last == "lana")
        #expect(try Names.split() == split)
    }

    @Test func theVocabularyIsTheEndTokenThenTheLetters() throws {
        let vocabulary = CharacterVocabulary.lowercaseLetters
        #expect(vocabulary.size == 27)
        #expect(vocabulary.characters.first == "." && vocabulary.characters[1] == "a" && vocabulary.characters[26] == "z")
        #expect(try vocabulary.encode("emma") == [5, 13, 13, 1])
        #expect(try vocabulary.decode([5, 13, 13, 1, 0, 2]) == "emma")
        #expect(CharacterVocabulary(of: try Names.all()) == vocabulary)
        #expect(CharacterVocabulary(of: ["cab"]).characters == [".", "a", "b", "c"])
        #expect(throws: VocabularyError.unknownCharacter("é", text: "zoé", known: "abcdefghijklmnopqrstuvwxyz")) {
            try vocabulary.encode("zoé")
        }
        #expect(throws: VocabularyError.unknownCharacter(".", text: "a.b", known: "abcdefghijklmnopqrstuvwxyz")) {
            try vocabulary.encode("a.b")
        }
        #expect(throws: VocabularyError.idOutOfRange(27, size: 27)) { try vocabulary.decode([1, 27]) }
    }

    @Test func examplesAreContextsAndTheNextCharacter() throws {
        let data = try InMemoryDataset<Float>.nextCharacterExamples(["emma", "bo"], vocabulary: .lowercaseLetters,
                                                                     blockSize: 3)
        // Worked by hand: e = 5, m = 13, a = 1, b = 2, o = 15, end = 0.
        #expect(data.count == 5 + 3)
        #expect(data.exampleShape == [3] && data.classCount == 27)
        #expect(data.features == [0, 0, 0, 0, 0, 5, 0, 5, 13, 5, 13, 13, 13, 13, 1,
                                  0, 0, 0, 0, 0, 2, 0, 2, 15])
        #expect(data.labels == [5, 13, 13, 1, 0, 2, 15, 0])
        let one = try InMemoryDataset<Double>.nextCharacterExamples(["ab"], vocabulary: .lowercaseLetters, blockSize: 1)
        #expect(one.features == [0, 1, 2] && one.labels == [1, 2, 0])
        #expect(throws: VocabularyError.self) {
            try InMemoryDataset<Float>.nextCharacterExamples(["x1"], vocabulary: .lowercaseLetters, blockSize: 2)
        }
    }

    @Test func theSplitsGiveOneExamplePerLetterPlusOnePerName() throws {
        let split = try Names.split()
        for (names, expected) in [(split.train, 28853), (split.validation, 3625), (split.test, 3644)] {
            let data = try InMemoryDataset<Float>.nextCharacterExamples(names, vocabulary: .lowercaseLetters, blockSize: 8)
            // python3 Scripts/names_data.py (block 3; the count does not depend on the block size).
            #expect(data.count == expected)
            #expect(data.count == names.reduce(0) { $0 + $1.count + 1 })
            #expect(data.classCounts()[0] == names.count)
        }
    }
}
