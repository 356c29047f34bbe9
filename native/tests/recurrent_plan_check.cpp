// How the recurrent ops choose and launch their time-loop plan (native/cuda/recurrent_plan.cu),
// checked under the CPU emulation of the kernels (emulation/). One scenario per run:
//   smem-race  two threads run the LSTM forward at once, one always on a large BLOCK plan, the
//              other through many batch sizes whose occupancy probes ask for less shared memory;
//              no launch may fail because the other thread changed the kernel's limit
//   plan-cache the plan of a shape is searched once: a repeated call makes no occupancy query,
//              another batch size does, and after more distinct shapes than the cache holds
//              the first one is searched again (the cache is bounded)
//   cooperative-fallback  an LSTM whose automatic plan is GRID, with every cooperative launch
//              refused (TS_EMU_REFUSE_COOPERATIVE=1): forward and backward run the per-step plan
//              and match the GRID results; with GRID forced the refusal is an error naming it
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "timestep/cpu_api.h"
#include "timestep/cuda_api.h"

// The emulator's count of occupancy queries (emulation/include/cuda_runtime.h).
namespace emu {
long long occupancy_queries();
}

namespace {

int g_failures = 0;

void expect(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "PASS" : "FAIL", what.c_str());
  std::fflush(stdout);
  if (!ok) ++g_failures;
}

using Vec = std::vector<float>;

