// CUDA-vs-CPU cases of the layer-level ops: layer norm, batch norm, Conv1D and the fused recurrent
// layers, forward and backward. Shapes cover size 1, odd sizes, batch 1, one step, a 1000-step
// sequence, every activation and recurrent kind, every time-loop strategy of the recurrent ops
// (TS_RNN_STRATEGY_*: the row's shape says which one was asked for and which one ran), and
// convolutions with stride 2, dilation 4, valid/same/causal padding, with and without bias and dx.
//
// Backward cases start from the CPU's forward results (so only the backward kernels are
// compared, and the CUDA op reads a cache the CPU op wrote: the layouts must agree) and from
// random gradient buffers (so accumulation is checked). The "(repeat)" rows run an op twice on
// identical inputs and require bitwise identical gradients (no atomics in the reductions).
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cuda_vs_cpu.h"
#include "timestep/cpu_api.h"
#include "timestep/cuda_api.h"

namespace tscheck {
namespace {

const char* const kActivation[] = {"linear", "tanh", "sigmoid", "relu"};
const char* const kKind[] = {"simple", "lstm", "gru", "ln_simple"};
const char* const kStrategy[] = {"auto", "steps", "block", "grid"};

// A host-side preparation step (a CPU forward whose results feed a backward case): on failure
// the case becomes a failing row instead of aborting the harness.
bool prepared(int status, const std::string& op, const std::string& shape) {
  if (status == TS_OK) return true;
  Row row{op, shape};
  row.note = std::string("preparing on the CPU failed: ") + ts_cpu_last_error();
  add_row(row);
  return false;
}

// ---- layer norm ----------------------------------------------------------------------------

void layer_norm_case(long long rows, int n, bool repeat) {
  const std::string s = dims({rows, n});
  const long long size = rows * n;
  run_case(
      "layer_norm", s,
      {random_vec(size, -3, 3), random_vec(n, 0.5f, 1.5f), random_vec(n), random_vec(size),
       random_vec(size), random_vec(rows)},
      {3, 4, 5},
      [=](const Ptrs& p) { return ts_cpu_layer_norm(p[0], p[1], p[2], p[3], p[4], p[5], rows, n); },
      [=](const Ptrs& p) {
        return ts_cuda_layer_norm(p[0], p[1], p[2], p[3], p[4], p[5], rows, n);
      });

  Vec x = random_vec(size, -3, 3), gamma = random_vec(n, 0.5f, 1.5f), beta = random_vec(n);
  Vec y(x.size()), xhat(x.size()), rstd(static_cast<size_t>(rows));
  if (!prepared(ts_cpu_layer_norm(x.data(), gamma.data(), beta.data(), y.data(), xhat.data(),
                                  rstd.data(), rows, n),
                "layer_norm_grad", s))
    return;
  const std::vector<Vec> inputs = {random_vec(size), xhat,          rstd,         gamma,
                                   random_vec(size), random_vec(n), random_vec(n)};
  const Kernel gpu = [=](const Ptrs& p) {
    return ts_cuda_layer_norm_grad(p[0], p[1], p[2], p[3], p[4], p[5], p[6], rows, n);
  };
  run_case(
      "layer_norm_grad", s, inputs, {4, 5, 6},
      [=](const Ptrs& p) {
        return ts_cpu_layer_norm_grad(p[0], p[1], p[2], p[3], p[4], p[5], p[6], rows, n);
      },
      gpu);
  if (repeat) check_repeatable("layer_norm_grad", s, inputs, {4, 5, 6}, gpu);
}

// ---- batch norm ----------------------------------------------------------------------------

// Per-channel offsets and scales, so the channels' statistics differ.
Vec channel_data(long long rows, int channels) {
  Vec x = random_vec(rows * channels);
  for (size_t i = 0; i < x.size(); ++i) {
    const int c = static_cast<int>(i % channels);
    x[i] = x[i] * (0.5f + c) + 0.3f * c - 1.0f;
  }
  return x;
}

void batch_norm_case(long long rows, int channels, bool repeat) {
  const std::string s = dims({rows, channels});
  const long long size = rows * channels;
  const std::vector<Vec> forward = {channel_data(rows, channels),
                                    random_vec(channels, 0.5f, 1.5f),
                                    random_vec(channels),
                                    random_vec(size),
                                    random_vec(size),
                                    random_vec(channels),
                                    random_vec(channels),
                                    random_vec(channels)};
  const Kernel gpu_forward = [=](const Ptrs& p) {
    return ts_cuda_batch_norm(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], rows, channels);
  };
  run_case(
      "batch_norm", s, forward, {3, 4, 5, 6, 7},
      [=](const Ptrs& p) {
        return ts_cpu_batch_norm(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], rows, channels);
      },
      gpu_forward);
  if (repeat) check_repeatable("batch_norm", s, forward, {3, 4, 5, 6, 7}, gpu_forward);

