// ExpressionErrorTests.swift — every kind of error, with its exact message and position,
// and the three-line rendering with the caret.

import Testing
@testable import Expressions

@Suite struct ExpressionErrorTests {
    /// (expression, caret position, reason). Evaluated with x, y, w and b set.
    static let table: [(String, Int, String)] = [
        ("x # y", 2,
         "unexpected character '#': an expression is made of numbers, names, + - * / ^, parentheses and commas"),
        ("x = 2", 2,
         "unexpected character '=': an expression is made of numbers, names, + - * / ^, parentheses and commas"),
        ("x\u{7}", 1,
         "unexpected character U+0007: an expression is made of numbers, names, + - * / ^, parentheses and commas"),
        ("1.2.3 + x", 0, "'1.2.3' is not a number: write numbers such as 2, 0.5 or 1e-3"),
        ("2 * 1e", 4, "'1e' is not a number: write numbers such as 2, 0.5 or 1e-3"),
        ("x + 1e+", 4, "'1e+' is not a number: write numbers such as 2, 0.5 or 1e-3"),
        ("1e999*x", 0, "1e999 is too large: numbers must be below about 1.8e308"),
        ("", 0, "the expression is empty: write one such as tanh(x*w + b)"),
        ("  \t ", 0, "the expression is empty: write one such as tanh(x*w + b)"),
        ("x + * y", 4, "expected a number, a name, '(' or '-', but found '*'"),
        ("x +", 3, "expected a number, a name, '(' or '-', but found the end of the expression"),
        ("x ^ ", 4, "expected a number, a name, '(' or '-', but found the end of the expression"),
        ("x, y", 1, "expected an operator or the end of the expression, but found ','"),
        ("(x, y)", 2, "expected an operator or ')', but found ','"),
        ("pow(x; 2)", 5,
         "unexpected character ';': an expression is made of numbers, names, + - * / ^, parentheses and commas"),
        ("pow(x 2)", 6, "missing operator before '2': to multiply, write * (as in 2*x)"),
        ("2x", 1, "missing operator before 'x': to multiply, write * (as in 2*x)"),
        ("(x)(y)", 3, "missing operator before '(': to multiply, write * (as in 2*x)"),
        ("2exp(x)", 1, "missing operator before 'exp': to multiply, write * (as in 2*x)"),
        ("x**2", 1, "'**' is not an operator: write x^2 for a power"),
        ("x/*2", 2, "expected a number, a name, '(' or '-', but found '*'"),
        ("tanh(x*w + b", 12, "missing ')' to close the '(' at column 5"),
        ("((x + y) * w", 12, "missing ')' to close the '(' at column 1"),
        ("x + 1)", 5, "this ')' has no matching '('"),
        ("tahn(x)", 0, "unknown function 'tahn': did you mean tanh?"),
        ("x + sigmiod(y)", 4, "unknown function 'sigmiod': did you mean sigmoid?"),
        ("ln(x)", 0, "unknown function 'ln': did you mean log?"),
        ("Exp(x)", 0, "unknown function 'Exp': did you mean exp?"),
        ("foo(x)", 0, "unknown function 'foo': the functions are exp, log, tanh, sigmoid, relu and pow"),
        ("2*w(x + 1)", 2,
         "unknown function 'w': the functions are exp, log, tanh, sigmoid, relu and pow (to multiply, write w*(…))"),
        ("sqrt(x)", 0, "unknown function 'sqrt': write x^0.5 for a square root"),
        ("tanh + 1", 0, "tanh is a function: give it an argument in parentheses, as in tanh(x)"),
        ("2 * pow", 4, "pow is a function: give it arguments in parentheses, as in pow(x, 2)"),
        ("tanh(x, y)", 0, "tanh takes 1 argument, as in tanh(x), but 2 were given"),
        ("w * pow(x)", 4, "pow takes 2 arguments, as in pow(x, 2), but 1 was given"),
        ("exp()", 0, "exp takes 1 argument, as in exp(x), but none was given"),
        ("2^x", 2, "an exponent must be a constant, but this one uses 'x': for a variable power a^b write exp(b*log(a))"),
        ("pow(y, 1 + x)", 11,
         "an exponent must be a constant, but this one uses 'x': for a variable power a^b write exp(b*log(a))"),
        ("x^(2*w - b)", 5,
         "an exponent must be a constant, but this one uses 'w': for a variable power a^b write exp(b*log(a))"),
        (String(repeating: "(", count: 101) + "x" + String(repeating: ")", count: 101), 100,
         "the expression is nested too deeply: at most 100 levels of operators, parentheses and calls"),
        ("tanh(x*w + q)", 11, "'q' has no value: give it one with --set q=1.5"),
        ("q*x + q", 0, "'q' has no value: give it one with --set q=1.5"),
    ]

