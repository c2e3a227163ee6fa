// Lesson04+Text.swift — the text of lesson 4, in Markdown: the order backward visits nodes in,
// and why a value used twice must add up (+=) its gradients. Read next: Lesson04.swift.

extension Lesson04 {
    static let markdown = #"""
    # Order, and values used twice

    Backpropagation has two rules that are easy to get wrong, and both show up the moment a
    value is used more than once. This lesson looks at each, and at the bug you get when you
    break the second.

    ## A node must wait for all its users

    A node can only send its gradient on once it has *received all of it*. If a value feeds two
    operations, both must have sent their share to it first. The order that guarantees this is
    the **topological order**, read backwards: every value is listed after the values it was made
    from, so walking the list from the end visits every user before what it uses.

    ```swift
    let a = Value(3.0, label: "a")
    let b = Value(4.0, label: "b")
    let m = a * b
    m.label = "m"
    let L = m + a
    L.label = "L"
    let order = L.topologicalOrder()
    out.print("topological order:", order.map { $0.label ?? "?" }.joined(separator: ", "))
    out.print("backward visits  :", order.reversed().map { $0.label ?? "?" }.joined(separator: ", "))
    ```
    <!-- run: order -->

    Here `a` is used twice: once in m = a·b and once in L = m + a. In the backward order, both
    `L` and `m` come before `a`, so by the time `a` is reached, it has heard from both.

    ## Gradients from two places add up

    If a value influences the result along two paths, nudging it moves the result along both, and
    the effects add. So a value's gradient is the **sum** of what each of its users sends it.

    For L = a·b + a, by hand: ∂L/∂a = b + 1 = 5 (b from the product, 1 from the sum). Watch `a`
    receive its two shares on separate screens: first 1 from `L`, then 4 from `m`.

    ```swift
    let a = Value(3.0, label: "a")
    let b = Value(4.0, label: "b")
    let m = a * b
    m.label = "m"
    let L = m + a
    L.label = "L"
    out.walkBackward(from: L, title: "L = a·b + a")
    out.print("a.grad =", a.grad!, "  by hand: b + 1 =", b.data + 1)
    ```
    <!-- run: accumulate -->

    ## The bug: = instead of +=

    Here is a tiny backward pass of our own, written twice. The two versions differ in one
    character: one *sets* the input's gradient (`=`), the other *adds* to it (`+=`). Both walk the
    graph in the right order.

    ```swift
    let a = Value(3.0, label: "a")
    let b = Value(4.0, label: "b")
    let L = a * b + a
    var wrong: [Int: Double] = [L.id: 1]
    var right: [Int: Double] = [L.id: 1]
    for node in L.topologicalOrder().reversed() {
        for (input, local) in zip(node.inputs, node.localDerivatives) {
            wrong[input.id] = wrong[node.id, default: 0] * local
            right[input.id, default: 0] += right[node.id, default: 0] * local
        }
    }
    out.print("with  = : dL/da =", wrong[a.id]!, "   (only the last share survived)")
    out.print("with += : dL/da =", right[a.id]!)
    L.backward()
    out.print("Lumen's backward():", a.grad!)
    func f(_ a: Double) -> Double { a * 4 + a }
    out.print("nudged:            ", (f(3 + 1e-6) - f(3)) / 1e-6)
    ```
    <!-- run: theBug -->

    With `=`, the second share overwrote the first and the answer came out 4 instead of 5. The
    bug is silent: nothing crashes, and for any graph where no value is used twice the answer is
    even right. That is why Lumen's tests compare every gradient with nudging.

    ## The same rule, everywhere

    A value used twice is not a rare corner case. In a neural network every input feeds every
    neuron of the first layer, and every weight is used once per training example. Adding up the
    shares is what makes all of that work.

    ```swift
    let x = Value(0.5, label: "x")
    var y = x * x
    for _ in 0..<3 {
        y = y * x
    }
    y.label = "y"
    y.backward()
    out.print("y = x^5 at x = 0.5:", y.data)
    let byHand: Double = 5 * 0.5 * 0.5 * 0.5 * 0.5
    out.print("dy/dx from backward:", x.grad!, "  by hand 5x^4 =", byHand)
    ```
    <!-- run: everywhere -->

    Here `x` is used five times; its gradient is the sum of five shares, and it matches 5x⁴.

    > Backward visits nodes in reverse topological order, and a node's gradient is the sum (+=)
    > of the shares sent by all of its users.
    """#
}
