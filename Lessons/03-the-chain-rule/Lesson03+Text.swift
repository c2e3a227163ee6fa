// Lesson03+Text.swift — the text of lesson 3, in Markdown: the chain rule, and backprop done by
// hand and then stepped node by node. Read next: Lesson03.swift.

extension Lesson03 {
    static let markdown = #"""
    # The chain rule and backpropagation

    In lesson 1 we built L = (a·b + c)·f and drew its graph. In lesson 2 we learned that the
    gradient, the list of ∂L/∂(each input), tells us how to adjust the inputs. Nudging each input
    works but costs one evaluation per input. This lesson computes every gradient exactly, in a
    single sweep backwards through the graph. That sweep is called **backpropagation**, and it is
    how every modern neural network learns.

    ## Start at the end

    Here is the graph again (the picture below), with e = a·b and d = e + c, so L = d·f.

    The first gradient is free: ∂L/∂L = 1 (nudge L and L changes by exactly the nudge).

    One step back, L = d·f is a product. For a product, the derivative with respect to one
    factor is *the other factor*: ∂L/∂d = f and ∂L/∂f = d.

    ```swift
    let d = 4.0, f = -2.0
    out.print("dL/dL = 1")
    out.print("dL/dd = f =", f)
    out.print("dL/df = d =", d)
    ```
    <!-- run: lastNode -->

    ## The chain rule

    Now go one more step back, to e. L does not use e directly; it uses d, and d uses e. The
    **chain rule** says the effects multiply:

    > ∂L/∂e = ∂L/∂d · ∂d/∂e

    Read it as: "how much L moves per unit of d, times how much d moves per unit of e". The first
    factor we already have (it arrived from above; we call it the **upstream** gradient). The
    second is **local**: it only needs the one operation d = e + c, whose derivative with respect
    to either input is 1.

    ```swift
    let a = 2.0, b = -3.0, f = -2.0
    let dL_dd = f
    let dL_de = dL_dd * 1
    let dL_dc = dL_dd * 1
    let dL_da = dL_de * b
    let dL_db = dL_de * a
    out.print("dL/de = dL/dd · 1 =", dL_de)
    out.print("dL/dc = dL/dd · 1 =", dL_dc)
    out.print("dL/da = dL/de · b =", dL_da)
    out.print("dL/db = dL/de · a =", dL_db)
    ```
    <!-- run: chainRule -->

    Every line has the same shape: **upstream × local = what this input receives**. A plus node
    passes its upstream gradient through unchanged; a times node multiplies it by the other
    input. Nothing else is ever needed.

    ## Backprop, one node at a time

    Lumen does exactly what you just did by hand. Each node, starting from L, takes the gradient
    that arrived at it and sends upstream × local to each of its inputs.

    On the following screens, each backward step is one screen. The node being processed is
    outlined in orange in the picture, nodes already done are marked with a tick, and each edge
    shows its upstream × local product.

    ```swift
    let a = Value(2.0, label: "a")
    let b = Value(-3.0, label: "b")
    let c = Value(10.0, label: "c")
    let f = Value(-2.0, label: "f")
    let e = a * b
    e.label = "e"
    let d = e + c
    d.label = "d"
    let L = d * f
    L.label = "L"
    out.walkBackward(from: L, title: "L = (a·b + c)·f")
    out.print("gradients: a", a.grad!, " b", b.grad!, " c", c.grad!, " f", f.grad!)
    ```
    <!-- run: stepByStep -->

    ## Check it

    The numbers match our hand computation. Let us also check them against nudging, the slow but
    trustworthy method from lesson 2, this time using Lumen's ordinary `backward()`, which runs
    the very same steps without stopping.

    ```swift
    func L(_ a: Double, _ b: Double, _ c: Double, _ f: Double) -> Double { (a * b + c) * f }
    let a = Value(2.0), b = Value(-3.0), c = Value(10.0), f = Value(-2.0)
    let loss = (a * b + c) * f
    loss.backward()
    let h = 1e-6
    let base = L(2, -3, 10, -2)
    out.print("dL/da  backward:", a.grad!, "  nudged:", (L(2 + h, -3, 10, -2) - base) / h)
    out.print("dL/db  backward:", b.grad!, "  nudged:", (L(2, -3 + h, 10, -2) - base) / h)
    out.print("dL/dc  backward:", c.grad!, "  nudged:", (L(2, -3, 10 + h, -2) - base) / h)
    out.print("dL/df  backward:", f.grad!, "  nudged:", (L(2, -3, 10, -2 + h) - base) / h)
    ```
    <!-- run: check -->

    One sweep backwards gave all four gradients exactly; nudging needed four extra evaluations,
    and its answers are exact only because this L is linear in each input: they print the
    same here, but for a curved function (lesson 2) a nudge is only approximately right. For a network with a million inputs, that is the
    difference between one sweep and a million.

    > Backpropagation is the chain rule, applied node by node from the result back to the
    > inputs: each node sends upstream × local to each of its inputs.
    """#
}
