// ExpressionParser.swift — tokens to a syntax tree, by recursive descent.
//
// One function per grammar rule (see ParsedExpression.swift), each calling the next
// tighter-binding rule: expression → product → unary → power → primary. A loop in
// `parseExpression` and `parseProduct` makes + - * / left-associative; `parsePower` calling
// `parseUnary` for its exponent makes ^ right-associative and lets it bind tighter than a
// leading minus. Every error names the token where parsing stopped.
//
// Read next: ParsedExpression+Evaluation.swift.

struct ExpressionParser {
    /// The most levels of nesting (parentheses, calls, minus signs, exponents inside one
    /// another) allowed. Each is a recursive call of the parser.
    static let maximumDepth = 100

    /// The tallest syntax tree allowed. A left-associative chain `a + b + c + …` is parsed by
    /// a loop, not by nesting, so it does not count towards `maximumDepth`; but its tree is as
    /// tall as it has operators, and evaluating and drawing walk the tree recursively, so the
    /// chain is bounded here, far above any expression typed by hand. (Evaluating a 10,000-term sum overflowed
    /// the stack of a Swift Testing thread; 2,000 leaves room.)
    static let maximumHeight = 2_000

    private let source: String
    private let tokens: [Token]
    private var index = 0
    /// How many levels of nesting are open (parentheses, calls, minus signs, exponents): each
    /// is a recursive call, so this bounds the parser's stack depth.
    private var depth = 0

    /// Whether `@` and the tensor-only functions (`sum`, `mean`, `sqrt`, ...) are allowed.
    private let tensorSyntax: Bool

    init(source: String, tensorSyntax: Bool = false) throws(ExpressionError) {
        self.source = source
        self.tensorSyntax = tensorSyntax
        self.tokens = try ExpressionLexer.tokens(of: source, tensorSyntax: tensorSyntax)
    }

    /// The whole input as one expression.
    mutating func parseAll() throws(ExpressionError) -> ExpressionNode {
        if current.kind == .end {
            throw error(.emptyExpression, at: 0)
        }
        let root = try parseExpression()
        switch current.kind {
        case .end:
            return root
        case .rightParenthesis:
            throw error(.unmatchedClosingParenthesis, at: current.position)
        default:
            throw unexpected(expecting: "an operator or the end of the expression")
        }
    }

    // MARK: - The grammar rules

