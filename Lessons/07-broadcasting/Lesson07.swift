// Lesson07.swift — the code that lesson 7's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson07+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/LessonKit/LessonRunner.swift.

import LessonKit
import Tensors

enum Lesson07 {
    static let lesson = Lesson(id: 7, markdown: markdown, code: [
        "addRow": addRow, "stretch": stretch, "backward": backward,
    ])

    static let addRow: StepCode = { out in
        // lesson-code: addRow
        let table = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        let row = Tensor<Double>([10, 20, 30])
        let sum = table + row
        out.print("shape:", sum.shape.map { String($0) }.joined(separator: " × "))
        out.print("row 0:", (0..<3).map { num(sum[0, $0]) }.joined(separator: ", "))
        out.print("row 1:", (0..<3).map { num(sum[1, $0]) }.joined(separator: ", "))
        // end lesson-code
    }

    static let stretch: StepCode = { out in
        // lesson-code: stretch
        let row = Tensor<Double>([10, 20, 30])
        let stretched = row.reshape([1, 3]).expand([2, 3])
        out.print("stretched shape:", stretched.shape.map { String($0) }.joined(separator: " × "))
        out.print("stretched strides:", stretched.strides.map { String($0) }.joined(separator: ", "))
        out.print("same storage as the row?", stretched.storage === row.storage)
        // end lesson-code
    }

    static let backward: StepCode = { out in
        // lesson-code: backward
        let table = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let row = Tensor<Double>([10, 20, 30], requiresGrad: true)
        let w = try Tensor<Double>(shape: [2, 3], elements: [1, -1, 2, 0.5, 3, -2])
        let L = ((table + row) * w).sum()
        L.backward()
        out.print("row.grad:  ", row.grad!.scalars.map { num($0) }.joined(separator: ", "))
        out.print("by hand:   ", (0..<3).map { num(w[0, $0] + w[1, $0]) }.joined(separator: ", "))
        out.print("table.grad:", table.grad!.scalars.map { num($0) }.joined(separator: ", "), "  (= w: each entry used once)")
        // end lesson-code
        // The picture: the same computation walked backward one node at a time. At the `+`
        // node, row's share arrives as a 2 × 3 gradient and is summed over axis 0 to fit row.
        let table2 = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let row2 = Tensor<Double>([10, 20, 30], requiresGrad: true)
        table2.label = "table"
        row2.label = "row"
        let weights = try Tensor<Double>(shape: [2, 3], elements: [1, -1, 2, 0.5, 3, -2])
        weights.label = "w"
        out.walkBackward(from: ((table2 + row2) * weights).sum(), title: "((table + row) ⊙ w).sum()")
    }
}
