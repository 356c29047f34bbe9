// add_column_sums (column_sums.h): blocks of 32 columns, each summed over all rows with its
// four running sums held in registers (16 AVX-512 registers of 8 doubles). Keeping the sums in
// memory and reading them back for every row made the recurrent layers' bias gradients 6% of an
// LSTM training step at 20 units.
#include "column_sums.h"

#include "simd.h"

namespace timestep::cpu {
namespace {

#pragma GCC diagnostic ignored "-Wpsabi"  // the vector helpers are always inlined
typedef float f8 __attribute__((vector_size(32)));
typedef float f8u __attribute__((vector_size(32), aligned(4), may_alias));
typedef double d8 __attribute__((vector_size(64)));

constexpr int kLanes = 8;
constexpr int kRowsInFlight = 4;

inline __attribute__((always_inline)) d8 widened(const float* p) {
  return __builtin_convertvector(*reinterpret_cast<const f8u*>(p), d8);
}

// The sums of columns [c0, c0 + 8 * V) of every row, rounded to float, into sums.
template <int V>
inline __attribute__((always_inline)) void vector_block(const float* m, long long rows,
                                                        long long ld, float* sums) {
  d8 acc[kRowsInFlight][V];
  for (int k = 0; k < kRowsInFlight; ++k)
    for (int v = 0; v < V; ++v) acc[k][v] = d8{};
  long long r = 0;
  for (; r + kRowsInFlight <= rows; r += kRowsInFlight)
    for (int k = 0; k < kRowsInFlight; ++k)
      for (int v = 0; v < V; ++v) acc[k][v] += widened(m + (r + k) * ld + v * kLanes);
  for (; r < rows; ++r)
    for (int v = 0; v < V; ++v) acc[0][v] += widened(m + r * ld + v * kLanes);
  for (int v = 0; v < V; ++v) {
    const d8 total = (acc[0][v] + acc[1][v]) + (acc[2][v] + acc[3][v]);
    for (int l = 0; l < kLanes; ++l) sums[v * kLanes + l] = static_cast<float>(total[l]);
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

// The last cols % 8 columns (cols >= 8) run as one block of the 8 columns ending at cols: the
// ones already summed are summed again, in the same order, and their sums dropped.
TS_SIMD_CLONES void column_sums(const float* m, long long rows, int cols, long long ld,
                                float* dst) {
  alignas(64) float sums[4 * kLanes];
  int c = 0;
  for (; c + 4 * kLanes <= cols; c += 4 * kLanes) {
    vector_block<4>(m + c, rows, ld, sums);
    for (int j = 0; j < 4 * kLanes; ++j) dst[c + j] += sums[j];
  }
  for (; c + kLanes <= cols; c += kLanes) {
    vector_block<1>(m + c, rows, ld, sums);
    for (int j = 0; j < kLanes; ++j) dst[c + j] += sums[j];
  }
  if (c == cols) return;
  if (cols < kLanes) {
    for (; c < cols; ++c) single_column(m + c, rows, ld, dst + c);
    return;
  }
  const int start = cols - kLanes;
  vector_block<1>(m + start, rows, ld, sums);
  for (int j = c - start; j < kLanes; ++j) dst[start + j] += sums[j];
}

}  // namespace

void add_column_sums(const float* m, long long rows, int cols, long long ld, float* dst) {
  column_sums(m, rows, cols, ld, dst);
}

}  // namespace timestep::cpu
