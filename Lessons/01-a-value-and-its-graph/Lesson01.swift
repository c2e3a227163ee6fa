// Lesson01.swift — the code that lesson 1's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson01+Text.swift (checked by LessonsTests).
// Read next: ../02-derivatives/Lesson02+Text.swift.

import Engine
import LessonKit

enum Lesson01 {
    static let lesson = Lesson(id: 1, markdown: markdown, code: [
        "firstValues": firstValues, "listGraph": listGraph, "drawGraph": drawGraph,
    ])

    static let firstValues: StepCode = { out in
        // lesson-code: firstValues
        let a = Value(2.0, label: "a")
        let b = Value(-3.0, label: "b")
        let c = Value(10.0, label: "c")
        let e = a * b
        let d = e + c
        out.print("a * b     =", e.data)
        out.print("a * b + c =", d.data)
        // end lesson-code
    }

    static let listGraph: StepCode = { out in
        // lesson-code: listGraph
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
        // end lesson-code
    }

    static let drawGraph: StepCode = { out in
        // lesson-code: drawGraph
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
        // end lesson-code
    }
}
