// The CPU backend's dense matrix product, shared by the CPU source files (private header:
// not part of the C ABI). Defined in matmul.cpp, where ts_cpu_matmul wraps it.
#ifndef TIMESTEP_CPU_GEMM_H
#define TIMESTEP_CPU_GEMM_H

namespace timestep::cpu {

/* The register tile of the product: kGemmRowTile rows by kGemmColumnTile columns. A product
 * whose m and n are multiples of these runs entirely in the fast (SIMD-cloned) tile; the
 * remainders take a much slower plain loop, so callers with small odd n (20, 80, ...) gain by
 * padding n up to a multiple of kGemmColumnTile with zero columns. */
constexpr int kGemmRowTile = 4;
constexpr int kGemmColumnTile = 32;

/* c[m,n] += a[m,k] . b[k,n]. All three are row-major with row strides (in floats) lda >= k,
 * ldb >= n and ldc >= n, so a block of rows inside a wider buffer (one time step of a
 * [B, T, X] tensor: stride T*X) is used in place. Accumulates; never allocates; m, n or k
 * of zero leaves c unchanged. c must not overlap a or b. */
void gemm_accumulate(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m, int n,
                     int k);

}  // namespace timestep::cpu

#endif
