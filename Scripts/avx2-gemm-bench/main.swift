// avx2-gemm-bench — Sources/AVX2Kernels/AVX2Gemm.swift's loops against cblas_sgemm on the
// shapes given as arguments, five numbers each: transposeA (0/1), transposeB (0/1), m, n, k.
// Each shape runs on distinct operands per call (up to 64 calls, as a batch of images has
// them), 60 timings per side, the two sides interleaved twice; printed: whether
// `AVX2Gemm.applies` takes the shape, the median µs per product on each side, and their ratio
// (above 1: the AVX2 loop is faster). Docs/performance.md, "Session 9".
//
//   swiftc -O -Xcc -mavx2 -Xcc -mfma -I Scripts/avx2-gemm-bench Scripts/avx2-gemm-bench/main.swift \
//       Sources/AVX2Kernels/AVX2Gemm.swift -o /tmp/avx2-gemm-bench
//   OPENBLAS_NUM_THREADS=1 /tmp/avx2-gemm-bench 0 0 8 676 9  0 1 8 9 676  1 0 72 121 16
//   OPENBLAS_NUM_THREADS=1 /tmp/avx2-gemm-bench sum 16 72 121 64  8 9 676 64
// (`sum`: AVX2Gemm.ntSum against cblas_sgemm's two ways of summing a batch of products; see
// `compareSums`.)

import CBLASBench
import Glibc

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// `sum m n k count …`: AVX2Gemm.ntSum (C = Σ A_i · B_iᵀ over `count` pairs, conv2d's kernel
/// gradient) against the two ways with cblas_sgemm: `count` products added into C (beta 1),
/// and `count` products into a stack, then summed (the primitive's way before session 10).
func compareSums(_ numbers: [Int]) {
    for s in stride(from: 0, to: numbers.count, by: 4) {
        let (m, n, k, count) = (numbers[s], numbers[s + 1], numbers[s + 2], numbers[s + 3])
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count * m * k)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: count * n * k)
        let stack = UnsafeMutablePointer<Float>.allocate(capacity: count * m * n)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
        for i in 0..<(count * m * k) { a[i] = Float(i % 7) * 0.1 }
        for i in 0..<(count * n * k) { b[i] = Float(i % 5) * 0.2 }
        func median(_ way: Int) -> Double {
            var times: [Double] = []
            for _ in 0..<60 {
                let start = now()
                switch way {
                case 0:
                    AVX2Gemm.ntSum(m: m, n: n, k: k, count: count, a: a, lda: k, strideA: m * k,
                                   b: b, ldb: k, strideB: n * k, c: c, ldc: n)
                case 1:
                    for i in 0..<count {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1,
                                    a + i * m * k, Int32(k), b + i * n * k, Int32(k), i == 0 ? 0 : 1, c, Int32(n))
                    }
                default:
                    for i in 0..<count {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1,
                                    a + i * m * k, Int32(k), b + i * n * k, Int32(k), 0, stack + i * m * n, Int32(n))
                    }
                    for e in 0..<(m * n) {
                        var sum: Float = 0
                        for i in 0..<count { sum += stack[i * m * n + e] }
                        c[e] = sum
                    }
                }
                times.append(now() - start)
            }
            return times.sorted()[30]
        }
        let (ntSum, beta1, stacked) = (median(0), median(1), median(2))
        let (ntSum2, beta12, stacked2) = (median(0), median(1), median(2))
        func µs(_ x: Double, _ y: Double) -> Double { ((x + y) * 5e5 * 10).rounded() / 10 }
        print("sum \(m) × \(n) × \(k), \(count) pairs: ntSum \(µs(ntSum, ntSum2)) µs, cblas beta 1 \(µs(beta1, beta12)) µs, "
              + "cblas stack and sum \(µs(stacked, stacked2)) µs")
    }
}
if CommandLine.arguments.dropFirst().first == "sum" {
    let numbers = CommandLine.arguments.dropFirst(2).compactMap { Int($0) }
    guard numbers.count % 4 == 0, !numbers.isEmpty, stride(from: 0, to: numbers.count, by: 4).allSatisfy({
        numbers[$0] > 0 && numbers[$0 + 1] > 0 && numbers[$0 + 2] >= 8 && numbers[$0 + 3] > 0
    }) else {
        print("usage: avx2-gemm-bench sum m n k count [m n k count …]   (k ≥ 8)")
        exit(2)
    }
    compareSums(numbers)
    exit(0)
}

let numbers = CommandLine.arguments.dropFirst().compactMap { Int($0) }
guard numbers.count % 5 == 0, !numbers.isEmpty, numbers.allSatisfy({ $0 >= 0 }) else {
    print("usage: avx2-gemm-bench transposeA transposeB m n k [transposeA transposeB m n k …]")
    exit(2)
}
let shapes = stride(from: 0, to: numbers.count, by: 5).map { Array(numbers[$0..<($0 + 5)]) }
let largest = shapes.map { 64 * max($0[2] * $0[4], $0[4] * $0[3], $0[2] * $0[3]) }.max()!
let a = UnsafeMutablePointer<Float>.allocate(capacity: largest), b = UnsafeMutablePointer<Float>.allocate(capacity: largest)
let c = UnsafeMutablePointer<Float>.allocate(capacity: largest)
for i in 0..<largest { a[i] = Float(i % 7) * 0.1; b[i] = Float(i % 5) * 0.2; c[i] = 0 }

for shape in shapes {
    let (transposeA, transposeB, m, n, k) = (shape[0] != 0, shape[1] != 0, shape[2], shape[3], shape[4])
    let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
    let calls = max(1, min(64, 2_000_000 / max(m * n * k, 1)))
    func median(avx2: Bool) -> Double {
        var times: [Double] = []
        for _ in 0..<60 {
            let start = now()
            for i in 0..<calls {
                let (pa, pb, pc) = (a + i * m * k, b + i * k * n, c + i * m * n)
                if !avx2 {
                    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1, pa, Int32(lda), pb, Int32(ldb), 0, pc, Int32(n))
                } else if transposeB {
                    AVX2Gemm.nt(m: m, n: n, k: k, a: pa, lda: lda, b: pb, ldb: ldb, c: pc, ldc: n)
                } else {
                    AVX2Gemm.nn(transposeA: transposeA, m: m, n: n, k: k, a: pa, lda: lda, b: pb, ldb: ldb, c: pc, ldc: n)
                }
            }
            times.append((now() - start) / Double(calls))
        }
        return times.sorted()[30]
    }
    let blas = median(avx2: false), avx2 = median(avx2: true)
    let blas2 = median(avx2: false), avx22 = median(avx2: true)
    let taken = AVX2Gemm.applies(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
    print("\(taken ? "avx2" : "blas") tA \(shape[0]) tB \(shape[1]) \(m) × \(n) × \(k): "
          + "cblas \(((blas + blas2) * 5e5 * 100).rounded() / 100) µs, avx2 \(((avx2 + avx22) * 5e5 * 100).rounded() / 100) µs, "
          + "ratio \((((blas + blas2) / (avx2 + avx22)) * 100).rounded() / 100)")
}