Vec random_vec(size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  Vec v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// An LSTM forward's inputs and outputs for batch B (T steps, F features, H units). Under the
// emulation device memory is host memory, so the vectors go to the CUDA entry points as they are.
struct LstmCall {
  int B, T, F, H;
  Vec x, h0, w, u, b, out, cache;
  LstmCall(int batch, int steps, int features, int units, unsigned seed)
      : B(batch),
        T(steps),
        F(features),
        H(units),
        x(random_vec(static_cast<size_t>(batch) * steps * features, -1, 1, seed)),
        h0(random_vec(static_cast<size_t>(batch) * units, -0.5f, 0.5f, seed + 1)),
        w(random_vec(static_cast<size_t>(features) * 4 * units, -0.3f, 0.3f, seed + 2)),
        u(random_vec(static_cast<size_t>(units) * 4 * units, -0.1f, 0.1f, seed + 3)),
        b(random_vec(static_cast<size_t>(4) * units, -0.2f, 0.2f, seed + 4)),
        out(static_cast<size_t>(batch) * steps * units),
        cache(static_cast<size_t>(ts_rnn_cache_floats(TS_RNN_LSTM, batch, steps, units))) {}

  // Gradients of backward (accumulated into, so zeroed first) for dout = 1 everywhere.
  Vec dx, dh0, dkernel, drecurrent, dbias;

  int cuda_backward() {
    dx.assign(x.size(), 0.0f);
    dh0.assign(h0.size(), 0.0f);
    dkernel.assign(w.size(), 0.0f);
    drecurrent.assign(u.size(), 0.0f);
    dbias.assign(b.size(), 0.0f);
    const Vec dout(out.size(), 1.0f);
    return ts_cuda_rnn_backward(TS_RNN_LSTM, TS_ACT_TANH, B, T, F, H, x.data(), h0.data(), nullptr,
                                w.data(), u.data(), b.data(), nullptr, out.data(), cache.data(),
                                dout.data(), nullptr, dx.data(), dh0.data(), nullptr,
                                dkernel.data(), drecurrent.data(), dbias.data(), nullptr);
  }

  int cuda_forward() {
    return ts_cuda_rnn_forward(TS_RNN_LSTM, TS_ACT_TANH, B, T, F, H, x.data(), h0.data(), nullptr,
                               w.data(), u.data(), b.data(), nullptr, out.data(), cache.data());
  }
};

void smem_race() {
  // 200 rows at 8 emulated SMs: BLOCK blocks of 25 rows of 64 units, about 150 KiB of shared
  // memory; batches 1..192 probe blocks of 1..24 rows, which need less.
  LstmCall big(200, 1, 2, 64, 1);
  std::string first_error;
  int failed = 0;
  std::atomic<bool> stop{false};
  std::thread prober([&] {
    for (int round = 0; round < 3 && !stop; ++round)
      for (int batch = 1; batch <= 192; ++batch) {
        LstmCall small(batch, 1, 2, 64, 100 + batch);
        small.cuda_forward();
      }
  });
  for (int i = 0; i < 300; ++i) {
    if (big.cuda_forward() != TS_OK) {
      if (failed++ == 0) first_error = ts_cuda_last_error();
    }
  }
  stop = true;
  prober.join();
  expect(failed == 0, "300 launches of the large plan beside another thread's probes: " +
                          std::to_string(failed) + " failed" +
                          (failed ? " (first: " + first_error + ")" : std::string()));
}

void plan_cache() {
  LstmCall first(37, 3, 2, 64, 7);
  expect(first.cuda_forward() == TS_OK, "first call");
  const Vec out = first.out;
  const long long after_first = emu::occupancy_queries();
  expect(after_first > 0,
         "the first call searched a plan (" + std::to_string(after_first) + " occupancy queries)");
  expect(first.cuda_forward() == TS_OK, "repeated call");
  expect(emu::occupancy_queries() == after_first, "a repeated shape makes no occupancy query");
  expect(first.out == out, "and gives the same output, bit for bit");
  LstmCall other(38, 3, 2, 64, 8);
  expect(other.cuda_forward() == TS_OK, "another batch size");
  expect(emu::occupancy_queries() > after_first, "another batch size searches its own plan");
  // More distinct shapes than the cache holds (128): the first shape's plan is gone.
  for (int batch = 39; batch < 39 + 130; ++batch) LstmCall(batch, 1, 2, 64, batch).cuda_forward();
  const long long before_again = emu::occupancy_queries();
  expect(first.cuda_forward() == TS_OK && first.out == out, "the first shape again, same output");
  expect(emu::occupancy_queries() > before_again,
         "after 130 other shapes the first is searched again (the cache is bounded)");
}

float max_rel_diff(const Vec& a, const Vec& b) {
  float worst = 0.0f;
  for (size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::fabs(a[i] - b[i]) / std::max(1.0f, std::fabs(b[i])));
  return worst;
}

void cooperative_fallback() {
  // 160 units: the LSTM's U (400 KiB) does not fit one block, so the automatic plan is GRID.
  LstmCall grid(4, 3, 3, 160, 11);
  expect(grid.cuda_forward() == TS_OK && grid.cuda_backward() == TS_OK, "GRID forward, backward");
  expect(ts_cuda_rnn_last_strategy() == TS_RNN_STRATEGY_GRID, "the automatic plan is GRID");

  setenv("TS_EMU_REFUSE_COOPERATIVE", "1", 1);
  LstmCall refused(4, 3, 3, 160, 11);
  expect(refused.cuda_forward() == TS_OK, "forward with the cooperative launch refused");
  expect(ts_cuda_rnn_last_strategy() == TS_RNN_STRATEGY_STEPS, "forward ran the per-step plan");
  expect(refused.cuda_backward() == TS_OK, "backward with the cooperative launch refused");
  expect(ts_cuda_rnn_last_strategy() == TS_RNN_STRATEGY_STEPS, "backward ran the per-step plan");
  const float err = std::max(
      {max_rel_diff(refused.out, grid.out), max_rel_diff(refused.dx, grid.dx),
       max_rel_diff(refused.dh0, grid.dh0), max_rel_diff(refused.dkernel, grid.dkernel),
       max_rel_diff(refused.drecurrent, grid.drecurrent), max_rel_diff(refused.dbias, grid.dbias)});
  expect(err < 1e-4f, "per-step results match GRID's (max rel diff " + std::to_string(err) + ")");

  ts_cuda_rnn_set_strategy(TS_RNN_STRATEGY_GRID);
  const int status = refused.cuda_forward();
  const std::string message = ts_cuda_last_error();
  expect(status == TS_ERR_CUDA && message.find("cooperative launch") != std::string::npos &&
             message.find("cudaErrorCooperativeLaunchTooLarge") != std::string::npos,
         "with GRID forced the refusal is an error: " + message);
  ts_cuda_rnn_set_strategy(TS_RNN_STRATEGY_AUTO);
  unsetenv("TS_EMU_REFUSE_COOPERATIVE");
}

}  // namespace

int main(int argc, char** argv) {
  const std::string scenario = argc > 1 ? argv[1] : "";
  if (scenario == "smem-race") {
    smem_race();
  } else if (scenario == "plan-cache") {
    plan_cache();
  } else if (scenario == "cooperative-fallback") {
    cooperative_fallback();
  } else {
    std::printf("usage: recurrent_plan_check smem-race|plan-cache|cooperative-fallback\n");
    return 2;
  }
  std::printf("%d failed\n", g_failures);
  return g_failures == 0 ? 0 : 1;
}