  Vec x = channel_data(rows, channels), gamma = random_vec(channels, 0.5f, 1.5f),
      beta = random_vec(channels);
  Vec y(x.size()), xhat(x.size()), mean(channels), var(channels), rstd(channels);
  if (!prepared(ts_cpu_batch_norm(x.data(), gamma.data(), beta.data(), y.data(), xhat.data(),
                                  mean.data(), var.data(), rstd.data(), rows, channels),
                "batch_norm_grad", s))
    return;
  const std::vector<Vec> backward = {
      random_vec(size),    xhat, rstd, gamma, random_vec(size), random_vec(channels),
      random_vec(channels)};
  const Kernel gpu_backward = [=](const Ptrs& p) {
    return ts_cuda_batch_norm_grad(p[0], p[1], p[2], p[3], p[4], p[5], p[6], rows, channels);
  };
  run_case(
      "batch_norm_grad", s, backward, {4, 5, 6},
      [=](const Ptrs& p) {
        return ts_cpu_batch_norm_grad(p[0], p[1], p[2], p[3], p[4], p[5], p[6], rows, channels);
      },
      gpu_backward);
  if (repeat) check_repeatable("batch_norm_grad", s, backward, {4, 5, 6}, gpu_backward);

  run_case(
      "batch_norm_inference", s,
      {channel_data(rows, channels), random_vec(channels, 0.5f, 1.5f), random_vec(channels),
       random_vec(channels), random_vec(channels, 0.0f, 2.0f), random_vec(size)},
      {5},
      [=](const Ptrs& p) {
        return ts_cpu_batch_norm_inference(p[0], p[1], p[2], p[3], p[4], p[5], rows, channels);
      },
      [=](const Ptrs& p) {
        return ts_cuda_batch_norm_inference(p[0], p[1], p[2], p[3], p[4], p[5], rows, channels);
      });
}

// ---- conv1d --------------------------------------------------------------------------------

enum Padding { kValid, kSame, kCausal };
const char* const kPadding[] = {"valid", "same", "causal"};

struct ConvCase {
  int B, T, Cin, Cout, K, stride, dilation;
  Padding padding;
  int act;
  bool bias, dx;
};

// pad_left and out_steps of a padding mode (as dev.timestep.backend.ConvPadding computes them).
void conv_geometry(const ConvCase& c, int& pad_left, int& out_steps) {
  const int span = c.dilation * (c.K - 1) + 1;
  switch (c.padding) {
    case kValid:
      pad_left = 0;
      out_steps = (c.T - span) / c.stride + 1;
      break;
    case kSame: {
      out_steps = (c.T + c.stride - 1) / c.stride;
      const int total = std::max((out_steps - 1) * c.stride + span - c.T, 0);
      pad_left = total / 2;
      break;
    }
    default:
      pad_left = span - 1;
      out_steps = (c.T - 1) / c.stride + 1;
      break;
  }
}

