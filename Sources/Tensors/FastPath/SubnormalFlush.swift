// SubnormalFlush.swift — the BLAS backend's optimizer steps run with subnormal numbers
// flushed to zero. Part of the fast path; the reference backend always keeps IEEE's gradual
// underflow.
//
// Subnormals are the Floats below 1.18 · 10⁻³⁸ (Double: 2.2 · 10⁻³⁰⁸). On Intel cores an
// SSE multiply or divide that reads or produces one leaves the fast hardware path for a
// microcode assist, many times slower. Adam's and SGD-with-momentum's running averages decay
// geometrically wherever a gradient stays zero (m shrinks by β₁ = 0.9 at every step), so
// they pass through the subnormal range for about 150 steps each, and mnist's Adam step
// took 11× longer on a Xeon than with flushing (Docs/performance.md, "Session 12").
//
// With the processor's two flags set, FTZ (a subnormal result becomes ±0) and DAZ (a
// subnormal input reads as ±0), every such operation runs at full speed. What it changes is
// only what lies below the normal range: a step that a subnormal moment would have made is
// of the order of lr · 10⁻³⁸ / ε, far below a parameter's last bit unless the parameter itself
// is near zero. NaN and infinity are untouched. TensorFlow runs its CPU kernels this way;
// PyTorch offers it as `torch.set_flush_denormal(True)`.
//
// The flags belong to the calling thread (the MXCSR register), so each thread that runs a
// chunk of an update sets them for itself and restores them before it returns.
//
// Read next: BLASBackend.swift, `update`.

#if BLAS
#if arch(x86_64) && canImport(Glibc)
import Glibc
#endif

enum SubnormalFlush {
    #if arch(x86_64) && canImport(Glibc)
    /// MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6) flags.
    private static let flushBits: UInt32 = 0x8040

    /// Runs `body` with subnormals flushed to zero on this thread, then restores the
    /// thread's floating-point environment as it was.
    @inline(__always)
    static func during<R>(_ body: () -> R) -> R {
        var saved = fenv_t()
        fegetenv(&saved)
        guard saved.__mxcsr & flushBits != flushBits else { return body() }
        var flushing = saved
        flushing.__mxcsr |= flushBits
        fesetenv(&flushing)
        defer { fesetenv(&saved) }
        return body()
    }

    /// Whether this thread flushes subnormals right now (tests).
    static var isFlushing: Bool {
        var environment = fenv_t()
        fegetenv(&environment)
        return environment.__mxcsr & flushBits == flushBits
    }
    #else
    /// Elsewhere the flags are not set: `body` runs with the thread's environment as it is.
    @inline(__always)
    static func during<R>(_ body: () -> R) -> R { body() }

    static var isFlushing: Bool { false }
    #endif
}
#endif
