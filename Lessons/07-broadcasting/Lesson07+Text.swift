// Lesson07+Text.swift — the text of lesson 7, in Markdown: broadcasting, and why its backward
// sums over the broadcast axes. Read next: Lesson07.swift.

extension Lesson07 {
    static let markdown = #"""
    # Broadcasting and its backward

    A layer adds the same bias to every example in a batch. With tensors we would like to write
    that as one addition of a whole table and a single row. **Broadcasting** is the rule that makes
    this work, and its backward is lesson 4's "values used twice add up", seen again.

    ## Adding a row to every row

    When the shapes differ, the smaller tensor is stretched along the missing axes: a row of
    shape [3] added to a [2, 3] table is added to each of its rows.

    ```swift
    let table = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
    let row = Tensor<Double>([10, 20, 30])
    let sum = table + row
    out.print("shape:", sum.shape.map { String($0) }.joined(separator: " × "))
    out.print("row 0:", (0..<3).map { num(sum[0, $0]) }.joined(separator: ", "))
    out.print("row 1:", (0..<3).map { num(sum[1, $0]) }.joined(separator: ", "))
    ```
    <!-- run: addRow -->

    ## Stretching copies nothing

    The stretched row is a view, like lesson 6's transpose: its stride along the new axis is
    **0**, so every row of the view reads the same three numbers from storage.

    ```swift
    let row = Tensor<Double>([10, 20, 30])
    let stretched = row.reshape([1, 3]).expand([2, 3])
    out.print("stretched shape:", stretched.shape.map { String($0) }.joined(separator: " × "))
    out.print("stretched strides:", stretched.strides.map { String($0) }.joined(separator: ", "))
    out.print("same storage as the row?", stretched.storage === row.storage)
    ```
    <!-- run: stretch -->

    ## Backward: add up the copies

    Each number of the row was *used twice*, once per row of the table. By lesson 4, its gradient
    is the sum of what each use sends back. So the backward of broadcasting is a **sum over the
    broadcast axis**. Below, L = Σ (table + row) · w, so by hand ∂L/∂row[j] = w[0, j] + w[1, j].

    ```swift
    let table = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6], requiresGrad: true)
    let row = Tensor<Double>([10, 20, 30], requiresGrad: true)
    let w = try Tensor<Double>(shape: [2, 3], elements: [1, -1, 2, 0.5, 3, -2])
    let L = ((table + row) * w).sum()
    L.backward()
    out.print("row.grad:  ", row.grad!.scalars.map { num($0) }.joined(separator: ", "))
    out.print("by hand:   ", (0..<3).map { num(w[0, $0] + w[1, $0]) }.joined(separator: ", "))
    out.print("table.grad:", table.grad!.scalars.map { num($0) }.joined(separator: ", "), "  (= w: each entry used once)")
    ```
    <!-- run: backward -->

    The frames walk this backward one node at a time. Watch the `+` node: the 2 × 3 gradient
    arriving there goes to `table` as it is, and to `row` summed over axis 0, the axis it was
    stretched along.

    > Broadcasting stretches with stride 0; its backward sums the gradient over the stretched
    > axes, because a value used many times adds up its gradients.
    """#
}