void conv_case(const ConvCase& c, bool repeat) {
  int pad = 0, tout = 0;
  conv_geometry(c, pad, tout);
  const std::string s = std::string(kPadding[c.padding]) + " s" + std::to_string(c.stride) + " d" +
                        std::to_string(c.dilation) + " k" + std::to_string(c.K) + " " +
                        kActivation[c.act] + " " + dims({c.B, c.T, c.Cin}) + ">" +
                        std::to_string(c.Cout) + (c.bias ? "" : " nob") + (c.dx ? "" : " nodx");
  const long long xs = 1LL * c.B * c.T * c.Cin, ws = 1LL * c.K * c.Cin * c.Cout,
                  ys = 1LL * c.B * tout * c.Cout;
  const float scale = 1.0f / std::sqrt(static_cast<float>(c.K * c.Cin));
  const ConvCase k = c;
  run_case(
      "conv1d", s,
      {random_vec(xs), random_vec(ws, -scale, scale), random_vec(c.Cout, -0.5f, 0.5f),
       random_vec(ys)},
      {3},
      [=](const Ptrs& p) {
        return ts_cpu_conv1d(p[0], p[1], k.bias ? p[2] : nullptr, p[3], k.B, k.T, k.Cin, k.Cout,
                             k.K, k.stride, k.dilation, pad, tout, k.act);
      },
      [=](const Ptrs& p) {
        return ts_cuda_conv1d(p[0], p[1], k.bias ? p[2] : nullptr, p[3], k.B, k.T, k.Cin, k.Cout,
                              k.K, k.stride, k.dilation, pad, tout, k.act);
      });

  Vec x = random_vec(xs), w = random_vec(ws, -scale, scale), b = random_vec(c.Cout, -0.5f, 0.5f),
      y(ys);
  if (!prepared(ts_cpu_conv1d(x.data(), w.data(), c.bias ? b.data() : nullptr, y.data(), c.B, c.T,
                              c.Cin, c.Cout, c.K, c.stride, c.dilation, pad, tout, c.act),
                "conv1d_grad", s))
    return;
  const std::vector<Vec> inputs = {
      x, w, y, random_vec(ys), random_vec(xs), random_vec(ws), random_vec(c.Cout)};
  std::vector<int> outputs = {5};
  if (c.dx) outputs.push_back(4);
  if (c.bias) outputs.push_back(6);
  const Kernel gpu = [=](const Ptrs& p) {
    return ts_cuda_conv1d_grad(p[0], p[1], p[2], p[3], k.dx ? p[4] : nullptr, p[5],
                               k.bias ? p[6] : nullptr, k.B, k.T, k.Cin, k.Cout, k.K, k.stride,
                               k.dilation, pad, tout, k.act);
  };
  run_case(
      "conv1d_grad", s, inputs, outputs,
      [=](const Ptrs& p) {
        return ts_cpu_conv1d_grad(p[0], p[1], p[2], p[3], k.dx ? p[4] : nullptr, p[5],
                                  k.bias ? p[6] : nullptr, k.B, k.T, k.Cin, k.Cout, k.K, k.stride,
                                  k.dilation, pad, tout, k.act);
      },
      gpu);
  if (repeat) check_repeatable("conv1d_grad", s, inputs, outputs, gpu);
}

// ---- recurrent -------------------------------------------------------------------------------

struct RnnCase {
  int kind, act, B, T, F, H;
  int strategy;      // TS_RNN_STRATEGY_*
  bool input_grads;  // dx and dh0 wanted (else null); the LSTM also takes c0 and dc_last and
                     // returns dc0 (else all three null)
  bool repeat;       // also check that backward repeats bitwise
};

int gates(int kind) { return kind == TS_RNN_LSTM ? 4 : kind == TS_RNN_GRU ? 3 : 1; }

// Runs `one_case` (which appends at most one row) with the time-loop strategy `asked` forced;
// the row, printed as it is appended, ends with "<asked>><used>" (the plan that ran). Restores
// the automatic choice.
void with_strategy(int asked, const std::function<void()>& one_case) {
  ts_cuda_rnn_set_strategy(asked);
  g_row_plan = [asked] {
    const int used = ts_cuda_rnn_last_strategy();
    return used >= 0 && used <= 3 ? std::string(" ") + kStrategy[asked] + ">" + kStrategy[used]
                                  : std::string();
  };
  one_case();
  g_row_plan = nullptr;
  ts_cuda_rnn_set_strategy(TS_RNN_STRATEGY_AUTO);
}

