// Lesson03.swift — the code that lesson 3's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson03+Text.swift (checked by LessonsTests).
// Read next: ../04-order-and-accumulation/Lesson04+Text.swift.

import Engine
import LessonKit

enum Lesson03 {
    static let lesson = Lesson(id: 3, markdown: markdown, code: [
        "lastNode": lastNode, "chainRule": chainRule, "stepByStep": stepByStep, "check": check,
    ])

    static let lastNode: StepCode = { out in
        // lesson-code: lastNode
        let d = 4.0, f = -2.0
        out.print("dL/dL = 1")
        out.print("dL/dd = f =", f)
        out.print("dL/df = d =", d)
        // end lesson-code
        // The picture: the graph of L, forward values only (backward comes next).
        let a = Value(2.0, label: "a"), b = Value(-3.0, label: "b"), c = Value(10.0, label: "c")
        let fv = Value(-2.0, label: "f")
        let e = a * b
        e.label = "e"
        let dv = e + c
        dv.label = "d"
        let L = dv * fv
        L.label = "L"
        out.draw(L, title: "L = (a·b + c)·f, before backward")
    }

    static let chainRule: StepCode = { out in
        // lesson-code: chainRule
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
        // end lesson-code
    }

    static let stepByStep: StepCode = { out in
        // lesson-code: stepByStep
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
        // end lesson-code
    }

    static let check: StepCode = { out in
        // lesson-code: check
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
        // end lesson-code
    }
}
