// CUDA-vs-CPU harness (CTest "cuda_vs_cpu"). Runs every compute function of cuda_api.h and
// its ts_cpu_* twin on the same random inputs (std::mt19937, fixed seed) over several shapes
// (size 1, odd sizes 3/17/33, and large ones), compares the outputs and times both.
//
// Error metric, used for every op: normwise relative error
//     max_i |gpu_i - cpu_i| / max(1e-6, max_i |cpu_i|)
// over each compared output (the largest over an op's outputs). Normwise rather than per
// element because values near zero (relu outputs, cancelling sums) would make a per-element
// ratio meaningless. Threshold 1e-4 everywhere except matmul with k >= 1024 (see kLargeK).
//
// Timing: CUDA = median of 20 calls after 3 warm-ups, each call followed by
// ts_cuda_synchronize, measured with std::chrono (so launch overhead is included). CPU = one
// run when it takes over 50 ms, else the median of 5.
//
// Exit: 0 when every row passes, 1 otherwise, 77 (CTest skip) without a CUDA device.
// "--quick" skips the large shapes and times a single call: a fast smoke run. "--only NAME" runs
// only the ops whose name contains NAME; "--repeats N" times N calls without warm-ups (all shapes).
// "--group NAME" runs one group of ops (elementwise, matmul, sequence, norm, conv1d, recurrent;
// "--list-groups" prints them; recurrent-plans, a few recurrent cases per plan, is for the
// emulation at many SMs and not part of a run without --group). "--require-device": no CUDA device
// fails (exit 1) instead of skipping (exit 77), for a host that should have one: tools/gpu/check.sh
// runs each group in its own process. Each row is printed and flushed as soon as it completes; the
// per-op summary follows the last.
//
// Matmul runs on the library's own kernels as op "matmul" and, when cuBLAS loads at run time
// (ts_cuda_gemm_library), once more on cuBLAS as op "matmul(cublas)"; when it does not, one
// "matmul(cublas)" row says SKIPPED and why.
//
// This file holds the elementwise, matmul, time-step, gather, loss and optimizer cases and main();
// the layer-level ops (layer/batch norm, conv1d, recurrent) are in cuda_vs_cpu_sequence.cpp, the
// shared machinery in cuda_vs_cpu_harness.cpp. After the table of every case comes a per-op
// summary (worst error and slowest case of each op), which tools/gpu/check.sh shows.
#include "cuda_vs_cpu.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "matmul_tiles.h"
#include "timestep/cpu_api.h"
#include "timestep/cuda_api.h"