void rnn_case(const RnnCase& c) {
  const int GH = gates(c.kind) * c.H;
  const bool has_extra = c.kind == TS_RNN_GRU || c.kind == TS_RNN_LN_SIMPLE;
  const long long cache = ts_rnn_cache_floats(c.kind, c.B, c.T, c.H);
  const std::string s =
      std::string(c.kind == TS_RNN_SIMPLE || c.kind == TS_RNN_LN_SIMPLE ? kActivation[c.act] : "") +
      (c.kind == TS_RNN_SIMPLE || c.kind == TS_RNN_LN_SIMPLE ? " " : "") +
      dims({c.B, c.T, c.F, c.H}) + (c.input_grads ? "" : " no-dx");
  const std::string fwd = std::string("rnn_forward(") + kKind[c.kind] + ")";
  const std::string bwd = std::string("rnn_backward(") + kKind[c.kind] + ")";
  // Weight scales that keep a 1000-step recurrence contractive (spectral radius ~0.6).
  const float ws = 1.0f / std::sqrt(static_cast<float>(c.F)),
              us = 1.0f / std::sqrt(static_cast<float>(c.H));
  Vec extra(1, 0.0f);
  if (c.kind == TS_RNN_GRU) extra = random_vec(GH, -0.2f, 0.2f);
  if (c.kind == TS_RNN_LN_SIMPLE) {
    extra = random_vec(c.H, 0.5f, 1.5f);  // gamma, then beta
    const Vec beta = random_vec(c.H, -0.2f, 0.2f);
    extra.insert(extra.end(), beta.begin(), beta.end());
  }
  const Vec x = random_vec(1LL * c.B * c.T * c.F), h0 = random_vec(1LL * c.B * c.H, -0.5f, 0.5f);
  const Vec w = random_vec(1LL * c.F * GH, -ws, ws), u = random_vec(1LL * c.H * GH, -us, us);
  const Vec b = random_vec(GH, -0.2f, 0.2f);
  const Vec c0 = random_vec(1LL * c.B * c.H, -0.5f, 0.5f);
  const bool states = c.kind == TS_RNN_LSTM && c.input_grads;  // c0, dc_last and dc0 given
  const RnnCase k = c;

  with_strategy(c.strategy, [&] {
    run_case(
        fwd, s, {x, h0, w, u, b, extra, random_vec(1LL * c.B * c.T * c.H), random_vec(cache), c0},
        {6, 7},
        [=](const Ptrs& p) {
          return ts_cpu_rnn_forward(k.kind, k.act, k.B, k.T, k.F, k.H, p[0], p[1],
                                    states ? p[8] : nullptr, p[2], p[3], p[4],
                                    has_extra ? p[5] : nullptr, p[6], p[7]);
        },
        [=](const Ptrs& p) {
          return ts_cuda_rnn_forward(k.kind, k.act, k.B, k.T, k.F, k.H, p[0], p[1],
                                     states ? p[8] : nullptr, p[2], p[3], p[4],
                                     has_extra ? p[5] : nullptr, p[6], p[7]);
        });
  });

  Vec out(static_cast<size_t>(1LL * c.B * c.T * c.H)),
      cache_rows(static_cast<size_t>(std::max(1LL, cache)));
  if (!prepared(
          ts_cpu_rnn_forward(c.kind, c.act, c.B, c.T, c.F, c.H, x.data(), h0.data(),
                             states ? c0.data() : nullptr, w.data(), u.data(), b.data(),
                             has_extra ? extra.data() : nullptr, out.data(), cache_rows.data()),
          bwd, s))
    return;
  const std::vector<Vec> inputs = {x,
                                   h0,
                                   w,
                                   u,
                                   b,
                                   extra,
                                   out,
                                   cache_rows,
                                   random_vec(1LL * c.B * c.T * c.H),
                                   random_vec(1LL * c.B * c.T * c.F),
                                   random_vec(1LL * c.B * c.H),
                                   random_vec(1LL * c.F * GH),
                                   random_vec(1LL * c.H * GH),
                                   random_vec(GH),
                                   random_vec(static_cast<long long>(extra.size())),
                                   c0,
                                   random_vec(1LL * c.B * c.H),
                                   random_vec(1LL * c.B * c.H)};
  std::vector<int> outputs = {11, 12, 13};
  if (c.input_grads) outputs.insert(outputs.end(), {9, 10});
  if (has_extra) outputs.push_back(14);
  if (states) outputs.push_back(17);
  auto call = [k, has_extra, states](bool cuda, const Ptrs& p) {
    float* dx = k.input_grads ? p[9] : nullptr;
    float* dh0 = k.input_grads ? p[10] : nullptr;
    float* dextra = has_extra ? p[14] : nullptr;
    const float* ex = has_extra ? p[5] : nullptr;
    const float* c0p = states ? p[15] : nullptr;
    const float* dc_last = states ? p[16] : nullptr;
    float* dc0 = states ? p[17] : nullptr;
    return cuda ? ts_cuda_rnn_backward(k.kind, k.act, k.B, k.T, k.F, k.H, p[0], p[1], c0p, p[2],
                                       p[3], p[4], ex, p[6], p[7], p[8], dc_last, dx, dh0, dc0,
                                       p[11], p[12], p[13], dextra)
                : ts_cpu_rnn_backward(k.kind, k.act, k.B, k.T, k.F, k.H, p[0], p[1], c0p, p[2],
                                      p[3], p[4], ex, p[6], p[7], p[8], dc_last, dx, dh0, dc0,
                                      p[11], p[12], p[13], dextra);
  };
  with_strategy(c.strategy, [&] {
    run_case(
        bwd, s, inputs, outputs, [=](const Ptrs& p) { return call(false, p); },
        [=](const Ptrs& p) { return call(true, p); });
  });
  if (c.repeat)
    with_strategy(c.strategy, [&] {
      check_repeatable(bwd, s, inputs, outputs, [=](const Ptrs& p) { return call(true, p); });
    });
}

}  // namespace

void test_layer_norm() {
  const std::vector<std::pair<long long, int>> shapes = {{1, 1},   {3, 17},   {17, 3},
                                                         {33, 20}, {1, 4099}, {1000, 33}};
  for (const auto& [rows, n] : shapes) layer_norm_case(rows, n, rows == 1000);
  if (g_quick) {
    layer_norm_case(20000, 20, false);
  } else {
    layer_norm_case(100003, 20, false);
    layer_norm_case(16384, 256, true);
  }
}

