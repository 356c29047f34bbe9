// The elementwise losses (mean absolute error, Huber, log-cosh, pinball, absolute percentage
// error): forward and gradient, k predictions per target.
#include "common.cuh"
#include "timestep/cuda_api.h"
#include "timestep/losses.h"

namespace timestep::cuda {
namespace {

// At most this many per-block partial sums feed the final fold of the loss (as mse's).
constexpr long long kLossBlocks = 1024;

// The per-prediction parameters travel by value in the launch: no staging copy, no wait for the
// device (1 KiB, well inside the kernel parameter space).
struct LossParams {
  float v[TS_LOSS_MAX_PARAMS];
};

// Folds one double per thread into lanes[0]; blockDim.x must be kBlock (a power of two), so the
// order of the fold, and the result, is the same on every call.
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

// Pass 1: partials[block] = the sum of the block's grid-stride share of the n*k values, in double.
__global__ void loss_partials_kernel(int kind, LossParams params, int k,
                                     const float* __restrict__ pred,
                                     const float* __restrict__ target,
                                     double* __restrict__ partials, long long count) {
  double sum = 0.0;
  for (long long j = first_index(); j < count; j += grid_stride()) {
    const long long t = j / k;
    const int i = static_cast<int>(j - t * k);
    sum += loss_value(kind, pred[j], target[t], params.v[i]);
  }
  const double total = block_sum(sum);
  if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

// Pass 2 (one block): loss[0] = sum(partials) / count, on the device, no host round trip.
__global__ void loss_mean_kernel(const double* __restrict__ partials, int blocks, long long count,
                                 float* __restrict__ loss) {
  double sum = 0.0;
  for (int i = threadIdx.x; i < blocks; i += blockDim.x) sum += partials[i];
  const double total = block_sum(sum);
  if (threadIdx.x == 0) loss[0] = static_cast<float>(total / static_cast<double>(count));
}

// One thread per target: it owns dtarget[t] and its k predictions, so nothing is shared.
__global__ void loss_grad_kernel(int kind, LossParams params, int k, const float* __restrict__ pred,
                                 const float* __restrict__ target, const float* __restrict__ dloss,
                                 float* __restrict__ dpred, float* __restrict__ dtarget,
                                 long long n, float inv) {
  const float upstream = dloss[0];
  for (long long t = first_index(); t < n; t += grid_stride()) {
    float target_slope = 0.0f;
    for (int i = 0; i < k; ++i) {
      float dp = 0.0f, dy = 0.0f;
      loss_slopes(kind, pred[t * k + i], target[t], params.v[i], dp, dy);
      if (dpred) dpred[t * k + i] += upstream * dp * inv;
      target_slope += dy;
    }
    if (dtarget) dtarget[t] += upstream * target_slope * inv;
  }
}

LossParams copy_params(const float* params, int k) {
  LossParams p{};
  for (int i = 0; i < k; ++i) p.v[i] = params[i];
  return p;
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_elementwise_loss(int kind, const float* params, int k, const float* pred,
                             const float* target, float* loss, long long n) {
  TS_CUDA_REQUIRE(params && pred && target && loss && n > 0 && k >= 1 && k <= TS_LOSS_MAX_PARAMS,
                  "elementwise_loss: null buffer, size %lld or %d parameters", n, k);
  TS_CUDA_REQUIRE(timestep::loss_kind_valid(kind), "elementwise_loss: unknown kind %d", kind);
  const long long count = n * k;
  const long long wanted = (count + kBlock - 1) / kBlock;
  const int blocks = static_cast<int>(wanted < kLossBlocks ? wanted : kLossBlocks);
  // The partials slot is shared with mse and bias_grad; hold the lock until both passes are queued.
  std::lock_guard<std::mutex> lock(scratch_mutex());
  void* scratch = nullptr;
  TS_CUDA_TRY(
      scratch_buffer(kScratchPartials, static_cast<size_t>(blocks) * sizeof(double), &scratch));
  double* partials = static_cast<double*>(scratch);
  loss_partials_kernel<<<blocks, kBlock>>>(kind, copy_params(params, k), k, pred, target, partials,
                                           count);
  TS_CUDA_TRY(check_launch("elementwise_loss (partials)"));
  loss_mean_kernel<<<1, kBlock>>>(partials, blocks, count, loss);
  return check_launch("elementwise_loss (mean)");
}

int ts_cuda_elementwise_loss_grad(int kind, const float* params, int k, const float* pred,
                                  const float* target, const float* dloss, float* dpred,
                                  float* dtarget, long long n) {
  TS_CUDA_REQUIRE(params && pred && target && dloss && (dpred || dtarget) && n > 0 && k >= 1 &&
                      k <= TS_LOSS_MAX_PARAMS,
                  "elementwise_loss_grad: null buffer, size %lld or %d parameters", n, k);
  TS_CUDA_REQUIRE(timestep::loss_kind_valid(kind), "elementwise_loss_grad: unknown kind %d", kind);
  const float inv = static_cast<float>(1.0 / (static_cast<double>(n) * k));  // as the CPU twin
  loss_grad_kernel<<<blocks_for(n), kBlock>>>(kind, copy_params(params, k), k, pred, target, dloss,
                                              dpred, dtarget, n, inv);
  return check_launch("elementwise_loss_grad");
}

}  // extern "C"