    /// expression := product { ("+" | "-") product }
    private mutating func parseExpression() throws(ExpressionError) -> ExpressionNode {
        var lhs = try parseProduct()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return lhs
            }
            let position = advance().position
            let rhs = try parseProduct()
            lhs = try node(.binary(op, lhs, rhs), at: position)
        }
    }

    /// product := unary { ("*" | "/" | "@") unary }     ("@" in tensor expressions only)
    private mutating func parseProduct() throws(ExpressionError) -> ExpressionNode {
        var lhs = try parseUnary()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .at: op = .matmul
            default: return lhs
            }
            let position = advance().position
            if op == .multiply, current.kind == .star {
                throw error(.doubleStar, at: position)
            }
            let rhs = try parseUnary()
            lhs = try node(.binary(op, lhs, rhs), at: position)
        }
    }

    /// unary := "-" unary | power
    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        guard current.kind == .minus else { return try parsePower() }
        let position = advance().position
        try enter(at: position)
        defer { depth -= 1 }
        let operand = try parseUnary()
        return try node(.negate(operand), at: position)
    }

    /// power := primary [ "^" unary ]
    private mutating func parsePower() throws(ExpressionError) -> ExpressionNode {
        let base = try parsePrimary()
        guard current.kind == .caret else { return base }
        let position = advance().position
        try enter(at: position)
        defer { depth -= 1 }
        let exponent = try parseUnary()
        try requireConstant(exponent)
        return try node(.power(base: base, exponent: exponent), at: position)
    }

    /// primary := number | name | name "(" arguments ")" | "(" expression ")"
    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return try node(.number(value, text: token.text), at: token.position)
        case .name(let name):
            advance()
            if current.kind == .leftParenthesis {
                return try parseCall(name: name, at: token.position)
            }
            if let function = ExpressionFunction(rawValue: name), tensorSyntax || !function.isTensorOnly {
                throw error(.functionWithoutArguments(function), at: token.position)
            }
            return try node(.variable(name), at: token.position)
        case .leftParenthesis:
            advance()
            try enter(at: token.position)
            defer { depth -= 1 }
            let inner = try parseExpression()
            try expectClosingParenthesis(openedAt: token.position, expecting: "an operator or ')'")
            return inner
        default:
            throw unexpected(expecting: "a number, a name, '(' or '-'")
        }
    }

    /// A call, with `current` at the "(" after the function's name.
    private mutating func parseCall(name: String, at position: Int) throws(ExpressionError) -> ExpressionNode {
        guard let function = ExpressionFunction(rawValue: name), tensorSyntax || !function.isTensorOnly else {
            let suggestion = FunctionNames.suggestion(for: name, tensorSyntax: tensorSyntax)
            throw error(tensorSyntax ? .unknownTensorFunction(name, suggestion: suggestion)
                                     : .unknownFunction(name, suggestion: suggestion), at: position)
        }
        let open = advance().position
        try enter(at: open)
        defer { depth -= 1 }
        var arguments: [ExpressionNode] = []
        if current.kind != .rightParenthesis {
            arguments.append(try parseExpression())
            while current.kind == .comma {
                advance()
                arguments.append(try parseExpression())
            }
        }
        try expectClosingParenthesis(openedAt: open, expecting: "an operator, ',' or ')'")
        guard arguments.count == function.argumentCount else {
            throw error(.wrongArgumentCount(function, given: arguments.count), at: position)
        }
        if function == .pow {
            try requireConstant(arguments[1])
        }
        return try node(.call(function, arguments), at: position)
    }

    // MARK: - Helpers

    private var current: Token { tokens[index] }

    /// Moves past the current token and returns it. Never moves past `.end`.
    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func expectClosingParenthesis(openedAt open: Int, expecting expected: String) throws(ExpressionError) {
        switch current.kind {
        case .rightParenthesis:
            advance()
        case .end:
            throw error(.missingClosingParenthesis(openedAt: open), at: current.position)
        default:
            throw unexpected(expecting: expected)
        }
    }

    /// Counts one more level of nesting, and refuses to go past the limit.
    private mutating func enter(at position: Int) throws(ExpressionError) {
        depth += 1
        if depth > ExpressionParser.maximumDepth {
            throw error(.tooDeep(limit: ExpressionParser.maximumDepth), at: position)
        }
    }

    /// A new tree node, refused if it would make the tree taller than `maximumHeight` (a long
    /// chain `a + b + c + …` is as tall as it has operators).
    private func node(_ kind: ExpressionNode.Kind, at position: Int) throws(ExpressionError) -> ExpressionNode {
        let made = ExpressionNode(kind, at: position)
        if made.height > ExpressionParser.maximumHeight {
            throw error(.tooDeep(limit: ExpressionParser.maximumHeight), at: position)
        }
        return made
    }

    private func requireConstant(_ exponent: ExpressionNode) throws(ExpressionError) {
        if let variable = exponent.firstVariable() {
            throw error(.nonConstantExponent(variable: variable.name), at: variable.position)
        }
    }

    /// The error for the current token when it cannot continue the expression. An operand
    /// where an operator belongs ("2x", "(a b)") is reported as a missing operator.
    private func unexpected(expecting expected: String) -> ExpressionError {
        let token = current
        if token.startsOperand, index > 0, tokens[index - 1].endsOperand {
            return error(.missingOperator(before: token.text), at: token.position)
        }
        return error(.unexpectedToken(found: token.quoted, expected: expected), at: token.position)
    }

    private func error(_ kind: ExpressionError.Kind, at position: Int) -> ExpressionError {
        ExpressionError(kind, in: source, at: position)
    }
}

extension Token {
    /// True for the tokens that can end an operand: a number, a name or ")".
    var endsOperand: Bool {
        switch kind {
        case .number, .name, .rightParenthesis: true
        default: false
        }
    }
}

/// Finding the function a misspelt name probably meant.
enum FunctionNames {
    /// The known function a misspelt `name` most likely meant, if any: a common other
    /// spelling ("ln" → log), or the function within one edit of it (two for names of six
    /// characters or more), ignoring case. An edit inserts, deletes or changes a character,
    /// or swaps two neighbours ("tahn" → tanh).
    static func suggestion(for name: String, tensorSyntax: Bool = false) -> ExpressionFunction? {
        let lowered = name.lowercased()
        let aliases: [String: ExpressionFunction] = ["ln": .log, "sigma": .sigmoid, "σ": .sigmoid, "power": .pow]
        if let alias = aliases[lowered] { return alias }
        let allowed = name.count >= 6 ? 2 : 1
        let ranked = ExpressionFunction.allCases.filter { tensorSyntax || !$0.isTensorOnly }
            .map { (function: $0, distance: editDistance(lowered, $0.rawValue)) }
            .min { $0.distance < $1.distance }
        guard let best = ranked, best.distance <= allowed else { return nil }
        return best.function
    }

    /// The optimal-string-alignment distance: the fewest insertions, deletions,
    /// substitutions and swaps of neighbouring characters that turn `a` into `b`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        // d[i][j] = distance between the first i characters of a and the first j of b.
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
