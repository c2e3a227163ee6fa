// Value+Composites.swift — operations built from the primitives, with no backward of their own.
//
// Subtraction, negation and division need no derivative code: they are written in terms of
// `+`, `*` and `pow`, and the chain rule through those primitives gives their gradients.
// That is why a drawn `a - b` shows a `×` node (by -1) and a `+` node.
//
// Read next: Value+Backward.swift.

extension Value {
    /// Negation, composed: `-x = x · (-1)`.
    public static prefix func - (x: Value) -> Value {
        x * Value(-1)
    }

    /// Subtraction, composed: `a - b = a + (-b)`.
    public static func - (a: Value, b: Value) -> Value {
        a + (-b)
    }

    /// Division, composed: `a / b = a · b⁻¹`.
    public static func / (a: Value, b: Value) -> Value {
        a * b.pow(-1)
    }

    // MARK: - Mixing in plain numbers
    //
    // A `Double` next to a `Value` becomes a constant leaf (`init(constant:)`), so `2.5 * x + y`
    // works for variables of type `Double`. Literals need no overloads: `Value` is
    // expressible by integer and float literals, so `2 * x + 1` already type-checks, and the
    // literals become constants too (below).

    public static func + (a: Value, b: Double) -> Value { a + Value(constant: b) }
    public static func + (a: Double, b: Value) -> Value { Value(constant: a) + b }
    public static func - (a: Value, b: Double) -> Value { a - Value(constant: b) }
    public static func - (a: Double, b: Value) -> Value { Value(constant: a) - b }
    public static func * (a: Value, b: Double) -> Value { a * Value(constant: b) }
    public static func * (a: Double, b: Value) -> Value { Value(constant: a) * b }
    public static func / (a: Value, b: Double) -> Value { a / Value(constant: b) }
    public static func / (a: Double, b: Value) -> Value { Value(constant: a) / b }
}

// A literal where a `Value` is expected (`x * 2`, and also `Value(0)`, which Swift reads as
// the literal 0 of type `Value`) is a constant. To make a variable from a literal, name it:
// `Value(2, label: "w")`, or `w.label = "w"` after `let w: Value = 2`.
extension Value: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public convenience init(floatLiteral value: Double) { self.init(constant: value) }
    public convenience init(integerLiteral value: Int) { self.init(constant: Double(value)) }
}

// MARK: - Function spelling
//
// `tanh(x * w + b)` reads like the formula; these forward to the methods.

/// `x^n` for a constant `n`. See `Value.pow(_:)`.
public func pow(_ x: Value, _ n: Double) -> Value { x.pow(n) }
/// `eˣ`. See `Value.exp()`.
public func exp(_ x: Value) -> Value { x.exp() }
/// `ln x`. See `Value.log()`.
public func log(_ x: Value) -> Value { x.log() }
/// `tanh x`. See `Value.tanh()`.
public func tanh(_ x: Value) -> Value { x.tanh() }
/// `σ(x)`. See `Value.sigmoid()`.
public func sigmoid(_ x: Value) -> Value { x.sigmoid() }
/// `max(0, x)`. See `Value.relu()`.
public func relu(_ x: Value) -> Value { x.relu() }
