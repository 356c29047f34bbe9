// Layer normalization as an op of its own (LayerNormalization layers, user-written cells).
// The row math is the LN cell's, from timestep/cells.h.
#include <vector>

#include "errors.h"
#include "timestep/cells.h"
#include "timestep/cpu_api.h"

extern "C" {

int ts_cpu_layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                      float* rstd, long long rows, int n) {
  TS_CPU_REQUIRE(x && gamma && beta && y && xhat && rstd && rows >= 0 && n > 0,
                 "layer_norm: bad arguments rows=%lld n=%d", rows, n);
  for (long long r = 0; r < rows; ++r) {
    const float* xr = x + r * n;
    float mean = 0.0f;
    timestep::layer_norm_stats(xr, n, mean, rstd[r]);
    for (int j = 0; j < n; ++j) {
      const float h = timestep::layer_norm_normalize(xr[j], mean, rstd[r]);
      xhat[r * n + j] = h;
      y[r * n + j] = gamma[j] * h + beta[j];
    }
  }
  return TS_OK;
}

int ts_cpu_layer_norm_grad(const float* dy, const float* xhat, const float* rstd,
                           const float* gamma, float* dx, float* dgamma, float* dbeta,
                           long long rows, int n) {
  TS_CPU_REQUIRE(dy && xhat && rstd && gamma && dx && dgamma && dbeta && rows >= 0 && n > 0,
                 "layer_norm_grad: bad arguments rows=%lld n=%d", rows, n);
  std::vector<float> da(static_cast<size_t>(n));
  for (long long r = 0; r < rows; ++r) {
    timestep::layer_norm_backward_row(dy + r * n, xhat + r * n, gamma, rstd[r], n, da.data(),
                                      dgamma, dbeta);
    for (int j = 0; j < n; ++j) dx[r * n + j] += da[j];
  }
  return TS_OK;
}

}  // extern "C"
