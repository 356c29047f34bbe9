// Reductions: the sum of a tensor (forward, and its gradient, a broadcast).
#include "errors.h"
#include "timestep/cpu_api.h"

extern "C" {

int ts_cpu_sum(const float* x, float* y, long long n) {
  TS_CPU_REQUIRE(x && y && n >= 0, "sum: null buffer or negative size %lld", n);
  double total = 0.0;  // in double and in index order: repeatable, and n may reach 10^7
  for (long long i = 0; i < n; ++i) total += x[i];
  y[0] = static_cast<float>(total);
  return TS_OK;
}

int ts_cpu_sum_grad(const float* dy, float* dx, long long n) {
  TS_CPU_REQUIRE(dy && dx && n >= 0, "sum_grad: null buffer or negative size %lld", n);
  const float upstream = dy[0];
  for (long long i = 0; i < n; ++i) dx[i] += upstream;
  return TS_OK;
}

}  // extern "C"
