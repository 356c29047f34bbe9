// Reductions: the sum of a tensor (forward, and its gradient, a broadcast).
#include "common.cuh"
#include "timestep/cuda_api.h"

namespace timestep::cuda {
namespace {

// One block: each thread sums its strided share in double, then a fixed tree folds the
// lanes, so repeated calls give bitwise identical results.
__global__ void sum_kernel(const float* __restrict__ x, float* __restrict__ y, long long n) {
  __shared__ double lanes[kBlock];
  double total = 0.0;
  for (long long i = threadIdx.x; i < n; i += blockDim.x) total += x[i];
  lanes[threadIdx.x] = total;
  __syncthreads();
  for (unsigned int half = blockDim.x / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) lanes[threadIdx.x] += lanes[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) y[0] = static_cast<float>(lanes[0]);
}

__global__ void sum_grad_kernel(const float* __restrict__ dy, float* __restrict__ dx, long long n) {
  const float upstream = dy[0];
  for (long long i = first_index(); i < n; i += grid_stride()) dx[i] += upstream;
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_sum(const float* x, float* y, long long n) {
  TS_CUDA_REQUIRE(x && y && n >= 0, "sum: null buffer or negative size %lld", n);
  sum_kernel<<<1, kBlock>>>(x, y, n);
  return check_launch("sum");
}

int ts_cuda_sum_grad(const float* dy, float* dx, long long n) {
  TS_CUDA_REQUIRE(dy && dx && n >= 0, "sum_grad: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  sum_grad_kernel<<<blocks_for(n), kBlock>>>(dy, dx, n);
  return check_launch("sum_grad");
}

}  // extern "C"
