// Lesson08.swift — the code that lesson 8's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson08+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Tensors/Ops/MatMul.swift and ../../Sources/Tensors/Backends (the real ones).

import Engine
import LessonKit
import Tensors

enum Lesson08 {
    static let lesson = Lesson(id: 8, markdown: markdown, code: [
        "product": product, "backward": backward, "loops": loops, "backends": backends,
    ])

    static let product: StepCode = { out in
        // lesson-code: product
        let a = try Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6]])
        let b = try Tensor<Double>(rows: [[7, 8], [9, 10], [11, 12]])
        let c = a.matmul(b)
        out.print("shape:", c.shape.map { String($0) }.joined(separator: " × "))
        out.print("c[0][0] = 1·7 + 2·9 + 3·11 =", c[0, 0])
        out.print("c:", c.scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
    }

    static let backward: StepCode = { out in
        // lesson-code: backward
        let a = try Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6]], requiresGrad: true)
        let b = try Tensor<Double>(rows: [[7, 8], [9, 10], [11, 12]], requiresGrad: true)
        let g = try Tensor<Double>(rows: [[1, -1], [2, 0.5]])
        let loss = (a.matmul(b) * g).sum()
        loss.backward()
        out.print("a.grad:", a.grad!.scalars.map { num($0) }.joined(separator: ", "))
        out.print("g · bᵀ:", g.matmul(b.detach().transposed()).scalars.map { num($0) }.joined(separator: ", "))
        out.print("b.grad:", b.grad!.scalars.map { num($0) }.joined(separator: ", "))
        out.print("aᵀ · g:", a.detach().transposed().matmul(g).scalars.map { num($0) }.joined(separator: ", "))
        // end lesson-code
        // The picture: backward one node at a time. At the `@` node the upstream gradient g
        // goes to both factors: g · bᵀ to a and aᵀ · g to b, each shaped like its factor.
        let a2 = try Tensor<Double>(rows: [[1, 2, 3], [4, 5, 6]], requiresGrad: true)
        let b2 = try Tensor<Double>(rows: [[7, 8], [9, 10], [11, 12]], requiresGrad: true)
        let g2 = try Tensor<Double>(rows: [[1, -1], [2, 0.5]])
        a2.label = "a"
        b2.label = "b"
        g2.label = "g"
        out.walkBackward(from: (a2.matmul(b2) * g2).sum(), title: "(a @ b ⊙ g).sum(): matmul's two gradients")
    }

    static let loops: StepCode = { out in
        // lesson-code: loops
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
        // end lesson-code
    }

    static let backends: StepCode = { out in
        // lesson-code: backends
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
        // end lesson-code
    }
}
