// Elementwise CPU kernels: fill/copy/accumulate, add/mul, activations, bias.
#include <cstring>

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
  // Summed in double (the sum runs over batch x time rows), row by row so the reads are
  // contiguous, with four rows in flight: per column, four independent running sums instead of
  // one chain of dependent adds. Blocks of kBlock columns keep the sums on the stack.
  constexpr int kRowsInFlight = 4;
  constexpr int kBlock = 64;
  for (int c0 = 0; c0 < cols; c0 += kBlock) {
    const int width = cols - c0 < kBlock ? cols - c0 : kBlock;
    double acc[kRowsInFlight][kBlock] = {};
    long long r = 0;
    for (; r + kRowsInFlight <= rows; r += kRowsInFlight)
      for (int k = 0; k < kRowsInFlight; ++k) {
        const float* row = dy + (r + k) * cols + c0;
        for (int c = 0; c < width; ++c) acc[k][c] += row[c];
      }
    for (; r < rows; ++r)
      for (int c = 0; c < width; ++c) acc[0][c] += dy[r * cols + c0 + c];
    for (int c = 0; c < width; ++c)
      dbias[c0 + c] += static_cast<float>((acc[0][c] + acc[1][c]) + (acc[2][c] + acc[3][c]));
  }
  return TS_OK;
}

}  // extern "C"
