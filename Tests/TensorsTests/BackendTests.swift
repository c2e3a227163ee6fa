// BackendTests.swift — all arithmetic goes through the Backend protocol: a backend chosen
// for a scope sees every kernel call, and a task-local choice does not leak out.

import Testing
import Synchronization
import Foundation
import Engine
@testable import Tensors

/// Forwards to the reference backend and counts the calls by kernel family.
final class CountingBackend: Backend {
    let counts = Mutex<[String: Int]>([:])
    private let reference = ReferenceBackend()

    private func count(_ family: String) { counts.withLock { $0[family, default: 0] += 1 } }

    func map<S: TensorScalar>(_ kernel: UnaryKernel, shape: [Int], _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        count("map")
        reference.map(kernel, shape: shape, input, into: output)
    }

    func zip<S: TensorScalar>(_ kernel: BinaryKernel, shape: [Int], _ lhs: StridedBuffer<S>, _ rhs: StridedBuffer<S>,
                              into output: StridedBuffer<S>) {
        count("zip")
        reference.zip(kernel, shape: shape, lhs, rhs, into: output)
    }

    func reduce<S: TensorScalar>(_ kernel: ReduceKernel, shape: [Int], _ input: StridedBuffer<S>, into output: StridedBuffer<S>) {
        count("reduce")
        reference.reduce(kernel, shape: shape, input, into: output)
    }

    func gemm<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: S,
                               a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
                               beta: S, c: UnsafeMutablePointer<S>, ldc: Int) {
        count("gemm")
        reference.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                       a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    func gemmSum<S: TensorScalar>(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, count: Int,
                                  a: UnsafePointer<S>, lda: Int, strideA: Int, b: UnsafePointer<S>, ldb: Int,
                                  strideB: Int, c: UnsafeMutablePointer<S>, ldc: Int) {
        self.count("gemmSum")
        reference.gemmSum(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, count: count,
                          a: a, lda: lda, strideA: strideA, b: b, ldb: ldb, strideB: strideB, c: c, ldc: ldc)
    }

    func unfold<S: TensorScalar>(_ geometry: WindowGeometry, _ input: StridedBuffer<S>, padValue: S,
                                 into output: UnsafeMutablePointer<S>) {
        count("unfold")
        reference.unfold(geometry, input, padValue: padValue, into: output)
    }

    func fold<S: TensorScalar>(_ geometry: WindowGeometry, _ columns: UnsafePointer<S>, into image: StridedBuffer<S>) {
        count("fold")
        reference.fold(geometry, columns, into: image)
    }

    func maxPool<S: TensorScalar>(_ geometry: WindowGeometry, _ input: StridedBuffer<S>,
                                  into output: UnsafeMutablePointer<S>, argmax: UnsafeMutablePointer<Int>) {
        count("maxPool")
        reference.maxPool(geometry, input, into: output, argmax: argmax)
    }

    func axpby<S: TensorScalar>(shape: [Int], alpha: S, _ x: StridedBuffer<S>, beta: S, into y: StridedBuffer<S>) {
        count("axpby")
        reference.axpby(shape: shape, alpha: alpha, x, beta: beta, into: y)
    }

    func gather<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                 from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>) {
        count("gather")
        reference.gather(indices, outer: outer, extent: extent, inner: inner, from: input, into: output)
    }

    func scatterAdd<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                     from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>) {
        count("scatterAdd")
        reference.scatterAdd(indices, outer: outer, extent: extent, inner: inner, from: input, into: output)
    }
}

@Suite struct BackendTests {
    @Test func scopedBackendSeesEveryKernelFamily() throws {
        let counting = CountingBackend()
        let w = try Tensor<Double>(shape: [2, 2], elements: [1, 2, 3, 4], requiresGrad: true)
        let x = Tensor<Double>([1, -1])
        let loss = Backends.$scoped.withValue(counting) {
            let loss = (w.matmul(x).exp() * 2).sum()
            loss.backward()
            return loss
        }
        let counts = counting.counts.withLock { $0 }
        #expect(counts["map", default: 0] > 0 && counts["zip", default: 0] > 0)
        // gemm: the forward product and ∂loss/∂w; x is a constant, so no ∂loss/∂x is computed.
        #expect(counts["reduce", default: 0] > 0 && counts["gemm", default: 0] == 2)
        // Same numbers as with the default backend: loss = 2(e^(1−2) + e^(3−4)) = 4/e.
        #expect(Swift.abs(loss.item() - 4 / 2.718281828459045) < 1e-12)
        // Outside the scope, the process-wide choice again.
        #expect(Backends.scoped == nil)
    }

