// Time-axis helpers and row gathering on [batch, steps, features] tensors.
#include <cstring>

#include "errors.h"
#include "timestep/cpu_api.h"

extern "C" {

int ts_cpu_last_step(const float* x, float* y, int batch, int steps, int features) {
  TS_CPU_REQUIRE(x && y && batch >= 0 && steps > 0 && features > 0,
                 "last_step: bad shape [%d, %d, %d]", batch, steps, features);
  for (int b = 0; b < batch; ++b)
    std::memcpy(y + static_cast<long long>(b) * features,
                x + (static_cast<long long>(b) * steps + steps - 1) * features,
                sizeof(float) * features);
  return TS_OK;
}

int ts_cpu_last_step_grad(const float* dy, float* dx, int batch, int steps, int features) {
  TS_CPU_REQUIRE(dy && dx && batch >= 0 && steps > 0 && features > 0,
                 "last_step_grad: bad shape [%d, %d, %d]", batch, steps, features);
  for (int b = 0; b < batch; ++b) {
    const float* src = dy + static_cast<long long>(b) * features;
    float* dst = dx + (static_cast<long long>(b) * steps + steps - 1) * features;
    for (int f = 0; f < features; ++f) dst[f] += src[f];
  }
  return TS_OK;
}

int ts_cpu_gather_rows(const float* src, const int* rows, int count, long long row_len, float* dst) {
  TS_CPU_REQUIRE(src && rows && dst && count >= 0 && row_len > 0,
                 "gather_rows: bad arguments count=%d row_len=%lld", count, row_len);
  for (int i = 0; i < count; ++i) {
    TS_CPU_REQUIRE(rows[i] >= 0, "gather_rows: negative row index %d at %d", rows[i], i);
    std::memcpy(dst + i * row_len, src + rows[i] * row_len, sizeof(float) * row_len);
  }
  return TS_OK;
}

}  // extern "C"
