// OpenBLAS's CBLAS interface (cblas_sgemm, cblas_dgemm, openblas_get_corename).
// Only the BLAS backend will see these headers.
#include <cblas.h>