    /// conv2d over a batch of 3: forward, one product per image; backward, the kernels'
    /// gradient as one `gemmSum` over the batch (not 3 more products and a sum), and the
    /// columns' gradient as one product per image, then `fold`.
    @Test func convolutionKernelGradientIsOneSumOfProducts() throws {
        let counting = CountingBackend()
        var rng = SplitMix64(seed: 4)
        let x = Tensor<Double>.randomUniform([3, 2, 5, 5], -1, 1, using: &rng).requiringGrad()
        let w = Tensor<Double>.randomUniform([4, 2, 3, 3], -1, 1, using: &rng).requiringGrad()
        Backends.$scoped.withValue(counting) { x.conv2d(weight: w).sum().backward() }
        let counts = counting.counts.withLock { $0 }
        #expect(counts["gemmSum"] == 1 && counts["gemm"] == 6 && counts["unfold"] == 1 && counts["fold"] == 1,
                "\(counts)")
    }

    /// Max-pooling is one `maxPool` call forward and one `scatterAdd` backward.
    @Test func maxPoolingGoesThroughTheBackend() throws {
        let counting = CountingBackend()
        let x = try Tensor<Double>(shape: [1, 1, 2, 2], elements: [1, 4, 3, 2], requiresGrad: true)
        let pooled = Backends.$scoped.withValue(counting) {
            let pooled = x.maxPool2d(kernel: (2, 2))
            pooled.sum().backward()
            return pooled
        }
        let counts = counting.counts.withLock { $0 }
        #expect(counts["maxPool"] == 1 && counts["scatterAdd"] == 1 && counts["unfold"] == nil)
        #expect(pooled.scalars == [4] && x.grad!.scalars == [0, 1, 0, 0])
    }

    @Test func backendNamesAreParsedAndBadOnesExplained() throws {
        #expect(try Backends.kind(named: "reference") == .reference)
        #expect(try Backends.kind(named: "Reference") == .reference)
        #expect(throws: BackendError.unknownBackend("fast")) { try Backends.kind(named: "fast") }
        #expect(BackendError.unknownBackend("fast").description
                == "'fast' is not a backend; use one of: reference, blas")
        #expect(BackendError.invalidThreadCount("0").description
                == "'0' is not a thread count; give a whole number from 1 to 64")
        #expect(throws: BackendError.invalidThreadCount("0")) { try Backends.setThreads(0) }
        #expect(try Backends.avx2Setting(named: "0") == false && Backends.avx2Setting(named: "1") == true)
        #expect(throws: BackendError.invalidAVX2Setting("off")) { try Backends.avx2Setting(named: "off") }
        #expect(BackendError.invalidAVX2Setting("off").description.hasPrefix("'off' is not an AVX2 setting; give 0 "))
        if Backends.isBLASAvailable {
            #expect(try Backends.kind(named: "blas") == .blas)
        } else {
            #expect(throws: BackendError.blasNotCompiledIn) { try Backends.kind(named: "blas") }
            #expect(throws: BackendError.blasNotCompiledIn) { try Backends.use(.blas) }
        }
    }

    /// With neither `use(_:)` nor LUMEN_BACKEND, the process runs on BLAS when it is
    /// compiled in. (Skipped when the environment chooses a backend.)
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LUMEN_BACKEND"] == nil))
    func theProcessDefaultIsBLASWhenCompiledIn() throws {
        #expect(Backends.processDefault == (Backends.isBLASAvailable ? .blas : .reference))
        #expect(Backends.summary(of: .reference) == "reference")
        if let core = Backends.blasCoreName {
            #expect(!core.isEmpty)
            #expect(Backends.summary(of: .blas).hasPrefix("blas (OpenBLAS core \(core), "))
            // The AVX2 products are named exactly when they run.
            #expect(Backends.summary(of: .blas).contains(", AVX2 products, ") == Backends.usesAVX2Products)
        }
    }

    /// The note about OpenBLAS's kernels appears exactly when an AVX2 CPU runs a core without
    /// AVX2 (Prescott is what OpenBLAS 0.3.21 picks on Intel's Emerald Rapids), names the
    /// variable to set, and says where the old core came from.
    @Test func aGenericOpenBLASCoreOnAnAVX2CPUGetsANote() throws {
        let unrecognized = try #require(Backends.blasCoreAdvice(core: "Prescott", cpuHasAVX2AndFMA: true, coreTypeSetting: nil))
        #expect(unrecognized.contains("Prescott kernels") && unrecognized.contains("did not recognize this CPU"))
        #expect(unrecognized.contains("OPENBLAS_CORETYPE=Haswell") && unrecognized.contains("OPENBLAS_CORETYPE=SkylakeX"))
        let chosen = try #require(Backends.blasCoreAdvice(core: "Nehalem", cpuHasAVX2AndFMA: true, coreTypeSetting: "NEHALEM"))
        #expect(chosen.contains("OPENBLAS_CORETYPE=NEHALEM chooses them"))
        for core in ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids"] {
            #expect(Backends.blasCoreAdvice(core: core, cpuHasAVX2AndFMA: true, coreTypeSetting: nil) == nil, "\(core)")
        }
        // A CPU without AVX2 has nothing better to run.
        #expect(Backends.blasCoreAdvice(core: "Prescott", cpuHasAVX2AndFMA: false, coreTypeSetting: nil) == nil)
    }
}
