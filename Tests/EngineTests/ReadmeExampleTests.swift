// ReadmeExampleTests.swift — the README's engine example, run as written, against hand-derived values.
//
// c = 2(a + b) + 1 = -3 and d = ab + b³ = 0, so d - c = 3 > 0 and relu passes it through:
//   e = (d - c) + tanh(c),   ∂e/∂d = 1,   ∂e/∂c = -1 + (1 - tanh²c)
//   ∂e/∂a = ∂e/∂d · b + ∂e/∂c · 2 = 2(1 - tanh²3)
//   ∂e/∂b = ∂e/∂d · (a + 3b²) + ∂e/∂c · 2 = 8 - 2 + 2(1 - tanh²3)

import Engine
import Foundation
import Testing
import _TestSupport

@Test func readmeEngineExample() {
    let a = Value(-4, label: "a"), b = Value(2, label: "b")
    var c = a + b
    let d = a * b + b.pow(3)
    c = c + c + 1
    let e = (d - c).relu() + tanh(c)
    e.backward()

    let t3: Double = Foundation.tanh(3)
    let sech2 = 1 - t3 * t3
    #expect(isClose(e.data, 3 - t3))
    #expect(isClose(a.grad!, 2 * sech2))
    #expect(isClose(b.grad!, 6 + 2 * sech2))

    var pass = BackwardPass(from: e)
    var steps = 0
    while pass.next() != nil { steps += 1 }
    #expect(steps == pass.order.count)
    // A second pass adds to the leaves: the README's "accumulate" note.
    #expect(isClose(a.grad!, 4 * sech2))

    let check = gradientCheck(at: [2, -3]) { x in tanh(x[0] * x[1] + 1) }
    #expect(check.passes())
}
