// W5MatMul.swift — W5: matrix multiplication speed through `Tensor` (WORKLOADS.md, W5).
//
// C = A·B on square row-major Float matrices, A[i] = u24(5001, i), B[i] = u24(5002, i) over
// the flattened index. One warm-up call, then `reps` calls with reps = clamp(0.5 s / one call,
// 5, 2000); GFLOP/s = 2n³ / the median call. The checksum (Σ of every 97th element of C) must
// match the peers'. This is the reference backend's readable i-k-j loop: the baseline the
// BLAS backend will be measured against.
//
// Read next: main.swift.

import Engine
import Foundation
import Tensors

enum W5MatMul {
    static let defaultSizes = [128, 256, 512, 1024, 2048]

    /// WORKLOADS.md's checksums, by n (given to about 6 significant digits).
    static let referenceChecksums: [Int: Double] = [
        128: 5502.96, 256: 43169.3, 512: 346159, 1024: 2.7693e6, 2048: 2.21377e7,
    ]

    /// u24(seed, i) for i = 0..<count: the top 24 bits of each SplitMix64 output, as a Float in [0, 1).
    static func u24(seed: UInt64, count: Int) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float(Double(generator.next() >> 40) * 0x1p-24) }
    }

    /// One size, measured in this process, as a RESULT line.
    static func measure(n: Int) throws(BenchError) -> ResultLine {
        let a: Tensor<Float>, b: Tensor<Float>
        do {
            a = try Tensor(shape: [n, n], elements: u24(seed: 5001, count: n * n))
            b = try Tensor(shape: [n, n], elements: u24(seed: 5002, count: n * n))
        } catch {
            throw .runFailed(command: "measure w5 --n \(n)", status: 2, output: error.description)
        }
        var c = withoutGradients { a.matmul(b) }  // the warm-up call

        let first = monotonicSeconds()
        c = withoutGradients { a.matmul(b) }
        let once = monotonicSeconds() - first
        let reps = min(2000, max(5, Int(0.5 / max(once, 1e-9))))
        var times: [Double] = []
        for _ in 0..<reps {
            let start = monotonicSeconds()
            c = withoutGradients { a.matmul(b) }
            times.append(monotonicSeconds() - start)
        }
        times.sort()
        let median = times[times.count / 2]

        let elements = c.scalars
        let checksum = stride(from: 0, to: elements.count, by: 97).reduce(0.0) { $0 + Double(elements[$1]) }
        let reference = referenceChecksums[n]
        let matches = reference.map { abs(checksum - $0) <= 1e-4 * abs($0) } ?? true
        let flop = 2 * Double(n) * Double(n) * Double(n)
        return ResultLine([
            "workload": "W5", "peer": "lumen", "backend": "reference", "threads": 1, "n": n,
            "reps": reps, "gflops": flop / median * 1e-9, "gflops_best": flop / times[0] * 1e-9,
            "median_seconds": median, "checksum": checksum,
            "check": reference == nil ? "no-reference" : matches ? "ok" : "FAIL",
        ])
    }
}