void test_batch_norm() {
  const std::vector<std::pair<long long, int>> shapes = {{1, 1},  {1, 3},  {3, 17},
                                                         {17, 3}, {33, 1}, {1600, 20}};
  for (const auto& [rows, c] : shapes) batch_norm_case(rows, c, rows == 1600);
  if (g_quick) {
    batch_norm_case(20001, 5, false);
  } else {
    batch_norm_case(100003, 3, false);
    batch_norm_case(20000, 64, true);
  }
}

void test_conv1d() {
  std::vector<ConvCase> cases = {
      {1, 1, 1, 1, 1, 1, 1, kValid, TS_ACT_LINEAR, true, true},   // everything 1
      {5, 64, 1, 1, 1, 1, 1, kValid, TS_ACT_RELU, true, true},    // K = 1 (a per-step dense)
      {3, 17, 5, 7, 3, 2, 1, kSame, TS_ACT_TANH, true, true},     // stride 2, same
      {2, 40, 3, 4, 2, 1, 4, kCausal, TS_ACT_RELU, false, true},  // dilation 4, causal, no bias
      {4, 33, 6, 5, 3, 2, 4, kValid, TS_ACT_SIGMOID, true,
       false},  // stride 2 and dilation 4, valid, no dx
      {1, 3, 2, 3, 4, 2, 8, kCausal, TS_ACT_TANH, true, true},      // receptive field 25 > 3 steps
      {1, 5, 3, 2, 3, 1, 4, kSame, TS_ACT_LINEAR, true, true},      // same, field 9 > 5 steps
      {32, 51, 20, 20, 4, 2, 8, kSame, TS_ACT_TANH, true, true},    // chapter-sized, odd steps
      {32, 50, 20, 20, 2, 1, 4, kCausal, TS_ACT_RELU, true, true},  // a WaveNet layer
  };
  if (g_quick) {
    cases.push_back({8, 300, 16, 16, 2, 1, 8, kCausal, TS_ACT_TANH, true, true});
  } else {
    cases.push_back({32, 1000, 32, 32, 2, 1, 8, kCausal, TS_ACT_TANH, true, true});
    cases.push_back({64, 500, 64, 64, 3, 2, 1, kSame, TS_ACT_RELU, true, true});
  }
  for (size_t i = 0; i < cases.size(); ++i) conv_case(cases[i], i == 8);
}

namespace {

// The register-tiled product at 114 to 132 SMs (H100 PCIe to H100/H200 SXM). BLOCK: 400 rows
// give blocks of 4 rows (B >= 397 at 132 SMs), 4 x 64 units x 64 = 16384 MACs a step. GRID:
// slices of 2 units of 228, 40 rows, 40 x 2 x 228 = 18240 MACs; the gated kinds' U of 228 units
// does not fit one block, so AUTO takes GRID for them (BLOCK for simple and ln_simple).
void wide_device_cases(int kind) {
  for (int strategy : {TS_RNN_STRATEGY_AUTO, TS_RNN_STRATEGY_BLOCK})
    rnn_case({kind, TS_ACT_TANH, 400, 2, 3, 64, strategy, true, false});
  for (int strategy : {TS_RNN_STRATEGY_AUTO, TS_RNN_STRATEGY_GRID})
    rnn_case({kind, TS_ACT_TANH, 40, 2, 3, 228, strategy, true, false});
}

}  // namespace

void test_recurrent_plans() {
  for (int kind = TS_RNN_SIMPLE; kind <= TS_RNN_LN_SIMPLE; ++kind) {
    rnn_case({kind, TS_ACT_TANH, 3, 17, 5, 20, TS_RNN_STRATEGY_STEPS, true, false});
    rnn_case({kind, TS_ACT_TANH, 3, 17, 5, 20, TS_RNN_STRATEGY_GRID, true, false});
    wide_device_cases(kind);
  }
}

