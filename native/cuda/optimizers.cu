// The fused optimizer steps (Adam/AdamW/AMSGrad, SGD, RMSprop), twins of cpu/optimizers.cpp:
// one grid-stride kernel per step over the whole parameter arena, the per-element math shared
// through common/timestep/optimizers.h.
#include "common.cuh"
#include "timestep/cuda_api.h"
#include "timestep/optimizers.h"

namespace timestep::cuda {
namespace {

__global__ void adam_kernel(float* __restrict__ param, const float* __restrict__ grad,
                            float* __restrict__ m, float* __restrict__ v, float* __restrict__ vhat,
                            long long n, float lr_t, float beta1, float beta2, float eps,
                            float decay) {
  for (long long i = first_index(); i < n; i += grid_stride()) {
    float p = param[i], mi = m[i], vi = v[i];
    float vh = vhat ? vhat[i] : 0.0f;
    adam_update(p, grad[i], mi, vi, vhat ? &vh : nullptr, lr_t, beta1, beta2, eps, decay);
    param[i] = p;
    m[i] = mi;
    v[i] = vi;
    if (vhat) vhat[i] = vh;
  }
}

__global__ void sgd_kernel(float* __restrict__ param, const float* __restrict__ grad,
                           float* __restrict__ velocity, long long n, float lr, float momentum,
                           int nesterov) {
  for (long long i = first_index(); i < n; i += grid_stride()) {
    float p = param[i];
    float u = velocity ? velocity[i] : 0.0f;
    sgd_update(p, grad[i], velocity ? &u : nullptr, lr, momentum, nesterov);
    param[i] = p;
    if (velocity) velocity[i] = u;
  }
}

__global__ void rmsprop_kernel(float* __restrict__ param, const float* __restrict__ grad,
                               float* __restrict__ velocity, float* __restrict__ average_grad,
                               float* __restrict__ momentum_buf, long long n, float lr, float rho,
                               float momentum, float eps) {
  for (long long i = first_index(); i < n; i += grid_stride()) {
    float p = param[i], vi = velocity[i];
    float a = average_grad ? average_grad[i] : 0.0f;
    float mo = momentum_buf ? momentum_buf[i] : 0.0f;
    rmsprop_update(p, grad[i], vi, average_grad ? &a : nullptr, momentum_buf ? &mo : nullptr, lr,
                   rho, momentum, eps);
    param[i] = p;
    velocity[i] = vi;
    if (average_grad) average_grad[i] = a;
    if (momentum_buf) momentum_buf[i] = mo;
  }
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_adam(float* param, const float* grad, float* m, float* v, float* vhat, long long n,
                 float lr_t, float beta1, float beta2, float eps, float decay) {
  TS_CUDA_REQUIRE(param && grad && m && v && n >= 0, "adam: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  adam_kernel<<<blocks_for(n), kBlock>>>(param, grad, m, v, vhat, n, lr_t, beta1, beta2, eps,
                                         decay);
  return check_launch("adam");
}

int ts_cuda_sgd(float* param, const float* grad, float* velocity, long long n, float lr,
                float momentum, int nesterov) {
  TS_CUDA_REQUIRE(param && grad && n >= 0, "sgd: null buffer or negative size %lld", n);
  TS_CUDA_REQUIRE((velocity != nullptr) == (momentum != 0.0f),
                  "sgd: a velocity buffer goes with a non-zero momentum (momentum %g)", momentum);
  if (n == 0) return TS_OK;
  sgd_kernel<<<blocks_for(n), kBlock>>>(param, grad, velocity, n, lr, momentum, nesterov);
  return check_launch("sgd");
}

int ts_cuda_rmsprop(float* param, const float* grad, float* velocity, float* average_grad,
                    float* momentum_buf, long long n, float lr, float rho, float momentum,
                    float eps) {
  TS_CUDA_REQUIRE(param && grad && velocity && n >= 0, "rmsprop: null buffer or negative size %lld",
                  n);
  TS_CUDA_REQUIRE((momentum_buf != nullptr) == (momentum != 0.0f),
                  "rmsprop: a momentum buffer goes with a non-zero momentum (momentum %g)",
                  momentum);
  if (n == 0) return TS_OK;
  rmsprop_kernel<<<blocks_for(n), kBlock>>>(param, grad, velocity, average_grad, momentum_buf, n,
                                            lr, rho, momentum, eps);
  return check_launch("rmsprop");
}

}  // extern "C"
