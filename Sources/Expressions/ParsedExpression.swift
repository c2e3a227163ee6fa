// ParsedExpression.swift — the language of `lumen draw "tanh(x*w + b)" --set x=2,w=-3,b=6.88`.
//
// Grammar (lowest precedence first; `{…}` repeats, `[…]` is optional):
//
//     expression := product { ("+" | "-") product }            left-associative
//     product    := unary { ("*" | "/") unary }                left-associative
//     unary      := "-" unary | power                          so -x^2 = -(x^2)
//     power      := primary [ "^" unary ]                      right-associative: 2^3^2 = 2^9
//     primary    := number | name | name "(" arguments ")" | "(" expression ")"
//     arguments  := expression { "," expression }
//     number     := digits [ "." [digits] ] [ exponent ] | "." digits [ exponent ]
//     exponent   := ("e" | "E") [ "+" | "-" ] digits            1, 2.5, .5, 1e-3, 6.02E23
//     name       := (letter | "_") { letter | digit | "_" }    x, w1, learning_rate, α
//
// The functions are exp, log, tanh, sigmoid and relu of one argument, and pow(x, c). The
// exponent of `^` and of `pow` must be a constant: it may use numbers, arithmetic and
// functions but no variable, because the engine's power node takes a fixed exponent.
// Spaces, tabs and newlines between tokens are ignored. Expressions may be at most 100
// levels deep (each operator, parenthesis or call is a level), so no input can exhaust the stack.
//
// Tensor expressions (`lumen draw ... --shape`) add `@` to `product` (the matrix product, as
// tight as * and /, left-associative) and the functions sqrt, abs, sin, cos, softplus, gelu
// (exact, with erf), sum and mean (over all elements); see ParsedExpression+Tensor.swift.
//
// Read next: ExpressionLexer.swift, ExpressionParser.swift, then
// ParsedExpression+Evaluation.swift, which turns the tree into a `Value` graph.

/// A parsed expression: the source text and its syntax tree.
///
/// Grammar, from the loosest-binding operator to the tightest:
///
/// - `a + b`, `a - b`: left-associative (`a - b - c = (a - b) - c`);
/// - `a * b`, `a / b`: left-associative;
/// - `-a`: unary minus, binding looser than `^` (`-x^2 = -(x^2)`);
/// - `a ^ c`: power with a constant exponent, right-associative (`2^3^2 = 2^(3^2)`);
/// - numbers (`1`, `2.5`, `.5`, `1e-3`), names (variables such as `x` or `w1`),
///   parentheses, and the functions `exp log tanh sigmoid relu` (one argument) and
///   `pow(x, c)` (constant `c`).
///
/// An exponent is constant when it contains no variable: `x^2`, `x^-0.5`, `x^(1/3)` and
/// `pow(x, 2*3)` are fine; `2^x` is an error (write `exp(x*log(2))`). At most 100 levels of
/// operators, parentheses and calls may sit inside one another.
///
/// ```swift
/// let expression = try ParsedExpression(parsing: "tanh(x*w + b)")
/// let graph = try expression.evaluate(try Assignments(parsing: "x=2,w=-3,b=6.88"))
/// graph.output.backward()
/// ```
public struct ParsedExpression: Sendable, CustomStringConvertible {
    /// The text that was parsed, unchanged. Error positions count `Character`s into it.
    public let source: String
    /// The syntax tree.
    public let root: ExpressionNode
    /// Each variable's name once, in order of first appearance ("x*w + x" → x, w).
    public let variableNames: [String]

    /// Parses `source`, or throws an `ExpressionError` pointing at the first problem.
    ///
    /// With `tensorSyntax`, the language also has `@` (matrix product, as tight as `*`) and
    /// the functions sqrt, abs, sin, cos, softplus, gelu, sum and mean; such an expression is
    /// evaluated with `evaluateTensors` (ParsedExpression+Tensor.swift).
    public init(parsing source: String, tensorSyntax: Bool = false) throws(ExpressionError) {
        var parser = try ExpressionParser(source: source, tensorSyntax: tensorSyntax)
        self.source = source
        self.root = try parser.parseAll()
        self.variableNames = root.variableOccurrences().map(\.name)
    }

    /// The tree written back out with every operation in parentheses, so that precedence is
    /// visible: `-x^2 + y` → `((-(x ^ 2)) + y)`.
    public var description: String { root.description }
}