void test_recurrent() {
  struct Shape {
    int B, T, F, H;
  };
  // batch 1 and one step; odd sizes; the chapter's 32 x 50 with H = 20; a 1000-step sequence;
  // H = 129 (U of an LSTM no longer fits one block); the large LSTM of the speed targets.
  std::vector<Shape> shapes = {{1, 1, 1, 1},     {3, 17, 5, 20}, {32, 50, 1, 20},
                               {1, 1000, 1, 20}, {5, 7, 3, 33},  {2, 9, 4, 129}};
  if (!g_quick) shapes.push_back({64, 100, 256, 256});
  for (int kind = TS_RNN_SIMPLE; kind <= TS_RNN_LN_SIMPLE; ++kind) {
    for (const Shape& sh : shapes)
      rnn_case({kind, TS_ACT_TANH, sh.B, sh.T, sh.F, sh.H, TS_RNN_STRATEGY_AUTO, true, sh.B == 5});
    // every strategy, on sizes that fit each (a forced strategy that cannot run falls back).
    // Which plan a shape gets depends on the SM count (recurrent_plan.cu): BLOCK gives each
    // block ceil(B / SMs) rows, GRID splits the units into slices of ceil(H / SMs); the
    // register-tiled product needs rows % 4 == 0, columns % 2 == 0 and 16384 MACs a step.
    // On the emulation's default 8 SMs, 300 rows of 64 units are too many rows for one grid
    // block's share of dRec, so GRID also splits the batch; 64 rows of 48 units give blocks
    // rows enough for the tiled product under BLOCK (8 rows) as well as GRID. On 132 or 114 SMs
    // (H100 SXM / PCIe) neither is tiled: each BLOCK block gets one row, each GRID slice 1 unit.
    std::vector<Shape> sweep = {
        {3, 17, 5, 20}, {5, 7, 3, 33}, {2, 9, 4, 129}, {300, 3, 2, 64}, {64, 5, 3, 48}};
    if (!g_quick) sweep.push_back({1, 1000, 1, 20});
    for (int strategy = TS_RNN_STRATEGY_STEPS; strategy <= TS_RNN_STRATEGY_GRID; ++strategy)
      for (const Shape& sh : sweep)
        rnn_case({kind, TS_ACT_TANH, sh.B, sh.T, sh.F, sh.H, strategy, true, sh.B == 5});
    wide_device_cases(kind);
    rnn_case({kind, TS_ACT_TANH, 3, 17, 5, 20, TS_RNN_STRATEGY_AUTO, false, false});
    if (kind == TS_RNN_SIMPLE || kind == TS_RNN_LN_SIMPLE)
      for (int act : {TS_ACT_LINEAR, TS_ACT_SIGMOID, TS_ACT_RELU})
        rnn_case({kind, act, 3, 17, 5, 20, TS_RNN_STRATEGY_AUTO, true, false});
  }
}

namespace {

// One stream_step case: two recurrent layers of `kind` (units h1, h2) and a dense head of `outs`
// on `features` inputs, `count` slots given out of order over two chunks of `rows` rows. The
// slab chunks and the outputs (copied into a buffer after the call) are compared.
void stream_step_case(int kind, int features, int h1, int h2, int outs, int count, int rows) {
  const int g = gates(kind);
  const int states = kind == TS_RNN_LSTM ? 2 : 1;
  const int R = states * (h1 + h2);
  const int plan[] = {3, features, R, outs,
                      // kind, inputs, units, activation, state offset, kernel size, dilation
                      kind, features, h1, TS_ACT_TANH, 0, 1, 1, kind, h1, h2, TS_ACT_TANH,
                      states * h1, 1, 1, TS_STREAM_DENSE, h2, outs, TS_ACT_SIGMOID, 0, 1, 1};
  auto extra = [&](int h) {
    if (kind == TS_RNN_GRU) return random_vec(3LL * h, -0.2f, 0.2f);
    if (kind != TS_RNN_LN_SIMPLE) return Vec(1, 0.0f);
    Vec gb = random_vec(h, 0.5f, 1.5f);
    const Vec beta = random_vec(h, -0.2f, 0.2f);
    gb.insert(gb.end(), beta.begin(), beta.end());
    return gb;
  };
  const std::vector<Vec> inputs = {random_vec(1LL * features * g * h1, -0.5f, 0.5f),
                                   random_vec(1LL * h1 * g * h1, -0.3f, 0.3f),
                                   random_vec(1LL * g * h1, -0.2f, 0.2f),
                                   extra(h1),
                                   random_vec(1LL * h1 * g * h2, -0.3f, 0.3f),
                                   random_vec(1LL * h2 * g * h2, -0.3f, 0.3f),
                                   random_vec(1LL * g * h2, -0.2f, 0.2f),
                                   extra(h2),
                                   random_vec(1LL * h2 * outs, -0.5f, 0.5f),
                                   random_vec(outs, -0.2f, 0.2f),
                                   random_vec(1LL * rows * R, -0.5f, 0.5f),
                                   random_vec(1LL * rows * R, -0.5f, 0.5f),
                                   random_vec(1LL * count * outs)};
  std::vector<int> slots(2 * rows);
  for (int i = 0; i < 2 * rows; ++i) slots[i] = (i * 7 + 3) % (2 * rows);  // a permutation
  slots.resize(count);
  const Vec x = random_vec(1LL * count * features);
  const bool has_extra = kind == TS_RNN_GRU || kind == TS_RNN_LN_SIMPLE;
  auto call = [=](bool cuda, const Ptrs& p) {
    float* buffers[] = {p[0],  p[1],    p[2], has_extra ? p[3] : nullptr,
                        p[4],  p[5],    p[6], has_extra ? p[7] : nullptr,
                        p[8],  nullptr, p[9], nullptr,
                        p[10], p[11]};
    Vec y(static_cast<size_t>(count) * outs);
    const int status =
        cuda ? ts_cuda_stream_step(plan, buffers, 2, rows, slots.data(), count, x.data(), y.data())
             : ts_cpu_stream_step(plan, buffers, 2, rows, slots.data(), count, x.data(), y.data());
    if (status != TS_OK) return status;
    if (cuda) return ts_cuda_upload(p[12], y.data(), static_cast<long long>(y.size()));
    std::copy(y.begin(), y.end(), p[12]);
    return TS_OK;
  };
  run_case(
      std::string("stream_step(") + kKind[kind] + ")",
      dims({count, features, h1, h2, outs}) + " rows " + std::to_string(rows), inputs, {10, 11, 12},
      [=](const Ptrs& p) { return call(false, p); }, [=](const Ptrs& p) { return call(true, p); });
}

}  // namespace

