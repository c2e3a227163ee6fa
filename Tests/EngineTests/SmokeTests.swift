import Testing
import Engine

@Test func literalsMixIn() {
    let x: Value = 3
    let y = 2 * x + 1
    #expect(y.data == 7)
    y.backward()
    #expect(x.grad == 2)
}
