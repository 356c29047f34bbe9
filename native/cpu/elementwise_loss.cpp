// The elementwise losses (mean absolute error, Huber, log-cosh, pinball, absolute percentage
// error): forward and gradient, k predictions per target.
#include "errors.h"
#include "timestep/cpu_api.h"
#include "timestep/losses.h"

extern "C" {

int ts_cpu_elementwise_loss(int kind, const float* params, int k, const float* pred,
                            const float* target, float* loss, long long n) {
  TS_CPU_REQUIRE(params && pred && target && loss && n > 0 && k >= 1 && k <= TS_LOSS_MAX_PARAMS,
                 "elementwise_loss: null buffer, size %lld or %d parameters", n, k);
  TS_CPU_REQUIRE(timestep::loss_kind_valid(kind), "elementwise_loss: unknown kind %d", kind);
  // Double accumulation, as mse: n reaches 10^7 and a float sum would lose digits.
  double sum = 0.0;
  for (long long t = 0; t < n; ++t)
    for (int i = 0; i < k; ++i)
      sum += timestep::loss_value(kind, pred[t * k + i], target[t], params[i]);
  loss[0] = static_cast<float>(sum / (static_cast<double>(n) * k));
  return TS_OK;
}

int ts_cpu_elementwise_loss_grad(int kind, const float* params, int k, const float* pred,
                                 const float* target, const float* dloss, float* dpred,
                                 float* dtarget, long long n) {
  TS_CPU_REQUIRE(params && pred && target && dloss && (dpred || dtarget) && n > 0 && k >= 1 &&
                     k <= TS_LOSS_MAX_PARAMS,
                 "elementwise_loss_grad: null buffer, size %lld or %d parameters", n, k);
  TS_CPU_REQUIRE(timestep::loss_kind_valid(kind), "elementwise_loss_grad: unknown kind %d", kind);
  const float upstream = dloss[0];
  const float inv = static_cast<float>(1.0 / (static_cast<double>(n) * k));  // as the CUDA twin
  for (long long t = 0; t < n; ++t) {
    float target_slope = 0.0f;
    for (int i = 0; i < k; ++i) {
      float dp = 0.0f, dy = 0.0f;
      timestep::loss_slopes(kind, pred[t * k + i], target[t], params[i], dp, dy);
      if (dpred) dpred[t * k + i] += upstream * dp * inv;
      target_slope += dy;
    }
    if (dtarget) dtarget[t] += upstream * target_slope * inv;
  }
  return TS_OK;
}

}  // extern "C"
