// Names+Vocabulary.swift — characters to ids and back, for a character-level language model.
// Id 0 is the end token ".", which both marks the end of a name and fills the context before
// its first letter (so a model learns how names start and how they stop from one symbol).
//
// Read next: Names+Examples.swift.

/// A bad character: one the vocabulary does not have.
public enum VocabularyError: Error, Equatable, CustomStringConvertible {
    /// `character` (in `text`) is not in the vocabulary, which holds `known`.
    case unknownCharacter(Character, text: String, known: String)
    /// An id outside 0..<size.
    case idOutOfRange(Int, size: Int)

    public var description: String {
        switch self {
        case let .unknownCharacter(character, text, known):
            "the character \"\(character)\" in \"\(text)\" is not in the vocabulary (\(known)); "
                + "use only these characters"
        case let .idOutOfRange(id, size):
            "the id \(id) is not in the vocabulary's range 0..<\(size)"
        }
    }
}

/// The characters a model reads and writes, each with an id: the end token "." is id 0, the
/// other characters follow in sorted order (for the names: a = 1, b = 2, …, z = 26).
public struct CharacterVocabulary: Sendable, Equatable {
    /// The end token, id 0.
    public static let endToken: Character = "."
    public static let endID = 0

    /// `characters[id]` is the character of `id`; `characters[0]` is the end token.
    public let characters: [Character]
    private let ids: [Character: Int]

    /// The vocabulary of the characters that occur in `texts`, sorted, after the end token.
    /// The end token itself must not occur in them.
    public init(of texts: [String]) {
        let found = Set(texts.flatMap { $0 }).subtracting([Self.endToken])
        characters = [Self.endToken] + found.sorted()
        ids = Dictionary(uniqueKeysWithValues: characters.enumerated().map { ($1, $0) })
    }

    /// "." then the lowercase letters a–z: the vocabulary of the bundled names, 27 ids.
    public static let lowercaseLetters = CharacterVocabulary(of: ["abcdefghijklmnopqrstuvwxyz"])

    /// The number of ids.
    public var size: Int { characters.count }

    /// The id of each character of `text`, without an end token.
    ///
    /// - Throws: `VocabularyError.unknownCharacter` for a character the vocabulary lacks.
    public func encode(_ text: String) throws(VocabularyError) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(text.count)
        for character in text {
            guard let id = ids[character], id != Self.endID else {
                throw .unknownCharacter(character, text: text, known: String(characters.dropFirst()))
            }
            result.append(id)
        }
        return result
    }

    /// The text of `ids`, stopping before the first end token.
    ///
    /// - Throws: `VocabularyError.idOutOfRange` for an id that is not in 0..<size.
    public func decode(_ ids: [Int]) throws(VocabularyError) -> String {
        var text = ""
        for id in ids {
            guard id >= 0 && id < size else { throw .idOutOfRange(id, size: size) }
            if id == Self.endID { break }
            text.append(characters[id])
        }
        return text
    }
}
