// The CPU GEMM's packed-B path (gemm.h: pack_b + gemm_accumulate_packed, which the recurrent
// kernels use for a U too big to read in place) against the plain path and a double reference,
// on odd sizes: widths off the 8-float step (zero-padded last panel; 20 and 53 end in the
// 24-wide tile), depths over one 128-deep block, 1 to 9 rows, and a left operand with a row
// stride wider than k; and a^T . b against (b^T . a)^T, bit for bit; and the transposes
// (transpose_into, add_transposed) against a plain loop, exactly, on sizes around the 8 x 8
// block; and the tiles' two builds against each other, bit for bit. Exit 0 when all match.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "gemm.h"

int main() {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  int failures = 0, cases = 0;
  for (int m : {1, 2, 5, 9})
    for (int n : {3, 8, 13, 20, 40, 53, 77})
      for (int k : {1, 20, 129, 300}) {
        const int lda = k + 3, ldc = n + 5;
        std::vector<float> a(static_cast<size_t>(m) * lda), b(static_cast<size_t>(k) * n);
        for (float& v : a) v = u(rng);
        for (float& v : b) v = u(rng);
        std::vector<float> c0(static_cast<size_t>(m) * ldc),
            packed(timestep::cpu::packed_b_floats(n, k));
        for (float& v : c0) v = u(rng);  // the product accumulates onto what is there
        std::vector<float> plain = c0, via_pack = c0;
        timestep::cpu::gemm_accumulate(a.data(), lda, b.data(), n, plain.data(), ldc, m, n, k);
        timestep::cpu::pack_b(b.data(), n, n, k, packed.data());
        timestep::cpu::gemm_accumulate_packed(a.data(), lda, packed.data(), via_pack.data(), ldc, m,
                                              n, k);
        double worst = 0.0;
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < ldc; ++j) {
            double want = c0[static_cast<size_t>(i) * ldc + j];
            if (j < n)
              for (int p = 0; p < k; ++p)
                want += static_cast<double>(a[static_cast<size_t>(i) * lda + p]) *
                        b[static_cast<size_t>(p) * n + j];
            const double got = via_pack[static_cast<size_t>(i) * ldc + j];
            worst = std::fmax(worst, std::fabs(got - want) / (1.0 + std::fabs(want)));
            // From 2 rows both paths run the same tiles in the same order and agree bit for bit
            // (the recurrent kernels pack only then); a single row's plain path is the row tile,
            // which sums k in two chains.
            if (m >= 2 && got != plain[static_cast<size_t>(i) * ldc + j]) worst = 1.0;
          }
        ++cases;
        if (!(worst <= 1e-5)) {
          ++failures;
          std::printf("FAIL m=%d n=%d k=%d: worst %.3g\n", m, n, k, worst);
        }
      }
  // A weight gradient may run either way round (recurrent.cpp, WeightGrad): a^T . b, or b^T . a
  // transposed, which must give the same bits. Widths where gemm copies b's blocks and where it
  // does not, depths over one 128-deep block.
  for (int m : {20, 64, 256})
    for (int n : {80, 256, 1024})
      for (int k : {7, 300}) {
        std::vector<float> a(static_cast<size_t>(k) * m), b(static_cast<size_t>(k) * n);
        for (float& v : a) v = u(rng);
        for (float& v : b) v = u(rng);
        std::vector<float> ab(static_cast<size_t>(m) * n), ba(static_cast<size_t>(n) * m);
        timestep::cpu::gemm_accumulate_at(a.data(), m, b.data(), n, ab.data(), n, m, n, k);
        timestep::cpu::gemm_accumulate_at(b.data(), n, a.data(), m, ba.data(), m, n, m, k);
        bool same = true;
        for (int i = 0; i < m; ++i)
          for (int j = 0; j < n; ++j)
            same = same && ab[static_cast<size_t>(i) * n + j] == ba[static_cast<size_t>(j) * m + i];
        ++cases;
        if (!same) {
          ++failures;
          std::printf("FAIL a^T.b against (b^T.a)^T m=%d n=%d k=%d (copies b: %d)\n", m, n, k,
                      timestep::cpu::gemm_copies_b(n));
        }
      }
  // dst[i, j] (+)= src[j, i] with row strides wider than the block, whole blocks and edges
  for (int rows : {1, 7, 8, 9, 20, 64, 257})
    for (int cols : {1, 5, 8, 16, 23, 256})
      for (bool add : {false, true}) {
        const int lds = rows + 3, ldd = cols + 2;
        std::vector<float> src(static_cast<size_t>(cols) * lds),
            dst(static_cast<size_t>(rows) * ldd);
        for (float& v : src) v = u(rng);
        for (float& v : dst) v = u(rng);
        std::vector<float> want = dst;
        for (int i = 0; i < rows; ++i)
          for (int j = 0; j < cols; ++j) {
            const float v = src[static_cast<size_t>(j) * lds + i];
            float& w = want[static_cast<size_t>(i) * ldd + j];
            w = add ? w + v : v;
          }
        if (add)
          timestep::cpu::add_transposed(src.data(), lds, rows, cols, dst.data(), ldd);
        else
          timestep::cpu::transpose_into(src.data(), lds, rows, cols, dst.data(), ldd);
        ++cases;
        if (dst != want) {
          ++failures;
          std::printf("FAIL %s rows=%d cols=%d\n", add ? "add_transposed" : "transpose_into", rows,
                      cols);
        }
      }
  // The two builds of the register tiles (16-float vectors for AVX-512, 8-float ones elsewhere)
  // sum every element in the same order: the same bits, on products of every tile width and
  // remainder, plain, transposed and packed. (Forced: on a CPU without AVX-512 the 16-float
  // tiles run too, slowly, in its AVX2 build.)
  for (int m : {1, 3, 7, 8, 33})
    for (int n : {5, 16, 20, 40, 53, 77, 130})
      for (int k : {1, 20, 129}) {
        std::vector<float> a(static_cast<size_t>(m) * k), b(static_cast<size_t>(k) * n);
        for (float& v : a) v = u(rng);
        for (float& v : b) v = u(rng);
        std::vector<float> packed(timestep::cpu::packed_b_floats(n, k));
        timestep::cpu::pack_b(b.data(), n, n, k, packed.data());
        std::vector<float> runs[2][3];
        for (int build = 0; build < 2; ++build) {
          timestep::cpu::set_gemm_tile_lanes(build == 0 ? 16 : 8);
          for (auto& r : runs[build]) r.assign(static_cast<size_t>(m) * n, 0.5f);
          timestep::cpu::gemm_accumulate(a.data(), k, b.data(), n, runs[build][0].data(), n, m, n,
                                         k);
          timestep::cpu::gemm_accumulate_at(a.data(), m, b.data(), n, runs[build][1].data(), n, m,
                                            n, k);
          timestep::cpu::gemm_accumulate_packed(a.data(), k, packed.data(), runs[build][2].data(),
                                                n, m, n, k);
        }
        timestep::cpu::set_gemm_tile_lanes(0);
        for (int path = 0; path < 3; ++path) {
          ++cases;
          if (runs[0][path] != runs[1][path]) {
            ++failures;
            std::printf("FAIL 16- and 8-float tiles differ: %s m=%d n=%d k=%d\n",
                        path == 0   ? "a.b"
                        : path == 1 ? "a^T.b"
                                    : "packed",
                        m, n, k);
          }
        }
      }
  std::printf("gemm_packed_check: %d of %d cases pass\n", cases - failures, cases);
  return failures == 0 ? 0 : 1;
}
