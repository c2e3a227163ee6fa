// gemm-beta-bench.c — W6's eight product shapes (W6SmallCNN.gemmShapes) through cblas_sgemm,
// called three ways: beta = 0 (OpenBLAS clears C itself), beta = 1 on C as it is, and memset(C)
// then beta = 1 (what BLASBackend.gemm does for beta = 0). Each way on one set of buffers for
// all calls ("same") and on a fresh slice per image ("distinct", as a W6 step has them);
// 200 rounds, the ways interleaved, median and best per way. Docs/performance.md, "Session 8".
//
//   cc -O2 Scripts/gemm-beta-bench.c -o /tmp/gemm-beta-bench -lopenblas
//   OPENBLAS_NUM_THREADS=1 /tmp/gemm-beta-bench
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { int transposeA, transposeB, m, n, k, lda, ldb, count; } Shape;

static const Shape shapes[] = {
    {0, 0, 8, 676, 9, 9, 676, 64},      {0, 1, 8, 9, 676, 676, 676, 64},
    {0, 0, 16, 121, 72, 72, 121, 64},   {0, 1, 16, 72, 121, 121, 121, 64},
    {1, 0, 72, 121, 16, 72, 121, 64},   {0, 1, 64, 10, 400, 400, 400, 1},
    {1, 0, 10, 400, 64, 10, 400, 1},    {0, 0, 64, 400, 10, 10, 400, 1},
};
enum { rounds = 200, ways = 3 };
static const char *wayNames[ways] = {"beta 0", "beta 1", "memset, beta 1"};
static float *a, *b, *c;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// One step's products, the way `way`, on distinct slices or not; the seconds taken.
static double step(int distinct, int way) {
    double start = now();
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        Shape h = shapes[s];
        for (int i = 0; i < h.count; i++) {
            size_t offsetA = distinct ? (size_t)i * h.m * h.k : 0, offsetB = distinct ? (size_t)i * h.k * h.n : 0;
            size_t offsetC = distinct ? (size_t)i * h.m * h.n : 0;
            if (way == 2) memset(c + offsetC, 0, (size_t)h.m * h.n * sizeof(float));
            cblas_sgemm(CblasRowMajor, h.transposeA ? CblasTrans : CblasNoTrans, h.transposeB ? CblasTrans : CblasNoTrans,
                        h.m, h.n, h.k, 1, a + offsetA, h.lda, b + offsetB, h.ldb, way == 0 ? 0 : 1, c + offsetC, h.n);
        }
    }
    return now() - start;
}

static int ascending(const void *x, const void *y) {
    double p = *(const double *)x, q = *(const double *)y;
    return p < q ? -1 : p > q;
}

int main(void) {
    size_t size = 64 * 72 * 676;  // the largest slice times 64 images, for every operand
    a = malloc(size * sizeof(float)), b = malloc(size * sizeof(float)), c = malloc(size * sizeof(float));
    if (!a || !b || !c) return 1;
    for (size_t i = 0; i < size; i++) { a[i] = 0.5f; b[i] = 0.25f; c[i] = 0; }
    static double times[2 * ways][rounds];
    for (int r = 0; r < rounds; r++)
        for (int w = 0; w < 2 * ways; w++) times[w][r] = step(w / ways, w % ways);
    for (int w = 0; w < 2 * ways; w++) {
        qsort(times[w], rounds, sizeof(double), ascending);
        printf("%-8s %-15s median %.3f ms  best %.3f ms\n", w / ways ? "distinct" : "same", wayNames[w % ways],
               times[w][rounds / 2] * 1e3, times[w][0] * 1e3);
    }
    return 0;
}
