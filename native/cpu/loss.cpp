// Mean squared error (forward and gradient); the optimizer steps are in optimizers.cpp.
#include "errors.h"
#include "timestep/cpu_api.h"
#include "timestep/math.h"

extern "C" {

int ts_cpu_mse(const float* pred, const float* target, float* loss, long long n) {
  TS_CPU_REQUIRE(pred && target && loss && n > 0, "mse: null buffer or size %lld", n);
  // Eight partial sums in double: one running sum made every add wait for the previous one
  // (4 cycles each: 17 us for a 32 x 50 x 10 batch); eight independent ones vectorize.
  constexpr int kLanes = 8;
  double part[kLanes] = {};
  long long i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l) {
      const double d = static_cast<double>(pred[i + l]) - target[i + l];
      part[l] += d * d;
    }
  double sum = 0.0;
  for (; i < n; ++i) {
    const double d = static_cast<double>(pred[i]) - target[i];
    sum += d * d;
  }
  for (int l = 0; l < kLanes; ++l) sum += part[l];
  loss[0] = static_cast<float>(sum / static_cast<double>(n));
  return TS_OK;
}

int ts_cpu_mse_grad(const float* pred, const float* target, const float* dloss, float* dpred,
                    long long n) {
  TS_CPU_REQUIRE(pred && target && dloss && dpred && n > 0, "mse_grad: null buffer or size %lld",
                 n);
  const float upstream = dloss[0];
  const float inv_n = 1.0f / static_cast<float>(n);
  for (long long i = 0; i < n; ++i)
    dpred[i] += timestep::mse_slope(pred[i], target[i], upstream, inv_n);
  return TS_OK;
}

}  // extern "C"
