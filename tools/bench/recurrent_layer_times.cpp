// One recurrent layer's forward and backward through the C ABI, one kernel thread, at the
// chapter's shapes (batch 32 x 50 steps, 20 units; the first layer sees 1 feature, the second
// 20) and the forward at batch 1: the best of 7 repetitions of many calls, in µs per call. For
// A/B work on the recurrent kernels without the JVM: build it once against each library.
// Build and run from the repository root, after `mvn -DskipTests package`:
//   L=java/target/classes/dev/timestep/backend/cpu/linux-x86_64
//   g++ -O2 -Inative/include tools/bench/recurrent_layer_times.cpp -L$L -ltimestep_cpu
//       -Wl,-rpath,$PWD/$L -o /tmp/recurrent_layer_times    (one line)
//   /tmp/recurrent_layer_times
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "timestep/cpu_api.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Shape {
  int kind, batch, steps, features, units;
};

const char* kind_name(int kind) {
  switch (kind) {
    case TS_RNN_SIMPLE: return "SimpleRNN";
    case TS_RNN_LSTM: return "LSTM";
    case TS_RNN_GRU: return "GRU";
    default: return "LN-SimpleRNN";
  }
}

// Best of 7 repetitions of `calls` calls of f, in µs per call; -1 when a call fails.
template <class F>
double best_us(int calls, F f) {
  double best = 1e30;
  for (int rep = 0; rep < 7; ++rep) {
    const auto t0 = Clock::now();
    for (int i = 0; i < calls; ++i)
      if (f() != TS_OK) return -1;
    best = std::min(best, std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return best / calls;
}

void time_layer(const Shape& s, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-0.5f, 0.5f);
  auto values = [&](size_t n) {
    std::vector<float> v(n);
    for (float& x : v) x = u(rng);
    return v;
  };
  const int G = s.kind == TS_RNN_LSTM ? 4 : s.kind == TS_RNN_GRU ? 3 : 1;
  const size_t B = s.batch, T = s.steps, F = s.features, H = s.units;
  const bool lstm = s.kind == TS_RNN_LSTM;
  const size_t n_extra = s.kind == TS_RNN_GRU ? G * H : s.kind == TS_RNN_LN_SIMPLE ? 2 * H : 0;
  auto x = values(B * T * F), h0 = values(B * H), c0 = values(B * H);
  auto w = values(F * G * H), rec = values(H * G * H), b = values(G * H), extra = values(n_extra);
  std::vector<float> out(B * T * H), cache(ts_rnn_cache_floats(s.kind, s.batch, s.steps, s.units) + 1);
  auto dout = values(out.size());
  std::vector<float> dx(x.size()), dw(w.size()), drec(rec.size()), db(b.size()), dextra(n_extra);
  const float* e = n_extra ? extra.data() : nullptr;
  const float* c = lstm ? c0.data() : nullptr;
  const int calls = s.batch == 1 ? 20000 : 1000;
  const double fwd = best_us(calls, [&] {
    return ts_cpu_rnn_forward(s.kind, TS_ACT_TANH, s.batch, s.steps, s.features, s.units, x.data(),
                              h0.data(), c, w.data(), rec.data(), b.data(), e, out.data(),
                              cache.data());
  });
  std::printf("%-12s batch %3d steps %d features %2d units %d: forward %8.2f us", kind_name(s.kind),
              s.batch, s.steps, s.features, s.units, fwd);
  if (s.batch > 1) {
    // the input gradient only where a layer below wants it (features > 1), as in the chapter
    const double bwd = best_us(calls, [&] {
      return ts_cpu_rnn_backward(s.kind, TS_ACT_TANH, s.batch, s.steps, s.features, s.units,
                                 x.data(), h0.data(), c, w.data(), rec.data(), b.data(), e,
                                 out.data(), cache.data(), dout.data(), nullptr,
                                 s.features > 1 ? dx.data() : nullptr, nullptr, nullptr, dw.data(),
                                 drec.data(), db.data(), n_extra ? dextra.data() : nullptr);
    });
    std::printf(", backward %8.2f us", bwd);
  }
  std::printf("\n");
}

}  // namespace

int main() {
  ts_cpu_set_threads(1);
  std::mt19937 rng(7);
  for (int kind : {TS_RNN_SIMPLE, TS_RNN_LSTM, TS_RNN_GRU, TS_RNN_LN_SIMPLE})
    for (Shape s : {Shape{kind, 32, 50, 1, 20}, Shape{kind, 32, 50, 20, 20}, Shape{kind, 1, 50, 1, 20}})
      time_layer(s, rng);
  return 0;
}
