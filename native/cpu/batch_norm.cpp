// Batch normalization over the last axis (Keras BatchNormalization, axis=-1) as ops of their
// own: training forward (batch statistics), its backward, and inference with moving statistics.
// Rows outer, channels inner, with per-channel double accumulators, so every pass streams x
// once in memory order.
#include <cmath>
#include <vector>

#include "errors.h"
#include "timestep/cpu_api.h"

namespace {
constexpr double kEpsilon = TS_BATCH_NORM_EPSILON;
}

extern "C" {

int ts_cpu_batch_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                      float* mean, float* var, float* rstd, long long rows, int channels) {
  TS_CPU_REQUIRE(
      x && gamma && beta && y && xhat && mean && var && rstd && rows > 0 && channels > 0,
      "batch_norm: bad arguments rows=%lld channels=%d (batch statistics need rows >= 1)", rows,
      channels);
  const size_t c_count = static_cast<size_t>(channels);
  std::vector<double> mu(c_count, 0.0), sq(c_count, 0.0), inv(c_count);
  for (long long r = 0; r < rows; ++r) {
    const float* xr = x + r * channels;
    for (int c = 0; c < channels; ++c) mu[c] += xr[c];
  }
  const double inv_rows = 1.0 / static_cast<double>(rows);
  for (int c = 0; c < channels; ++c) mu[c] *= inv_rows;
  for (long long r = 0; r < rows; ++r) {
    const float* xr = x + r * channels;
    for (int c = 0; c < channels; ++c) {
      const double d = xr[c] - mu[c];
      sq[c] += d * d;
    }
  }
  for (int c = 0; c < channels; ++c) {
    const double v = sq[c] * inv_rows;
    inv[c] = 1.0 / std::sqrt(v + kEpsilon);
    mean[c] = static_cast<float>(mu[c]);
    var[c] = static_cast<float>(v);
    rstd[c] = static_cast<float>(inv[c]);
  }
  for (long long r = 0; r < rows; ++r) {
    const float* xr = x + r * channels;
    float* hr = xhat + r * channels;
    float* yr = y + r * channels;
    for (int c = 0; c < channels; ++c) {
      const float h = static_cast<float>((xr[c] - mu[c]) * inv[c]);
      hr[c] = h;
      yr[c] = gamma[c] * h + beta[c];
    }
  }
  return TS_OK;
}

int ts_cpu_batch_norm_grad(const float* dy, const float* xhat, const float* rstd,
                           const float* gamma, float* dx, float* dgamma, float* dbeta,
                           long long rows, int channels) {
  TS_CPU_REQUIRE(dy && xhat && rstd && gamma && dx && dgamma && dbeta && rows > 0 && channels > 0,
                 "batch_norm_grad: bad arguments rows=%lld channels=%d", rows, channels);
  const size_t c_count = static_cast<size_t>(channels);
  // sum_r dy and sum_r dy*xhat per channel; dxhat = dy*gamma, so both means of the dx formula
  // are gamma times these over rows.
  std::vector<double> sum_dy(c_count, 0.0), sum_dy_xhat(c_count, 0.0);
  for (long long r = 0; r < rows; ++r) {
    const float* g = dy + r * channels;
    const float* h = xhat + r * channels;
    for (int c = 0; c < channels; ++c) {
      sum_dy[c] += g[c];
      sum_dy_xhat[c] += static_cast<double>(g[c]) * h[c];
    }
  }
  const double inv_rows = 1.0 / static_cast<double>(rows);
  // dx = scale * dy - shift - slope * xhat per channel.
  std::vector<double> scale(c_count), shift(c_count), slope(c_count);
  for (int c = 0; c < channels; ++c) {
    dgamma[c] = static_cast<float>(dgamma[c] + sum_dy_xhat[c]);
    dbeta[c] = static_cast<float>(dbeta[c] + sum_dy[c]);
    const double s = rstd[c];
    const double gm = gamma[c];
    scale[c] = s * gm;
    shift[c] = s * gm * sum_dy[c] * inv_rows;
    slope[c] = s * gm * sum_dy_xhat[c] * inv_rows;
  }
  for (long long r = 0; r < rows; ++r) {
    const float* g = dy + r * channels;
    const float* h = xhat + r * channels;
    float* d = dx + r * channels;
    for (int c = 0; c < channels; ++c) {
      d[c] = static_cast<float>(d[c] + (scale[c] * g[c] - shift[c] - slope[c] * h[c]));
    }
  }
  return TS_OK;
}

int ts_cpu_batch_norm_inference(const float* x, const float* gamma, const float* beta,
                                const float* moving_mean, const float* moving_var, float* y,
                                long long rows, int channels) {
  TS_CPU_REQUIRE(x && gamma && beta && moving_mean && moving_var && y && rows >= 0 && channels > 0,
                 "batch_norm_inference: bad arguments rows=%lld channels=%d", rows, channels);
  const size_t c_count = static_cast<size_t>(channels);
  // y = (x - mm) * scale + beta, scale = gamma/sqrt(mv + eps) computed once per channel in
  // double (subtracting first avoids the cancellation of folding mm into the shift).
  std::vector<float> scale(c_count);
  for (int c = 0; c < channels; ++c) {
    scale[c] =
        static_cast<float>(gamma[c] / std::sqrt(static_cast<double>(moving_var[c]) + kEpsilon));
  }
  for (long long r = 0; r < rows; ++r) {
    const float* xr = x + r * channels;
    float* yr = y + r * channels;
    for (int c = 0; c < channels; ++c) yr[c] = (xr[c] - moving_mean[c]) * scale[c] + beta[c];
  }
  return TS_OK;
}

}  // extern "C"
