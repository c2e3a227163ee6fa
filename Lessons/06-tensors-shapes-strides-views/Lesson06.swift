// Lesson06.swift — the code that lesson 6's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson06+Text.swift (checked by LessonsTests).
// Read next: ../07-broadcasting/Lesson07+Text.swift.

import LessonKit
import Tensors

enum Lesson06 {
    static let lesson = Lesson(id: 6, markdown: markdown, code: [
        "grid": grid, "strides": strides, "transpose": transpose, "slice": slice,
    ])

    static let grid: StepCode = { out in
        // lesson-code: grid
        let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        out.print("shape:", t.shape.map { String($0) }.joined(separator: " × "))
        out.print("storage, flat:", t.scalars.map { num($0) }.joined(separator: ", "))
        out.print("row 1, column 2:", t[1, 2])
        // end lesson-code
    }

    static let strides: StepCode = { out in
        // lesson-code: strides
        let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        out.print("strides:", t.strides.map { String($0) }.joined(separator: ", "))
        let flat = t.scalars
        for i in 0..<2 {
            for j in 0..<3 {
                let position = t.offset + i * t.strides[0] + j * t.strides[1]
                out.print("t[\(i), \(j)] = \(num(t[i, j]))   storage[\(position)] = \(num(flat[position]))")
            }
        }
        // end lesson-code
    }

    static let transpose: StepCode = { out in
        // lesson-code: transpose
        let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        let tt = t.transposed()
        out.print("transposed shape:", tt.shape.map { String($0) }.joined(separator: " × "))
        out.print("transposed strides:", tt.strides.map { String($0) }.joined(separator: ", "))
        out.print("same storage as t?", tt.storage === t.storage)
        out.print("tt[2, 1] =", tt[2, 1], "  t[1, 2] =", t[1, 2])
        out.print("contiguous (rows laid out one after another)?", t.isContiguous, "vs", tt.isContiguous)
        // end lesson-code
        // The picture: a transpose is an op in the graph like any other; it moves no numbers,
        // and backward sends the gradient back through the same view, transposed again.
        let drawn = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        drawn.label = "t"
        let total = (drawn.transposed() * Tensor<Double>([1, 10])).sum()
        total.backward()
        out.draw(total, title: "(tᵀ ⊙ [1, 10]).sum(): the transpose is a view in the graph", detail: .values)
    }

    static let slice: StepCode = { out in
        // lesson-code: slice
        let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        let right = t.slice(axis: 1, 1, 3)
        out.print("slice shape:", right.shape.map { String($0) }.joined(separator: " × "),
                  "  offset:", right.offset, "  strides:", right.strides.map { String($0) }.joined(separator: ", "))
        out.print("slice elements:", right.scalars.map { num($0) }.joined(separator: ", "))
        out.print("same storage as t?", right.storage === t.storage)
        // end lesson-code
    }
}
