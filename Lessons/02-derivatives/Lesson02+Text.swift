// Lesson02+Text.swift — the text of lesson 2, in Markdown: derivatives, by nudging and by hand.
// Each `## ` heading is one step; `<!-- run: name -->` runs the code of that name in
// Lesson02.swift. Read next: Lesson02.swift.

extension Lesson02 {
    static let markdown = #"""
    # Derivatives, by hand and by nudging

    Learning, for a neural network, means adjusting numbers so that some result gets better. To
    adjust a number sensibly you need to know which way to turn it, and how strongly the result
    reacts. That is exactly what a **derivative** tells you. This lesson is about derivatives, and
    nothing else.

    ## Nudge the input, watch the output

    Take an ordinary function, f(x) = 3x² − 4x + 5, and stand at x = 3. If we nudge x by a small
    amount h, f changes by some amount. The ratio *change in f / change in x* is the **slope**.

    ```swift
    func f(_ x: Double) -> Double { 3 * x * x - 4 * x + 5 }
    let x = 3.0
    out.print("f(3) =", f(x))
    for h in [1.0, 0.1, 0.01, 0.001, 0.0001] {
        let slope = (f(x + h) - f(x)) / h
        out.print("h =", h, "   slope ≈", slope)
    }
    ```
    <!-- run: nudge -->

    As h shrinks, the slope settles towards one number. That limit is the derivative of f at 3,
    written **f′(3)** or **df/dx**. It says: near x = 3, every tiny step in x moves f about 14
    times as far, in the same direction.

    ## Too small a nudge

    Why not make h really tiny? Because a computer stores about 16 significant digits. When h is
    very small, f(x + h) and f(x) agree in almost all of those digits, and subtracting them throws
    the agreeing digits away. What is left is mostly rounding noise.

    ```swift
    func f(_ x: Double) -> Double { 3 * x * x - 4 * x + 5 }
    for h in [1e-6, 1e-9, 1e-12, 1e-15] {
        let slope = (f(3 + h) - f(3)) / h
        out.print("h =", h, "   slope ≈", "\(slope)")
    }
    ```
    <!-- run: tooSmall -->

    Keep this in mind: nudging (we will call it the **numerical** derivative) is a wonderful
    *check*, but an unreliable *tool*. It is slow too, as you will see in a moment.

    ## The same answer, by hand

    Calculus gives the exact answer with a few rules. The two we need here: the derivative of xⁿ
    is n·xⁿ⁻¹, and the derivative of a sum is the sum of the derivatives. So
    f′(x) = 6x − 4, and f′(3) = 14.

    ```swift
    func fPrime(_ x: Double) -> Double { 6 * x - 4 }
    out.print("by hand:  f'(3) =", fPrime(3))
    out.print("by hand:  f'(-1) =", fPrime(-1), "  (negative: f goes down as x goes up)")
    out.print("by hand:  f'(2/3) =", fPrime(2.0 / 3.0), "  (zero: the bottom of the curve)")
    ```
    <!-- run: byHand -->

    The sign of the derivative says which way is uphill; its size says how steep. A derivative of
    zero means a flat spot, often a minimum. Learning will be nothing more than walking downhill.

    ## Several inputs

    Most results depend on many numbers. Take d = a·b + c with a = 2, b = −3, c = 10. We can nudge
    one input at a time and hold the others still. Each answer is a **partial derivative**:
    ∂d/∂a, ∂d/∂b, ∂d/∂c.

    ```swift
    func d(_ a: Double, _ b: Double, _ c: Double) -> Double { a * b + c }
    let h = 1e-6
    let base = d(2, -3, 10)
    out.print("dd/da ≈", (d(2 + h, -3, 10) - base) / h, "  by hand: b =", -3.0)
    out.print("dd/db ≈", (d(2, -3 + h, 10) - base) / h, "  by hand: a =", 2.0)
    out.print("dd/dc ≈", (d(2, -3, 10 + h) - base) / h, "  by hand:", 1.0)
    ```
    <!-- run: partials -->

    Read the first line aloud: "if a grows a little, d falls three times as much". The
    collection of all the partial derivatives is called the **gradient**.

    Notice the cost: one extra evaluation of the whole function per input. A network with a
    million numbers would need a million evaluations for a single step of learning. The next
    lesson shows how to get *all* of them in about the cost of one.

    ## Lumen checks its gradients this way

    Lumen computes gradients exactly (that is the next lesson), and uses nudging only as a
    check. `gradientCheck` does both and reports how far apart they are.

    ```swift
    let check = gradientCheck(at: [2, -3, 10]) { v in v[0] * v[1] + v[2] }
    out.print("exact    :", check.analytic.map { num($0) }.joined(separator: ", "))
    out.print("nudged   :", check.numeric.map { num($0) }.joined(separator: ", "))
    out.print("largest difference:", check.maxError)
    ```
    <!-- run: check -->

    The two agree to many digits. You now know what a gradient is and how to measure one. Next:
    how to compute one exactly, for any graph, in one backwards sweep.
    """#
}
