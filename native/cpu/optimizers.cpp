// The fused optimizer steps (Adam/AdamW/AMSGrad, SGD, RMSprop): one call updates the whole
// parameter arena; the per-element math is in common/timestep/optimizers.h.
#include "timestep/optimizers.h"

#include "errors.h"
#include "timestep/cpu_api.h"

extern "C" {

int ts_cpu_adam(float* param, const float* grad, float* m, float* v, float* vhat, long long n,
                float lr_t, float beta1, float beta2, float eps, float decay) {
  TS_CPU_REQUIRE(param && grad && m && v && n >= 0, "adam: null buffer or negative size %lld", n);
  for (long long i = 0; i < n; ++i)
    timestep::adam_update(param[i], grad[i], m[i], v[i], vhat ? vhat + i : nullptr, lr_t, beta1,
                          beta2, eps, decay);
  return TS_OK;
}

int ts_cpu_sgd(float* param, const float* grad, float* velocity, long long n, float lr,
               float momentum, int nesterov) {
  TS_CPU_REQUIRE(param && grad && n >= 0, "sgd: null buffer or negative size %lld", n);
  TS_CPU_REQUIRE((velocity != nullptr) == (momentum != 0.0f),
                 "sgd: a velocity buffer goes with a non-zero momentum (momentum %g)", momentum);
  for (long long i = 0; i < n; ++i)
    timestep::sgd_update(param[i], grad[i], velocity ? velocity + i : nullptr, lr, momentum,
                         nesterov);
  return TS_OK;
}

int ts_cpu_rmsprop(float* param, const float* grad, float* velocity, float* average_grad,
                   float* momentum_buf, long long n, float lr, float rho, float momentum,
                   float eps) {
  TS_CPU_REQUIRE(param && grad && velocity && n >= 0, "rmsprop: null buffer or negative size %lld",
                 n);
  TS_CPU_REQUIRE((momentum_buf != nullptr) == (momentum != 0.0f),
                 "rmsprop: a momentum buffer goes with a non-zero momentum (momentum %g)",
                 momentum);
  for (long long i = 0; i < n; ++i)
    timestep::rmsprop_update(param[i], grad[i], velocity[i],
                             average_grad ? average_grad + i : nullptr,
                             momentum_buf ? momentum_buf + i : nullptr, lr, rho, momentum, eps);
  return TS_OK;
}

}  // extern "C"