namespace {

using namespace tscheck;

// Matmul with long dot products: both sides round each of the k products and partial sums in
// float, in different orders (the CPU in k-blocks of 256, the GPU in 16- or 8-wide slices with
// fused multiply-adds), so the difference grows like sqrt(k) * 2^-24 times the sum of
// |a_ip * b_pj|. With cancellation that sum can be ~sqrt(k) times larger than |c_ij|, which
// puts k = 1024 within a small factor of 1e-4; 1e-3 still catches any indexing error, which
// produces O(1) relative errors.
constexpr double kLargeKTolerance = 1e-3;
constexpr int kLargeK = 1024;

// ---- one function per op family ---------------------------------------------------------

const std::vector<long long>& flat_sizes() {
  static const std::vector<long long> quick = {1, 3, 17, 33, 100003};
  static const std::vector<long long> full = {1, 3, 17, 33, 100003, (1LL << 24) + 5};
  return g_quick ? quick : full;
}

void test_unary_and_binary() {
  for (long long n : flat_sizes()) {
    const std::string s = dims({n});
    run_case(
        "fill", s, {random_vec(n)}, {0}, [=](const Ptrs& p) { return ts_cpu_fill(p[0], n, 0.75f); },
        [=](const Ptrs& p) { return ts_cuda_fill(p[0], n, 0.75f); });
    run_case(
        "copy", s, {random_vec(n), random_vec(n)}, {1},
        [=](const Ptrs& p) { return ts_cpu_copy(p[0], p[1], n); },
        [=](const Ptrs& p) { return ts_cuda_copy(p[0], p[1], n); });
    run_case(
        "accumulate", s, {random_vec(n), random_vec(n)}, {1},
        [=](const Ptrs& p) { return ts_cpu_accumulate(p[0], p[1], n); },
        [=](const Ptrs& p) { return ts_cuda_accumulate(p[0], p[1], n); });
    run_case(
        "add", s, {random_vec(n), random_vec(n), random_vec(n)}, {2},
        [=](const Ptrs& p) { return ts_cpu_add(p[0], p[1], p[2], n); },
        [=](const Ptrs& p) { return ts_cuda_add(p[0], p[1], p[2], n); });
    run_case(
        "mul", s, {random_vec(n), random_vec(n), random_vec(n)}, {2},
        [=](const Ptrs& p) { return ts_cpu_mul(p[0], p[1], p[2], n); },
        [=](const Ptrs& p) { return ts_cuda_mul(p[0], p[1], p[2], n); });
    run_case(
        "mul_grad", s, {random_vec(n), random_vec(n), random_vec(n)}, {2},
        [=](const Ptrs& p) { return ts_cpu_mul_grad(p[0], p[1], p[2], n); },
        [=](const Ptrs& p) { return ts_cuda_mul_grad(p[0], p[1], p[2], n); });
  }
  // Overlapping copy: memmove semantics on both sides (dst starts 5 floats into src).
  const long long n = 1001;
  run_case(
      "copy(overlap)", dims({n}), {random_vec(n + 5)}, {0},
      [=](const Ptrs& p) { return ts_cpu_copy(p[0], p[0] + 5, n); },
      [=](const Ptrs& p) { return ts_cuda_copy(p[0], p[0] + 5, n); });
}

void test_activations() {
  static const char* names[] = {"linear", "tanh", "sigmoid", "relu"};
  for (int kind = TS_ACT_LINEAR; kind <= TS_ACT_RELU; ++kind) {
    for (long long n : flat_sizes()) {
      const std::string s = std::string(names[kind]) + " " + dims({n});
      run_case(
          "activation", s, {random_vec(n, -4.0f, 4.0f), random_vec(n)}, {1},
          [=](const Ptrs& p) { return ts_cpu_activation(kind, p[0], p[1], n); },
          [=](const Ptrs& p) { return ts_cuda_activation(kind, p[0], p[1], n); });
      run_case(
          "activation_grad", s, {random_vec(n), random_vec(n), random_vec(n)}, {2},
          [=](const Ptrs& p) { return ts_cpu_activation_grad(kind, p[0], p[1], p[2], n); },
          [=](const Ptrs& p) { return ts_cuda_activation_grad(kind, p[0], p[1], p[2], n); });
    }
  }
}

void test_bias() {
  std::vector<std::pair<long long, int>> shapes = {
      {1, 1},    {3, 17},   {17, 3},      {33, 33},
      {1, 4099}, {1000, 1}, {4096, 1000}, {3, 140001}};  // > 4096 x 32 columns
  if (!g_quick) {  // millions of rows, for the chunked two-pass column sums
    shapes.push_back({2000003, 1});
    shapes.push_back({1000001, 3});
    shapes.push_back({16384, 1024});
  } else {
    shapes.push_back({70001, 3});
  }
  for (auto [rows, cols] : shapes) {
    const std::string s = dims({rows, cols});
    run_case(
        "add_bias", s, {random_vec(rows * cols), random_vec(cols), random_vec(rows * cols)}, {2},
        [=](const Ptrs& p) { return ts_cpu_add_bias(p[0], p[1], p[2], rows, cols); },
        [=](const Ptrs& p) { return ts_cuda_add_bias(p[0], p[1], p[2], rows, cols); });
    run_case(
        "bias_grad", s, {random_vec(rows * cols), random_vec(cols)}, {1},
        [=](const Ptrs& p) { return ts_cpu_bias_grad(p[0], p[1], rows, cols); },
        [=](const Ptrs& p) { return ts_cuda_bias_grad(p[0], p[1], rows, cols); });
  }
}

// Which kernel matmul picks (matmul_tiles.h): the large shapes below must reach the 128-tile
// kernel, or their rows would silently test the 64 one; small products and those with too few
// 128 tiles to fill 132 SMs must not. One row, listing every wrong choice.
void check_matmul_tile_choice(const std::vector<std::pair<int, int>>& large_shapes) {
  using timestep::cuda::use_large_tiles;
  if (!selected("matmul")) return;
  Row row{"matmul tile choice", std::to_string(large_shapes.size()) + " large shapes"};
  struct Expect {
    int m, n;
    bool large;
  };
  std::vector<Expect> expects = {
      {1600, 20, false},          {130, 70, false},        {6400, 1024, true},  // input projection
      {6400, 256, false},         {256, 1024, false},  // 100 and 16 tiles of 128
      {12 * 128, 11 * 128, true}, {131 * 128, 128, false}, {132 * 128, 128, true},
      {132 * 128, 127, false},    {127, 200000, false}};
  for (auto [m, n] : large_shapes) expects.push_back({m, n, true});
  for (const Expect& e : expects) {
    if (use_large_tiles(e.m, e.n) == e.large) continue;
    row.note += (row.note.empty() ? "" : "; ") + dims({e.m, e.n}) +
                (e.large ? " not on 128 tiles" : " on 128 tiles");
  }
  row.pass = row.note.empty();
  row.err = row.pass ? 0.0 : 1.0;
  add_row(row);
}

// One product c (+)= op(a) . op(b) on random operands, CUDA against the CPU, as op `op`.
void matmul_case(const std::string& op, int m, int n, int k, int trans_a, int trans_b, int acc) {
  const std::string s =
      dims({m, n, k}) + (trans_a ? " tA" : "") + (trans_b ? " tB" : "") + (acc ? " acc" : "");
  run_case(
      op, s, {random_vec(1LL * m * k), random_vec(1LL * k * n), random_vec(1LL * m * n)}, {2},
      [=](const Ptrs& p) {
        return ts_cpu_matmul(p[0], p[1], p[2], m, n, k, trans_a, trans_b, acc);
      },
      [=](const Ptrs& p) {
        return ts_cuda_matmul(p[0], p[1], p[2], m, n, k, trans_a, trans_b, acc);
      },
      k >= kLargeK ? kLargeKTolerance : kTolerance);
}

// The matmul cases under one GEMM mode (ts_cuda_gemm_set_mode), as op `op`; AUTO afterwards.
void test_matmul(const std::string& op, int mode) {
  if (ts_cuda_gemm_set_mode(mode) != TS_OK) {
    Row row{op, "-"};
    row.note = std::string("gemm_set_mode: ") + ts_cuda_last_error();
    add_row(row);
    return;
  }
  struct Shape {
    int m, n, k;
  };
  std::vector<Shape> shapes = {{1, 1, 1},    {3, 17, 33},   {33, 3, 17}, {17, 33, 1},
                               {64, 64, 64}, {65, 63, 129}, {5, 7, 0},   {0, 5, 3}};
  shapes.push_back(g_quick ? Shape{130, 70, 200} : Shape{512, 384, 257});
  // For the 128-tile kernel (about 150 tiles each, cheap enough for the emulated quick run):
  // m and n off the tile edge, n odd (element stores) or a multiple of 4 (float4 stores), and k
  // inside one 8-deep slice, just past one, over many (the double buffering), or 0 (zeros).
  const std::vector<Shape> large = {
      {1541, 1317, 13}, {1290, 1700, 5}, {1541, 1316, 203}, {1290, 1700, 0}};
  std::vector<std::pair<int, int>> large_mn;
  for (const Shape& sh : large) {
    shapes.push_back(sh);
    large_mn.emplace_back(sh.m, sh.n);
  }
  if (mode == TS_GEMM_OWN)
    check_matmul_tile_choice(large_mn);  // a fact of our kernels, checked once
  for (const Shape& sh : shapes) {
    for (int trans_a = 0; trans_a <= 1; ++trans_a)
      for (int trans_b = 0; trans_b <= 1; ++trans_b)
        for (int acc = 0; acc <= 1; ++acc) {
          matmul_case(op, sh.m, sh.n, sh.k, trans_a, trans_b, acc);
        }
  }
  // Large products for timing (the CPU reference alone takes about a second): a square-ish
  // one, then the LSTM benchmark's (input 256, hidden 256, batch 64, 100 steps): the input
  // projection x.W, and backward's dX = dG.W^T and dW = X^T.dG, which accumulate.
  struct Timed {
    int m, n, k, trans_a, trans_b, acc;
  };
  const std::vector<Timed> timed = {{4096, 1024, 1024, 0, 0, 0},
                                    {6400, 1024, 256, 0, 0, 0},
                                    {6400, 256, 1024, 0, 1, 1},
                                    {256, 1024, 6400, 1, 0, 1}};
  for (const Timed& t : g_quick ? std::vector<Timed>{} : timed)
    matmul_case(op, t.m, t.n, t.k, t.trans_a, t.trans_b, t.acc);
  ts_cuda_gemm_set_mode(TS_GEMM_AUTO);
}

void test_sequence() {
  struct Shape {
    int batch, steps, features;
  };
  std::vector<Shape> shapes = {{1, 1, 1}, {3, 17, 5}, {33, 7, 17}, {17, 1, 33}};
  shapes.push_back(g_quick ? Shape{64, 20, 40} : Shape{256, 100, 64});
  for (const Shape& sh : shapes) {
    const int b = sh.batch, t = sh.steps, f = sh.features;
    const std::string s = dims({b, t, f});
    const int step = (t - 1) / 2;  // a middle step; the last one is t - 1
    run_case(
        "time_step", s, {random_vec(1LL * b * t * f), random_vec(1LL * b * f)}, {1},
        [=](const Ptrs& p) { return ts_cpu_time_step(p[0], p[1], b, t, f, step); },
        [=](const Ptrs& p) { return ts_cuda_time_step(p[0], p[1], b, t, f, step); });
    run_case(
        "time_step_grad", s, {random_vec(1LL * b * f), random_vec(1LL * b * t * f)}, {1},
        [=](const Ptrs& p) { return ts_cpu_time_step_grad(p[0], p[1], b, t, f, step); },
        [=](const Ptrs& p) { return ts_cuda_time_step_grad(p[0], p[1], b, t, f, step); });
  }

  struct Gather {
    int src_rows, count;
    long long row_len;
  };
  std::vector<Gather> gathers = {{1, 1, 1}, {17, 33, 3}, {33, 17, 17}, {5, 3, 1001}};
  gathers.push_back(g_quick ? Gather{300, 200, 65} : Gather{10000, 4096, 257});
  for (const Gather& g : gathers) {
    std::uniform_int_distribution<int> pick(0, g.src_rows - 1);
    auto rows = std::make_shared<std::vector<int>>(static_cast<size_t>(g.count));
    for (int& r : *rows) r = pick(g_rng);  // repeats allowed, as in minibatch sampling
    const int count = g.count;
    const long long len = g.row_len;
    run_case(
        "gather_rows", dims({g.src_rows, count, len}),
        {random_vec(g.src_rows * len), random_vec(count * len)}, {1},
        [=](const Ptrs& p) { return ts_cpu_gather_rows(p[0], rows->data(), count, len, p[1]); },
        [=](const Ptrs& p) { return ts_cuda_gather_rows(p[0], rows->data(), count, len, p[1]); });
  }
}

void test_losses_and_sum() {
  std::vector<long long> sizes = {1, 3, 17, 33, 100003};
  if (!g_quick) sizes.push_back(10000000);
  for (long long n : sizes) {
    const std::string s = dims({n});
    run_case(
        "mse", s, {random_vec(n), random_vec(n), random_vec(1)}, {2},
        [=](const Ptrs& p) { return ts_cpu_mse(p[0], p[1], p[2], n); },
        [=](const Ptrs& p) { return ts_cuda_mse(p[0], p[1], p[2], n); });
    run_case(
        "mse_grad", s, {random_vec(n), random_vec(n), random_vec(1, 0.5f, 2.0f), random_vec(n)},
        {3}, [=](const Ptrs& p) { return ts_cpu_mse_grad(p[0], p[1], p[2], p[3], n); },
        [=](const Ptrs& p) { return ts_cuda_mse_grad(p[0], p[1], p[2], p[3], n); });
    run_case(
        "sum", s, {random_vec(n), random_vec(1)}, {1},
        [=](const Ptrs& p) { return ts_cpu_sum(p[0], p[1], n); },
        [=](const Ptrs& p) { return ts_cuda_sum(p[0], p[1], n); });
    run_case(
        "sum_grad", s, {random_vec(1, 0.5f, 2.0f), random_vec(n)}, {1},
        [=](const Ptrs& p) { return ts_cpu_sum_grad(p[0], p[1], n); },
        [=](const Ptrs& p) { return ts_cuda_sum_grad(p[0], p[1], n); });
  }
}

// The optimizer steps, each variant with its optional state buffers present or NULL. Inputs:
// param, grad, then the state; running means of squares (v, vhat, velocity) are non-negative.
void test_optimizers() {
  std::vector<long long> sizes = {1, 3, 17, 33, 100003};
  if (!g_quick) sizes.push_back(10000000);
  for (long long n : sizes) {
    const std::string s = dims({n});
    const auto squares = [n] { return random_vec(n, 0.0f, 1.0f); };
    for (int amsgrad = 0; amsgrad < 2; ++amsgrad) {
      const float decay = amsgrad ? 4e-6f : 0.0f;
      std::vector<int> outputs = {0, 2, 3};
      if (amsgrad) outputs.push_back(4);
      run_case(
          amsgrad ? "adam(amsgrad, decay)" : "adam", s,
          {random_vec(n), random_vec(n), random_vec(n), squares(), squares()}, outputs,
          [=](const Ptrs& p) {
            return ts_cpu_adam(p[0], p[1], p[2], p[3], amsgrad ? p[4] : nullptr, n, 1e-3f, 0.9f,
                               0.999f, 1e-7f, decay);
          },
          [=](const Ptrs& p) {
            return ts_cuda_adam(p[0], p[1], p[2], p[3], amsgrad ? p[4] : nullptr, n, 1e-3f, 0.9f,
                                0.999f, 1e-7f, decay);
          });
    }
    for (int variant = 0; variant < 3; ++variant) {  // plain, momentum, Nesterov momentum
      const float momentum = variant == 0 ? 0.0f : 0.9f;
      const int nesterov = variant == 2;
      run_case(
          variant == 0 ? "sgd"
          : nesterov   ? "sgd(nesterov)"
                       : "sgd(momentum)",
          s, {random_vec(n), random_vec(n), random_vec(n)},
          variant == 0 ? std::vector<int>{0} : std::vector<int>{0, 2},
          [=](const Ptrs& p) {
            return ts_cpu_sgd(p[0], p[1], variant ? p[2] : nullptr, n, 0.01f, momentum, nesterov);
          },
          [=](const Ptrs& p) {
            return ts_cuda_sgd(p[0], p[1], variant ? p[2] : nullptr, n, 0.01f, momentum, nesterov);
          });
    }
    for (int variant = 0; variant < 2; ++variant) {  // plain, centered with momentum
      // velocity >= 0.9 after the step, above the square of the updated mean (at most 0.55^2)
      run_case(
          variant ? "rmsprop(centered, momentum)" : "rmsprop", s,
          {random_vec(n), random_vec(n), random_vec(n, 1.0f, 2.0f), random_vec(n, -0.5f, 0.5f),
           random_vec(n)},
          variant ? std::vector<int>{0, 2, 3, 4} : std::vector<int>{0, 2},
          [=](const Ptrs& p) {
            return ts_cpu_rmsprop(p[0], p[1], p[2], variant ? p[3] : nullptr,
                                  variant ? p[4] : nullptr, n, 1e-3f, 0.9f, variant ? 0.5f : 0.0f,
                                  1e-7f);
          },
          [=](const Ptrs& p) {
            return ts_cuda_rmsprop(p[0], p[1], p[2], variant ? p[3] : nullptr,
                                   variant ? p[4] : nullptr, n, 1e-3f, 0.9f, variant ? 0.5f : 0.0f,
                                   1e-7f);
          });
    }
  }
}

// fill past 2^31 elements, checking the tail: catches 32-bit index arithmetic. Needs ~8.6 GB.
void test_huge_fill() {
  const long long n = (1LL << 31) + 17;
  Row row{"fill(>2^31)", dims({n})};
  long long free_bytes = 0, total_bytes = 0;
  if (ts_cuda_mem_info(&free_bytes, &total_bytes) != TS_OK ||
      free_bytes < n * static_cast<long long>(sizeof(float)) + (1LL << 30)) {
    std::printf("note: skipping fill(>2^31): not enough free device memory\n");
    return;
  }
  try {
    DeviceBuffer buffer(static_cast<size_t>(n));
    expect_cuda(ts_cuda_fill(buffer.get(), n, 0.0f), "fill");
    const auto start = Clock::now();
    expect_cuda(ts_cuda_fill(buffer.get(), n, 2.5f), "fill");
    expect_cuda(ts_cuda_synchronize(), "synchronize");
    row.cuda_us = elapsed_us(start);
    Vec head(64), tail(64);
    expect_cuda(ts_cuda_download(buffer.get(), head.data(), 64), "download");
    expect_cuda(ts_cuda_download(buffer.get() + (n - 64), tail.data(), 64), "download");
    row.err = 0.0;
    for (int i = 0; i < 64; ++i)
      row.err = std::max({row.err, std::fabs(head[i] - 2.5), std::fabs(tail[i] - 2.5)});
    row.pass = row.err == 0.0;
  } catch (const Failure& e) {
    row.note = e.what();
  }
  add_row(row);
}

// ---- error paths: a bad argument must return TS_ERR_INVALID_ARGUMENT and leave a message
// that names the function; device allocation failure must map to TS_ERR_OUT_OF_MEMORY.
void test_error_paths() {
  DeviceBuffer buf(64);
  float* d = buf.get();
  int rows[2] = {0, -1};
  long long ptr = 0;
  float host[4] = {};
  expect_status("fill(null)", ts_cuda_fill(nullptr, 4, 1.0f), TS_ERR_INVALID_ARGUMENT, "fill");
  expect_status("copy(n<0)", ts_cuda_copy(d, d, -1), TS_ERR_INVALID_ARGUMENT, "copy");
  expect_status("matmul(null)", ts_cuda_matmul(nullptr, d, d, 2, 2, 2, 0, 0, 0),
                TS_ERR_INVALID_ARGUMENT, "matmul");
  expect_status("matmul(m<0)", ts_cuda_matmul(d, d, d, -1, 2, 2, 0, 0, 0), TS_ERR_INVALID_ARGUMENT,
                "matmul");
  expect_status("gemm_set_mode(3)", ts_cuda_gemm_set_mode(3), TS_ERR_INVALID_ARGUMENT,
                "gemm_set_mode");
  expect_status("activation(kind)", ts_cuda_activation(42, d, d, 4), TS_ERR_INVALID_ARGUMENT,
                "activation");
  expect_status("bias_grad(cols=0)", ts_cuda_bias_grad(d, d, 4, 0), TS_ERR_INVALID_ARGUMENT,
                "bias_grad");
  expect_status("time_step(steps=0)", ts_cuda_time_step(d, d, 2, 0, 2, 0), TS_ERR_INVALID_ARGUMENT,
                "time_step");
  expect_status("mse(n=0)", ts_cuda_mse(d, d, d, 0), TS_ERR_INVALID_ARGUMENT, "mse");
  expect_status("mse_grad(null)", ts_cuda_mse_grad(d, d, nullptr, d, 4), TS_ERR_INVALID_ARGUMENT,
                "mse_grad");
  expect_status("adam(null)",
                ts_cuda_adam(d, nullptr, d, d, nullptr, 4, 0.1f, 0.9f, 0.99f, 1e-7f, 0.0f),
                TS_ERR_INVALID_ARGUMENT, "adam");
  expect_status("sgd(momentum, no velocity)", ts_cuda_sgd(d, d, nullptr, 4, 0.1f, 0.9f, 0),
                TS_ERR_INVALID_ARGUMENT, "sgd");
  expect_status("rmsprop(null velocity)",
                ts_cuda_rmsprop(d, d, nullptr, nullptr, nullptr, 4, 0.1f, 0.9f, 0.0f, 1e-7f),
                TS_ERR_INVALID_ARGUMENT, "rmsprop");
  expect_status("gather_rows(row<0)", ts_cuda_gather_rows(d, rows, 2, 4, d),
                TS_ERR_INVALID_ARGUMENT, "gather_rows");
  expect_status("upload(null)", ts_cuda_upload(d, nullptr, 4), TS_ERR_INVALID_ARGUMENT, "upload");
  expect_status("download(null)", ts_cuda_download(nullptr, host, 4), TS_ERR_INVALID_ARGUMENT,
                "download");
  expect_status("malloc(-1)", ts_cuda_malloc(-1, &ptr), TS_ERR_INVALID_ARGUMENT, "malloc");
  expect_status("device_name(null)", ts_cuda_device_name(0, nullptr, 8), TS_ERR_INVALID_ARGUMENT,
                "device_name");
  // 2^60 bytes cannot exist: the runtime's allocation failure becomes TS_ERR_OUT_OF_MEMORY,
  // and it must not poison later calls (the compute tests run after this).
  expect_status("malloc(2^60)", ts_cuda_malloc(1LL << 60, &ptr), TS_ERR_OUT_OF_MEMORY, "malloc");
}

}  // namespace

