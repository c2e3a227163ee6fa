// JSONParserTests.swift — the header's JSON parser and writer on their own: the grammar's
// corners, escapes both ways, exact integers, and the refusals.
//
// Read next: Sources/Checkpoints/JSON.swift.

import Testing
@testable import Checkpoints

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, 0, -2, 2.5, 1e3, true, false, null], "b": {}, "c": [] } "#)
        #expect(value == .object([
            ("a", .array([.unsignedInteger(1), .unsignedInteger(0), .otherNumber("-2"), .otherNumber("2.5"),
                          .otherNumber("1e3"), .bool(true), .bool(false), .null])),
            ("b", .object([])), ("c", .array([])),
        ]))
    }

    @Test func integersStayExactUpTo64Bits() throws {
        #expect(try parse("18446744073709551615") == .unsignedInteger(.max))
        #expect(try parse("9007199254740993") == .unsignedInteger(9_007_199_254_740_993))  // 2^53 + 1
        #expect(try parse("18446744073709551616") == .otherNumber("18446744073709551616"))
    }

    @Test func escapesAreResolvedIncludingSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude42""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\té🙂"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "1e", "tru", "\"\\x\"", "\"\\u12\"",
        "\"\\ud83d\"", "\"\\ude42\"", "\"a\nb\"", "{} {}", "{'a':1}", "\"\\u+123\"",
    ])
    func refusesInvalidJSON(text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }

    @Test func theWriterEscapesAsTheReferenceDoes() {
        var output: [UInt8] = []
        JSONWriter.appendString("q\"b\\/\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}é", to: &output)
        #expect(String(decoding: output, as: UTF8.self) == #""q\"b\\/\b\f\n\r\t\u0001\u001f"# + "\u{7f}é\"")
    }

    @Test func writtenStringsParseBackToThemselves() throws {
        let texts = ["", "plain", "a\"b", "\u{0}\u{1}\u{1f}", "λ🙂", "back\\slash\n"]
        for text in texts {
            var output: [UInt8] = []
            JSONWriter.appendString(text, to: &output)
            #expect(try JSONParser.parse(output) == .string(text))
        }
    }
}