namespace {

// A WaveNet-like stack: causal convolutions of kernel 2 and dilations 1, 2, 4 (their queues in
// the slab), then a kernel-1 convolution head, `count` slots over two chunks of `rows` rows.
void stream_conv_case(int features, int filters, int outs, int count, int rows) {
  const int R = (features + 2 * filters + 4 * filters);
  const int plan[] = {4,
                      features,
                      R,
                      outs,
                      TS_STREAM_CONV,
                      features,
                      filters,
                      TS_ACT_RELU,
                      0,
                      2,
                      1,
                      TS_STREAM_CONV,
                      filters,
                      filters,
                      TS_ACT_RELU,
                      features,
                      2,
                      2,
                      TS_STREAM_CONV,
                      filters,
                      filters,
                      TS_ACT_TANH,
                      features + 2 * filters,
                      2,
                      4,
                      TS_STREAM_CONV,
                      filters,
                      outs,
                      TS_ACT_LINEAR,
                      0,
                      1,
                      1};
  const std::vector<Vec> inputs = {random_vec(2LL * features * filters, -0.5f, 0.5f),
                                   random_vec(filters, -0.2f, 0.2f),
                                   random_vec(2LL * filters * filters, -0.3f, 0.3f),
                                   random_vec(filters, -0.2f, 0.2f),
                                   random_vec(2LL * filters * filters, -0.3f, 0.3f),
                                   random_vec(1LL * filters * outs, -0.3f, 0.3f),
                                   random_vec(1LL * rows * R, -0.5f, 0.5f),
                                   random_vec(1LL * rows * R, -0.5f, 0.5f),
                                   random_vec(1LL * count * outs)};
  std::vector<int> slots(2 * rows);
  for (int i = 0; i < 2 * rows; ++i) slots[i] = (i * 5 + 1) % (2 * rows);
  slots.resize(count);
  const Vec x = random_vec(1LL * count * features);
  auto call = [=](bool cuda, const Ptrs& p) {
    // the third convolution has no bias
    float* buffers[] = {p[0], nullptr, p[1],    nullptr, p[2],    nullptr,
                        p[3], nullptr, p[4],    nullptr, nullptr, nullptr,
                        p[5], nullptr, nullptr, nullptr, p[6],    p[7]};
    Vec y(static_cast<size_t>(count) * outs);
    const int status =
        cuda ? ts_cuda_stream_step(plan, buffers, 2, rows, slots.data(), count, x.data(), y.data())
             : ts_cpu_stream_step(plan, buffers, 2, rows, slots.data(), count, x.data(), y.data());
    if (status != TS_OK) return status;
    if (cuda) return ts_cuda_upload(p[8], y.data(), static_cast<long long>(y.size()));
    std::copy(y.begin(), y.end(), p[8]);
    return TS_OK;
  };
  run_case(
      "stream_step(conv)", dims({count, features, filters, outs}) + " rows " + std::to_string(rows),
      inputs, {6, 7, 8}, [=](const Ptrs& p) { return call(false, p); },
      [=](const Ptrs& p) { return call(true, p); });
}

}  // namespace