    @Test func everyErrorHasItsMessageAndPosition() {
        let values = ["x": 1.0, "y": 2.0, "w": 3.0, "b": 4.0]
        for (text, position, reason) in Self.table {
            do {
                _ = try ParsedExpression(parsing: text).evaluate(values)
                Issue.record("\"\(text)\" should fail with: \(reason)")
            } catch {
                #expect(error.reason == reason, "\"\(text)\"")
                #expect(error.position == position, "\"\(text)\": \(error.reason)")
                #expect(error.source == text)
            }
        }
    }

    @Test func errorKindsCarryTheDetails() {
        #expect(throws: ExpressionError(.unknownFunction("tahn", suggestion: .tanh), in: "tahn(x)", at: 0)) {
            try ParsedExpression(parsing: "tahn(x)")
        }
        #expect(throws: ExpressionError(.wrongArgumentCount(.pow, given: 3), in: "pow(x, 1, 2)", at: 0)) {
            try ParsedExpression(parsing: "pow(x, 1, 2)")
        }
        #expect(throws: ExpressionError(.nonConstantExponent(variable: "y"), in: "x^y", at: 2)) {
            try ParsedExpression(parsing: "x^y")
        }
        #expect(throws: ExpressionError(.missingClosingParenthesis(openedAt: 0), in: "(x", at: 2)) {
            try ParsedExpression(parsing: "(x")
        }
    }

    @Test func rendersTheTextACaretAndTheReason() throws {
        let error = try #require(throws: ExpressionError.self) {
            try ParsedExpression(parsing: "tanh(x*w + q)").evaluate(["x": 2, "w": -3])
        }
        #expect(error.description == """
            tanh(x*w + q)
                       ^
            'q' has no value: give it one with --set q=1.5
            """)
    }

    @Test func theRenderingStaysOneLineWithTheCaretAligned() throws {
        // A newline and a tab become spaces; the caret sits under the '#'.
        let error = try #require(throws: ExpressionError.self) { try ParsedExpression(parsing: "x +\n\ty #") }
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(lines[0] == "x +  y #")
        #expect(lines[1] == "       ^")
        // Positions count characters, not bytes: 'é' and 'α' are one column each.
        let accented = try #require(throws: ExpressionError.self) { try ParsedExpression(parsing: "é*α + $") }
        #expect(accented.position == 6)
        #expect(accented.description.split(separator: "\n")[1] == "      ^")
    }

    @Test func theCaretCanPointJustPastTheEnd() throws {
        let error = try #require(throws: ExpressionError.self) { try ParsedExpression(parsing: "(x + y") }
        #expect(error.position == 6)
        #expect(error.description.split(separator: "\n")[1] == "      ^")
    }

    @Test func nestingUpToTheLimitIsFine() throws {
        let deep = String(repeating: "(", count: 90) + "x" + String(repeating: ")", count: 90)
        #expect(try ParsedExpression(parsing: deep).description == "x")
        // A left-associative chain is a loop in the parser, not nesting: 1,000 terms parse
        // (once 100 did not), and so do 2,000, the tallest tree allowed (its height counts the
        // leaves), evaluated here on a test thread's small stack.
        let chain = (0..<1000).map { _ in "x" }.joined(separator: "+")
        #expect(try ParsedExpression(parsing: chain).evaluate(["x": 1]).output.data == 1000)
        let longest = (0..<2_000).map { _ in "x" }.joined(separator: "+")
        #expect(try ParsedExpression(parsing: longest).evaluate(["x": 1]).output.data == 2_000)
        #expect(throws: ExpressionError(.tooDeep(limit: 2_000), in: longest + "+x", at: longest.count)) {
            try ParsedExpression(parsing: longest + "+x")
        }
    }

    @Test(arguments: [
        String(repeating: "(", count: 100_000) + "x",
        String(repeating: "-", count: 100_000) + "x",
        String(repeating: "x^", count: 50_000) + "2",
        String(repeating: "1+", count: 50_000) + "1",
        String(repeating: "tanh(", count: 50_000),
        String(repeating: "pow(x, ", count: 20_000),
    ])
    func hugeNestingIsAnErrorNotACrash(text: String) {
        #expect(throws: ExpressionError.self) { try ParsedExpression(parsing: text) }
    }
}
