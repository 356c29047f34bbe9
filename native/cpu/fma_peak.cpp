// The floor of the speed reports: how many float multiply-adds one core (or all of them) can
// really retire, measured with a kernel of independent FMA chains that never touches memory.
// Every model's floor is its FLOP count divided by this rate.
#include <chrono>
#include <type_traits>
#include <vector>

#include "errors.h"
#include "parallel.h"
#include "simd.h"
#include "timestep/cpu_api.h"

namespace {

#pragma GCC diagnostic ignored "-Wpsabi"  // the vector type never crosses a call boundary
constexpr int kChains = 12;  // independent accumulators: more than FMA latency x FMA pipes

// kChains x L lanes x 2 FLOP per iteration; returns a value so the loop is not dropped. L is 16
// where the AVX-512 build runs, else 8: gcc lowers 16-float vectors on AVX2 through the stack,
// and 12 of them do not fit its 16 registers, which measured a fraction of that CPU's peak.
typedef float v8 __attribute__((vector_size(32)));
typedef float v16 __attribute__((vector_size(64)));

template <int L, class vec = std::conditional_t<L == 16, v16, v8>>
TS_SIMD_CLONES float fma_chains(long long iterations, float seed) {
  vec acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = vec{} + (seed + c);
  const vec a = vec{} + 0.999999f, b = vec{} + 1e-7f;
  for (long long i = 0; i < iterations; ++i)
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = acc[c] * a + b;
  float sum = 0.0f;
  for (int c = 0; c < kChains; ++c)
    for (int l = 0; l < L; ++l) sum += acc[c][l];
  return sum;
}

int lanes() {
  static const int value = timestep::cpu::runs_avx512_build() ? 16 : 8;
  return value;
}

float fma_chains(long long iterations, float seed) {
  return lanes() == 16 ? fma_chains<16>(iterations, seed) : fma_chains<8>(iterations, seed);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

extern "C" {

int ts_cpu_fma_peak(double seconds, int threads, double* gflops) {
  TS_CPU_REQUIRE(
      gflops && seconds > 0 && seconds <= 60 && threads >= 1 && threads <= 64,
      "fma_peak: need seconds in (0, 60], threads in 1..64 and an output, got %g s, %d threads",
      seconds, threads);
  // Calibrate one thread's iteration count to about `seconds`, then run it on every thread.
  long long iterations = 1 << 16;
  for (;;) {
    const auto start = std::chrono::steady_clock::now();
    volatile float keep = fma_chains(iterations, 1.0f);
    (void)keep;
    if (seconds_since(start) > seconds / 4 || iterations > (1LL << 40)) break;
    iterations *= 2;
  }
  iterations *= 4;
  std::vector<double> rate(threads, 0.0);
  timestep::cpu::run_parallel(threads, [&](int thread, int) {
    const auto start = std::chrono::steady_clock::now();
    volatile float keep = fma_chains(iterations, 1.0f + thread);
    (void)keep;
    rate[thread] =
        2.0 * kChains * lanes() * static_cast<double>(iterations) / seconds_since(start) / 1e9;
  });
  double total = 0.0;
  for (double r : rate) total += r;
  *gflops = total;
  return TS_OK;
}

}  // extern "C"
