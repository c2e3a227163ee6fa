// OpenBLAS's CBLAS interface (cblas_sgemm, cblas_dgemm, openblas_get_corename).
// Only the BLAS backend will see these headers.
#include <cblas.h>

// Whether this CPU (and the operating system) can run AVX2 and FMA instructions, which the
// AVX2Kernels module is compiled for: the compiler's own cpuid query, a microsecond (reading
// /proc/cpuinfo cost far more: Docs/performance.md, "Session 9"). 0 on other architectures.
static inline int lumen_cpu_has_avx2_and_fma(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
