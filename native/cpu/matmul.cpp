// Dense matrix product for the CPU backend. Transposed operands are first packed into
// row-major copies so the inner loop always walks contiguous rows of B and C, which the
// compiler vectorizes; blocking over k keeps a panel of B in cache for large sizes.
#include <algorithm>
#include <atomic>
#include <vector>

#include "errors.h"
#include "gemm.h"
#include "simd.h"
#include "timestep/cpu_api.h"

namespace {

#pragma GCC diagnostic ignored "-Wpsabi"  // the vector helpers are always inlined
typedef float f8 __attribute__((vector_size(32)));
typedef float f8u __attribute__((vector_size(32), aligned(4), may_alias));

// One 8 x 8 block: the 8 floats of src's rows k = 0..7 (lds apart) become the 8 floats at dst + c
// * ldd of rows c = 0..7. Three rounds of shuffles, each exact: pairs of rows interleaved, then
// pairs of pairs, then 128-bit halves. Scalar, the transposes of the backward's 64 x 256 weight
// gradients cost 4% of an LSTM(64) training step over 10 steps: one strided load per element.
template <bool Add>
inline __attribute__((always_inline)) void transpose_block8(const float* src, int lds, float* dst,
                                                            int ldd) {
  f8 r[8];
  for (int k = 0; k < 8; ++k)
    r[k] = *reinterpret_cast<const f8u*>(src + static_cast<size_t>(k) * lds);
  f8 t[8], u[8];
  for (int k = 0; k < 8; k += 2) {
    t[k] = __builtin_shufflevector(r[k], r[k + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[k + 1] = __builtin_shufflevector(r[k], r[k + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int k = 0; k < 8; k += 4)
    for (int h = 0; h < 2; ++h) {
      u[k + h * 2] = __builtin_shufflevector(t[k + h], t[k + h + 2], 0, 1, 8, 9, 4, 5, 12, 13);
      u[k + h * 2 + 1] =
          __builtin_shufflevector(t[k + h], t[k + h + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    }
  for (int c = 0; c < 4; ++c) {
    const f8 lo = __builtin_shufflevector(u[c], u[c + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    const f8 hi = __builtin_shufflevector(u[c], u[c + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    f8u* to_lo = reinterpret_cast<f8u*>(dst + static_cast<size_t>(c) * ldd);
    f8u* to_hi = reinterpret_cast<f8u*>(dst + static_cast<size_t>(c + 4) * ldd);
    *to_lo = Add ? *to_lo + lo : lo;
    *to_hi = Add ? *to_hi + hi : hi;
  }
}

// dst[i, j] (+)= src[j, i]: whole 8 x 8 blocks, then the edges element by element.
template <bool Add>
TS_SIMD_CLONES void transpose_tiles(const float* src, int lds, int rows, int cols, float* dst,
                                    int ldd) {
  auto element = [&](int i, int j) {
    float& to = dst[static_cast<size_t>(i) * ldd + j];
    const float v = src[static_cast<size_t>(j) * lds + i];
    to = Add ? to + v : v;
  };
  const int rows8 = rows / 8 * 8, cols8 = cols / 8 * 8;
  for (int i0 = 0; i0 < rows8; i0 += 8) {
    for (int j0 = 0; j0 < cols8; j0 += 8)
      transpose_block8<Add>(src + static_cast<size_t>(j0) * lds + i0, lds,
                            dst + static_cast<size_t>(i0) * ldd + j0, ldd);
    for (int i = i0; i < i0 + 8; ++i)
      for (int j = cols8; j < cols; ++j) element(i, j);
  }
  for (int i = rows8; i < rows; ++i)
    for (int j = 0; j < cols; ++j) element(i, j);
}

// Register tile of the product: R rows of C by C columns, accumulated over a block of k in
// locals the compiler keeps in vector registers, so C is read and written once per block
// instead of once per k. Column blocks are 32 wide; what is left of n runs in blocks of 24, 16
// or 8 columns, so that a width that is a multiple of 8 is computed without waste.
//
// The tiles come in two builds, by the widest vector the CPU has (Lanes, below), chosen once
// per process: 16-float vectors on AVX-512 (the 32-wide tile on 4 rows: 8 of its 32 registers;
// the narrower ones on 8 rows), 8-float ones elsewhere, with rows for 12 accumulators of the 16
// registers AVX2 has. gcc lowers a 16-float vector on AVX2 through the stack (the scalar
// broadcast of a's element was built from 16 stores), which made every product 50-70x slower
// on CPUs without AVX-512. Each element of c sums its products in the same order in both, so
// both give the same bits.
#define TS_INLINE_GEMM inline __attribute__((always_inline))

constexpr int kRows = 4;
constexpr int kCols = 32;
constexpr int kNarrowRows = 8;      // rows of the 24-, 16- and 8-column tiles (16-float build)
constexpr int kDepth = 128;         // a kDepth x kCols panel of B (16 KB) stays in L1
constexpr int kPrefetchDepth = 64;  // tiles at least this deep prefetch their rows of c
// Rows of A per pass over the column blocks: kRowBlock x kDepth floats of A (512 KB) and a
// kRowBlock x kCols strip of C stay in L2 while every column block reuses them. Without it, a
// product both tall and wide (6400 x 1024 x 1024) streamed all of A from L3 once per 32
// columns: 60 GFLOP/s on one Zen 4 core instead of 81.
constexpr int kRowBlock = 1024;
static_assert(kRowBlock % 8 == 0, "row blocks hold whole 4- and 8-row tiles");
// B blocks up to this many floats (32 KB) are read in place: they sit in L1 whatever their
// stride. Larger ones too when ldb is not a multiple of kAliasingStride floats (128 bytes):
// their rows then spread over the cache sets. The others are copied into a contiguous panel
// first, because rows a power-of-two stride apart map onto the same few sets.
constexpr long long kDirectFloats = 8192;
constexpr int kAliasingStride = 32;
static_assert(kRows == timestep::cpu::kGemmRowTile && kCols == timestep::cpu::kGemmColumnTile,
              "gemm.h advertises the tile size");

// Vectors of L floats (16: one AVX-512 register, used by the AVX-512 build only; 8: one AVX2
// register), written with gcc's vector extensions so that every clone vectorizes along the
// columns (left to itself, gcc vectorized an 8 x 16 tile across its rows, with a permute per
// product) and the accumulators stay in registers. (-Wpsabi warns that returning one by value
// differs between the clones' ABIs: load is always inlined, so no call crosses that boundary; store
// takes a reference, which gcc would otherwise note on every build.)
#pragma GCC diagnostic ignored "-Wpsabi"
template <int L>
struct Lanes {
  typedef float vec __attribute__((vector_size(4 * L)));
  typedef float unaligned __attribute__((vector_size(4 * L), aligned(4), may_alias));
  static TS_INLINE_GEMM vec load(const float* p) { return *reinterpret_cast<const unaligned*>(p); }
  static TS_INLINE_GEMM void store(float* p, const vec& v) { *reinterpret_cast<unaligned*>(p) = v; }
};
using V16 = Lanes<16>;
using v16 = V16::vec;

// Element (i, p) of a: a[i, p] of a row-major [m, k] a, or with TA (a stored transposed,
// [k, m]) a[p, i]: the product with a transposed operand runs without a transposed copy.
template <bool TA>
TS_INLINE_GEMM size_t a_index(int i, int p, int lda) {
  return TA ? static_cast<size_t>(p) * lda + i : static_cast<size_t>(i) * lda + p;
}

// The hot loop, cloned per instruction set (simd.h): R rows by C columns of c over `depth`
// steps of k. b has C readable columns (zero padding past `cols` when cols < C); only the
// first `cols` columns of c are written.
template <bool TA, int MaxL, int R, int C, bool Prefetch>
TS_SIMD_CLONES void tile(const float* a, int lda, const float* b, int ldb, float* c, int ldc,
                         int depth, int cols) {
  constexpr int L = MaxL == 16 && C % 16 == 0 ? 16 : 8;
  constexpr int V = C / L;
  using T = Lanes<L>;
  typename T::vec acc[R][V];
#pragma GCC unroll 8
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 8
    for (int v = 0; v < V; ++v) acc[i][v] = typename T::vec{};
  // The tile's rows of c are read back only after `depth` steps: ask for them now, so a c too
  // large for the caches (a 6400 x 1024 product) does not stall every tile on memory at its end.
  // Short tiles are compiled without it (Prefetch false, chosen once per depth block): there the
  // prefetches cost more than they hide, and so did testing the depth inside the hot tile.
  if constexpr (Prefetch)
    for (int i = 0; i < R; ++i)
      for (int j = 0; j < C; j += 16) __builtin_prefetch(c + static_cast<size_t>(i) * ldc + j, 1);
  for (int p = 0; p < depth; ++p) {
    const float* bp = b + static_cast<size_t>(p) * ldb;
    typename T::vec bv[V];
    for (int v = 0; v < V; ++v) bv[v] = T::load(bp + L * v);
    for (int i = 0; i < R; ++i) {
      const float av = a[a_index<TA>(i, p, lda)];
      for (int v = 0; v < V; ++v) acc[i][v] += av * bv[v];
    }
  }
  // Every loop over the accumulators is unrolled (here and where they are zeroed), so that each
  // is a named register: indexed by a loop variable, they were kept in a stack copy, zeroed
  // (`rep stos` for the 8-row tiles), stored and reloaded on every call. With short k that was
  // a large part of a tile: LSTM(20) forward at batch 32, 169 -> 148 us; SimpleRNN(20), 46 -> 39.
#pragma GCC unroll 8
  for (int i = 0; i < R; ++i) {
    float* ci = c + static_cast<size_t>(i) * ldc;
    if (cols == C) {
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) T::store(ci + L * v, T::load(ci + L * v) + acc[i][v]);
    } else {
#pragma GCC unroll 8
      for (int v = 0; v < V; ++v) {
        alignas(64) float lanes[L];  // a copy: indexing acc itself would keep it all in memory
        T::store(lanes, acc[i][v]);
        for (int l = 0; l < L && L * v + l < cols; ++l) ci[L * v + l] += lanes[l];
      }
    }
  }
}

// Every row of one column block: full tiles of R rows, then the last m % R rows one tile of
// that height (a recurrent step at batch 1 is a single 1-row tile).
template <bool TA, int MaxL, int R, int C, bool Prefetch>
void rows_of_block(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m,
                   int depth, int cols) {
  int i0 = 0;
  for (; i0 + R <= m; i0 += R)
    tile<TA, MaxL, R, C, Prefetch>(a + a_index<TA>(i0, 0, lda), lda, b, ldb,
                                   c + static_cast<size_t>(i0) * ldc, ldc, depth, cols);
  const float* ar = a + a_index<TA>(i0, 0, lda);
  float* cr = c + static_cast<size_t>(i0) * ldc;
  switch (m - i0) {
    case 0: return;
    case 1: tile<TA, MaxL, 1, C, Prefetch>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 2: tile<TA, MaxL, 2, C, Prefetch>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 3: tile<TA, MaxL, 3, C, Prefetch>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 4: tile<TA, MaxL, 4, C, Prefetch>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 5: tile<TA, MaxL, 5, C, Prefetch>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    case 6: tile<TA, MaxL, 6, C, Prefetch>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
    default: tile<TA, MaxL, 7, C, Prefetch>(ar, lda, b, ldb, cr, ldc, depth, cols); return;
  }
}

// One row of a times C columns of b (C a multiple of 16, up to 128), over all of k, reading b
// in place: a recurrent step at batch 1. Each accumulator is a chain of dependent FMAs, so the
// time is the chain's length, not the FLOPs: all C columns run in one pass (rather than C/32
// passes of a 2-register tile) and k alternates between two accumulator sets, halving the chain.
// (a_step: 1 for a row of a row-major a, lda for a column of a transposed one.)
template <int MaxL, int C>
TS_SIMD_CLONES void row_tile(const float* a, int a_step, const float* b, int ldb, float* c, int k) {
  using T = Lanes<MaxL>;
  constexpr int V = C / MaxL;
  typename T::vec even[V], odd[V];
  // unrolled for the same reason as tile's store loop: on the chain of a batch-1 step the stack
  // copy cost 15% of an LSTM(20) forward (7.9 -> 6.7 us over 50 steps)
#pragma GCC unroll 16
  for (int v = 0; v < V; ++v) even[v] = odd[v] = typename T::vec{};
  int p = 0;
  for (; p + 2 <= k; p += 2) {
    const float* b0 = b + static_cast<size_t>(p) * ldb;
    const float* b1 = b0 + ldb;
    for (int v = 0; v < V; ++v) {
      even[v] += a[static_cast<size_t>(p) * a_step] * T::load(b0 + MaxL * v);
      odd[v] += a[static_cast<size_t>(p + 1) * a_step] * T::load(b1 + MaxL * v);
    }
  }
  if (p < k) {
    const float* b0 = b + static_cast<size_t>(p) * ldb;
#pragma GCC unroll 16
    for (int v = 0; v < V; ++v)
      even[v] += a[static_cast<size_t>(p) * a_step] * T::load(b0 + MaxL * v);
  }
#pragma GCC unroll 16
  for (int v = 0; v < V; ++v) T::store(c + MaxL * v, T::load(c + MaxL * v) + even[v] + odd[v]);
}

// Copies a depth x cols block of b into a panel of `width` columns, zeros past cols. Full rows
// move as 16-float vectors: std::copy_n became `rep movsq`, whose start-up cost per 128-byte
// row made the copies of a 256 x 1024 x 6400 weight-gradient product 7% of its time.
void copy_panel(const float* b, int ldb, int depth, int cols, int width, float* panel) {
  for (int p = 0; p < depth; ++p) {
    const float* src = b + static_cast<size_t>(p) * ldb;
    float* row = panel + static_cast<size_t>(p) * width;
    if (cols == width && width % 16 == 0) {
      for (int j = 0; j < width; j += 16) V16::store(row + j, V16::load(src + j));
    } else {
      std::copy_n(src, cols, row);
      std::fill(row + cols, row + width, 0.0f);
    }
  }
}

// Width of the column block that starts where `left` columns remain: 32 while 32 are left, then
// 17-24 as one block of 24, else a block of 16, then one of 8 (zero-padded if short). The widths
// of a row add up to n rounded up to a multiple of 8, and every block but the last is full. One
// 24-wide tile rather than a 16 and an 8 (20 units: a recurrent step's product, dh's) loads each
// element of a once, and c's rows once, instead of twice.
inline int block_width(int left) {
  return left >= kCols ? kCols : left > 24 ? 16 : left > 16 ? 24 : left > 8 ? 16 : 8;
}

inline int round_up8(int n) { return (n + 7) / 8 * 8; }

// Rows of the tile for each width, by build: 16-float vectors (AVX-512: 32 registers) or 8-float
// ones (AVX2: 16 registers, at most 12 of them accumulators).
template <int MaxL>
constexpr int tile_rows(int width) {
  if constexpr (MaxL == 16) return width == kCols ? kRows : kNarrowRows;
  return width == 32 ? 3 : width == 24 ? 4 : width == 16 ? 6 : 8;
}

// Every row of one column block of the given width, with the tile that width uses.
template <bool TA, int MaxL, bool Prefetch>
void block_rows(int width, const float* a, int lda, const float* b, int ldb, float* c, int ldc,
                int rows, int depth, int cols) {
  switch (width) {
    case kCols:
      rows_of_block<TA, MaxL, tile_rows<MaxL>(kCols), kCols, Prefetch>(a, lda, b, ldb, c, ldc, rows,
                                                                       depth, cols);
      break;
    case 24:
      rows_of_block<TA, MaxL, tile_rows<MaxL>(24), 24, Prefetch>(a, lda, b, ldb, c, ldc, rows,
                                                                 depth, cols);
      break;
    case 16:
      rows_of_block<TA, MaxL, tile_rows<MaxL>(16), 16, Prefetch>(a, lda, b, ldb, c, ldc, rows,
                                                                 depth, cols);
      break;
    default:
      rows_of_block<TA, MaxL, tile_rows<MaxL>(8), 8, Prefetch>(a, lda, b, ldb, c, ldc, rows, depth,
                                                               cols);
      break;
  }
}

// One depth block of one row block: every column block of c[rows, n] += a . b over `depth` k.
// b's blocks come from `packed` (that depth block of a pack_b layout) when it is not null; else
// from bp, read in place when `in_place` allows, or copied into `panel`.
template <bool TA, int MaxL>
void column_blocks(const float* ap, int lda, const float* bp, int ldb, const float* packed,
                   float* c, int ldc, int rows, int n, int depth, bool in_place, float* panel) {
  for (int j0 = 0; j0 < n;) {
    const int width = block_width(n - j0);
    const int cols = std::min(width, n - j0);
    const float* bb = bp + j0;
    int ldbb = ldb;
    if (packed) {
      bb = packed + static_cast<size_t>(depth) * j0;  // the blocks before this one are full
      ldbb = width;
    } else if (cols < width || !in_place) {
      copy_panel(bp + j0, ldb, depth, cols, width, panel);
      bb = panel;
      ldbb = width;
    }
    if (depth >= kPrefetchDepth)
      block_rows<TA, MaxL, true>(width, ap, lda, bb, ldbb, c + j0, ldc, rows, depth, cols);
    else
      block_rows<TA, MaxL, false>(width, ap, lda, bb, ldbb, c + j0, ldc, rows, depth, cols);
    j0 += cols;
  }
}

// One row of a times b, in row tiles of up to 128 columns (whole groups of 16 columns); returns
// how many columns it did (the rest, under 16, is left to the caller). (a_step: 1 for a row of
// a row-major a, lda for a column of a transposed one.)
template <int MaxL>
int row_product(const float* a, int a_step, const float* b, int ldb, float* c, int n, int k) {
  int j0 = 0;
  for (int groups; (groups = std::min(8, (n - j0) / 16)) > 0; j0 += groups * 16) {
    const float* bj = b + j0;
    float* cj = c + j0;
    switch (groups) {
      case 8: row_tile<MaxL, 128>(a, a_step, bj, ldb, cj, k); break;
      case 7: row_tile<MaxL, 112>(a, a_step, bj, ldb, cj, k); break;
      case 6: row_tile<MaxL, 96>(a, a_step, bj, ldb, cj, k); break;
      case 5: row_tile<MaxL, 80>(a, a_step, bj, ldb, cj, k); break;
      case 4: row_tile<MaxL, 64>(a, a_step, bj, ldb, cj, k); break;
      case 3: row_tile<MaxL, 48>(a, a_step, bj, ldb, cj, k); break;
      case 2: row_tile<MaxL, 32>(a, a_step, bj, ldb, cj, k); break;
      default: row_tile<MaxL, 16>(a, a_step, bj, ldb, cj, k); break;
    }
  }
  return j0;
}

// c[m,n] += a[m,k] . b[k,n] by register tiles, a read through a_index<TA>, b from `packed` (a
// pack_b layout) when that is not null. Depth blocks of kDepth, row blocks of kRowBlock, column
// blocks of 32, 16 and 8 (see tile); a block narrower than its tile runs on a zero-padded copy
// of its panel. Every element of c adds its depth blocks in the same order whatever the row
// blocking, so results do not depend on it.
template <bool TA, int MaxL>
void tiled_gemm(const float* a, int lda, const float* b, int ldb, const float* packed, float* c,
                int ldc, int m, int n, int k) {
  alignas(64) float panel[kDepth * kCols];
  // Fewer than 4 rows use each element of B once: copying it would cost as much as the product.
  const bool few_rows = m < kRows;
  for (int p0 = 0; p0 < k; p0 += kDepth) {
    const int depth = std::min(kDepth, k - p0);
    const bool in_place_ok =
        static_cast<long long>(depth) * ldb <= kDirectFloats || ldb % kAliasingStride != 0;
    const float* bp = packed ? nullptr : b + static_cast<size_t>(p0) * ldb;
    const float* pp = packed ? packed + static_cast<size_t>(p0) * round_up8(n) : nullptr;
    for (int i0 = 0; i0 < m; i0 += kRowBlock) {
      const int rows = std::min(kRowBlock, m - i0);
      column_blocks<TA, MaxL>(a + a_index<TA>(i0, p0, lda), lda, bp, ldb, pp,
                              c + static_cast<size_t>(i0) * ldc, ldc, rows, n, depth,
                              few_rows || in_place_ok, panel);
    }
  }
}

// c[m,n] += a[m,k] . b[k,n] (see gemm.h), with the tiles of one build (MaxL: see tile). A single
// row (a recurrent step at batch 1) runs as row tiles reading b in place, in a function of its
// own: it is latency-bound, and the tiled path's 16 KB stack panel and spills cost it ~10% when
// they shared one frame.
template <bool TA, int MaxL>
void gemm_with(const float* a, int lda, const float* b, int ldb, const float* packed, float* c,
               int ldc, int m, int n, int k) {
  if (m == 1 && !packed) {
    const int j0 = row_product<MaxL>(a, TA ? lda : 1, b, ldb, c, n, k);
    if (j0 == n) return;
    b += j0;
    c += j0;
    n -= j0;
  }
  tiled_gemm<TA, MaxL>(a, lda, b, ldb, packed, c, ldc, m, n, k);
}

// The build of the tiles this CPU runs: 16-float vectors where it has AVX-512 (the x86-64-v4
// level, as the clones' loader picks), else 8-float ones; tests may ask for the narrow build.
std::atomic<int> g_tile_lanes{0};

int tile_lanes() {
  int lanes = g_tile_lanes.load(std::memory_order_relaxed);
  if (lanes == 0) {
    lanes = timestep::cpu::runs_avx512_build() ? 16 : 8;
    g_tile_lanes.store(lanes, std::memory_order_relaxed);
  }
  return lanes;
}

template <bool TA>
void gemm(const float* a, int lda, const float* b, int ldb, const float* packed, float* c, int ldc,
          int m, int n, int k) {
  if (tile_lanes() == 16)
    gemm_with<TA, 16>(a, lda, b, ldb, packed, c, ldc, m, n, k);
  else
    gemm_with<TA, 8>(a, lda, b, ldb, packed, c, ldc, m, n, k);
}

}  // namespace

namespace timestep::cpu {

void gemm_accumulate(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m,
                     int n, int k) {
  gemm<false>(a, lda, b, ldb, nullptr, c, ldc, m, n, k);
}

void gemm_accumulate_at(const float* a, int lda, const float* b, int ldb, float* c, int ldc, int m,
                        int n, int k) {
  gemm<true>(a, lda, b, ldb, nullptr, c, ldc, m, n, k);
}

bool gemm_copies_b(int ldb) {
  return static_cast<long long>(kDepth) * ldb > kDirectFloats && ldb % kAliasingStride == 0;
}

size_t packed_b_floats(int n, int k) { return static_cast<size_t>(k) * round_up8(n); }

void pack_b(const float* b, int ldb, int n, int k, float* packed) {
  for (int p0 = 0; p0 < k; p0 += kDepth) {
    const int depth = std::min(kDepth, k - p0);
    float* block = packed + static_cast<size_t>(p0) * round_up8(n);
    for (int j0 = 0; j0 < n;) {
      const int width = block_width(n - j0);
      const int cols = std::min(width, n - j0);
      copy_panel(b + static_cast<size_t>(p0) * ldb + j0, ldb, depth, cols, width,
                 block + static_cast<size_t>(depth) * j0);
      j0 += cols;
    }
  }
}

void gemm_accumulate_packed(const float* a, int lda, const float* packed, float* c, int ldc, int m,
                            int n, int k) {
  gemm<false>(a, lda, nullptr, 0, packed, c, ldc, m, n, k);
}

void set_gemm_tile_lanes(int lanes) { g_tile_lanes.store(lanes, std::memory_order_relaxed); }

void transpose_into(const float* src, int lds, int rows, int cols, float* dst, int ldd) {
  transpose_tiles<false>(src, lds, rows, cols, dst, ldd);
}

void add_transposed(const float* src, int lds, int rows, int cols, float* dst, int ldd) {
  transpose_tiles<true>(src, lds, rows, cols, dst, ldd);
}

}  // namespace timestep::cpu

extern "C" int ts_cpu_matmul(const float* a, const float* b, float* c, int m, int n, int k,
                             int trans_a, int trans_b, int accumulate) {
  TS_CPU_REQUIRE(a && b && c, "matmul: null buffer");
  TS_CPU_REQUIRE(m >= 0 && n >= 0 && k >= 0, "matmul: negative size m=%d n=%d k=%d", m, n, k);
  if (!accumulate) std::fill(c, c + static_cast<size_t>(m) * n, 0.0f);
  if (m == 0 || n == 0 || k == 0) return TS_OK;
  std::vector<float> b_t;
  if (trans_b) {  // b is stored [n, k]
    b_t.resize(static_cast<size_t>(k) * n);
    timestep::cpu::transpose_into(b, k, k, n, b_t.data(), n);
    b = b_t.data();
  }
  if (trans_a)
    timestep::cpu::gemm_accumulate_at(a, m, b, n, c, n, m, n, k);  // a is stored [k, m]
  else
    timestep::cpu::gemm_accumulate(a, k, b, n, c, n, m, n, k);
  return TS_OK;
}
