// The CPU backend's GEMM (native/cpu/gemm.h) against OpenBLAS's sgemm, one thread each, on the
// products of the round-2 report's large LSTM (256 units over 256 inputs, batch 64 x 100 steps)
// and of the chapter's LSTM(20) at batch 32: the measurement behind "our own GEMM or a BLAS".
// Build and run (Debian's libopenblas-dev; OPENBLAS_NUM_THREADS=1 keeps OpenBLAS on one thread):
//   L=java/target/classes/dev/timestep/backend/cpu/linux-x86_64
//   g++ -O2 -Inative/cpu tools/bench/gemm_vs_openblas.cpp -L$L -ltimestep_cpu -Wl,-rpath,$L \
//       -lopenblas -o /tmp/gemm_vs_openblas
//   OPENBLAS_NUM_THREADS=1 /tmp/gemm_vs_openblas
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "gemm.h"

extern "C" int ts_cpu_set_threads(int threads);

namespace {

struct Product {
  const char* what;
  int m, n, k;
  bool transposed_a;  // a stored [k, m]: the weight gradients x^T . dy
};

// Median of `reps` timed runs of f after two untimed ones, in microseconds.
template <class F>
double median_us(int reps, F f) {
  f();
  f();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main() {
  ts_cpu_set_threads(1);
  const Product products[] = {
      {"large LSTM: input projection x.W", 6400, 1024, 256, false},
      {"large LSTM: one step h.U", 64, 1024, 256, false},
      {"large LSTM: dU = Hprev^T.dRec", 256, 1024, 6400, true},
      {"large LSTM: dh = dRec.U^T (U^T stored)", 64, 256, 1024, false},
      {"chapter LSTM(20): one step h.U, batch 32", 32, 80, 20, false},
      {"chapter LSTM(20): dU = Hprev^T.dRec", 20, 80, 1600, true},
  };
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::printf("| product | m x n x k | Timestep | OpenBLAS | Timestep time / OpenBLAS time |\n");
  std::printf("|---|---|---:|---:|---:|\n");
  for (const Product& p : products) {
    std::vector<float> a(static_cast<size_t>(p.m) * p.k), b(static_cast<size_t>(p.k) * p.n),
        c(static_cast<size_t>(p.m) * p.n);
    for (float& v : a) v = u(rng);
    for (float& v : b) v = u(rng);
    const double flop = 2.0 * p.m * p.n * p.k;
    const int reps = flop > 1e9 ? 9 : flop > 1e7 ? 51 : 2001;
    const double ours = median_us(reps, [&] {
      if (p.transposed_a)
        timestep::cpu::gemm_accumulate_at(a.data(), p.m, b.data(), p.n, c.data(), p.n, p.m, p.n,
                                          p.k);
      else
        timestep::cpu::gemm_accumulate(a.data(), p.k, b.data(), p.n, c.data(), p.n, p.m, p.n, p.k);
    });
    const double blas = median_us(reps, [&] {
      cblas_sgemm(CblasRowMajor, p.transposed_a ? CblasTrans : CblasNoTrans, CblasNoTrans, p.m,
                  p.n, p.k, 1.0f, a.data(), p.transposed_a ? p.m : p.k, b.data(), p.n, 1.0f,
                  c.data(), p.n);
    });
    std::printf("| %s | %d x %d x %d | %.1f us (%.1f GFLOP/s) | %.1f us (%.1f GFLOP/s) | %.2fx |\n",
                p.what, p.m, p.n, p.k, ours, flop / ours / 1e3, blas, flop / blas / 1e3,
                ours / blas);
  }
  return 0;
}
