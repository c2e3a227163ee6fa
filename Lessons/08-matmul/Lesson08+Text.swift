// Lesson08+Text.swift — the text of lesson 8, in Markdown: the matrix product, its backward,
// and three ways to compute it, timed live. Read next: Lesson08.swift.

extension Lesson08 {
    static let markdown = #"""
    # Matrix multiplication and its backward

    A layer of a network is one matrix product: every example in a batch, times every column of
    the weights. Training spends most of its time in this one operation, so this lesson looks
    at it three ways: what it computes, what its backward is, and how fast it can be done.

    ## Rows times columns

    For A of shape m × k and B of shape k × n, the product C = A·B has shape m × n, and each
    entry is a row of A times a column of B, added up:

    C[i][j] = Σₖ A[i][k] · B[k][j]

    The inner sizes must agree (k), and they disappear from the result.

    ```swift
    let a = try Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6]])
    let b = try Tensor<Double>(rows: [[7, 8], [9, 10], [11, 12]])
    let c = a.matmul(b)
    out.print("shape:", c.shape.map { String($0) }.joined(separator: " × "))
    out.print("c[0][0] = 1·7 + 2·9 + 3·11 =", c[0, 0])
    out.print("c:", c.scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: product -->

    ## The backward is two more products

    Suppose a loss L depends on C, and backward has brought the gradient G = ∂L/∂C (same shape
    as C). A[i][k] appears in every C[i][j] of row i, multiplied by B[k][j], so by lesson 4 its
    gradient adds those shares up:

    ∂L/∂A[i][k] = Σⱼ G[i][j] · B[k][j]   that is   ∂L/∂A = G · Bᵀ

    and in the same way ∂L/∂B = Aᵀ · G. Check the shapes: G·Bᵀ is (m × n)(n × k) = m × k, the
    shape of A. Below, L = Σ (A·B) ⊙ G for a fixed G, so that ∂L/∂C is exactly G.

    ```swift
    let a = try Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6]], requiresGrad: true)
    let b = try Tensor<Double>(rows: [[7, 8], [9, 10], [11, 12]], requiresGrad: true)
    let g = try Tensor<Double>(rows: [[1, -1], [2, 0.5]])
    let loss = (a.matmul(b) * g).sum()
    loss.backward()
    out.print("a.grad:", a.grad!.scalars.map { num($0) }.joined(separator: ", "))
    out.print("g · bᵀ:", g.matmul(b.detach().transposed()).scalars.map { num($0) }.joined(separator: ", "))
    out.print("b.grad:", b.grad!.scalars.map { num($0) }.joined(separator: ", "))
    out.print("aᵀ · g:", a.detach().transposed().matmul(g).scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: backward -->

    The frames walk it one node at a time. At the `@` node the gradient g splits in two:
    g · bᵀ goes to a (2 × 3, like a) and aᵀ · g goes to b (3 × 2, like b).

    So a network that multiplies once going forward multiplies twice more coming back: the
    speed of this one operation is most of the speed of training.

    ## Two loops, timed

    The formula is three nested loops. Written in the order of the formula (i, j, then k), the
    innermost loop walks down a **column** of B: each step jumps n numbers ahead in memory,
    which the processor's cache handles badly once the matrices are large. The **blocked**
    loop does the same multiplications in another order: it cuts the matrices into 32 × 32
    tiles that fit in the cache, and inside a tile it runs i, k, j, so that the innermost loop
    walks along **rows** of B and C, one neighbour after the next.

    ```swift
    let n = 128
    let a = (0..<n * n).map { Float(($0 * 7) % 13) / 13 - 0.5 }
    let b = (0..<n * n).map { Float(($0 * 5) % 11) / 11 - 0.5 }
    func readable(_ a: [Float], _ b: [Float]) -> [Float] {
        var c = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var total: Float = 0
                for k in 0..<n { total += a[i * n + k] * b[k * n + j] }
                c[i * n + j] = total
            }
        }
        return c
    }
    func blocked(_ a: [Float], _ b: [Float], tile: Int = 32) -> [Float] {
        var c = [Float](repeating: 0, count: n * n)
        for i0 in stride(from: 0, to: n, by: tile) {
            for k0 in stride(from: 0, to: n, by: tile) {
                for j0 in stride(from: 0, to: n, by: tile) {
                    for i in i0..<min(i0 + tile, n) {
                        for k in k0..<min(k0 + tile, n) {
                            let aik = a[i * n + k]
                            for j in j0..<min(j0 + tile, n) { c[i * n + j] += aik * b[k * n + j] }
                        }
                    }
                }
            }
        }
        return c
    }
    var slow: [Float] = [], fast: [Float] = []
    // One run can be unlucky (another program, a cold cache): time five, keep the median.
    func median(_ work: () -> Void) -> Double { (0..<5).map { _ in out.seconds(work) }.sorted()[2] }
    let readableTime = median { slow = readable(a, b) }
    let blockedTime = median { fast = blocked(a, b) }
    let flops = 2 * Double(n * n * n)
    out.print("readable loop:", num(readableTime * 1000), "ms,", num(flops / readableTime / 1e9), "GFLOP/s")
    out.print("blocked loop: ", num(blockedTime * 1000), "ms,", num(flops / blockedTime / 1e9), "GFLOP/s")
    out.print("largest difference:", Double(zip(slow, fast).map { abs($0 - $1) }.max()!))
    ```
    <!-- run: loops -->

    Both compute the same 2·n³ = 4 194 304 multiply-adds; the results differ only in the last
    bits, because Float sums depend on their order. The times are medians of five runs each,
    measured now, on this machine: a debug build (the one tests use) runs plain loops many times slower than a
    release build, which is what `./lumen` builds, and there the blocked loop can even lose,
    because its bookkeeping is not optimized away. Its advantage shows in release builds and
    grows with the matrices.

    ## Lumen's backends

    Lumen's `matmul` hands the loops to a **backend**. The `ReferenceBackend` is Lumen's own
    readable code (an i, k, j loop); the BLAS backend calls OpenBLAS, a library tuned by hand
    for each processor family, with vector instructions and several levels of blocking.
    `Backends.$scoped.withValue` picks one for a piece of code; the `LUMEN_BACKEND`
    environment variable (`reference` or `blas`) picks one for a whole run.

    ```swift
    let n = 128
    var rng = SplitMix64(seed: 8)
    let a = Tensor<Float>.randomUniform([n, n], -1, 1, using: &rng)
    let b = Tensor<Float>.randomUniform([n, n], -1, 1, using: &rng)
    let flops = 2 * Double(n * n * n)
    var reference = a, fast = a
    let referenceTime = out.seconds { reference = Backends.$scoped.withValue(ReferenceBackend()) { a.matmul(b) } }
    let fastTime = out.seconds { fast = Backends.$scoped.withValue(Backends.processBackend) { a.matmul(b) } }
    out.print("reference backend:", num(referenceTime * 1000), "ms,", num(flops / referenceTime / 1e9), "GFLOP/s")
    out.print("default backend:  ", num(fastTime * 1000), "ms,", num(flops / fastTime / 1e9), "GFLOP/s")
    out.print("the default here is", Backends.summary(of: Backends.processDefault))
    let difference = zip(reference.scalars, fast.scalars).map { abs($0 - $1) }.max()!
    out.print("largest difference:", Double(difference))
    ```
    <!-- run: backends -->

    Compare the four numbers. The arithmetic is the same everywhere; what differs is the order
    in which memory is read, and how many numbers each instruction handles. Docs/performance.md
    records the figures measured in release builds (`lumen-bench w5`).

    ## What to remember

    > C = A·B costs 2·m·k·n operations, and its backward is two more products of the same size:
    > ∂L/∂A = G·Bᵀ and ∂L/∂B = Aᵀ·G. How fast they run depends less on the arithmetic than on
    > the order in which memory is read.
    """#
}
