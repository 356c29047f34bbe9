// The im2col + GEMM path of the CPU 1-D convolution (conv1d.h), for layers too wide for the
// direct path. The exact math is the conv1d op's spec, summarised in cpu_api.h:
//   z[b,t,co] = bias[co] + sum_k sum_ci xpad(b, t*stride + k*dilation - pad_left, ci) W[k,ci,co],
//   y = act(z), xpad reading zeros outside [0, T).
//
// Layout of the work. The B*Tout output rows, ordered (b, t), run in chunks of at most
// `chunk` rows (a few hundred to a few thousand, so that every scratch buffer stays a few
// hundred KB whatever the input length):
//  forward   1. im2col: col[r, k*Cin + ci] = xpad(b, t*s + k*d - p, ci), one row per output row
//               (memcpy of Cin floats per tap, zeros for taps outside the input);
//            2. one GEMM  z[rows, Cout] = col[rows, K*Cin] . W[K*Cin, Cout]  (the Keras kernel
//               [K, Cin, Cout] is already that matrix) onto rows pre-filled with the bias;
//            3. the activation in place, written to y.
//            K = 1, stride 1, no padding: x's rows are the columns, used in place (no im2col).
//  backward  per chunk: dz = dy * act'(y); db += column sums of dz (double);
//            colT = the chunk's im2col transposed [K*Cin, rows], then dW_chunk = colT . dz
//            (a GEMM, added into a double accumulator); dcol = dz . W^T (a GEMM) scattered
//            back onto dx (col2im: the inverse index map of step 1, skipping padding).
// Padding: the shared GEMM runs its fast SIMD tile on blocks of kGemmColumnTile (32) columns
// and of kGemmRowTile (4) rows and a slow loop on the rest, so (as in recurrent.cpp) the
// output-channel dimension is padded to Coutp (a multiple of 32) with zero columns of W and
// bias, W^T to KCp columns, and colT to a multiple of 4 rows; padded results are ignored.
// Scratch is sized once per call; nothing is allocated inside the chunk loop.
#include <algorithm>
#include <cstring>
#include <vector>

#include "conv1d.h"
#include "gemm.h"
#include "simd.h"
#include "timestep/math.h"

