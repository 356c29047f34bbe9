// add_column_sums (column_sums.h): blocks of columns, each summed over all rows with its four
// running sums held in registers (32 columns in 16 AVX-512 registers of 8 doubles). Keeping the
// sums in memory and reading them back for every row made the recurrent layers' bias gradients 6%
// of an LSTM training step at 20 units.
#include "column_sums.h"

#include "simd.h"

namespace timestep::cpu {
namespace {

#pragma GCC diagnostic ignored "-Wpsabi"  // the vector helpers are always inlined

// W doubles per vector: 8 (one AVX-512 register) where the AVX-512 build runs, else 4 (one AVX2
// register). gcc lowered 8-double vectors on AVX2 through the stack: the AVX2 build's sums of
// 1,600 x 80 took 49 us, 20 us in 4-double vectors (14 us on AVX-512).
typedef float f4u __attribute__((vector_size(16), aligned(4), may_alias));
typedef float f8u __attribute__((vector_size(32), aligned(4), may_alias));
typedef double d4 __attribute__((vector_size(32)));
typedef double d8 __attribute__((vector_size(64)));

template <int W>
struct Wide;
template <>
struct Wide<8> {
  typedef d8 d;
  static inline __attribute__((always_inline)) d8 widened(const float* p) {
    return __builtin_convertvector(*reinterpret_cast<const f8u*>(p), d8);
  }
};
template <>
struct Wide<4> {
  typedef d4 d;
  static inline __attribute__((always_inline)) d4 widened(const float* p) {
    return __builtin_convertvector(*reinterpret_cast<const f4u*>(p), d4);
  }
};

constexpr int kBlock = 8;  // columns of the narrowest vector block, and of the overlapped tail
constexpr int kRowsInFlight = 4;

// The sums of columns [0, W * V) of every row, rounded to float, into sums.
template <int W, int V>
inline __attribute__((always_inline)) void vector_block(const float* m, long long rows,
                                                        long long ld, float* sums) {
  using D = typename Wide<W>::d;
  D acc[kRowsInFlight][V];
  for (int k = 0; k < kRowsInFlight; ++k)
    for (int v = 0; v < V; ++v) acc[k][v] = D{};
  long long r = 0;
  for (; r + kRowsInFlight <= rows; r += kRowsInFlight)
    for (int k = 0; k < kRowsInFlight; ++k)
      for (int v = 0; v < V; ++v) acc[k][v] += Wide<W>::widened(m + (r + k) * ld + v * W);
  for (; r < rows; ++r)
    for (int v = 0; v < V; ++v) acc[0][v] += Wide<W>::widened(m + r * ld + v * W);
  for (int v = 0; v < V; ++v) {
    const D total = (acc[0][v] + acc[1][v]) + (acc[2][v] + acc[3][v]);
    for (int l = 0; l < W; ++l) sums[v * W + l] = static_cast<float>(total[l]);
  }
}

// One column, in the same order as the vector blocks.
inline void single_column(const float* m, long long rows, long long ld, float* dst) {
  double acc[kRowsInFlight] = {};
  long long r = 0;
  for (; r + kRowsInFlight <= rows; r += kRowsInFlight)
    for (int k = 0; k < kRowsInFlight; ++k) acc[k] += m[(r + k) * ld];
  for (; r < rows; ++r) acc[0] += m[r * ld];
  *dst += static_cast<float>((acc[0] + acc[1]) + (acc[2] + acc[3]));
}

// Blocks of 32 columns (the sums fill 16 AVX-512 registers, or spill from AVX2's 16: narrower
// blocks there read the rows in more passes, and took up to 2.3x as long on 6,400 x 1,024), then
// of 8, then the last cols % 8 columns (cols >= 8) as one block of the 8 columns ending at cols:
// the ones already summed are summed again, in the same order, and their sums dropped. Every
// column sums its rows in the same order whatever the block, so both widths give the same bits.
template <int W>
TS_SIMD_CLONES void column_sums(const float* m, long long rows, int cols, long long ld,
                                float* dst) {
  constexpr int kWide = 32;
  alignas(64) float sums[kWide];
  int c = 0;
  for (; c + kWide <= cols; c += kWide) {
    vector_block<W, kWide / W>(m + c, rows, ld, sums);
    for (int j = 0; j < kWide; ++j) dst[c + j] += sums[j];
  }
  for (; c + kBlock <= cols; c += kBlock) {
    vector_block<W, kBlock / W>(m + c, rows, ld, sums);
    for (int j = 0; j < kBlock; ++j) dst[c + j] += sums[j];
  }
  if (c == cols) return;
  if (cols < kBlock) {
    for (; c < cols; ++c) single_column(m + c, rows, ld, dst + c);
    return;
  }
  const int start = cols - kBlock;
  vector_block<W, kBlock / W>(m + start, rows, ld, sums);
  for (int j = c - start; j < kBlock; ++j) dst[start + j] += sums[j];
}

}  // namespace

void add_column_sums(const float* m, long long rows, int cols, long long ld, float* dst) {
  static const bool wide = runs_avx512_build();
  if (wide)
    column_sums<8>(m, rows, cols, ld, dst);
  else
    column_sums<4>(m, rows, cols, ld, dst);
}

}  // namespace timestep::cpu
