// Lesson02.swift — the code that lesson 2's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson02+Text.swift (checked by LessonsTests).
// Read next: ../03-the-chain-rule/Lesson03+Text.swift.

import Engine
import LessonKit

enum Lesson02 {
    static let lesson = Lesson(id: 2, markdown: markdown, code: [
        "nudge": nudge, "tooSmall": tooSmall, "byHand": byHand, "partials": partials, "check": check,
    ])

    static let nudge: StepCode = { out in
        // lesson-code: nudge
        func f(_ x: Double) -> Double { 3 * x * x - 4 * x + 5 }
        let x = 3.0
        out.print("f(3) =", f(x))
        for h in [1.0, 0.1, 0.01, 0.001, 0.0001] {
            let slope = (f(x + h) - f(x)) / h
            out.print("h =", h, "   slope ≈", slope)
        }
        // end lesson-code
    }

    static let tooSmall: StepCode = { out in
        // lesson-code: tooSmall
        func f(_ x: Double) -> Double { 3 * x * x - 4 * x + 5 }
        for h in [1e-6, 1e-9, 1e-12, 1e-15] {
            let slope = (f(3 + h) - f(3)) / h
            out.print("h =", h, "   slope ≈", "\(slope)")
        }
        // end lesson-code
    }

    static let byHand: StepCode = { out in
        // lesson-code: byHand
        func fPrime(_ x: Double) -> Double { 6 * x - 4 }
        out.print("by hand:  f'(3) =", fPrime(3))
        out.print("by hand:  f'(-1) =", fPrime(-1), "  (negative: f goes down as x goes up)")
        out.print("by hand:  f'(2/3) =", fPrime(2.0 / 3.0), "  (zero: the bottom of the curve)")
        // end lesson-code
    }

    static let partials: StepCode = { out in
        // lesson-code: partials
        func d(_ a: Double, _ b: Double, _ c: Double) -> Double { a * b + c }
        let h = 1e-6
        let base = d(2, -3, 10)
        out.print("dd/da ≈", (d(2 + h, -3, 10) - base) / h, "  by hand: b =", -3.0)
        out.print("dd/db ≈", (d(2, -3 + h, 10) - base) / h, "  by hand: a =", 2.0)
        out.print("dd/dc ≈", (d(2, -3, 10 + h) - base) / h, "  by hand:", 1.0)
        // end lesson-code
    }

    static let check: StepCode = { out in
        // lesson-code: check
        let check = gradientCheck(at: [2, -3, 10]) { v in v[0] * v[1] + v[2] }
        out.print("exact    :", check.analytic.map { num($0) }.joined(separator: ", "))
        out.print("nudged   :", check.numeric.map { num($0) }.joined(separator: ", "))
        out.print("largest difference:", check.maxError)
        // end lesson-code
    }
}
