// Fused 1-D convolution (Conv1D / WaveNet layers): bias, convolution and activation in one
// call forward, every gradient in one call backward (cpu_api.h has the exact math). This file
// validates the sizes and picks the path: direct register tiles for small channel counts,
// im2col + GEMM for wide layers (conv1d.h).
#include "conv1d.h"

#include <algorithm>
#include <climits>
#include <new>

#include "errors.h"
#include "gemm.h"
#include "simd.h"
#include "timestep/cpu_api.h"

namespace timestep::cpu::conv1d {

using timestep::cpu::kGemmColumnTile;
using timestep::cpu::kGemmRowTile;
using timestep::cpu::round_up;

int check(const char* op, int batch, int steps, int cin, int cout, int k, int stride, int dilation,
          int pad_left, int out_steps, int act, Conv& c) {
  TS_CPU_REQUIRE(act >= TS_ACT_LINEAR && act <= TS_ACT_RELU, "%s: unknown activation %d", op, act);
  TS_CPU_REQUIRE(batch >= 0 && steps >= 1 && cin >= 1 && cout >= 1 && out_steps >= 1,
                 "%s: bad shape batch=%d steps=%d in_channels=%d out_channels=%d out_steps=%d", op,
                 batch, steps, cin, cout, out_steps);
  TS_CPU_REQUIRE(
      k >= 1 && stride >= 1 && dilation >= 1 && pad_left >= 0,
      "%s: bad kernel_size=%d stride=%d dilation=%d pad_left=%d (need >= 1, >= 1, >= 1, >= 0)", op,
      k, stride, dilation, pad_left);
  // Every GEMM dimension and stride must fit an int; positions are computed in long long.
  TS_CPU_REQUIRE(
      static_cast<long long>(k) * cin + kGemmColumnTile <= INT_MAX &&
          static_cast<long long>(cout) + kGemmColumnTile <= INT_MAX &&
          static_cast<long long>(batch) * out_steps <= INT_MAX,
      "%s: shape too large batch=%d out_steps=%d in_channels=%d out_channels=%d kernel_size=%d", op,
      batch, out_steps, cin, cout, k);
  c.B = batch;
  c.T = steps;
  c.Cin = cin;
  c.Cout = cout;
  c.K = k;
  c.s = stride;
  c.d = dilation;
  c.p = pad_left;
  c.Tout = out_steps;
  c.act = act;
  c.KC = k * cin;
  c.Coutp = round_up(cout, kGemmColumnTile);
  c.KCp = round_up(c.KC, kGemmColumnTile);
  c.KCr = round_up(c.KC, kGemmRowTile);
  c.rows = static_cast<long long>(batch) * out_steps;
  // ~256 KB per scratch buffer: widest row of any of them.
  const int widest = std::max(c.KCp, c.Coutp);
  int chunk = 65536 / widest;
  chunk = std::max(64, std::min(4096, chunk)) / kGemmRowTile * kGemmRowTile;
  if (c.rows < chunk) chunk = round_up(static_cast<int>(c.rows), kGemmRowTile);
  c.chunk = std::max(chunk, kGemmRowTile);
  c.x_is_col = k == 1 && stride == 1 && pad_left == 0 &&
               (out_steps == steps || (batch == 1 && out_steps <= steps));
  return TS_OK;
}

}  // namespace timestep::cpu::conv1d

namespace {
using timestep::cpu::conv1d::check;
using timestep::cpu::conv1d::Conv;
}  // namespace

extern "C" {

int ts_cpu_conv1d(const float* x, const float* kernel, const float* bias, float* y, int batch,
                  int steps, int in_channels, int out_channels, int kernel_size, int stride,
                  int dilation, int pad_left, int out_steps, int activation) {
  Conv c{};
  if (int status = check("conv1d", batch, steps, in_channels, out_channels, kernel_size, stride,
                         dilation, pad_left, out_steps, activation, c))
    return status;
  TS_CPU_REQUIRE(kernel, "conv1d: null kernel");
  if (batch == 0) return TS_OK;
  TS_CPU_REQUIRE(x && y, "conv1d: null x or y");
  try {
    if (timestep::cpu::conv1d::direct_fits(c, false))
      timestep::cpu::conv1d::direct_forward(c, x, kernel, bias, y);
    else
      timestep::cpu::conv1d::im2col_forward(c, x, kernel, bias, y);
  } catch (const std::bad_alloc&) {
    return timestep::fail(timestep::cpu::error_slot(), TS_ERR_OUT_OF_MEMORY,
                          "conv1d: out of memory");
  }
  return TS_OK;
}

int ts_cpu_conv1d_grad(const float* x, const float* kernel, const float* y, const float* dy,
                       float* dx, float* dkernel, float* dbias, int batch, int steps,
                       int in_channels, int out_channels, int kernel_size, int stride, int dilation,
                       int pad_left, int out_steps, int activation) {
  Conv c{};
  if (int status = check("conv1d_grad", batch, steps, in_channels, out_channels, kernel_size,
                         stride, dilation, pad_left, out_steps, activation, c))
    return status;
  TS_CPU_REQUIRE(kernel && dkernel, "conv1d_grad: null kernel or dkernel");
  if (batch == 0) return TS_OK;
  TS_CPU_REQUIRE(x && y && dy, "conv1d_grad: null x, y or dy");
  try {
    if (timestep::cpu::conv1d::direct_fits(c, dx != nullptr))
      timestep::cpu::conv1d::direct_backward(c, x, kernel, y, dy, dx, dkernel, dbias);
    else
      timestep::cpu::conv1d::im2col_backward(c, x, kernel, y, dy, dx, dkernel, dbias);
  } catch (const std::bad_alloc&) {
    return timestep::fail(timestep::cpu::error_slot(), TS_ERR_OUT_OF_MEMORY,
                          "conv1d_grad: out of memory");
  }
  return TS_OK;
}

}  // extern "C"
