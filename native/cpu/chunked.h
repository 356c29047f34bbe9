// Loops over a row of n units as whole SIMD vectors (private header of the CPU cell loops).
#ifndef TIMESTEP_CPU_CHUNKED_H
#define TIMESTEP_CPU_CHUNKED_H

#include <type_traits>

#include "fast_math.h"

namespace timestep::cpu {

// chunked(n, cols) calls cols(j, count) over [0, n) in chunks of kChunk units with a
// compile-time count, so the loop inside is all full SIMD vectors (one AVX-512 register of 16
// floats), and covers the last n % kChunk units by running one more chunk, overlapped and ending
// at n: of 8 units (one AVX2 register, half the work of 16 on cores that split AVX-512 in two)
// when at most 8 are left, else of 16. With 16 lanes and 20 units a plain loop spent more time
// in its scalar remainder than in the vector part. Re-running units is exact only when cols
// writes no buffer it reads: the callers keep outputs apart from inputs.
constexpr int kChunk = 16;
constexpr int kHalfChunk = 8;
using FullChunk = std::integral_constant<int, kChunk>;
using HalfChunk = std::integral_constant<int, kHalfChunk>;

template <class Cols>
TS_INLINE void chunked(int n, Cols cols) {
  if (n < kHalfChunk) {
    cols(0, n);
    return;
  }
  if (n < kChunk) {
    cols(0, HalfChunk{});
    if (n > kHalfChunk) cols(n - kHalfChunk, HalfChunk{});
    return;
  }
  int j = 0;
  for (; j + kChunk <= n; j += kChunk) cols(j, FullChunk{});
  if (j == n) return;
  if (n - j <= kHalfChunk)
    cols(n - kHalfChunk, HalfChunk{});
  else
    cols(n - kChunk, FullChunk{});
}

}  // namespace timestep::cpu

#endif
