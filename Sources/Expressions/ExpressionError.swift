// ExpressionError.swift — everything that can be wrong with an expression or a `--set`
// list, each with the place it went wrong.
//
// An error prints as three lines: the text, a caret under the offending character, and one
// sentence saying what is wrong and how to fix it:
//
//     tanh(x*w + q)
//                ^
//     'q' has no value: give it one with --set q=1.5
//
// Positions count `Character`s from 0; messages that mention a place use 1-based columns.
//
// Read next: Assignments.swift.

import Basics

/// A problem in an expression or in a `--set` list, with its position in that text.
public struct ExpressionError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        // Reading the expression.
        /// A character that is not part of the language, such as `#` or `=`.
        case unexpectedCharacter(Character)
        /// Something like "1.2.3" or "1e": it starts like a number but is not one.
        case malformedNumber(String)
        /// A number too large for a `Double` ("1e999"), or so small it would round to 0 ("1e-999").
        case numberOutOfRange(String)
        /// Nothing but whitespace.
        case emptyExpression
        /// A token that cannot come here; `found` is quoted or "the end of the expression".
        case unexpectedToken(found: String, expected: String)
        /// Two operands side by side ("2x", "(a)(b)").
        case missingOperator(before: String)
        /// `x**2`, Python's power.
        case doubleStar
        /// A "(" that is never closed; the position is where the ")" should go.
        case missingClosingParenthesis(openedAt: Int)
        /// A ")" without a "(".
        case unmatchedClosingParenthesis
        /// `name(…)` where name is not a function; `suggestion` is the likely intended one.
        case unknownFunction(String, suggestion: ExpressionFunction?)
        /// The same in a tensor expression, where more functions exist.
        case unknownTensorFunction(String, suggestion: ExpressionFunction?)
        /// A function name used without an argument list ("tanh + 1").
        case functionWithoutArguments(ExpressionFunction)
        case wrongArgumentCount(ExpressionFunction, given: Int)
        /// A variable inside the exponent of `^` or `pow`.
        case nonConstantExponent(variable: String)
        /// More than `limit` levels of nesting.
        case tooDeep(limit: Int)

        // Evaluating it.
        /// A variable that has no value.
        case unknownVariable(String)

        // Tensor expressions (ParsedExpression+Tensor.swift, TensorShapes.swift).
        /// `@` or a tensor-only function in an expression evaluated on scalars.
        case tensorOnly(String)
        /// A tensor variable with neither a shape nor a value.
        case unknownTensorVariable(String)
        /// An elementwise operator whose operands' shapes do not broadcast.
        case shapesDoNotBroadcast(BinaryOperator, [Int], [Int])
        /// `@` with a scalar operand, or inner dimensions (or batch axes) that do not match.
        case matmulShapeMismatch([Int], [Int])
        /// An operation whose result would hold more than `limit` elements.
        case tensorTooLarge(shape: [Int], limit: Int)
        /// The whole expression would take more than `limit` arithmetic operations (counted
        /// as `ParsedExpression.estimatedWork` counts them), though each tensor is small enough.
        case tooMuchWork(estimate: Int, limit: Int)
        /// In --shape: an extent list that is not whole numbers separated by "x".
        case badShape(name: String, text: String)

        // Reading a --set list such as "x=2,w=-3".
        /// An empty item: ",," or a comma at either end.
        case emptyAssignment
        /// An item without "=".
        case missingEquals(String)
        /// "=2": a value without a name.
        case missingName
        /// A name that is not a valid variable name.
        case invalidName(String)
        /// A function's name used as a variable.
        case reservedName(String)
        /// "x=": a name without a value.
        case missingValue(name: String)
        /// A value that is not a number.
        case badNumber(name: String, text: String)
        /// The same name twice.
        case duplicateName(String)
    }

    public let kind: Kind
    /// The text the position refers to: the expression, or the `--set` list.
    public let source: String
    /// Where the problem is: a `Character` offset into `source`, from 0 to `source.count`.
    public let position: Int

    public init(_ kind: Kind, in source: String, at position: Int) {
        self.kind = kind
        self.source = source
        self.position = position
    }

    /// One sentence on one line: what is wrong, and how to fix it. (Text quoted from the
    /// input is shown with whitespace as spaces and invisible characters as "?".)
    public var reason: String {
        String(rawReason.map(ExpressionError.printable))
    }

    private var rawReason: String {
        switch kind {
        case .unexpectedCharacter("@"):
            return "'@' multiplies tensors: give the variables shapes with --shape, as in --shape x=2x3,W=3x4"
        case .unexpectedCharacter(let c):
            return "unexpected character \(ExpressionError.show(c)): an expression is made of numbers, names, + - * / ^, parentheses and commas"
        case .malformedNumber(let text):
            return "'\(text)' is not a number: write numbers such as 2, 0.5 or 1e-3"
        case .numberOutOfRange(let text):
            // Out of range one way or the other: ∞ when read as a Double, or 0.
            if let value = Double(text), value.isFinite {
                return "\(text) is too small: it would round to 0; numbers other than 0 must be at least about 4.9e-324 in size"
            }
            return "\(text) is too large: numbers must be below about 1.8e308"
        case .emptyExpression:
            return "the expression is empty: write one such as tanh(x*w + b)"
        case .unexpectedToken(let found, let expected):
            return "expected \(expected), but found \(found)"
        case .missingOperator(let before):
            return "missing operator before '\(before)': to multiply, write * (as in 2*x)"
        case .doubleStar:
            return "'**' is not an operator: write x^2 for a power"
        case .missingClosingParenthesis(let open):
            return "missing ')' to close the '(' at column \(open + 1)"
        case .unmatchedClosingParenthesis:
            return "this ')' has no matching '('"
        case .unknownFunction(let name, let suggestion?):
            return "unknown function '\(name)': did you mean \(suggestion.rawValue)?"
        case .unknownFunction("sqrt", nil):
            return "unknown function 'sqrt': write x^0.5 for a square root"
        case .unknownFunction(let name, nil):
            // A one-letter name before "(" is most likely a variable meant to multiply.
            let hint = name.count == 1 ? " (to multiply, write \(name)*(…))" : ""
            return "unknown function '\(name)': the functions are exp, log, tanh, sigmoid, relu and pow" + hint
        case .functionWithoutArguments(let function):
            return "\(function.rawValue) is a function: give it \(function == .pow ? "arguments" : "an argument") in parentheses, as in \(function.example)"
        case .wrongArgumentCount(let function, let given):
            let takes = function.argumentCount == 1 ? "1 argument" : "2 arguments"
            let was = given == 0 ? "none was given" : given == 1 ? "1 was given" : "\(given) were given"
            return "\(function.rawValue) takes \(takes), as in \(function.example), but \(was)"
        case .nonConstantExponent(let variable):
            return "an exponent must be a constant, but this one uses '\(variable)': for a variable power a^b write exp(b*log(a))"
        case .tooDeep(let limit):
            return "the expression is nested too deeply: at most \(limit) levels of operators, parentheses and calls"
        case .unknownVariable(let name):
            return "'\(name)' has no value: give it one with --set \(name)=1.5"
        case .unknownTensorFunction(let name, let suggestion?):
            return "unknown function '\(name)': did you mean \(suggestion.rawValue)?"
        case .unknownTensorFunction(let name, nil):
            return "unknown function '\(name)': the functions are "
                + ExpressionFunction.allCases.map(\.rawValue).joined(separator: ", ")
        case .tensorOnly(let what):
            return "\(what) works on tensors only: give the variables shapes, as in --shape x=2x3"
        case .unknownTensorVariable(let name):
            return "'\(name)' has no shape and no value: give it a shape with --shape \(name)=2x3 (random values) or a number with --set \(name)=1.5"
        case .shapesDoNotBroadcast(let op, let lhs, let rhs):
            return "'\(op.rawValue)' cannot combine shapes \(describe(lhs, as: .product)) and \(describe(rhs, as: .product)): from the last axis back, each pair of extents must be equal or one of them 1"
        case .matmulShapeMismatch(let lhs, let rhs):
            if lhs.isEmpty || rhs.isEmpty {
                return "'@' needs tensors with at least one axis, but got shapes \(describe(lhs, as: .product)) and \(describe(rhs, as: .product)): use * to multiply by a number"
            }
            return "'@' cannot multiply shapes \(describe(lhs, as: .product)) and \(describe(rhs, as: .product)): the last extent on the left must equal the "
                + "\(rhs.count == 1 ? "only" : "second-to-last") extent on the right (and batch axes must broadcast)"
        case .tensorTooLarge(let shape, let limit):
            return "the result would have shape \(describe(shape, as: .product)), more than \(limit) elements: use smaller shapes"
        case .tooMuchWork(let estimate, let limit):
            return "the expression would take about \(estimate) arithmetic operations, more than the limit of \(limit) "
                + "(about a billion, a few seconds): use smaller shapes or fewer operations"
        case .badShape(let name, let text):
            return "the shape of \(name), '\(text)', is not a shape: write extents from 1 to \(TensorShapes.maximumExtent) separated by x, as in \(name)=2x3"
        case .emptyAssignment:
            return "empty assignment: separate name=value pairs with single commas, as in x=2,w=-3"
        case .missingEquals(let item):
            return "'\(item)' has no '=': write name=value, as in x=2"
        case .missingName:
            return "a value without a name: write name=value, as in x=2"
        case .invalidName(let name):
            return "'\(name)' is not a variable name: a name starts with a letter or _ and goes on with letters, digits or _"
        case .reservedName(let name):
            return "'\(name)' is a function, so it cannot be given a value"
        case .missingValue(let name):
            return "\(name) has no value after '=': write one, as in \(name)=2"
        case .badNumber(let name, let text):
            return "the value of \(name), '\(text)', is not a number: write one such as 2, -3 or 6.88"
        case .duplicateName(let name):
            return "\(name) is given a value twice: keep one \(name)=…"
        }
    }

    /// The three-line form: the text, a caret under `position`, and `reason`.
    public var description: String {
        let line = String(source.map(ExpressionError.printable))
        let caret = String(repeating: " ", count: max(0, position)) + "^"
        return "\(line)\n\(caret)\n\(reason)"
    }

    /// The character as it is shown in the one-line copy of the text: whitespace as a space
    /// and control characters as "?", so the line stays one line and the caret stays aligned.
    private static func printable(_ c: Character) -> Character {
        if c.isWhitespace { return " " }
        if c.unicodeScalars.contains(where: isInvisible) { return "?" }
        return c
    }

    /// A character quoted for a message: 'x', or its code point (U+0007) when invisible.
    private static func show(_ c: Character) -> String {
        if c.unicodeScalars.contains(where: isInvisible) {
            return c.unicodeScalars.map(codePoint).joined(separator: " ")
        }
        return "'\(c)'"
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate, .privateUse: true
        default: false
        }
    }
}

extension ExpressionFunction {
    /// A call to show in messages: tanh(x), pow(x, 2).
    var example: String { self == .pow ? "pow(x, 2)" : "\(rawValue)(x)" }
}


/// A code point as U+ and at least four upper-case hex digits: U+0007.
private func codePoint(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