void test_stream_step() {
  for (int kind = TS_RNN_SIMPLE; kind <= TS_RNN_LN_SIMPLE; ++kind) {
    stream_step_case(kind, 1, 7, 13, 5, 1, 3);
    stream_step_case(kind, 3, 13, 20, 10, 3, 2);
    stream_step_case(kind, 2, 20, 7, 1, 17, 9);
  }
  stream_conv_case(1, 7, 3, 1, 3);
  stream_conv_case(2, 20, 10, 17, 9);
  if (!g_quick) stream_step_case(TS_RNN_LSTM, 1, 20, 20, 10, 10000, 5000);
}

void test_sequence_error_paths() {
  DeviceBuffer buf(64);
  float* d = buf.get();
  {
    const int plan[] = {1, 1, 1, 1, TS_RNN_SIMPLE, 1, 1, TS_ACT_TANH, 0, 1, 1};
    float* buffers[] = {d, d, d, nullptr, d};
    const int slot = 3;  // one chunk of 2 rows
    float x = 0, y = 0;
    expect_status("stream_step(slot)", ts_cuda_stream_step(plan, buffers, 1, 2, &slot, 1, &x, &y),
                  TS_ERR_INVALID_ARGUMENT, "slot 3");
    const int bad[] = {1, 1, 1, 1, 9, 1, 1, TS_ACT_TANH, 0, 1, 1};
    const int zero = 0;
    expect_status("stream_step(kind)", ts_cuda_stream_step(bad, buffers, 1, 2, &zero, 1, &x, &y),
                  TS_ERR_INVALID_ARGUMENT, "unknown kind");
  }
  expect_status("rnn_forward(kind)",
                ts_cuda_rnn_forward(9, TS_ACT_TANH, 1, 1, 1, 1, d, d, nullptr, d, d, d, d, d, d),
                TS_ERR_INVALID_ARGUMENT, "rnn_forward");
  expect_status("rnn_forward(gru,no extra)",
                ts_cuda_rnn_forward(TS_RNN_GRU, TS_ACT_TANH, 1, 1, 1, 1, d, d, nullptr, d, d, d,
                                    nullptr, d, d),
                TS_ERR_INVALID_ARGUMENT, "rnn_forward");
  expect_status("rnn_forward(gru,c0)",
                ts_cuda_rnn_forward(TS_RNN_GRU, TS_ACT_TANH, 1, 1, 1, 1, d, d, d, d, d, d, d, d, d),
                TS_ERR_INVALID_ARGUMENT, "rnn_forward");
  expect_status(
      "rnn_backward(null)",
      ts_cuda_rnn_backward(TS_RNN_LSTM, TS_ACT_TANH, 1, 1, 1, 1, d, d, nullptr, d, d, d, nullptr, d,
                           d, d, nullptr, d, d, nullptr, nullptr, d, d, nullptr),
      TS_ERR_INVALID_ARGUMENT, "rnn_backward");
  expect_status("rnn_set_strategy(7)", ts_cuda_rnn_set_strategy(7), TS_ERR_INVALID_ARGUMENT,
                "rnn_set_strategy");
  expect_status("conv1d(stride 0)",
                ts_cuda_conv1d(d, d, d, d, 1, 4, 1, 1, 2, 0, 1, 0, 3, TS_ACT_TANH),
                TS_ERR_INVALID_ARGUMENT, "conv1d");
  expect_status(
      "conv1d_grad(null)",
      ts_cuda_conv1d_grad(d, d, d, d, d, nullptr, d, 1, 4, 1, 1, 2, 1, 1, 0, 3, TS_ACT_TANH),
      TS_ERR_INVALID_ARGUMENT, "conv1d_grad");
  expect_status("layer_norm(n=0)", ts_cuda_layer_norm(d, d, d, d, d, d, 2, 0),
                TS_ERR_INVALID_ARGUMENT, "layer_norm");
  expect_status("layer_norm_grad(null)", ts_cuda_layer_norm_grad(d, d, d, d, nullptr, d, d, 2, 2),
                TS_ERR_INVALID_ARGUMENT, "layer_norm_grad");
  expect_status("batch_norm(rows=0)", ts_cuda_batch_norm(d, d, d, d, d, d, d, d, 0, 2),
                TS_ERR_INVALID_ARGUMENT, "batch_norm");
  expect_status("batch_norm_grad(c=0)", ts_cuda_batch_norm_grad(d, d, d, d, d, d, d, 2, 0),
                TS_ERR_INVALID_ARGUMENT, "batch_norm_grad");
  expect_status("batch_norm_inference(null)",
                ts_cuda_batch_norm_inference(d, d, d, nullptr, d, d, 2, 2), TS_ERR_INVALID_ARGUMENT,
                "batch_norm_inference");
}

}  // namespace tscheck
