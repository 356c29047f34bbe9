// Batch normalization over the last axis (the twin of cpu/batch_norm.cpp): per-channel
// statistics as deterministic double column sums (column_reduce.cuh), then elementwise passes
// that compute in double exactly where the CPU loops do.
#include <cmath>

#include "column_reduce.cuh"
#include "common.cuh"
#include "timestep/cpu_api.h"  // TS_BATCH_NORM_EPSILON
#include "timestep/cuda_api.h"

namespace timestep::cuda {
namespace {

constexpr double kEpsilon = TS_BATCH_NORM_EPSILON;

// Per-channel double values the passes hand on, in the call's workspace.
struct ChannelStats {
  double* mean;
  double* inv;  // 1/sqrt(var + eps), or the dx coefficients below
  double* shift;
  double* slope;
};

struct ValueTerm {
  const float* x;
  int channels;
  __device__ void operator()(long long r, long long c, double* v) const {
    v[0] = x[r * channels + c];
  }
};
struct MeanFinish {
  double* mean_d;
  float* mean;
  double inv_rows;
  __device__ void operator()(long long c, const double* s) const {
    const double m = s[0] * inv_rows;
    mean_d[c] = m;
    mean[c] = static_cast<float>(m);
  }
};

struct SquaredDeviationTerm {
  const float* x;
  const double* mean;
  int channels;
  __device__ void operator()(long long r, long long c, double* v) const {
    const double d = x[r * channels + c] - mean[c];
    v[0] = d * d;
  }
};
struct VarianceFinish {
  double* inv_d;
  float* var;
  float* rstd;
  double inv_rows;
  __device__ void operator()(long long c, const double* s) const {
    const double v = s[0] * inv_rows;
    const double inv = 1.0 / sqrt(v + kEpsilon);
    inv_d[c] = inv;
    var[c] = static_cast<float>(v);
    rstd[c] = static_cast<float>(inv);
  }
};

__global__ void normalize_kernel(const float* __restrict__ x, const float* __restrict__ gamma,
                                 const float* __restrict__ beta, const double* __restrict__ mean,
                                 const double* __restrict__ inv, float* __restrict__ y,
                                 float* __restrict__ xhat, long long n, int channels) {
  for (long long i = first_index(); i < n; i += grid_stride()) {
    const int c = static_cast<int>(i % channels);
    const float h = static_cast<float>((x[i] - mean[c]) * inv[c]);
    xhat[i] = h;
    y[i] = gamma[c] * h + beta[c];
  }
}

// {dy, dy * xhat} per channel: dbeta and dgamma, and the dx coefficients
// dx += scale*dy - shift - slope*xhat with scale = rstd*gamma, shift = scale*mean(dy),
// slope = scale*mean(dy*xhat).
struct GradTerm {
  const float* dy;
  const float* xhat;
  int channels;
  __device__ void operator()(long long r, long long c, double* v) const {
    const float g = dy[r * channels + c];
    v[0] = g;
    v[1] = static_cast<double>(g) * xhat[r * channels + c];
  }
};
struct GradFinish {
  const float* rstd;
  const float* gamma;
  float* dgamma;
  float* dbeta;
  ChannelStats out;  // inv holds scale
  double inv_rows;
  __device__ void operator()(long long c, const double* s) const {
    dgamma[c] = static_cast<float>(dgamma[c] + s[1]);
    dbeta[c] = static_cast<float>(dbeta[c] + s[0]);
    const double scale = static_cast<double>(rstd[c]) * gamma[c];
    out.inv[c] = scale;
    out.shift[c] = scale * s[0] * inv_rows;
    out.slope[c] = scale * s[1] * inv_rows;
  }
};

__global__ void batch_norm_dx_kernel(const float* __restrict__ dy, const float* __restrict__ xhat,
                                     const double* __restrict__ scale,
                                     const double* __restrict__ shift,
                                     const double* __restrict__ slope, float* __restrict__ dx,
                                     long long n, int channels) {
  for (long long i = first_index(); i < n; i += grid_stride()) {
    const int c = static_cast<int>(i % channels);
    dx[i] = static_cast<float>(dx[i] + (scale[c] * dy[i] - shift[c] - slope[c] * xhat[i]));
  }
}

__global__ void batch_norm_inference_kernel(const float* __restrict__ x,
                                            const float* __restrict__ gamma,
                                            const float* __restrict__ beta,
                                            const float* __restrict__ moving_mean,
                                            const float* __restrict__ moving_var,
                                            float* __restrict__ y, long long n, int channels) {
  for (long long i = first_index(); i < n; i += grid_stride()) {
    const int c = static_cast<int>(i % channels);
    const float scale =
        static_cast<float>(gamma[c] / sqrt(static_cast<double>(moving_var[c]) + kEpsilon));
    y[i] = (x[i] - moving_mean[c]) * scale + beta[c];
  }
}

// The call's workspace: four per-channel double arrays and the reduction partials.
struct Workspace {
  ChannelStats stats;
  double* partials;
};

int workspace(long long rows, int channels, int values, Workspace& w) {
  WorkspacePlan plan;
  const size_t c = static_cast<size_t>(channels);
  const size_t o_mean = plan.reserve<double>(c), o_inv = plan.reserve<double>(c);
  const size_t o_shift = plan.reserve<double>(c), o_slope = plan.reserve<double>(c);
  const size_t o_partials = plan.reserve<double>(reduce_partials(values, rows, channels));
  void* base = nullptr;
  TS_CUDA_TRY(scratch_buffer(kScratchWorkspace, plan.bytes(), &base));
  w.stats = {at<double>(base, o_mean), at<double>(base, o_inv), at<double>(base, o_shift),
             at<double>(base, o_slope)};
  w.partials = at<double>(base, o_partials);
  return TS_OK;
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_batch_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                       float* mean, float* var, float* rstd, long long rows, int channels) {
  TS_CUDA_REQUIRE(
      x && gamma && beta && y && xhat && mean && var && rstd && rows > 0 && channels > 0,
      "batch_norm: bad arguments rows=%lld channels=%d (batch statistics need rows >= 1)", rows,
      channels);
  std::lock_guard<std::mutex> lock(scratch_mutex());
  Workspace w{};
  TS_CUDA_TRY(workspace(rows, channels, 1, w));
  const double inv_rows = 1.0 / static_cast<double>(rows);
  TS_CUDA_TRY(column_reduce<1>("batch_norm (mean)", rows, channels, ValueTerm{x, channels},
                               MeanFinish{w.stats.mean, mean, inv_rows}, w.partials));
  TS_CUDA_TRY(column_reduce<1>("batch_norm (variance)", rows, channels,
                               SquaredDeviationTerm{x, w.stats.mean, channels},
                               VarianceFinish{w.stats.inv, var, rstd, inv_rows}, w.partials));
  const long long n = rows * channels;
  normalize_kernel<<<blocks_for(n), kBlock>>>(x, gamma, beta, w.stats.mean, w.stats.inv, y, xhat, n,
                                              channels);
  return check_launch("batch_norm (normalize)");
}

int ts_cuda_batch_norm_grad(const float* dy, const float* xhat, const float* rstd,
                            const float* gamma, float* dx, float* dgamma, float* dbeta,
                            long long rows, int channels) {
  TS_CUDA_REQUIRE(dy && xhat && rstd && gamma && dx && dgamma && dbeta && rows > 0 && channels > 0,
                  "batch_norm_grad: bad arguments rows=%lld channels=%d", rows, channels);
  std::lock_guard<std::mutex> lock(scratch_mutex());
  Workspace w{};
  TS_CUDA_TRY(workspace(rows, channels, 2, w));
  const double inv_rows = 1.0 / static_cast<double>(rows);
  TS_CUDA_TRY(
      column_reduce<2>("batch_norm_grad (sums)", rows, channels, GradTerm{dy, xhat, channels},
                       GradFinish{rstd, gamma, dgamma, dbeta, w.stats, inv_rows}, w.partials));
  const long long n = rows * channels;
  batch_norm_dx_kernel<<<blocks_for(n), kBlock>>>(dy, xhat, w.stats.inv, w.stats.shift,
                                                  w.stats.slope, dx, n, channels);
  return check_launch("batch_norm_grad (dx)");
}

int ts_cuda_batch_norm_inference(const float* x, const float* gamma, const float* beta,
                                 const float* moving_mean, const float* moving_var, float* y,
                                 long long rows, int channels) {
  TS_CUDA_REQUIRE(x && gamma && beta && moving_mean && moving_var && y && rows >= 0 && channels > 0,
                  "batch_norm_inference: bad arguments rows=%lld channels=%d", rows, channels);
  if (rows == 0) return TS_OK;
  const long long n = rows * channels;
  batch_norm_inference_kernel<<<blocks_for(n), kBlock>>>(x, gamma, beta, moving_mean, moving_var, y,
                                                         n, channels);
  return check_launch("batch_norm_inference");
}

}  // extern "C"
