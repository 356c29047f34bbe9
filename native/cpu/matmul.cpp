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

// Register tile of the product: R rows of C by C columns, accumulated over a block of k in
// locals the compiler keeps in vector registers (4 x 32 floats: 8 AVX-512 or 16 AVX2
// registers), so C is read and written once per block instead of once per k.
#define TS_INLINE_GEMM inline __attribute__((always_inline))

constexpr int kRows = 4;
constexpr int kCols = 32;
constexpr int kNarrowRows = 8;   // the 16-column tile takes 8 rows: 8 independent accumulators
constexpr int kNarrowCols = 16;
constexpr int kDepth = 128;      // a kDepth x kCols panel of B (16 KB) stays in L1
// B blocks up to this many floats (32 KB) are read in place: they sit in L1 whatever their
// stride. Larger ones are copied into a contiguous panel first, because their rows ldb floats
// apart would, for power-of-two strides, map onto the same few cache sets.
constexpr long long kDirectFloats = 8192;
static_assert(kRows == timestep::cpu::kGemmRowTile && kCols == timestep::cpu::kGemmColumnTile,
              "gemm.h advertises the tile size");

// Sixteen floats: one AVX-512 register, two AVX2 ones. Written with gcc's vector extensions so
// that every clone vectorizes along the columns (left to itself, gcc vectorized the 8 x 16
// tile across its rows, with a permute per product), and the accumulators stay in registers.
// (-Wpsabi warns that passing one by value differs between the clones' ABIs: the helpers that
// do are always inlined, so no call ever crosses that boundary.)
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4), may_alias));
TS_INLINE_GEMM v16 load16(const float* p) { return *reinterpret_cast<const v16u*>(p); }
TS_INLINE_GEMM void store16(float* p, v16 v) { *reinterpret_cast<v16u*>(p) = v; }

// The hot loop, cloned per instruction set (simd.h): R rows by C columns of c over `depth`
// steps of k. b has C readable columns (zero padding past `cols` when cols < C); only the
// first `cols` columns of c are written.
template <int R, int C>
TS_SIMD_CLONES void tile(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int depth,
                         int cols) {
  constexpr int V = C / 16;
  v16 acc[R][V];
  for (int i = 0; i < R; ++i)
    for (int v = 0; v < V; ++v) acc[i][v] = v16{};
  for (int p = 0; p < depth; ++p) {
    const float* bp = b + static_cast<size_t>(p) * ldb;
    v16 bv[V];
    for (int v = 0; v < V; ++v) bv[v] = load16(bp + 16 * v);
    for (int i = 0; i < R; ++i) {
      const float av = a[static_cast<size_t>(i) * lda + p];
      for (int v = 0; v < V; ++v) acc[i][v] += av * bv[v];
    }
  }
  for (int i = 0; i < R; ++i) {
    float* ci = c + static_cast<size_t>(i) * ldc;
    if (cols == C) {
      for (int v = 0; v < V; ++v) store16(ci + 16 * v, load16(ci + 16 * v) + acc[i][v]);
    } else {
      alignas(64) float row[C];
      for (int v = 0; v < V; ++v) store16(row + 16 * v, acc[i][v]);
      for (int j = 0; j < cols; ++j) ci[j] += row[j];
    }
  }
}

// Every row of one column block: full tiles of R rows, then the last m % R rows one tile of
// that height (a recurrent step at batch 1 is a single 1-row tile).
template <int R, int C>
void rows_of_block(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m, int depth,
                   int cols) {
  int i0 = 0;
  for (; i0 + R <= m; i0 += R)
    tile<R, C>(a + static_cast<size_t>(i0) * lda, lda, b, ldb, c + static_cast<size_t>(i0) * ldc, ldc, depth, cols);
  const float* ar = a + static_cast<size_t>(i0) * lda;
  float* cr = c + static_cast<size_t>(i0) * ldc;
  switch (m - i0) {
    case 0: return;
    case 1: tile<1, C>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 2: tile<2, C>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 3: tile<3, C>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 4: tile<4, C>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 5: tile<5, C>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 6: tile<6, C>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    default: tile<7, C>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
  }
}

