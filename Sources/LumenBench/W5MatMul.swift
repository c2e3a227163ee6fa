// W5MatMul.swift — W5: matrix multiplication speed through `Tensor` (WORKLOADS.md, W5).
//
// C = A·B on square row-major Float matrices, A[i] = u24(5001, i), B[i] = u24(5002, i) over
// the flattened index. One warm-up call, then `reps` calls with reps = clamp(0.5 s / one call,
// 5, 2000); GFLOP/s = 2n³ / the median call. The checksum (Σ of every 97th element of C) must
// match the peers'. It runs on the process's backend (LUMEN_BACKEND=reference|blas); with
// BLAS, the same process also times a bare cblas_sgemm call for the ratio.
//
// Read next: main.swift.

import Basics
import Foundation
import Tensors
#if BLAS
import COpenBLAS
#endif

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

    /// Times `call` as WORKLOADS.md says: one warm-up call, then reps = clamp(0.5 s / one
    /// call, 5, 2000) calls. Returns the sorted call times.
    static func time(_ call: () -> Void) -> [Double] {
        call()
        let first = monotonicSeconds()
        call()
        let once = monotonicSeconds() - first
        let reps = min(2000, max(5, Int(0.5 / max(once, 1e-9))))
        var times: [Double] = []
        for _ in 0..<reps {
            let start = monotonicSeconds()
            call()
            times.append(monotonicSeconds() - start)
        }
        return times.sorted()
    }

    /// One size on the process's backend (`LUMEN_BACKEND`, or `Backends.use`), as a RESULT
    /// line. With BLAS compiled in, also a bare `cblas_sgemm` on the same matrices, called
    /// straight from Swift, and the ratio of the two: what going through `Tensor` costs.
    static func measure(n: Int) throws(BenchError) -> ResultLine {
        let a: Tensor<Float>, b: Tensor<Float>
        do {
            a = try Tensor(shape: [n, n], elements: u24(seed: 5001, count: n * n))
            b = try Tensor(shape: [n, n], elements: u24(seed: 5002, count: n * n))
        } catch {
            throw .runFailed(command: "measure w5 --n \(n)", status: 2, output: error.description)
        }
        var c = a
        let times = time { c = withoutGradients { a.matmul(b) } }
        let median = times[times.count / 2]

        let elements = c.scalars
        let checksum = stride(from: 0, to: elements.count, by: 97).reduce(0.0) { $0 + Double(elements[$1]) }
        let reference = referenceChecksums[n]
        let matches = reference.map { abs(checksum - $0) <= 1e-4 * abs($0) } ?? true
        let flop = 2 * Double(n) * Double(n) * Double(n)
        var line = backendFields("W5")
        line["n"] = n
        line["reps"] = times.count
        line["gflops"] = flop / median * 1e-9
        line["gflops_best"] = flop / times[0] * 1e-9
        line["median_seconds"] = median
        #if BLAS
        let bare = bareSgemmSeconds(n: n, a: a.scalars, b: b.scalars)
        line["bare_cblas_gflops"] = flop / bare * 1e-9
        line["tensor_over_bare"] = bare / median
        #endif
        line["checksum"] = checksum
        line["check"] = reference == nil ? "no-reference" : matches ? "ok" : "FAIL"
        return line
    }

    #if BLAS
    /// The median time of `cblas_sgemm` on n × n row-major matrices, called directly: the
    /// 100% that W5's 95% target is measured against.
    static func bareSgemmSeconds(n: Int, a: [Float], b: [Float]) -> Double {
        // OpenBLAS's own threads, as many as the tensor path's (which runs OpenBLAS on one
        // thread and splits the product itself); back to one afterwards.
        openblas_set_num_threads(Int32(Backends.threads))
        defer { openblas_set_num_threads(1) }
        var c = [Float](repeating: 0, count: n * n)
        let size = Int32(n)
        let times = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    time {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size,
                                    1, a.baseAddress, size, b.baseAddress, size, 0, c.baseAddress, size)
                    }
                }
            }
        }
        return times[times.count / 2]
    }
    #endif
}

/// One matrix product as `Backend.gemm` receives it: row-major op(A) m × k times op(B) k × n,
/// `count` times in a row (per step, or per epoch).
struct GemmShape {
    var transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, count: Int
}

/// The seconds bare `cblas_sgemm` calls take for `shapes` (the exact-shape BLAS bounds of W6
/// and of the MLP recipes): each shape timed on its own, its `count` calls in a row, best of
/// `repeats`, on buffers allocated once; the sum. nil without the BLAS trait.
func bareSgemmSeconds(_ shapes: [GemmShape], repeats: Int) -> Double? {
    #if BLAS
    guard let side = shapes.map({ max($0.m * $0.k, $0.k * $0.n, $0.m * $0.n) }).max() else { return 0 }
    let a = [Float](repeating: 0.5, count: side), b = [Float](repeating: 0.25, count: side)
    var c = [Float](repeating: 0, count: side)
    var total = 0.0
    for s in shapes {
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = monotonicSeconds()
            for _ in 0..<s.count {
                cblas_sgemm(CblasRowMajor, s.transposeA ? CblasTrans : CblasNoTrans,
                            s.transposeB ? CblasTrans : CblasNoTrans, Int32(s.m), Int32(s.n), Int32(s.k),
                            1, a, Int32(s.lda), b, Int32(s.ldb), 0, &c, Int32(s.n))
            }
            best = min(best, monotonicSeconds() - start)
        }
        total += best
    }
    return total
    #else
    return nil
    #endif
}
