// SIMDUpdate.swift — Adam's and RMSprop's per-element update on Float, eight elements at a
// time in explicit SIMD vectors. Part of the fast path: `BLASBackend.update` calls these for
// Float parameters; the readable form is the default `update` loop (Backend.swift) and the
// formulas are `ParameterUpdate`'s.
//
// Why explicit vectors: Swift's optimizer leaves a loop with a square root and a division
// scalar on the baseline x86-64 target (`sqrtss`, `divss`), and Adam does both on every
// parameter at every step. `SIMD4<Float>` with SSE's `_mm_sqrt_ps` spells out `sqrtps` and
// `divps` (four lanes: SSE2 is the baseline this is compiled for). Each lane computes
// exactly what the scalar loop computes, in the same order (IEEE +, −, ×, ÷ and √ round
// the same in a vector lane as in a scalar register, and nothing is fused), so the results
// are bit-identical to the default loop (ParityTests.update checks it).
//
// Read next: BLASBackend.swift, `update`.

#if BLAS
#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel
#endif

enum SIMDUpdate {
    typealias Lanes = SIMD4<Float>

    /// √v in every lane. `SIMD.squareRoot()` compiles to one call of libm's `sqrtf` per lane
    /// (objdump; perf put a fifth of an mnist epoch there), so on x86-64 this is SSE's
    /// `sqrtps`, which rounds each lane exactly as `sqrtss` does.
    @inline(__always)
    static func squareRoot(_ v: Lanes) -> Lanes {
        #if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
        _mm_sqrt_ps(v)
        #else
        v.squareRoot()
        #endif
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>, _ i: Int) -> Lanes {
        UnsafeRawPointer(pointer + i).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(pointer + i).storeBytes(of: value, as: Lanes.self)
    }

    /// Adam (and AdamW through `shrink`), ParameterUpdate.adam:
    ///     t = θ·shrink (decoupled) or θ;  g = ∇ + t·λ (decays) or ∇
    ///     m ← m·β₁ + g·(1 − β₁);  v ← v·β₂ + g·g·(1 − β₂)
    ///     θ ← t + m·stepSize / (√v · rootC2 + ε)
    @inline(__always)
    static func adam(count: Int, theta: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                     m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                     b1: Float, b2: Float, keep1: Float, keep2: Float, shrink: Float, decay: Float,
                     stepSize: Float, rootC2: Float, eps: Float, decoupled: Bool, decays: Bool) {
        var i = 0
        while i + Lanes.scalarCount <= count {
            let theta0 = load(theta, i), g0 = load(gradient, i)
            let t = decoupled ? theta0 * shrink : theta0
            let g = decays ? g0 + t * decay : g0
            let mi = load(m, i) * b1 + g * keep1, vi = load(v, i) * b2 + g * g * keep2
            store(mi, m, i)
            store(vi, v, i)
            store(t + mi * stepSize / (squareRoot(vi) * rootC2 + eps), theta, i)
            i += Lanes.scalarCount
        }
        while i < count {
            let t = decoupled ? theta[i] * shrink : theta[i]
            let g = decays ? gradient[i] + t * decay : gradient[i]
            let mi = m[i] * b1 + g * keep1, vi = v[i] * b2 + g * g * keep2
            m[i] = mi
            v[i] = vi
            theta[i] = t + mi * stepSize / (vi.squareRoot() * rootC2 + eps)
            i += 1
        }
    }

    /// RMSprop without centering or momentum, ParameterUpdate.rmsprop:
    ///     g = ∇ + θ·λ (decays) or ∇;  v ← v·α + g·g·(1 − α);  θ ← θ + g / (√v + ε) · (−γ)
    @inline(__always)
    static func rmsprop(count: Int, theta: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
                        v: UnsafeMutablePointer<Float>, a: Float, keep: Float, decay: Float, lr: Float, eps: Float,
                        decays: Bool) {
        var i = 0
        while i + Lanes.scalarCount <= count {
            let theta0 = load(theta, i), g0 = load(gradient, i)
            let g = decays ? g0 + theta0 * decay : g0
            let vi = load(v, i) * a + g * g * keep
            store(vi, v, i)
            store(theta0 + g / (squareRoot(vi) + eps) * lr, theta, i)
            i += Lanes.scalarCount
        }
        while i < count {
            let g = decays ? gradient[i] + theta[i] * decay : gradient[i]
            let vi = v[i] * a + g * g * keep
            v[i] = vi
            theta[i] = theta[i] + g / (vi.squareRoot() + eps) * lr
            i += 1
        }
    }
}
#endif
