// Layer normalization over the last axis (the twin of cpu/layer_norm.cpp): one warp per row for
// the statistics and the input gradient; dgamma/dbeta are deterministic column sums.
// The per-value math (rstd, normalize, input gradient) is cells.h's, shared with the CPU.
#include "column_reduce.cuh"
#include "common.cuh"
#include "timestep/cells.h"
#include "timestep/cuda_api.h"

namespace timestep::cuda {
namespace {

constexpr int kWarps = kBlock / 32;  // rows in flight per block

__device__ __forceinline__ long long first_warp() {
  return static_cast<long long>(blockIdx.x) * kWarps + threadIdx.x / 32;
}
__device__ __forceinline__ long long warp_stride() {
  return static_cast<long long>(gridDim.x) * kWarps;
}

unsigned int warp_blocks(long long rows) { return blocks_for(rows, kWarps); }

// The row loop is uniform across a warp, so every lane reaches each warp_sum.
__global__ void layer_norm_kernel(const float* __restrict__ x, const float* __restrict__ gamma,
                                  const float* __restrict__ beta, float* __restrict__ y,
                                  float* __restrict__ xhat, float* __restrict__ rstd,
                                  long long rows, int n) {
  const int lane = threadIdx.x % 32;
  for (long long r = first_warp(); r < rows; r += warp_stride()) {
    const float* xr = x + r * n;
    float sum = 0.0f;
    for (int j = lane; j < n; j += 32) sum += xr[j];
    const float mean = warp_sum(sum) / static_cast<float>(n);
    float sq = 0.0f;
    for (int j = lane; j < n; j += 32) {
      const float d = xr[j] - mean;
      sq += d * d;
    }
    const float rs = layer_norm_rstd(warp_sum(sq), n);
    for (int j = lane; j < n; j += 32) {
      const float h = layer_norm_normalize(xr[j], mean, rs);
      xhat[r * n + j] = h;
      y[r * n + j] = gamma[j] * h + beta[j];
    }
    if (lane == 0) rstd[r] = rs;
  }
}

// dx += rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma.
__global__ void layer_norm_dx_kernel(const float* __restrict__ dy, const float* __restrict__ xhat,
                                     const float* __restrict__ rstd,
                                     const float* __restrict__ gamma, float* __restrict__ dx,
                                     long long rows, int n) {
  const int lane = threadIdx.x % 32;
  const float inv_n = 1.0f / static_cast<float>(n);
  for (long long r = first_warp(); r < rows; r += warp_stride()) {
    const float* g = dy + r * n;
    const float* h = xhat + r * n;
    float sum_dxhat = 0.0f, sum_dxhat_xhat = 0.0f;
    for (int j = lane; j < n; j += 32) {
      const float dxhat = g[j] * gamma[j];
      sum_dxhat += dxhat;
      sum_dxhat_xhat += dxhat * h[j];
    }
    const float mean_dxhat = warp_sum(sum_dxhat) * inv_n;
    const float mean_dxhat_xhat = warp_sum(sum_dxhat_xhat) * inv_n;
    const float rs = rstd[r];
    for (int j = lane; j < n; j += 32)
      dx[r * n + j] += layer_norm_input_grad(g[j], gamma[j], h[j], rs, mean_dxhat, mean_dxhat_xhat);
  }
}

// Column sums {dy * xhat, dy} -> dgamma, dbeta (accumulated).
struct GammaBetaTerm {
  const float* dy;
  const float* xhat;
  int n;
  __device__ void operator()(long long r, long long c, double* v) const {
    const float g = dy[r * n + c];
    v[0] = static_cast<double>(g) * xhat[r * n + c];
    v[1] = g;
  }
};
struct GammaBetaFinish {
  float* dgamma;
  float* dbeta;
  __device__ void operator()(long long c, const double* s) const {
    dgamma[c] += static_cast<float>(s[0]);
    dbeta[c] += static_cast<float>(s[1]);
  }
};

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                       float* rstd, long long rows, int n) {
  TS_CUDA_REQUIRE(x && gamma && beta && y && xhat && rstd && rows >= 0 && n > 0,
                  "layer_norm: bad arguments rows=%lld n=%d", rows, n);
  if (rows == 0) return TS_OK;
  layer_norm_kernel<<<warp_blocks(rows), kBlock>>>(x, gamma, beta, y, xhat, rstd, rows, n);
  return check_launch("layer_norm");
}

int ts_cuda_layer_norm_grad(const float* dy, const float* xhat, const float* rstd,
                            const float* gamma, float* dx, float* dgamma, float* dbeta,
                            long long rows, int n) {
  TS_CUDA_REQUIRE(dy && xhat && rstd && gamma && dx && dgamma && dbeta && rows >= 0 && n > 0,
                  "layer_norm_grad: bad arguments rows=%lld n=%d", rows, n);
  if (rows == 0) return TS_OK;
  layer_norm_dx_kernel<<<warp_blocks(rows), kBlock>>>(dy, xhat, rstd, gamma, dx, rows, n);
  TS_CUDA_TRY(check_launch("layer_norm_grad (dx)"));
  std::lock_guard<std::mutex> lock(scratch_mutex());
  void* partials = nullptr;
  TS_CUDA_TRY(
      scratch_buffer(kScratchWorkspace, reduce_partials(2, rows, n) * sizeof(double), &partials));
  return column_reduce<2>("layer_norm_grad (dgamma, dbeta)", rows, n, GammaBetaTerm{dy, xhat, n},
                          GammaBetaFinish{dgamma, dbeta}, static_cast<double*>(partials));
}

}  // extern "C"