namespace timestep::cpu::conv1d {
namespace {

using timestep::cpu::gemm_accumulate;
using timestep::cpu::kGemmColumnTile;
using timestep::cpu::kGemmRowTile;

// Output row r = (b, t) of the flattened [B*Tout] rows.
struct RowPos {
  int b, t;
};
inline RowPos row_pos(const Conv& c, long long r) {
  return {static_cast<int>(r / c.Tout), static_cast<int>(r % c.Tout)};
}
inline void next_row(const Conv& c, RowPos& rp) {
  if (++rp.t == c.Tout) {
    rp.t = 0;
    ++rp.b;
  }
}
// The input step read by tap k of output step t, or -1 when it is padding.
inline long long input_step(const Conv& c, int t, int k) {
  const long long i = static_cast<long long>(t) * c.s + static_cast<long long>(k) * c.d - c.p;
  return i >= 0 && i < c.T ? i : -1;
}
inline const float* x_row(const Conv& c, const float* x, int b, long long i) {
  return x + (static_cast<size_t>(b) * c.T + static_cast<size_t>(i)) * c.Cin;
}

// col[n, KC] (row stride KC) for the n output rows starting at r0.
void im2col(const Conv& c, const float* x, long long r0, int n, float* col) {
  RowPos rp = row_pos(c, r0);
  for (int r = 0; r < n; ++r, next_row(c, rp)) {
    float* dst = col + static_cast<size_t>(r) * c.KC;
    for (int k = 0; k < c.K; ++k, dst += c.Cin) {
      const long long i = input_step(c, rp.t, k);
      if (i >= 0)
        std::memcpy(dst, x_row(c, x, rp.b, i), sizeof(float) * c.Cin);
      else
        std::memset(dst, 0, sizeof(float) * c.Cin);
    }
  }
}

// colT[KC, n] (row stride ld) for the n output rows starting at r0: the transpose of im2col.
void im2col_transposed(const Conv& c, const float* x, long long r0, int n, float* colT, int ld) {
  RowPos rp = row_pos(c, r0);
  for (int r = 0; r < n; ++r, next_row(c, rp)) {
    for (int k = 0; k < c.K; ++k) {
      float* dst = colT + static_cast<size_t>(k) * c.Cin * ld + r;
      const long long i = input_step(c, rp.t, k);
      if (i >= 0) {
        const float* src = x_row(c, x, rp.b, i);
        for (int ci = 0; ci < c.Cin; ++ci) dst[static_cast<size_t>(ci) * ld] = src[ci];
      } else {
        for (int ci = 0; ci < c.Cin; ++ci) dst[static_cast<size_t>(ci) * ld] = 0.0f;
      }
    }
  }
}

// dx += col2im(dcol): dcol[n, ld] holds d(col) for the n output rows starting at r0.
void col2im_add(const Conv& c, const float* dcol, int ld, long long r0, int n, float* dx) {
  RowPos rp = row_pos(c, r0);
  for (int r = 0; r < n; ++r, next_row(c, rp)) {
    const float* src = dcol + static_cast<size_t>(r) * ld;
    for (int k = 0; k < c.K; ++k, src += c.Cin) {
      const long long i = input_step(c, rp.t, k);
      if (i < 0) continue;
      float* __restrict dst =
          dx + (static_cast<size_t>(rp.b) * c.T + static_cast<size_t>(i)) * c.Cin;
      for (int ci = 0; ci < c.Cin; ++ci) dst[ci] += src[ci];
    }
  }
}

// A [rows, cols] matrix copied into rows of ld >= cols floats with zero padding columns.
std::vector<float> widened(const float* src, int rows, int cols, int ld) {
  std::vector<float> out(static_cast<size_t>(rows) * ld, 0.0f);
  for (int r = 0; r < rows; ++r)
    std::memcpy(out.data() + static_cast<size_t>(r) * ld, src + static_cast<size_t>(r) * cols,
                sizeof(float) * cols);
  return out;
}

}  // namespace

void im2col_forward(const Conv& c, const float* x, const float* kernel, const float* bias,
                    float* y) {
  // W as [KC, Coutp] (in place when Cout is already a multiple of the tile), bias as [Coutp].
  std::vector<float> w_storage;
  const float* W = kernel;
  if (c.Coutp != c.Cout) {
    w_storage = widened(kernel, c.KC, c.Cout, c.Coutp);
    W = w_storage.data();
  }
  std::vector<float> b_row(c.Coutp, 0.0f);
  if (bias) std::copy_n(bias, c.Cout, b_row.begin());
  // z goes straight into y when its rows need no padding columns.
  const bool in_place = c.Coutp == c.Cout;
  std::vector<float> z_storage(in_place ? 0 : static_cast<size_t>(c.chunk) * c.Coutp);
  std::vector<float> col(c.x_is_col ? 0 : static_cast<size_t>(c.chunk) * c.KC);

  for (long long r0 = 0; r0 < c.rows; r0 += c.chunk) {
    const int n = static_cast<int>(std::min<long long>(c.chunk, c.rows - r0));
    float* yc = y + static_cast<size_t>(r0) * c.Cout;
    float* z = in_place ? yc : z_storage.data();
    for (int r = 0; r < n; ++r)
      std::memcpy(z + static_cast<size_t>(r) * c.Coutp, b_row.data(), sizeof(float) * c.Coutp);
    const float* a;
    if (c.x_is_col) {
      a = x + static_cast<size_t>(r0) * c.Cin;  // row (b, t) of y is row b*T + t of x
    } else {
      im2col(c, x, r0, n, col.data());
      a = col.data();
    }
    gemm_accumulate(a, c.KC, W, c.Coutp, z, c.Coutp, n, c.Coutp, c.KC);
    activate_rows(c.act, z, c.Coutp, yc, n, c.Cout);
  }
}

void im2col_backward(const Conv& c, const float* x, const float* kernel, const float* y,
                     const float* dy, float* dx, float* dkernel, float* dbias) {
  const int ldT = c.chunk + 16;  // colT's row stride: off a power of two (cache sets)
  std::vector<float> dz(static_cast<size_t>(c.chunk) * c.Coutp, 0.0f);
  std::vector<float> colT(static_cast<size_t>(c.KCr) * ldT, 0.0f);
  std::vector<float> dw_chunk(static_cast<size_t>(c.KCr) * c.Coutp);
  std::vector<double> dw_acc(static_cast<size_t>(c.KC) * c.Cout, 0.0);
  std::vector<double> db_acc(dbias ? c.Cout : 0, 0.0);
  // W^T as [Coutp, KCp] (zero rows beyond Cout, zero columns beyond KC) and dcol, for dx.
  std::vector<float> wT, dcol;
  if (dx) {
    wT.assign(static_cast<size_t>(c.Coutp) * c.KCp, 0.0f);
    for (int j = 0; j < c.KC; ++j)
      for (int co = 0; co < c.Cout; ++co)
        wT[static_cast<size_t>(co) * c.KCp + j] = kernel[static_cast<size_t>(j) * c.Cout + co];
    dcol.resize(static_cast<size_t>(c.chunk) * c.KCp);
  }

  for (long long r0 = 0; r0 < c.rows; r0 += c.chunk) {
    const int n = static_cast<int>(std::min<long long>(c.chunk, c.rows - r0));
    const size_t off = static_cast<size_t>(r0) * c.Cout;
    slope_rows(c.act, y + off, dy + off, dz.data(), c.Coutp, n, c.Cout);
    if (dbias) {
      for (int r = 0; r < n; ++r) {
        const float* dzr = dz.data() + static_cast<size_t>(r) * c.Coutp;
        for (int co = 0; co < c.Cout; ++co) db_acc[co] += dzr[co];
      }
    }
    // dW += col^T . dz
    im2col_transposed(c, x, r0, n, colT.data(), ldT);
    std::fill(dw_chunk.begin(), dw_chunk.end(), 0.0f);
    gemm_accumulate(colT.data(), ldT, dz.data(), c.Coutp, dw_chunk.data(), c.Coutp, c.KCr, c.Coutp,
                    n);
    for (int j = 0; j < c.KC; ++j) {
      const float* src = dw_chunk.data() + static_cast<size_t>(j) * c.Coutp;
      double* dst = dw_acc.data() + static_cast<size_t>(j) * c.Cout;
      for (int co = 0; co < c.Cout; ++co) dst[co] += src[co];
    }
    // dx += col2im(dz . W^T)
    if (dx) {
      std::fill(dcol.begin(), dcol.begin() + static_cast<size_t>(n) * c.KCp, 0.0f);
      gemm_accumulate(dz.data(), c.Coutp, wT.data(), c.KCp, dcol.data(), c.KCp, n, c.KCp, c.Cout);
      col2im_add(c, dcol.data(), c.KCp, r0, n, dx);
    }
  }
  for (size_t j = 0; j < dw_acc.size(); ++j) dkernel[j] += static_cast<float>(dw_acc[j]);
  if (dbias)
    for (int co = 0; co < c.Cout; ++co) dbias[co] += static_cast<float>(db_acc[co]);
}

}  // namespace timestep::cpu::conv1d
