// How fast one core reads memory in the recurrent kernels' access pattern. A step of a [B, T, W]
// buffer is B rows of W floats, each T * W floats from the next: at batch 512 every row is a
// short burst in a page of its own. This reads a 64 MB buffer three ways, best of 3 passes each:
// front to back, then step by step as the cell loops do (W = 64, T = 50) on small pages and on
// 2 MB pages, with and without asking for rows ahead (software prefetch).
// Build and run: g++ -O2 -mavx512f tools/bench/strided_rows_bandwidth.cpp -o /tmp/strided_rows
//                /tmp/strided_rows
#include <immintrin.h>
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

namespace {

constexpr size_t kFloats = size_t{16} << 20;  // 64 MB
constexpr size_t kSteps = 50, kWidth = 64, kRows = kFloats / (kSteps * kWidth);

float* filled(bool huge_pages) {
  auto* p = static_cast<float*>(std::aligned_alloc(size_t{2} << 20, kFloats * sizeof(float)));
  if (!p) std::abort();
  madvise(p, kFloats * sizeof(float), huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  for (size_t i = 0; i < kFloats; ++i) p[i] = 1.0f;
  return p;
}

// GB/s of the best of 3 passes of read(a), which returns a sum so the reads are kept.
template <class Read>
double best_gbps(const float* a, Read read) {
  double best = 0;
  for (int pass = 0; pass < 3; ++pass) {
    const auto t0 = std::chrono::steady_clock::now();
    volatile float sink = read(a);
    (void)sink;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (kFloats * sizeof(float) / s / 1e9 > best) best = kFloats * sizeof(float) / s / 1e9;
  }
  return best;
}

float front_to_back(const float* a) {
  __m512 s = _mm512_setzero_ps();
  for (size_t i = 0; i < kFloats; i += 16) s = _mm512_add_ps(s, _mm512_loadu_ps(a + i));
  return _mm512_reduce_add_ps(s);
}

float step_by_step(const float* a, size_t ahead) {
  __m512 s = _mm512_setzero_ps();
  for (size_t t = 0; t < kSteps; ++t)
    for (size_t b = 0; b < kRows; ++b) {
      if (ahead && b + ahead < kRows)
        for (size_t j = 0; j < kWidth; j += 16)
          _mm_prefetch(reinterpret_cast<const char*>(a + ((b + ahead) * kSteps + t) * kWidth + j),
                       _MM_HINT_T0);
      const float* row = a + (b * kSteps + t) * kWidth;
      for (size_t j = 0; j < kWidth; j += 16) s = _mm512_add_ps(s, _mm512_loadu_ps(row + j));
    }
  return _mm512_reduce_add_ps(s);
}

}  // namespace

int main() {
  for (bool huge : {false, true}) {
    float* a = filled(huge);
    std::printf("%s pages: front to back %.1f GB/s\n", huge ? "2 MB" : "4 KB",
                best_gbps(a, front_to_back));
    for (size_t ahead : {0, 1, 2, 4, 8, 16})
      std::printf("%s pages: step by step, %2zu rows ahead %.1f GB/s\n", huge ? "2 MB" : "4 KB",
                  ahead, best_gbps(a, [&](const float* m) { return step_by_step(m, ahead); }));
    std::free(a);
  }
  return 0;
}
