// ExpressionFuzzTests.swift — thousands of seeded random strings: the parser, the evaluator
// and the --set parser must each return or throw an ExpressionError, never trap, and every
// error's caret must land inside (or just past) the text.

import Engine
import Testing
@testable import Expressions

@Suite struct ExpressionFuzzTests {
    /// Characters from the language, near misses and awkward Unicode.
    static let characters: [Character] = Array("xyzwb0123456789.eE+-*/^(),=_ \t\n#$;αé😀") + ["\u{7}", "\u{301}", "\r\n", "\u{0}"]
    /// Whole tokens, so that the parser gets deep into the grammar more often.
    static let tokens = ["x", "y", "w1", "2", "0.5", "1e-3", ".5", "1e", "1.2.", "+", "-", "*", "/", "^", "**",
                         "(", ")", ",", "tanh", "exp", "log", "pow", "sigmoid", "relu", "tahn", " ", "--", "=", "é"]

    @Test func randomStringsNeverTrap() {
        var rng = SplitMix64(seed: 2024)
        var parsed = 0, failed = 0
        for round in 0..<6000 {
            let text: String
            if round.isMultiple(of: 2) {
                let length = Int(rng.next() % 24)
                text = String((0..<length).map { _ in Self.characters[Int(rng.next() % UInt64(Self.characters.count))] })
            } else {
                let length = Int(rng.next() % 16)
                text = (0..<length).map { _ in Self.tokens[Int(rng.next() % UInt64(Self.tokens.count))] }.joined()
            }
            do {
                _ = try Assignments(parsing: text)
            } catch {
                check(error, text: text)
            }
            let expression: ParsedExpression
            do {
                expression = try ParsedExpression(parsing: text)
                parsed += 1
            } catch {
                failed += 1
                check(error, text: text)
                continue
            }
            // What parses must print, parse again to the same tree, and evaluate.
            do {
                let reparsed = try ParsedExpression(parsing: expression.description)
                #expect(reparsed.description == expression.description, "\"\(text)\"")
                let values = Dictionary(uniqueKeysWithValues: expression.variableNames.map { ($0, 0.7) })
                let graph = try expression.evaluate(values)
                graph.output.backward()
                #expect(graph.variables.count == expression.variableNames.count)
            } catch {
                Issue.record("\"\(text)\" parsed, but then: \(error)")
            }
        }
        // Both paths were exercised.
        #expect(parsed > 300)
        #expect(failed > 3000)
    }

    private func check(_ error: ExpressionError, text: String) {
        #expect(error.source == text)
        #expect(error.position >= 0 && error.position <= text.count, "\"\(text)\": \(error.position)")
        #expect(!error.reason.isEmpty)
        #expect(error.description.split(separator: "\n", omittingEmptySubsequences: false).count == 3, "\"\(text)\"")
    }
}
