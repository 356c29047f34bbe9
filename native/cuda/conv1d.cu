// Fused 1-D convolution (the twin of cpu/conv1d.cpp), with direct kernels instead of im2col:
//   z[b,t,co] = bias[co] + sum_k sum_ci xpad(b, t*stride + k*dilation - pad_left, ci) W[k,ci,co],
//   y = act(z), xpad reading zeros outside [0, T).
// forward   conv1d_forward_kernel: one thread per output (b, t, co); threadIdx.x runs along co
//           (coalesced W and y), so the x values of one (b, t) are broadcast across a warp.
// backward  1. dz = dy * act'(y) into the workspace (slope_kernel);
//           2. db += column sums of dz, dW[k,ci,co] += sum_{b,t} xpad(...) dz[b,t,co]: both are
//              deterministic column reductions (column_reduce.cuh), no float atomics;
//           3. dx (when wanted) by gathering: each (b, i, ci) sums over the taps k whose output
//              step t = (i + pad_left - k*dilation) / stride is whole and in range.
#include "column_reduce.cuh"
#include "common.cuh"
#include "timestep/cuda_api.h"
#include "timestep/math.h"

namespace timestep::cuda {
namespace {

struct Conv {
  int B, T, Cin, Cout, K, s, d, p, Tout, act;
  long long rows;  // B * Tout output rows, ordered (b, t)
};

int check_conv(const char* op, int batch, int steps, int cin, int cout, int k, int stride,
               int dilation, int pad_left, int out_steps, int act, Conv& c) {
  TS_CUDA_REQUIRE(act >= TS_ACT_LINEAR && act <= TS_ACT_RELU, "%s: unknown activation %d", op, act);
  TS_CUDA_REQUIRE(batch >= 0 && steps >= 1 && cin >= 1 && cout >= 1 && out_steps >= 1,
                  "%s: bad shape batch=%d steps=%d in_channels=%d out_channels=%d out_steps=%d", op,
                  batch, steps, cin, cout, out_steps);
  TS_CUDA_REQUIRE(
      k >= 1 && stride >= 1 && dilation >= 1 && pad_left >= 0,
      "%s: bad kernel_size=%d stride=%d dilation=%d pad_left=%d (need >= 1, >= 1, >= 1, >= 0)", op,
      k, stride, dilation, pad_left);
  // The same limits as the CPU twin (its GEMM dimensions must fit an int); the kernel's
  // K*Cin*Cout elements are indexed in 64 bits here.
  TS_CUDA_REQUIRE(
      static_cast<long long>(k) * cin + 32 <= 0x7fffffffLL &&
          static_cast<long long>(cout) + 32 <= 0x7fffffffLL &&
          static_cast<long long>(batch) * out_steps <= 0x7fffffffLL,
      "%s: shape too large batch=%d out_steps=%d in_channels=%d out_channels=%d kernel_size=%d", op,
      batch, out_steps, cin, cout, k);
  c = {batch,
       steps,
       cin,
       cout,
       k,
       stride,
       dilation,
       pad_left,
       out_steps,
       act,
       static_cast<long long>(batch) * out_steps};
  return TS_OK;
}

__global__ void conv1d_forward_kernel(const float* __restrict__ x, const float* __restrict__ w,
                                      const float* __restrict__ bias, float* __restrict__ y,
                                      Conv c) {
  for (long long r = first_row(); r < c.rows; r += row_stride()) {
    const long long b = r / c.Tout;
    const long long first = (r % c.Tout) * c.s - c.p;  // input step of tap 0
    for (long long co = first_index(); co < c.Cout; co += grid_stride()) {
      float acc = bias ? bias[co] : 0.0f;
      for (int k = 0; k < c.K; ++k) {
        const long long i = first + static_cast<long long>(k) * c.d;
        if (i < 0 || i >= c.T) continue;  // padding reads zeros
        const float* xr = x + (b * c.T + i) * c.Cin;
        const float* wk = w + static_cast<long long>(k) * c.Cin * c.Cout + co;
        for (int ci = 0; ci < c.Cin; ++ci) acc += xr[ci] * wk[static_cast<long long>(ci) * c.Cout];
      }
      y[r * c.Cout + co] = activate(c.act, acc);
    }
  }
}

__global__ void slope_kernel(const float* __restrict__ y, const float* __restrict__ dy,
                             float* __restrict__ dz, long long n, int act) {
  for (long long i = first_index(); i < n; i += grid_stride())
    dz[i] = dy[i] * activation_slope(act, y[i]);
}

// dx[b,i,ci] += sum over taps k with t*stride = i + pad_left - k*dilation, 0 <= t < Tout, of
// sum_co dz[b,t,co] W[k,ci,co]. One thread per (b, i, ci): no two threads write one element.
__global__ void conv1d_dx_kernel(const float* __restrict__ dz, const float* __restrict__ w,
                                 float* __restrict__ dx, Conv c) {
  const long long n = static_cast<long long>(c.B) * c.T * c.Cin;
  for (long long e = first_index(); e < n; e += grid_stride()) {
    const int ci = static_cast<int>(e % c.Cin);
    const long long bi = e / c.Cin;
    const long long i = bi % c.T;
    const long long b = bi / c.T;
    float acc = 0.0f;
    for (int k = 0; k < c.K; ++k) {
      const long long num = i + c.p - static_cast<long long>(k) * c.d;
      if (num < 0) break;  // num only falls as k grows
      if (num % c.s != 0) continue;
      const long long t = num / c.s;
      if (t >= c.Tout) continue;
      const float* g = dz + (b * c.Tout + t) * c.Cout;
      const float* wr = w + (static_cast<long long>(k) * c.Cin + ci) * c.Cout;
      for (int co = 0; co < c.Cout; ++co) acc += g[co] * wr[co];
    }
    dx[e] += acc;
  }
}

struct BiasTerm {
  const float* dz;
  int cout;
  __device__ void operator()(long long r, long long c, double* v) const { v[0] = dz[r * cout + c]; }
};

// Column j of the [B*Tout, K*Cin*Cout] product col^T . dz, j = (k*Cin + ci)*Cout + co.
struct KernelTerm {
  const float* x;
  const float* dz;
  Conv c;
  __device__ void operator()(long long r, long long j, double* v) const {
    const long long co = j % c.Cout;
    const long long kc = j / c.Cout;
    const long long ci = kc % c.Cin;
    const long long k = kc / c.Cin;
    const long long b = r / c.Tout;
    const long long i = (r % c.Tout) * c.s + k * c.d - c.p;
    v[0] = (i >= 0 && i < c.T)
               ? static_cast<double>(x[(b * c.T + i) * c.Cin + ci]) * dz[r * c.Cout + co]
               : 0.0;
  }
};

struct AddFinish {
  float* out;
  __device__ void operator()(long long c, const double* s) const {
    out[c] += static_cast<float>(s[0]);
  }
};

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_conv1d(const float* x, const float* kernel, const float* bias, float* y, int batch,
                   int steps, int in_channels, int out_channels, int kernel_size, int stride,
                   int dilation, int pad_left, int out_steps, int activation) {
  Conv c{};
  TS_CUDA_TRY(check_conv("conv1d", batch, steps, in_channels, out_channels, kernel_size, stride,
                         dilation, pad_left, out_steps, activation, c));
  TS_CUDA_REQUIRE(kernel, "conv1d: null kernel");
  if (batch == 0) return TS_OK;
  TS_CUDA_REQUIRE(x && y, "conv1d: null x or y");
  const RowLaunch launch = row_launch(c.rows, c.Cout);
  conv1d_forward_kernel<<<launch.grid, launch.block>>>(x, kernel, bias, y, c);
  return check_launch("conv1d");
}

int ts_cuda_conv1d_grad(const float* x, const float* kernel, const float* y, const float* dy,
                        float* dx, float* dkernel, float* dbias, int batch, int steps,
                        int in_channels, int out_channels, int kernel_size, int stride,
                        int dilation, int pad_left, int out_steps, int activation) {
  Conv c{};
  TS_CUDA_TRY(check_conv("conv1d_grad", batch, steps, in_channels, out_channels, kernel_size,
                         stride, dilation, pad_left, out_steps, activation, c));
  TS_CUDA_REQUIRE(kernel && dkernel, "conv1d_grad: null kernel or dkernel");
  if (batch == 0) return TS_OK;
  TS_CUDA_REQUIRE(x && y && dy, "conv1d_grad: null x, y or dy");

  const long long outputs = c.rows * c.Cout;
  const long long kernel_elems = static_cast<long long>(c.K) * c.Cin * c.Cout;
  std::lock_guard<std::mutex> lock(scratch_mutex());
  WorkspacePlan plan;
  const size_t o_dz = plan.reserve<float>(static_cast<size_t>(outputs));
  const size_t partials =
      reduce_partials(1, c.rows, c.Cout) > reduce_partials(1, c.rows, kernel_elems)
          ? reduce_partials(1, c.rows, c.Cout)
          : reduce_partials(1, c.rows, kernel_elems);
  const size_t o_partials = plan.reserve<double>(partials);
  void* base = nullptr;
  TS_CUDA_TRY(scratch_buffer(kScratchWorkspace, plan.bytes(), &base));
  float* dz = at<float>(base, o_dz);
  double* part = at<double>(base, o_partials);

  slope_kernel<<<blocks_for(outputs), kBlock>>>(y, dy, dz, outputs, c.act);
  TS_CUDA_TRY(check_launch("conv1d_grad (dz)"));
  // The partials are reused: each reduction's passes are queued after the previous one's.
  if (dbias)
    TS_CUDA_TRY(column_reduce<1>("conv1d_grad (dbias)", c.rows, c.Cout, BiasTerm{dz, c.Cout},
                                 AddFinish{dbias}, part));
  TS_CUDA_TRY(column_reduce<1>("conv1d_grad (dkernel)", c.rows, kernel_elems, KernelTerm{x, dz, c},
                               AddFinish{dkernel}, part));
  if (dx) {
    const long long inputs = static_cast<long long>(c.B) * c.T * c.Cin;
    conv1d_dx_kernel<<<blocks_for(inputs), kBlock>>>(dz, kernel, dx, c);
    TS_CUDA_TRY(check_launch("conv1d_grad (dx)"));
  }
  return TS_OK;
}

}  // extern "C"
