// The CPU backend's dense matrix product, shared by the CPU source files (private header:
// not part of the C ABI). Defined in matmul.cpp, where ts_cpu_matmul wraps it.
#ifndef TIMESTEP_CPU_GEMM_H
#define TIMESTEP_CPU_GEMM_H

#include <cstddef>

namespace timestep::cpu {

/* The register tile of the product: kGemmRowTile rows by kGemmColumnTile columns; the columns
 * left over run in tiles of 24 (17-24 left), 16 and 8. A width that is a multiple of
 * kGemmColumnStep is computed without waste and read in place; any other is rounded up to one on a
 * zero-padded copy, so callers whose buffers are theirs to shape (the recurrent gate rows: 20, 60,
 * 80 floats) pad their rows to a multiple of kGemmColumnStep. */
constexpr int kGemmRowTile = 4;
constexpr int kGemmColumnTile = 32;
constexpr int kGemmColumnStep = 8;

/* c[m,n] += a[m,k] . b[k,n]. All three are row-major with row strides (in floats) lda >= k,
 * ldb >= n and ldc >= n, so a block of rows inside a wider buffer (one time step of a
 * [B, T, X] tensor: stride T*X) is used in place. Accumulates; never allocates; m, n or k
 * of zero leaves c unchanged. c must not overlap a or b. */
void gemm_accumulate(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m,
                     int n, int k);

/* c[m,n] += a^T . b with a stored transposed: [k, m], row stride lda >= m (so a[p, i] is
 * element (i, p) of the product's left operand). Same contract as gemm_accumulate otherwise;
 * saves the transposed copy of a, e.g. for weight gradients x^T . dy. */
void gemm_accumulate_at(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m,
                        int n, int k);

/* Whether a product at least 128 deep copies b's blocks into a panel before use: when its rows
 * are a multiple of 128 bytes apart (and a 128-row block is over 32 KB), as such rows share a few
 * cache sets. A caller free to pick which operand is b can pick one that is read in place. */
bool gemm_copies_b(int ldb);

/* B packed once for many products with the same right operand (a recurrent kernel, once per
 * step): the panels gemm_accumulate would otherwise copy from a b whose rows alias in the cache,
 * laid out contiguously. packed_b_floats(n, k) floats hold it (k x n rounded up to 8). */
size_t packed_b_floats(int n, int k);
void pack_b(const float* b, int ldb, int n, int k, float* packed);

/* c[m,n] += a[m,k] . b[k,n] with b given as pack_b made it; otherwise as gemm_accumulate. For
 * m >= 2: a single row runs faster on gemm_accumulate's row path, which reads b in place. */
void gemm_accumulate_packed(const float* a, int lda, const float* packed, float* c, int ldc, int m,
                            int n, int k);

/* Which build of the register tiles the products run (see matmul.cpp): 16 for 16-float vectors,
 * 8 for 8-float ones, 0 to pick by the CPU again (the default: 16 where it has AVX-512). For
 * tests, which check on an AVX-512 machine that the 8-float tiles give the same bits. */
void set_gemm_tile_lanes(int lanes);

/* The transpose of a [cols, rows] block (row stride lds) into a [rows, cols] one (row stride ldd):
 * dst[i * ldd + j] = src[j * lds + i], or += with add_transposed. Runs in 8 x 8 blocks of vector
 * shuffles: a plain double loop sends one side to a new cache line at every element, and at
 * 64 x 256 weights that cost as much as a short sequence's products. */
void transpose_into(const float* src, int lds, int rows, int cols, float* dst, int ldd);
void add_transposed(const float* src, int lds, int rows, int cols, float* dst, int ldd);

}  // namespace timestep::cpu

#endif
