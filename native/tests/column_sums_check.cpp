// The CPU bias-gradient column sums (column_sums.h) against the order they promise, written out
// plainly: bit for bit, on column counts around the 8- and 32-column blocks (the last columns
// summed again as an overlapping block) and past 128, row counts off the four running sums, a
// row stride wider than the columns (the padding must be neither read into a sum nor written),
// and onto a destination that already holds values. Exit 0 when all match.
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "column_sums.h"

namespace {

// Column c's sum as column_sums.h defines it: four running sums over rows r = 0..3 (mod 4), the
// last rows % 4 rows into the first, then (s0 + s1) + (s2 + s3), rounded once.
float promised_sum(const std::vector<float>& m, long long rows, long long ld, int c) {
  double s[4] = {};
  const long long whole = rows / 4 * 4;
  for (long long r = 0; r < whole; ++r) s[r % 4] += m[r * ld + c];
  for (long long r = whole; r < rows; ++r) s[0] += m[r * ld + c];
  return static_cast<float>((s[0] + s[1]) + (s[2] + s[3]));
}

}  // namespace

int main() {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  int failures = 0, cases = 0;
  for (int cols : {1, 5, 7, 8, 9, 15, 20, 24, 31, 32, 33, 60, 77, 80, 100, 130, 136, 257})
    for (long long rows : {0LL, 1LL, 3LL, 4LL, 7LL, 1603LL})
      for (int pad : {0, 4}) {
        const long long ld = cols + pad;
        std::vector<float> m(static_cast<size_t>(rows * ld));
        // wide magnitudes, so a sum in another order or in float would round differently
        for (float& v : m) v = u(rng) * (rng() % 5 == 0 ? 1e-4f : 1e3f);
        std::vector<float> dst(cols + 3);
        for (float& v : dst) v = u(rng);
        std::vector<float> want = dst;
        for (int c = 0; c < cols; ++c) want[c] += promised_sum(m, rows, ld, c);
        timestep::cpu::add_column_sums(m.data(), rows, cols, ld, dst.data());
        ++cases;
        if (std::memcmp(dst.data(), want.data(), sizeof(float) * dst.size()) != 0) {
          ++failures;
          for (size_t c = 0; c < dst.size(); ++c)
            if (dst[c] != want[c]) {
              std::printf("FAIL cols=%d rows=%lld ld=%lld: column %zu is %.9g, want %.9g\n", cols,
                          rows, ld, c, dst[c], want[c]);
              break;
            }
        }
      }
  std::printf("%d of %d cases match bit for bit\n", cases - failures, cases);
  return failures == 0 ? 0 : 1;
}
