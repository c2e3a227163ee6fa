// Lesson01+Text.swift — the text of lesson 1, in Markdown. Each `## ` heading is one step;
// `<!-- run: name -->` runs the code of that name in Lesson01.swift, whose marked lines must
// equal the ```swift blocks here (LessonsTests checks). Read next: Lesson01.swift.

extension Lesson01 {
    static let markdown = #"""
    # A value and its graph

    Welcome to Lumen. In these lessons you will build up, one small idea at a time, everything
    a neural network does when it learns. No background in deep learning is needed: if you can
    read a little code and remember what a function is, you have all you need.

    We start with the smallest thing there is: a single number that remembers where it came from.

    ## A number that remembers

    In Lumen a number is wrapped in a **`Value`**. A `Value` holds its number in `data`, and it
    can carry a `label` so we can talk about it by name.

    Below we make three values and combine them. Swift's ordinary `*` and `+` work on values, but
    each time they run they do two jobs: they compute the answer, *and* they record how it was
    made.

    ```swift
    let a = Value(2.0, label: "a")
    let b = Value(-3.0, label: "b")
    let c = Value(10.0, label: "c")
    let e = a * b
    let d = e + c
    out.print("a * b     =", e.data)
    out.print("a * b + c =", d.data)
    ```
    <!-- run: firstValues -->

    Nothing surprising yet: 2 × (−3) = −6, and −6 + 10 = 4. The interesting part is what you
    cannot see in the output.

    ## Every value knows its inputs

    A value made by an operation remembers the operation (`op`) and the values that went into it
    (`inputs`). Values you create yourself, such as `a`, are called **leaves**: they have no
    inputs and no op.

    Following the inputs backwards from a result gives its **computation graph**: every value it
    depends on, and how. Let us print it, one line per value.

    ```swift
    let a = Value(2.0, label: "a")
    let b = Value(-3.0, label: "b")
    let c = Value(10.0, label: "c")
    let e = a * b
    e.label = "e"
    let d = e + c
    d.label = "d"
    for node in d.topologicalOrder() {
        if let op = node.op {
            let names = node.inputs.map { $0.label ?? "?" }
            out.print(node.label ?? "?", "=", names.joined(separator: " \(op.symbol) "), "=", node.data)
        } else {
            out.print(node.label ?? "?", "is a leaf holding", node.data)
        }
    }
    ```
    <!-- run: listGraph -->

    `topologicalOrder()` lists the graph so that every value comes after the values it was made
    from. We will need that order in lesson 4; for now it simply gives a sensible reading order.

    ## Drawing the graph

    A list is fine for five values, but graphs grow quickly. Lumen can draw any graph. Here is a
    slightly longer one: we multiply `d` by a new leaf `f` to get `L`, the name we will use for
    "the final result" throughout the lessons.

    ```swift
    let a = Value(2.0, label: "a")
    let b = Value(-3.0, label: "b")
    let c = Value(10.0, label: "c")
    let e = a * b
    e.label = "e"
    let d = e + c
    d.label = "d"
    let f = Value(-2.0, label: "f")
    let L = d * f
    L.label = "L"
    out.print("L =", L.data)
    out.draw(L, title: "L = (a·b + c)·f")
    ```
    <!-- run: drawGraph -->

    The picture shows each value as a box with its `data` and its `grad`. The small round nodes
    are the operations. The `grad` rows show a dash: a gradient is something we have not computed
    yet. Open the picture whose path is printed above in any browser or image viewer.

    ## What comes next

    The graph is a complete record of *how* `L` was computed. That record is what makes the next
    lessons possible: with it we can ask, for every value in the graph, "if this number changed a
    little, how much would `L` change?" That question, asked of every value at once, is the heart
    of how neural networks learn.

    > In one sentence: a `Value` is a number plus the story of where it came from, and the story
    > is a graph.
    """#
}
