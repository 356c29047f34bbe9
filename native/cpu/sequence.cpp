// Time-axis helpers and row gathering on [batch, steps, features] tensors.
#include <cstring>

#include "errors.h"
#include "timestep/cpu_api.h"

extern "C" {

int ts_cpu_time_step(const float* x, float* y, int batch, int steps, int features, int step) {
  TS_CPU_REQUIRE(x && y && batch >= 0 && steps > 0 && features > 0 && step >= 0 && step < steps,
                 "time_step: bad shape [%d, %d, %d] or step %d", batch, steps, features, step);
  for (int b = 0; b < batch; ++b)
    std::memcpy(y + static_cast<long long>(b) * features,
                x + (static_cast<long long>(b) * steps + step) * features,
                sizeof(float) * features);
  return TS_OK;
}

int ts_cpu_time_step_grad(const float* dy, float* dx, int batch, int steps, int features,
                          int step) {
  TS_CPU_REQUIRE(dy && dx && batch >= 0 && steps > 0 && features > 0 && step >= 0 && step < steps,
                 "time_step_grad: bad shape [%d, %d, %d] or step %d", batch, steps, features, step);
  for (int b = 0; b < batch; ++b) {
    const float* src = dy + static_cast<long long>(b) * features;
    float* dst = dx + (static_cast<long long>(b) * steps + step) * features;
    for (int f = 0; f < features; ++f) dst[f] += src[f];
  }
  return TS_OK;
}

int ts_cpu_gather_rows(const float* src, const int* rows, int count, long long row_len,
                       float* dst) {
  TS_CPU_REQUIRE(src && rows && dst && count >= 0 && row_len > 0,
                 "gather_rows: bad arguments count=%d row_len=%lld", count, row_len);
  for (int i = 0; i < count; ++i) {
    TS_CPU_REQUIRE(rows[i] >= 0, "gather_rows: negative row index %d at %d", rows[i], i);
    std::memcpy(dst + i * row_len, src + rows[i] * row_len, sizeof(float) * row_len);
  }
  return TS_OK;
}

}  // extern "C"
