// What bounds a batch-1 recurrent step on one core: the CPU kernels' tanh (FastMath) as
// throughput (independent values) and as latency (each value waiting for the one before, as a
// step's cell waits for its gates and the next step for h), beside the library's LSTM forward at
// batch 1, per step, for a few unit counts (the input projection included).
// Build and run from the repository root, after `mvn -DskipTests package`:
//   L=java/target/classes/dev/timestep/backend/cpu/linux-x86_64
//   g++ -O3 -march=x86-64-v4 -mprefer-vector-width=512 -Inative/cpu -Inative/include \
//       tools/bench/lstm_step_costs.cpp -L$L -ltimestep_cpu -Wl,-rpath,$PWD/$L \
//       -o /tmp/lstm_step_costs && /tmp/lstm_step_costs
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "fast_math.h"
#include "timestep/cpu_api.h"

namespace {

using timestep::cpu::FastMath;
using Clock = std::chrono::steady_clock;

double ns_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
}

double tanh_throughput_ns() {
  std::vector<float> x(1024), y(1024);
  for (int i = 0; i < 1024; ++i) x[i] = (i - 512) / 100.0f;
  const int rounds = 100000;
  const auto t0 = Clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < 1024; ++i) y[i] = FastMath::tanh(x[i]);
    asm volatile("" ::"r"(y.data()) : "memory");
  }
  return ns_since(t0) / rounds / 1024;
}

double tanh_latency_ns() {
  float x = 0.3f;
  const long n = 20000000;
  const auto t0 = Clock::now();
  for (long i = 0; i < n; ++i) {
    x = FastMath::tanh(x + 0.1f);
    asm volatile("" : "+x"(x));
  }
  return ns_since(t0) / n;
}

// Best of 5 runs of 2000 forwards of 50 steps, LSTM(units) over 20 features at batch 1.
double library_step_ns(int units) {
  const int steps = 50, features = 20, g = 4 * units;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(-0.3f, 0.3f);
  std::vector<float> x(steps * features), h0(units), c0(units), w(features * g), u(units * g),
      b(g), out(steps * units), cache(steps * 5 * units);
  for (float& v : x) v = d(rng);
  for (float& v : w) v = d(rng);
  for (float& v : u) v = d(rng);
  double best = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const int calls = 2000;
    const auto t0 = Clock::now();
    for (int i = 0; i < calls; ++i)
      ts_cpu_rnn_forward(TS_RNN_LSTM, TS_ACT_TANH, 1, steps, features, units, x.data(), h0.data(),
                         c0.data(), w.data(), u.data(), b.data(), nullptr, out.data(),
                         cache.data());
    best = std::min(best, ns_since(t0) / calls / steps);
  }
  return best;
}

}  // namespace

int main() {
  ts_cpu_set_threads(1);
  std::printf("FastMath tanh, independent values: %.3f ns per value\n", tanh_throughput_ns());
  std::printf("FastMath tanh, each waiting for the last: %.1f ns per value\n", tanh_latency_ns());
  for (int units : {8, 16, 20, 32, 64})
    std::printf("library LSTM(%d) forward, batch 1: %.1f ns per step\n", units,
                library_step_ns(units));
  return 0;
}
