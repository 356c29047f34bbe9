// The fused optimizer steps (Adam/AdamW/AMSGrad, SGD, RMSprop): one call updates the whole
// parameter arena; the per-element math is in common/timestep/optimizers.h.
#include "timestep/optimizers.h"

#include "errors.h"
#include "simd.h"
#include "timestep/cpu_api.h"

namespace {

// One loop per variant, so each compiles without the per-element test for the optional slot
// and with no aliasing between the buffers: it vectorizes like the plain Adam loop did.
// Each loop is compiled per SIMD level (Adam's square root and division 16 lanes wide where the
// baseline has 4: 30 -> 19 us for an LSTM(64) x2's 50,753 parameters, 2% of its training step
// over 10 steps), with no multiply-add contraction, so that every level rounds each operation as
// the baseline does and the parameters have the same bits on every level.
#define TS_OPTIMIZER_LOOP TS_SIMD_CLONES __attribute__((optimize("fp-contract=off")))

template <bool kAmsgrad>
TS_OPTIMIZER_LOOP void adam_loop(float* __restrict__ param, const float* __restrict__ grad,
                                 float* __restrict__ m, float* __restrict__ v,
                                 float* __restrict__ vhat, long long n, float lr_t, float beta1,
                                 float beta2, float eps, float decay) {
  for (long long i = 0; i < n; ++i) {
    float vh = kAmsgrad ? vhat[i] : 0.0f;
    timestep::adam_update(param[i], grad[i], m[i], v[i], kAmsgrad ? &vh : nullptr, lr_t, beta1,
                          beta2, eps, decay);
    if (kAmsgrad) vhat[i] = vh;
  }
}

template <bool kMomentum>
TS_OPTIMIZER_LOOP void sgd_loop(float* __restrict__ param, const float* __restrict__ grad,
                                float* __restrict__ velocity, long long n, float lr, float momentum,
                                int nesterov) {
  for (long long i = 0; i < n; ++i) {
    float u = kMomentum ? velocity[i] : 0.0f;
    timestep::sgd_update(param[i], grad[i], kMomentum ? &u : nullptr, lr, momentum, nesterov);
    if (kMomentum) velocity[i] = u;
  }
}

template <bool kCentered, bool kMomentum>
TS_OPTIMIZER_LOOP void rmsprop_loop(float* __restrict__ param, const float* __restrict__ grad,
                                    float* __restrict__ velocity, float* __restrict__ average_grad,
                                    float* __restrict__ momentum_buf, long long n, float lr,
                                    float rho, float momentum, float eps) {
  for (long long i = 0; i < n; ++i) {
    float a = kCentered ? average_grad[i] : 0.0f;
    float mo = kMomentum ? momentum_buf[i] : 0.0f;
    timestep::rmsprop_update(param[i], grad[i], velocity[i], kCentered ? &a : nullptr,
                             kMomentum ? &mo : nullptr, lr, rho, momentum, eps);
    if (kCentered) average_grad[i] = a;
    if (kMomentum) momentum_buf[i] = mo;
  }
}

}  // namespace

extern "C" {

int ts_cpu_adam(float* param, const float* grad, float* m, float* v, float* vhat, long long n,
                float lr_t, float beta1, float beta2, float eps, float decay) {
  TS_CPU_REQUIRE(param && grad && m && v && n >= 0, "adam: null buffer or negative size %lld", n);
  if (vhat)
    adam_loop<true>(param, grad, m, v, vhat, n, lr_t, beta1, beta2, eps, decay);
  else
    adam_loop<false>(param, grad, m, v, nullptr, n, lr_t, beta1, beta2, eps, decay);
  return TS_OK;
}

int ts_cpu_sgd(float* param, const float* grad, float* velocity, long long n, float lr,
               float momentum, int nesterov) {
  TS_CPU_REQUIRE(param && grad && n >= 0, "sgd: null buffer or negative size %lld", n);
  TS_CPU_REQUIRE((velocity != nullptr) == (momentum != 0.0f),
                 "sgd: a velocity buffer goes with a non-zero momentum (momentum %g)", momentum);
  if (velocity)
    sgd_loop<true>(param, grad, velocity, n, lr, momentum, nesterov);
  else
    sgd_loop<false>(param, grad, nullptr, n, lr, momentum, nesterov);
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
  const auto loop = average_grad
                        ? (momentum_buf ? rmsprop_loop<true, true> : rmsprop_loop<true, false>)
                        : (momentum_buf ? rmsprop_loop<false, true> : rmsprop_loop<false, false>);
  loop(param, grad, velocity, average_grad, momentum_buf, n, lr, rho, momentum, eps);
  return TS_OK;
}

}  // extern "C"
