// Dense matrix product for the CPU backend. Transposed operands are first packed into
// row-major copies so the inner loop always walks contiguous rows of B and C, which the
// compiler vectorizes; blocking over k keeps a panel of B in cache for large sizes.
#include <algorithm>
#include <vector>

#include "errors.h"
#include "simd.h"
#include "gemm.h"
#include "timestep/cpu_api.h"

namespace {

// Returns the [rows, cols] row-major matrix whose (r, c) element is src[c * rows + r].
std::vector<float> transposed(const float* src, int rows, int cols) {
  std::vector<float> out(static_cast<size_t>(rows) * cols);
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < rows; ++r) out[static_cast<size_t>(r) * cols + c] = src[static_cast<size_t>(c) * rows + r];
  return out;
}

// Register tile of the product: kRows rows of C by kCols columns, accumulated over a block of
// k in locals the compiler keeps in vector registers (4 x 32 floats: 8 AVX-512 or 16 AVX2
// registers), so C is read and written once per block instead of once per k.
constexpr int kRows = 4;
constexpr int kCols = 32;
constexpr int kDepth = 128;  // a kDepth x kCols panel of B (16 KB) stays in L1
static_assert(kRows == timestep::cpu::kGemmRowTile && kCols == timestep::cpu::kGemmColumnTile,
              "gemm.h advertises the tile size");

// The hot loop, cloned per instruction set (simd.h).
TS_SIMD_CLONES
void tile_full(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int depth) {
  float acc[kRows][kCols] = {};
  for (int p = 0; p < depth; ++p) {
    const float* bp = b + static_cast<size_t>(p) * ldb;
    for (int i = 0; i < kRows; ++i) {
      const float av = a[static_cast<size_t>(i) * lda + p];
      for (int j = 0; j < kCols; ++j) acc[i][j] += av * bp[j];
    }
  }
  for (int i = 0; i < kRows; ++i)
    for (int j = 0; j < kCols; ++j) c[static_cast<size_t>(i) * ldc + j] += acc[i][j];
}

// Edges (fewer rows or columns than a full tile): the plain loop, vectorized in j (cloned per
// instruction set too: at batch 1 every recurrent step is an edge).
TS_SIMD_CLONES
void tile_edge(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int rows, int cols,
               int depth) {
  for (int i = 0; i < rows; ++i) {
    float* ci = c + static_cast<size_t>(i) * ldc;
    for (int p = 0; p < depth; ++p) {
      const float av = a[static_cast<size_t>(i) * lda + p];
      const float* bp = b + static_cast<size_t>(p) * ldb;
      for (int j = 0; j < cols; ++j) ci[j] += av * bp[j];
    }
  }
}

// Fewer rows than a tile (a recurrent step at batch 1..3: a matrix-vector product): R rows of
// c by kCols columns summed over all of k in registers, reading b in place, without the panel
// copy, which at these sizes cost as much as the products.
template <int R>
TS_SIMD_CLONES void few_rows_tile(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int k) {
  float acc[R][kCols] = {};
  for (int p = 0; p < k; ++p) {
    const float* bp = b + static_cast<size_t>(p) * ldb;
    for (int i = 0; i < R; ++i) {
      const float av = a[static_cast<size_t>(i) * lda + p];
      for (int j = 0; j < kCols; ++j) acc[i][j] += av * bp[j];
    }
  }
  for (int i = 0; i < R; ++i)
    for (int j = 0; j < kCols; ++j) c[static_cast<size_t>(i) * ldc + j] += acc[i][j];
}

template <int R>
void few_rows(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int n, int k) {
  int j0 = 0;
  for (; j0 + kCols <= n; j0 += kCols) few_rows_tile<R>(a, lda, b + j0, ldb, c + j0, ldc, k);
  if (j0 < n) tile_edge(a, lda, b + j0, ldb, c + j0, ldc, R, n - j0, k);
}

}  // namespace

namespace timestep::cpu {

// c[m,n] += a[m,k] . b[k,n], row-major with row strides lda, ldb, ldc (see gemm.h). Each
// depth x kCols panel of B is first copied into a contiguous buffer: its rows are ldb floats
// apart in b, which for power-of-two strides would map them all onto the same few cache sets.
void gemm_accumulate(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m, int n,
                     int k) {
  switch (m) {
    case 1: few_rows<1>(a, lda, b, ldb, c, ldc, n, k); return;
    case 2: few_rows<2>(a, lda, b, ldb, c, ldc, n, k); return;
    case 3: few_rows<3>(a, lda, b, ldb, c, ldc, n, k); return;
    default: break;
  }
  alignas(64) float panel[kDepth * kCols];
  for (int p0 = 0; p0 < k; p0 += kDepth) {
    const int depth = std::min(kDepth, k - p0);
    for (int j0 = 0; j0 < n; j0 += kCols) {
      const int cols = std::min(kCols, n - j0);
      for (int p = 0; p < depth; ++p)
        std::copy_n(b + static_cast<size_t>(p0 + p) * ldb + j0, cols, panel + p * kCols);
      for (int i0 = 0; i0 < m; i0 += kRows) {
        const int rows = std::min(kRows, m - i0);
        const float* ablock = a + static_cast<size_t>(i0) * lda + p0;
        float* cblock = c + static_cast<size_t>(i0) * ldc + j0;
        if (rows == kRows && cols == kCols)
          tile_full(ablock, lda, panel, kCols, cblock, ldc, depth);
        else
          tile_edge(ablock, lda, panel, kCols, cblock, ldc, rows, cols, depth);
      }
    }
  }
}

}  // namespace timestep::cpu

extern "C" int ts_cpu_matmul(const float* a, const float* b, float* c, int m, int n, int k,
                             int trans_a, int trans_b, int accumulate) {
  TS_CPU_REQUIRE(a && b && c, "matmul: null buffer");
  TS_CPU_REQUIRE(m >= 0 && n >= 0 && k >= 0, "matmul: negative size m=%d n=%d k=%d", m, n, k);
  if (!accumulate) std::fill(c, c + static_cast<size_t>(m) * n, 0.0f);
  if (m == 0 || n == 0 || k == 0) return TS_OK;
  std::vector<float> a_packed, b_packed;
  if (trans_a) {
    a_packed = transposed(a, m, k);  // a is stored [k, m]
    a = a_packed.data();
  }
  if (trans_b) {
    b_packed = transposed(b, k, n);  // b is stored [n, k]
    b = b_packed.data();
  }
  timestep::cpu::gemm_accumulate(a, k, b, n, c, n, m, n, k);
  return TS_OK;
}
