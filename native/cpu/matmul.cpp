// Dense matrix product for the CPU backend. Transposed operands are first packed into
// row-major copies so the inner loop always walks contiguous rows of B and C, which the
// compiler vectorizes; blocking over k keeps a panel of B in cache for large sizes.
#include <algorithm>
#include <vector>

#include "errors.h"
#include "timestep/cpu_api.h"

namespace {

// Returns the [rows, cols] row-major matrix whose (r, c) element is src[c * rows + r].
std::vector<float> transposed(const float* src, int rows, int cols) {
  std::vector<float> out(static_cast<size_t>(rows) * cols);
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < rows; ++r) out[static_cast<size_t>(r) * cols + c] = src[static_cast<size_t>(c) * rows + r];
  return out;
}

// c[m,n] += a[m,k] . b[k,n], all row-major.
void gemm_rowmajor(const float* a, const float* b, float* c, int m, int n, int k) {
  constexpr int kBlock = 256;
  for (int p0 = 0; p0 < k; p0 += kBlock) {
    const int p1 = std::min(k, p0 + kBlock);
    for (int i = 0; i < m; ++i) {
      float* ci = c + static_cast<size_t>(i) * n;
      const float* ai = a + static_cast<size_t>(i) * k;
      for (int p = p0; p < p1; ++p) {
        const float aip = ai[p];
        const float* bp = b + static_cast<size_t>(p) * n;
        for (int j = 0; j < n; ++j) ci[j] += aip * bp[j];
      }
    }
  }
}

}  // namespace

extern "C" int ts_cpu_matmul(const float* a, const float* b, float* c, int m, int n, int k,
                             int trans_a, int trans_b, int accumulate) {
  TS_CPU_REQUIRE(a && b && c, "matmul: null buffer");
  TS_CPU_REQUIRE(m >= 0 && n >= 0 && k >= 0, "matmul: negative size m=%d n=%d k=%d", m, n, k);
  if (!accumulate) std::fill(c, c + static_cast<size_t>(m) * n, 0.0f);
  if (m == 0 || n == 0 || k == 0) return TS_OK;
  std::vector<float> a_packed, b_packed;
  if (trans_a) {
    a_packed = transposed(a, m, k);  // a is stored [k, m]
    a = a_packed.data();
  }
  if (trans_b) {
    b_packed = transposed(b, k, n);  // b is stored [n, k]
    b = b_packed.data();
  }
  gemm_rowmajor(a, b, c, m, n, k);
  return TS_OK;
}
