// Lesson04.swift — the code that lesson 4's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson04+Text.swift (checked by LessonsTests).
// Read next: ../05-neurons-and-training/Lesson05+Text.swift.

import Engine
import LessonKit

enum Lesson04 {
    static let lesson = Lesson(id: 4, markdown: markdown, code: [
        "order": order, "accumulate": accumulate, "theBug": theBug, "everywhere": everywhere,
    ])

    static let order: StepCode = { out in
        // lesson-code: order
        let a = Value(3.0, label: "a")
        let b = Value(4.0, label: "b")
        let m = a * b
        m.label = "m"
        let L = m + a
        L.label = "L"
        let order = L.topologicalOrder()
        out.print("topological order:", order.map { $0.label ?? "?" }.joined(separator: ", "))
        out.print("backward visits  :", order.reversed().map { $0.label ?? "?" }.joined(separator: ", "))
        // end lesson-code
    }

    static let accumulate: StepCode = { out in
        // lesson-code: accumulate
        let a = Value(3.0, label: "a")
        let b = Value(4.0, label: "b")
        let m = a * b
        m.label = "m"
        let L = m + a
        L.label = "L"
        out.walkBackward(from: L, title: "L = a·b + a")
        out.print("a.grad =", a.grad!, "  by hand: b + 1 =", b.data + 1)
        // end lesson-code
    }

    static let theBug: StepCode = { out in
        // lesson-code: theBug
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
        // end lesson-code
    }

    static let everywhere: StepCode = { out in
        // lesson-code: everywhere
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
        // end lesson-code
    }
}
