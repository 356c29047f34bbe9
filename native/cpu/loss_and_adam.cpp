// Mean squared error (forward and gradient) and the fused Adam update.
#include "errors.h"
#include "timestep/cpu_api.h"
#include "timestep/math.h"

extern "C" {

int ts_cpu_mse(const float* pred, const float* target, float* loss, long long n) {
  TS_CPU_REQUIRE(pred && target && loss && n > 0, "mse: null buffer or size %lld", n);
  double sum = 0.0;
  for (long long i = 0; i < n; ++i) {
    double d = static_cast<double>(pred[i]) - target[i];
    sum += d * d;
  }
  loss[0] = static_cast<float>(sum / static_cast<double>(n));
  return TS_OK;
}

int ts_cpu_mse_grad(const float* pred, const float* target, const float* dloss, float* dpred,
                    long long n) {
  TS_CPU_REQUIRE(pred && target && dloss && dpred && n > 0, "mse_grad: null buffer or size %lld", n);
  const float upstream = dloss[0];
  const float inv_n = 1.0f / static_cast<float>(n);
  for (long long i = 0; i < n; ++i) dpred[i] += timestep::mse_slope(pred[i], target[i], upstream, inv_n);
  return TS_OK;
}

int ts_cpu_adam(float* param, const float* grad, float* m, float* v, long long n, float lr_t,
                float beta1, float beta2, float eps) {
  TS_CPU_REQUIRE(param && grad && m && v && n >= 0, "adam: null buffer or negative size %lld", n);
  for (long long i = 0; i < n; ++i) timestep::adam_update(param[i], grad[i], m[i], v[i], lr_t, beta1, beta2, eps);
  return TS_OK;
}

}  // extern "C"