int main(int argc, char** argv) {
  bool require_device = false;  // on a GPU host, no device is a failure, not a skip
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      g_quick = true;
      g_warmups = 0;
      g_repeats = 1;
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      g_only = argv[++i];
    } else if (std::strcmp(argv[i], "--group") == 0 && i + 1 < argc) {
      g_group = argv[++i];
    } else if (std::strcmp(argv[i], "--require-device") == 0) {
      require_device = true;
    } else if (std::strcmp(argv[i], "--list-groups") == 0) {
      std::printf("elementwise matmul sequence norm conv1d recurrent recurrent-plans\n");
      return 0;
    } else if (std::strcmp(argv[i], "--repeats") == 0 && i + 1 < argc) {
      g_warmups = 0;
      g_repeats = std::max(1, std::atoi(argv[++i]));
    }
  }
  int devices = 0;
  if (ts_cuda_device_count(&devices) != TS_OK || devices <= 0) {
    std::printf("cuda_vs_cpu: no CUDA device, %s (%s)\n",
                require_device ? "FAILED (--require-device)" : "skipping", ts_cuda_last_error());
    return require_device ? 1 : 77;
  }
  char name[256];
  if (ts_cuda_set_device(0) != TS_OK || ts_cuda_device_name(0, name, sizeof name) != TS_OK) {
    std::printf("cuda_vs_cpu: cannot use device 0: %s\n", ts_cuda_last_error());
    return 1;
  }
  long long free_bytes = 0, total_bytes = 0;
  if (ts_cuda_mem_info(&free_bytes, &total_bytes) != TS_OK) {
    std::printf("cuda_vs_cpu: mem_info failed: %s\n", ts_cuda_last_error());
    return 1;
  }
  std::printf("cuda_vs_cpu: %d device(s); device 0: %s, %lld of %lld MiB free%s\n", devices, name,
              free_bytes >> 20, total_bytes >> 20, g_quick ? " (quick run)" : "");
  char gemm[512];
  const bool cublas = ts_cuda_gemm_library(gemm, sizeof gemm) == 1;
  std::printf(
      "cuda_vs_cpu: GEMM library: %s%s\n", gemm,
      cublas ? " (matmul: own kernels; matmul(cublas): cuBLAS; other ops: the automatic choice)"
             : "");

  // The groups, each one process of tools/gpu/check.sh ("--group NAME"): a kernel fault
  // leaves the CUDA context unusable, so one group's fault must not cost the others' rows.
  const std::vector<std::pair<std::string, std::function<void()>>> groups = {
      {"elementwise",
       [] {
         try {
           test_error_paths();
         } catch (const Failure& e) {
           Row row{"error paths", "-"};
           row.note = e.what();
           add_row(row);
         }
         test_unary_and_binary();
         test_activations();
         test_bias();
         test_losses_and_sum();
         test_optimizers();
         test_elementwise_loss();
         if (!g_quick) test_huge_fill();
       }},
      {"matmul",
       [cublas, gemm] {
         test_matmul("matmul", TS_GEMM_OWN);
         if (cublas) {
           test_matmul("matmul(cublas)", TS_GEMM_CUBLAS);
         } else {
           // Said as a row, so a run without cuBLAS is not mistaken for one that checked it.
           Row row{"matmul(cublas)", "all"};
           row.pass = true;
           row.skipped = true;
           row.note = std::string("cuBLAS not loaded: ") + gemm;
           add_row(row);
         }
       }},
      {"sequence",
       [] {
         test_sequence();
         test_sequence_error_paths();
       }},
      {"norm",
       [] {
         test_layer_norm();
         test_batch_norm();
       }},
      {"conv1d", [] { test_conv1d(); }},
      {"recurrent",
       [] {
         test_recurrent();
         test_stream_step();
       }},
      {"recurrent-plans", [] { test_recurrent_plans(); }},
  };
  bool known = g_group.empty();
  for (const auto& group : groups) known = known || group.first == g_group;
  if (!known) {
    std::printf("cuda_vs_cpu: unknown group '%s' (groups:", g_group.c_str());
    for (const auto& group : groups) std::printf(" %s", group.first.c_str());
    std::printf(")\n");
    return 2;
  }
  print_table_header();
  for (const auto& group : groups)
    if (g_group.empty() ? group.first != "recurrent-plans" : group.first == g_group) group.second();

  print_op_summary();
  const long long failed =
      std::count_if(g_rows.begin(), g_rows.end(), [](const Row& r) { return !r.pass; });
  const long long skipped =
      std::count_if(g_rows.begin(), g_rows.end(), [](const Row& r) { return r.skipped; });
  std::printf("\n%zu checks, %lld failed", g_rows.size(), failed);
  if (skipped > 0) std::printf(", %lld skipped", skipped);
  std::printf("\n");
  return failed == 0 ? 0 : 1;
}
