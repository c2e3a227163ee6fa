// Lesson06+Text.swift — the text of lesson 6, in Markdown: from scalars to tensors; shapes,
// strides and views. Read next: Lesson06.swift.

extension Lesson06 {
    static let markdown = #"""
    # From scalars to tensors: shapes, strides and views

    A network trained one `Value` at a time is clear but slow: lesson 5's small network built
    thousands of nodes for every step. Real frameworks work on whole grids of numbers at once, so
    that one node in the graph stands for thousands of multiplications. Such a grid is a
    **tensor**. This lesson is about how a tensor is stored, which explains why some operations
    on it are free.

    ## A grid of numbers

    A tensor has a **shape**: the length of each of its axes. A shape of [2, 3] is a table with 2
    rows and 3 columns. Its numbers live in one flat list, the **storage**.

    ```swift
    let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
    out.print("shape:", t.shape.map { String($0) }.joined(separator: " × "))
    out.print("storage, flat:", t.scalars.map { num($0) }.joined(separator: ", "))
    out.print("row 1, column 2:", t[1, 2])
    ```
    <!-- run: grid -->

    ## Strides: finding an element

    How does `t[1, 2]` find its number in the flat list? Each axis has a **stride**: how far to
    move in storage to take one step along that axis. Moving one row skips 3 numbers; moving one
    column skips 1. So element [i, j] sits at position i·3 + j·1.

    ```swift
    let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
    out.print("strides:", t.strides.map { String($0) }.joined(separator: ", "))
    let flat = t.scalars
    for i in 0..<2 {
        for j in 0..<3 {
            let position = t.offset + i * t.strides[0] + j * t.strides[1]
            out.print("t[\(i), \(j)] = \(num(t[i, j]))   storage[\(position)] = \(num(flat[position]))")
        }
    }
    ```
    <!-- run: strides -->

    ## A transpose copies nothing

    To transpose a table (rows become columns) we do not have to move a single number: swap the
    shape *and the strides*, and keep the same storage. A tensor that shares another's storage
    with its own shape and strides is called a **view**.

    ```swift
    let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
    let tt = t.transposed()
    out.print("transposed shape:", tt.shape.map { String($0) }.joined(separator: " × "))
    out.print("transposed strides:", tt.strides.map { String($0) }.joined(separator: ", "))
    out.print("same storage as t?", tt.storage === t.storage)
    out.print("tt[2, 1] =", tt[2, 1], "  t[1, 2] =", t[1, 2])
    out.print("contiguous (rows laid out one after another)?", t.isContiguous, "vs", tt.isContiguous)
    ```
    <!-- run: transpose -->

    The picture draws a small graph with a transpose in it: `ᵀ` is a node like any other,
    with its own shape, and backward sends the gradient back through it transposed again.

    The transposed view reads storage in a different order. Some operations need the plain
    row-after-row order; for those, Lumen makes a contiguous copy first, and only then.

    ## Slices are views too

    Taking columns 1 and 2 of every row is also just new bookkeeping: start one number later in
    storage (the **offset**), keep the strides, shrink the shape.

    ```swift
    let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
    let right = t.slice(axis: 1, 1, 3)
    out.print("slice shape:", right.shape.map { String($0) }.joined(separator: " × "),
              "  offset:", right.offset, "  strides:", right.strides.map { String($0) }.joined(separator: ", "))
    out.print("slice elements:", right.scalars.map { num($0) }.joined(separator: ", "))
    out.print("same storage as t?", right.storage === t.storage)
    ```
    <!-- run: slice -->

    > A tensor is storage plus bookkeeping: shape, strides and offset. Transposes, slices and
    > many reshapes change only the bookkeeping.
    """#
}
