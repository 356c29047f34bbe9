/* Elementwise math written once for the CPU loops and the CUDA kernels.
 * Every function is __host__ __device__ under nvcc and plain inline under g++. */
#ifndef TIMESTEP_COMMON_MATH_H
#define TIMESTEP_COMMON_MATH_H

#include <math.h>

#include "timestep/status.h"

#if defined(__CUDACC__)
#define TS_HD __host__ __device__ __forceinline__
#else
#define TS_HD inline
#endif

namespace timestep {

TS_HD float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

/* y = f(x) for the TS_ACT_* kinds. */
TS_HD float activate(int kind, float x) {
  switch (kind) {
    case TS_ACT_TANH: return tanhf(x);
    case TS_ACT_SIGMOID: return sigmoid(x);
    case TS_ACT_RELU: return x > 0.0f ? x : 0.0f;
    default: return x;
  }
}

/* f'(x) expressed through y = f(x): backward needs only the saved output. */
TS_HD float activation_slope(int kind, float y) {
  switch (kind) {
    case TS_ACT_TANH: return 1.0f - y * y;
    case TS_ACT_SIGMOID: return y * (1.0f - y);
    case TS_ACT_RELU: return y > 0.0f ? 1.0f : 0.0f;
    default: return 1.0f;
  }
}

/* d/dpred of mean((pred - target)^2) over n values, scaled by the upstream gradient. */
TS_HD float mse_slope(float pred, float target, float dloss, float inv_n) {
  return dloss * 2.0f * (pred - target) * inv_n;
}

}  // namespace timestep

#endif
