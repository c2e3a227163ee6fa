// FuzzFindingsTests.swift — inputs the fuzzer (Scripts/fuzz.sh expression) flagged, each
// replayed byte by byte. The first, "---2", was reported as a 10-second timeout while the
// machine was loaded; alone it runs in well under a second. It stays here as a test: three
// unary minuses in a row parse, evaluate (to −2) and run backward at once.

import Testing
@testable import Expressions

@Suite struct FuzzFindingsTests {
    @Test func threeUnaryMinusesBeforeANumber() throws {
        let bytes: [UInt8] = [0x2D, 0x2D, 0x2D, 0x32]   // "---2"
        let text = String(decoding: bytes, as: UTF8.self)
        let graph = try ParsedExpression(parsing: text).evaluate(Assignments(parsing: ""))
        #expect(graph.output.data == -2)
        graph.output.backward()
    }
}
