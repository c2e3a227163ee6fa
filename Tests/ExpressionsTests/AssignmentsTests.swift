// AssignmentsTests.swift — parsing `--set x=2,w=-3,b=6.88`, and its errors.

import Testing
@testable import Expressions

@Suite struct AssignmentsTests {
    @Test func parsesNamesAndValuesInOrder() throws {
        let values = try Assignments(parsing: "x=2,w=-3,b=6.88")
        #expect(values.names == ["x", "w", "b"])
        #expect(values.entries.map(\.value) == [2, -3, 6.88])
        #expect(values.entries.map(\.position) == [0, 4, 9])
        #expect(values["w"] == -3)
        #expect(values["q"] == nil)
    }

    @Test(arguments: [
        (" x = 2 , w=-3 ", ["x": 2.0, "w": -3.0]),
        ("a=+1.5e2", ["a": 150]),
        ("a=.5,b=-.25,c=1.,d=2E-2", ["a": 0.5, "b": -0.25, "c": 1, "d": 0.02]),
        ("α=1,_b2=3", ["α": 1, "_b2": 3]),
        ("", [:]),
        ("   ", [:]),
    ])
    func acceptsSpacesSignsAndNumberForms(text: String, expected: [String: Double]) throws {
        let values = try Assignments(parsing: text)
        #expect(Dictionary(uniqueKeysWithValues: values.entries.map { ($0.name, $0.value) }) == expected)
    }

    /// (text, caret position, reason).
    static let table: [(String, Int, String)] = [
        ("x=2,,w=3", 4, "empty assignment: separate name=value pairs with single commas, as in x=2,w=-3"),
        ("x=2,", 4, "empty assignment: separate name=value pairs with single commas, as in x=2,w=-3"),
        (",x=2", 0, "empty assignment: separate name=value pairs with single commas, as in x=2,w=-3"),
        ("x2", 0, "'x2' has no '=': write name=value, as in x=2"),
        ("x=2, w 3", 5, "'w 3' has no '=': write name=value, as in x=2"),
        ("=2", 0, "a value without a name: write name=value, as in x=2"),
        ("x=1, =2", 5, "a value without a name: write name=value, as in x=2"),
        ("2x=1", 0, "'2x' is not a variable name: a name starts with a letter or _ and goes on with letters, digits or _"),
        ("x y=1", 0, "'x y' is not a variable name: a name starts with a letter or _ and goes on with letters, digits or _"),
        ("exp=1", 0, "'exp' is a function, so it cannot be given a value"),
        ("x=", 2, "x has no value after '=': write one, as in x=2"),
        ("x= ,w=1", 2, "x has no value after '=': write one, as in x=2"),
        ("x=abc", 2, "the value of x, 'abc', is not a number: write one such as 2, -3 or 6.88"),
        ("x=1.2.3", 2, "the value of x, '1.2.3', is not a number: write one such as 2, -3 or 6.88"),
        ("x=nan", 2, "the value of x, 'nan', is not a number: write one such as 2, -3 or 6.88"),
        ("x=inf", 2, "the value of x, 'inf', is not a number: write one such as 2, -3 or 6.88"),
        ("x=0x10", 2, "the value of x, '0x10', is not a number: write one such as 2, -3 or 6.88"),
        ("x=1e", 2, "the value of x, '1e', is not a number: write one such as 2, -3 or 6.88"),
        ("x=--1", 2, "the value of x, '--1', is not a number: write one such as 2, -3 or 6.88"),
        ("x=1 2", 2, "the value of x, '1 2', is not a number: write one such as 2, -3 or 6.88"),
        ("x=1=2", 2, "the value of x, '1=2', is not a number: write one such as 2, -3 or 6.88"),
        ("x=-", 2, "the value of x, '-', is not a number: write one such as 2, -3 or 6.88"),
        ("x=1e999", 2, "1e999 is too large: numbers must be below about 1.8e308"),
        ("x=1,w=2,x=3", 8, "x is given a value twice: keep one x=…"),
    ]

    @Test func everyErrorHasItsMessageAndPosition() {
        for (text, position, reason) in Self.table {
            do {
                let values = try Assignments(parsing: text)
                Issue.record("\"\(text)\" should fail, but gave \(values.entries)")
            } catch {
                #expect(error.reason == reason, "\"\(text)\"")
                #expect(error.position == position, "\"\(text)\": \(error.reason)")
                #expect(error.source == text)
            }
        }
    }

    @Test func errorsRenderAgainstTheList() throws {
        let error = try #require(throws: ExpressionError.self) { try Assignments(parsing: "x=2,w=-3,b=6,88") }
        #expect(error.description == """
            x=2,w=-3,b=6,88
                         ^
            '88' has no '=': write name=value, as in x=2
            """)
    }

    @Test func valuesGivenInCodeKeepTheirOrder() {
        let values = Assignments(["b": 1, "a": 2])
        #expect(values.names == ["b", "a"])
        #expect(values["a"] == 2)
    }
}