// One row of a times C columns of b (C a multiple of 32, up to 128), over all of k, reading b
// in place: a recurrent step at batch 1. Each accumulator is a chain of dependent FMAs, so the
// time is the chain's length, not the FLOPs: all C columns run in one pass (rather than C/32
// passes of a 2-register tile) and k alternates between two accumulator sets, halving the chain.
template <int C>
TS_SIMD_CLONES void row_tile(const float* a, const float* b, int ldb, float* c, int k) {
  constexpr int V = C / 16;
  v16 even[V], odd[V];
  for (int v = 0; v < V; ++v) even[v] = odd[v] = v16{};
  int p = 0;
  for (; p + 2 <= k; p += 2) {
    const float* b0 = b + static_cast<size_t>(p) * ldb;
    const float* b1 = b0 + ldb;
    for (int v = 0; v < V; ++v) {
      even[v] += a[p] * load16(b0 + 16 * v);
      odd[v] += a[p + 1] * load16(b1 + 16 * v);
    }
  }
  if (p < k) {
    const float* b0 = b + static_cast<size_t>(p) * ldb;
    for (int v = 0; v < V; ++v) even[v] += a[p] * load16(b0 + 16 * v);
  }
  for (int v = 0; v < V; ++v) store16(c + 16 * v, load16(c + 16 * v) + even[v] + odd[v]);
}

// Copies a depth x cols block of b into a panel of `width` columns, zeros past cols.
void copy_panel(const float* b, int ldb, int depth, int cols, int width, float* panel) {
  for (int p = 0; p < depth; ++p) {
    float* row = panel + static_cast<size_t>(p) * width;
    std::copy_n(b + static_cast<size_t>(p) * ldb, cols, row);
    std::fill(row + cols, row + width, 0.0f);
  }
}

}  // namespace

namespace timestep::cpu {

// c[m,n] += a[m,k] . b[k,n], row-major with row strides lda, ldb, ldc (see gemm.h). Column
// blocks of 32 (the last one, if 16 or fewer wide, of 16 on 8-row tiles) by depth blocks of
// kDepth; a partial column block runs the same tile on a zero-padded copy of its panel.
void gemm_accumulate(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m, int n,
                     int k) {
  if (m == 1) {
    // whole groups of 32 columns in row tiles; what is left (under 32) below, padded
    int j0 = 0;
    for (int groups; (groups = std::min(4, (n - j0) / kCols)) > 0; j0 += groups * kCols) {
      switch (groups) {
        case 4: row_tile<128>(a, b + j0, ldb, c + j0, k); break;
        case 3: row_tile<96>(a, b + j0, ldb, c + j0, k); break;
        case 2: row_tile<64>(a, b + j0, ldb, c + j0, k); break;
        default: row_tile<32>(a, b + j0, ldb, c + j0, k); break;
      }
    }
    if (j0 == n) return;
    b += j0;
    c += j0;
    n -= j0;
  }
  alignas(64) float panel[kDepth * kCols];
  // Fewer than 4 rows use each element of B once: copying it would cost as much as the product.
  const bool few_rows = m < kRows;
  for (int p0 = 0; p0 < k; p0 += kDepth) {
    const int depth = std::min(kDepth, k - p0);
    const bool small_b = static_cast<long long>(depth) * ldb <= kDirectFloats;
    const float* ap = a + p0;
    const float* bp = b + static_cast<size_t>(p0) * ldb;
    for (int j0 = 0; j0 < n; j0 += kCols) {
      const int cols = std::min(kCols, n - j0);
      if (cols <= kNarrowCols && m >= kNarrowRows) {
        copy_panel(bp + j0, ldb, depth, cols, kNarrowCols, panel);
        rows_of_block<kNarrowRows, kNarrowCols>(ap, lda, panel, kNarrowCols, c + j0, ldc, m, depth, cols);
      } else if (cols == kCols && (few_rows || small_b)) {
        rows_of_block<kRows, kCols>(ap, lda, bp + j0, ldb, c + j0, ldc, m, depth, cols);
      } else {
        copy_panel(bp + j0, ldb, depth, cols, kCols, panel);
        rows_of_block<kRows, kCols>(ap, lda, panel, kCols, c + j0, ldc, m, depth, cols);
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
