// Elementwise CPU kernels: fill/copy/accumulate, add/mul, activations, bias.
#include <cstring>

#include "column_sums.h"
#include "errors.h"
#include "timestep/cpu_api.h"
#include "timestep/math.h"

using timestep::activate;
using timestep::activation_slope;

namespace {

// The activation kind as a template argument: the switch inside activate() folds away and
// the loop body is branch-free (relu and linear vectorize).
template <int Kind>
void activation_loop(const float* x, float* y, long long n) {
  for (long long i = 0; i < n; ++i) y[i] = activate(Kind, x[i]);
}

template <int Kind>
void activation_grad_loop(const float* y, const float* dy, float* dx, long long n) {
  for (long long i = 0; i < n; ++i) dx[i] += dy[i] * activation_slope(Kind, y[i]);
}

}  // namespace

extern "C" {

int ts_cpu_fill(float* x, long long n, float value) {
  TS_CPU_REQUIRE(x && n >= 0, "fill: null buffer or negative size %lld", n);
  for (long long i = 0; i < n; ++i) x[i] = value;
  return TS_OK;
}

int ts_cpu_copy(const float* src, float* dst, long long n) {
  TS_CPU_REQUIRE(src && dst && n >= 0, "copy: null buffer or negative size %lld", n);
  std::memmove(dst, src, static_cast<size_t>(n) * sizeof(float));
  return TS_OK;
}

int ts_cpu_accumulate(const float* src, float* dst, long long n) {
  TS_CPU_REQUIRE(src && dst && n >= 0, "accumulate: null buffer or negative size %lld", n);
  for (long long i = 0; i < n; ++i) dst[i] += src[i];
  return TS_OK;
}

int ts_cpu_add(const float* a, const float* b, float* y, long long n) {
  TS_CPU_REQUIRE(a && b && y && n >= 0, "add: null buffer or negative size %lld", n);
  for (long long i = 0; i < n; ++i) y[i] = a[i] + b[i];
  return TS_OK;
}

int ts_cpu_mul(const float* a, const float* b, float* y, long long n) {
  TS_CPU_REQUIRE(a && b && y && n >= 0, "mul: null buffer or negative size %lld", n);
  for (long long i = 0; i < n; ++i) y[i] = a[i] * b[i];
  return TS_OK;
}

int ts_cpu_mul_grad(const float* dy, const float* other, float* dx, long long n) {
  TS_CPU_REQUIRE(dy && other && dx && n >= 0, "mul_grad: null buffer or negative size %lld", n);
  for (long long i = 0; i < n; ++i) dx[i] += dy[i] * other[i];
  return TS_OK;
}

int ts_cpu_activation(int kind, const float* x, float* y, long long n) {
  TS_CPU_REQUIRE(x && y && n >= 0, "activation: null buffer or negative size %lld", n);
  TS_CPU_REQUIRE(kind >= TS_ACT_LINEAR && kind <= TS_ACT_RELU, "activation: unknown kind %d", kind);
  switch (kind) {
    case TS_ACT_TANH: activation_loop<TS_ACT_TANH>(x, y, n); break;
    case TS_ACT_SIGMOID: activation_loop<TS_ACT_SIGMOID>(x, y, n); break;
    case TS_ACT_RELU: activation_loop<TS_ACT_RELU>(x, y, n); break;
    default: activation_loop<TS_ACT_LINEAR>(x, y, n); break;
  }
  return TS_OK;
}

int ts_cpu_activation_grad(int kind, const float* y, const float* dy, float* dx, long long n) {
  TS_CPU_REQUIRE(y && dy && dx && n >= 0, "activation_grad: null buffer or negative size %lld", n);
  TS_CPU_REQUIRE(kind >= TS_ACT_LINEAR && kind <= TS_ACT_RELU, "activation_grad: unknown kind %d",
                 kind);
  switch (kind) {
    case TS_ACT_TANH: activation_grad_loop<TS_ACT_TANH>(y, dy, dx, n); break;
    case TS_ACT_SIGMOID: activation_grad_loop<TS_ACT_SIGMOID>(y, dy, dx, n); break;
    case TS_ACT_RELU: activation_grad_loop<TS_ACT_RELU>(y, dy, dx, n); break;
    default: activation_grad_loop<TS_ACT_LINEAR>(y, dy, dx, n); break;
  }
  return TS_OK;
}

int ts_cpu_add_bias(const float* x, const float* bias, float* y, long long rows, int cols) {
  TS_CPU_REQUIRE(x && bias && y && rows >= 0 && cols > 0,
                 "add_bias: bad arguments rows=%lld cols=%d", rows, cols);
  for (long long r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    for (int c = 0; c < cols; ++c) yr[c] = xr[c] + bias[c];
  }
  return TS_OK;
}

int ts_cpu_bias_grad(const float* dy, float* dbias, long long rows, int cols) {
  TS_CPU_REQUIRE(dy && dbias && rows >= 0 && cols > 0, "bias_grad: bad arguments rows=%lld cols=%d",
                 rows, cols);
  timestep::cpu::add_column_sums(dy, rows, cols, cols, dbias);
  return TS_OK;
}

}  // extern "C"
