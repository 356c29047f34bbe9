// Mean squared error (forward and gradient); the optimizer steps are in optimizers.cu.
#include "common.cuh"
#include "timestep/cuda_api.h"
#include "timestep/math.h"

namespace timestep::cuda {
namespace {

// At most this many per-block partial sums feed the final fold of the loss.
constexpr long long kLossBlocks = 1024;

// Folds one double per thread into lanes[0]; blockDim.x must be kBlock (a power of two).
__device__ double block_sum(double value) {
  __shared__ double lanes[kBlock];
  lanes[threadIdx.x] = value;
  __syncthreads();
  for (unsigned int half = blockDim.x / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) lanes[threadIdx.x] += lanes[threadIdx.x + half];
    __syncthreads();
  }
  return lanes[0];
}

// Pass 1: partials[block] = sum of squared differences over the block's grid-stride share.
// Double accumulation, as on the CPU: n reaches 10^7 and float would lose digits.
__global__ void squared_error_kernel(const float* __restrict__ pred,
                                     const float* __restrict__ target,
                                     double* __restrict__ partials, long long n) {
  double sum = 0.0;
  for (long long i = first_index(); i < n; i += grid_stride()) {
    const double d = static_cast<double>(pred[i]) - target[i];
    sum += d * d;
  }
  const double total = block_sum(sum);
  if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

// Pass 2 (one block): loss[0] = sum(partials) / n, written on the device, no host round trip.
__global__ void mean_kernel(const double* __restrict__ partials, int count, long long n,
                            float* __restrict__ loss) {
  double sum = 0.0;
  for (int i = threadIdx.x; i < count; i += blockDim.x) sum += partials[i];
  const double total = block_sum(sum);
  if (threadIdx.x == 0) loss[0] = static_cast<float>(total / static_cast<double>(n));
}

__global__ void mse_grad_kernel(const float* __restrict__ pred, const float* __restrict__ target,
                                const float* __restrict__ dloss, float* __restrict__ dpred,
                                long long n, float inv_n) {
  const float upstream = dloss[0];
  for (long long i = first_index(); i < n; i += grid_stride())
    dpred[i] += mse_slope(pred[i], target[i], upstream, inv_n);
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_mse(const float* pred, const float* target, float* loss, long long n) {
  TS_CUDA_REQUIRE(pred && target && loss && n > 0, "mse: null buffer or size %lld", n);
  const long long wanted = (n + kBlock - 1) / kBlock;
  const int blocks = static_cast<int>(wanted < kLossBlocks ? wanted : kLossBlocks);
  // The partials slot is shared with bias_grad; hold the lock until both passes are queued.
  std::lock_guard<std::mutex> lock(scratch_mutex());
  void* scratch = nullptr;
  TS_CUDA_TRY(
      scratch_buffer(kScratchPartials, static_cast<size_t>(blocks) * sizeof(double), &scratch));
  double* partials = static_cast<double*>(scratch);
  squared_error_kernel<<<blocks, kBlock>>>(pred, target, partials, n);
  TS_CUDA_TRY(check_launch("mse (partials)"));
  mean_kernel<<<1, kBlock>>>(partials, blocks, n, loss);
  return check_launch("mse (mean)");
}

int ts_cuda_mse_grad(const float* pred, const float* target, const float* dloss, float* dpred,
                     long long n) {
  TS_CUDA_REQUIRE(pred && target && dloss && dpred && n > 0, "mse_grad: null buffer or size %lld",
                  n);
  const float inv_n = 1.0f / static_cast<float>(n);  // the same rounding as the CPU twin
  mse_grad_kernel<<<blocks_for(n), kBlock>>>(pred, target, dloss, dpred, n, inv_n);
  return check_launch("mse_grad");
}

}  // extern "C"
