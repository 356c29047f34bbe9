// Fused recurrent layers (SIMPLE, LSTM, GRU, LN_SIMPLE) over whole sequences: one call runs
// every time step forward, one call runs backpropagation through time. The exact math is the
// recurrent op's spec, summarised in cpu_api.h; the per-unit cell math lives in
// common/timestep/cells.h, shared with the CUDA kernels.
//
// Layout of the work (x [B,T,F]; every [B*T, ...] buffer has its rows ordered (b, t)):
//  forward   1. the input projection of ALL steps, xp = x[B*T,F].W + b, as one GEMM into a
//               scratch [B, T, GHp];
//            2. one pass over time: per step the recurrent GEMM h_{t-1}[B,H].U is accumulated
//               onto that step's rows of xp (B rows T*GHp apart; h_{t-1} is read in place from
//               out, B rows T*H apart), or for the GRU into its own [B, GHp] buffer (the
//               reset gate multiplies the recurrent candidate alone); then the cell math turns
//               those rows into out and the cache.
//  backward  one reverse pass over time: per step the cell backward writes that step's rows of
//            dXp_all (and, for the GRU, of dRec_all, which differs in the candidate block) and
//            dh_next = dRec_t.U^T is one GEMM. After the loop dU += Hprev^T.dRec_all,
//            dW += x^T.dXp_all, dx += dXp_all.W^T and the bias sums are single products over
//            all B*T rows (Hprev row (b, t) = h_{t-1}).
// Padding: the shared GEMM computes a width that is not a multiple of kGemmColumnStep (8) on a
// zero-padded copy of its operand, per call. So the gate buffers have GHp = GH rounded up to 8
// columns, the state gradient Hp = H rounded up, and W, U, b (and U^T) are copied once with
// zero columns to match when GH is not a multiple of 8; the extra columns are computed and
// ignored. (Rounding to the 32-column tile instead cost 20% more FLOPs at H = 20 and 60% more
// in dh_next = dRec.U^T.)
// Scratch is allocated once per call (scratch.h); nothing is allocated inside the loops.
//
// The cell loops run over the H units of a row with the cells.h functions inlined; their
// tanh/sigmoid come from FastMath below instead of libm, so that gcc vectorizes them (glibc's
// scalar tanhf/expf were over half of the time at H = 20), and the loops are compiled for
// AVX-512, AVX2 and baseline x86-64 like the GEMM's tile (target_clones).
#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "add_rows.h"
#include "chunked.h"
#include "column_sums.h"
#include "errors.h"
#include "fast_math.h"
#include "gemm.h"
#include "parallel.h"
#include "scratch.h"
#include "simd.h"
#include "timestep/cells.h"
#include "timestep/cpu_api.h"
#include "timestep/math.h"

namespace {

using timestep::cpu::add_column_sums;
using timestep::cpu::add_rows;
using timestep::cpu::add_transposed;
using timestep::cpu::chunked;
using timestep::cpu::gemm_accumulate;
using timestep::cpu::gemm_accumulate_at;
using timestep::cpu::gemm_accumulate_packed;
using timestep::cpu::kGemmColumnStep;
using timestep::cpu::kGemmColumnTile;
using timestep::cpu::pack_b;
using timestep::cpu::packed_b_floats;

using timestep::cpu::FastMath;
using M = FastMath;

using timestep::cpu::round_up;
using timestep::cpu::Scratch;
using timestep::cpu::transpose_into;
using timestep::cpu::uninitialized;

struct Dims {
  int kind, act, B, T, F, H, G, GH;
  int GHp, Hp;     // GH and H rounded up to kGemmColumnStep: row strides of the gate buffers
  long long rows;  // B * T
};

// Checks shared by forward and backward; the batch-sized buffers are checked by the callers
// (after the B == 0 early return, so an empty batch may pass null buffers).
int check_dims(const char* op, int kind, int act, int batch, int steps, int features, int units,
               const float* kernel, const float* recurrent, const float* bias, const float* extra,
               Dims& d) {
  TS_CPU_REQUIRE(kind >= TS_RNN_SIMPLE && kind <= TS_RNN_LN_SIMPLE, "%s: unknown recurrent kind %d",
                 op, kind);
  TS_CPU_REQUIRE(act >= TS_ACT_LINEAR && act <= TS_ACT_RELU, "%s: unknown activation %d", op, act);
  TS_CPU_REQUIRE(batch >= 0 && steps >= 1 && features >= 1 && units >= 1,
                 "%s: bad shape batch=%d steps=%d features=%d units=%d", op, batch, steps, features,
                 units);
  // Every stride and row count the GEMMs see must fit an int: the widest rows are LSTM's 5H
  // (cache) and the padded 4H + 32 (gates), the longest columns B*T.
  TS_CPU_REQUIRE(static_cast<long long>(steps) * (5LL * units + kGemmColumnTile) <= INT_MAX &&
                     static_cast<long long>(batch) * steps <= INT_MAX &&
                     static_cast<long long>(features) + kGemmColumnTile <= INT_MAX,
                 "%s: shape too large batch=%d steps=%d features=%d units=%d", op, batch, steps,
                 features, units);
  TS_CPU_REQUIRE(kernel && recurrent && bias, "%s: null kernel, recurrent kernel or bias", op);
  const bool needs_extra = kind == TS_RNN_GRU || kind == TS_RNN_LN_SIMPLE;
  TS_CPU_REQUIRE(!needs_extra || extra, "%s: kind %d needs `extra` (%s)", op, kind,
                 kind == TS_RNN_GRU ? "the recurrent bias [3H]" : "gamma and beta [2H]");
  d.kind = kind;
  d.act = act;
  d.B = batch;
  d.T = steps;
  d.F = features;
  d.H = units;
  d.G = timestep::rnn_gates(kind);
  d.GH = d.G * units;
  d.GHp = round_up(d.GH, kGemmColumnStep);
  d.Hp = round_up(units, kGemmColumnStep);
  d.rows = static_cast<long long>(batch) * steps;
  return TS_OK;
}

// A [rows, cols] matrix with its rows widened to ld >= cols floats by zero columns: `src`
// itself when ld == cols, else a copy kept in `storage`.
const float* padded(const float* src, int rows, int cols, int ld, std::vector<float>& storage) {
  if (ld == cols) return src;
  storage.assign(static_cast<size_t>(rows) * ld, 0.0f);
  for (int r = 0; r < rows; ++r)
    std::memcpy(storage.data() + static_cast<size_t>(r) * ld, src + static_cast<size_t>(r) * cols,
                sizeof(float) * cols);
  return storage.data();
}

// Zeroes columns [cols, ld) of `rows` rows ld floats apart: the padding of a gate buffer, which
// the GEMMs read but the cells never write.
void zero_padding(float* m, long long rows, int cols, int ld) {
  if (ld == cols) return;
  for (long long r = 0; r < rows; ++r) std::fill(m + r * ld + cols, m + (r + 1) * ld, 0.0f);
}

// Fills `rows` rows of `n` floats, `ld` floats apart, with v.
void broadcast_rows(float* dst, long long ld, const float* v, long long rows, int n) {
  for (long long r = 0; r < rows; ++r) std::memcpy(dst + r * ld, v, sizeof(float) * n);
}

// h_{t-1} as a GEMM operand: h0 [B,H] at t = 0, else step t-1 of out [B,T,H].
struct State {
  const float* p;
  int ld;
};
inline State previous_state(const Dims& d, const float* h0, const float* out, int t) {
  if (t == 0) return {h0, d.H};
  return {out + static_cast<size_t>(t - 1) * d.H, d.T * d.H};
}

// The pre-activations xp = x.W + b of the forward. Projected for all steps at once they are one
// large GEMM into [B, T, GHp]; projected step by step, just before each step's recurrent product,
// they are [B, GHp], a buffer that stays in cache through the step's product and cells instead of
// being written to memory and read back three times (the large LSTM's is 26 MB). Either way each
// element sums in the same order: the GEMM's tiled path, which two or more rows always take.
// (Measured, one thread: the large LSTM's forward 88 -> 70 ms, a GRU(64) at batch 512 15 -> 11.5.)
struct Steps {
  float* data;
  int GHp;
  size_t T;  // 0 when the buffer holds one step
  float* step(int t) const { return data + (T ? static_cast<size_t>(t) * GHp : 0); }
  size_t ld() const { return (T ? T : 1) * static_cast<size_t>(GHp); }
  const float* row(int b, int t) const { return step(t) + static_cast<size_t>(b) * ld(); }
};

// Step by step only where a slice's xp is larger than this (twice the 1 MB L2 of a Zen 4 core),
// and a step's GEMM has at least this many rows: below, the one large GEMM runs its tiles more
// efficiently than many small ones, and xp stays in cache anyway.
constexpr size_t kProjectAllFloats = size_t{1} << 19;  // 2 MB
constexpr int kProjectStepRows = 16;

inline bool projects_by_step(const Dims& d) {
  return d.B >= kProjectStepRows && static_cast<size_t>(d.rows) * d.GHp > kProjectAllFloats;
}

// Row (b, t) of a [B, T, width] buffer.
inline size_t row_of(const Dims& d, int b, int t) { return static_cast<size_t>(b) * d.T + t; }

// ---- the cell loops ------------------------------------------------------------------------
// Each *_cells function is the cell math of step t over all B rows: forward from the
// pre-activations in xp (input projection + recurrent GEMM) to out and the cache, backward from
// dh = dout_t + dh_next to the step's rows of dXp (and dRec for the GRU) and the new dh_next.
//
// A row of H units runs in chunks (chunked.h). The column blocks are __restrict parameters of
// the *_cols functions (disjoint ranges of one row, or different buffers): that is what lets gcc
// vectorize without runtime alias checks.
template <int Act>
TS_INLINE void simple_cols(int n, const float* __restrict a, float* __restrict h) {
  for (int j = 0; j < n; ++j) h[j] = timestep::rnn_activate<M>(Act, a[j]);
}

template <int Act>
TS_SIMD_CLONES void simple_cells(const Dims& d, int t, const Steps& xp, float* out) {
  for (int b = 0; b < d.B; ++b) {
    const float* a = xp.row(b, t);
    float* h = out + row_of(d, b, t) * d.H;
    chunked(d.H, [&](int j, auto n) TS_INLINE_LAMBDA { simple_cols<Act>(n, a + j, h + j); });
  }
}

// An LSTM row runs as two loops: the 4H gate activations as one flat loop (lstm_gate: the
// sigmoid is a scaled tanh, so at H = 20 the 80 gates are exactly five 16-lane vectors), then c_t
// and h_t over the H units. `gate_scale` is lstm_gate's s of each gate: 1 for the g block, else
// 1/2. lstm_cells runs the gate loop over every row before the state loop over any: the state loop
// reads gate blocks that start off the vector boundaries (f at unit 20), which straddle two of
// the gate loop's stores, and a load cannot take its data from two stores still in flight; it
// waited for them to reach the cache (LSTM(20) at batch 32: forward 186 -> 179 us).
TS_INLINE void lstm_gate_cols(int n, const float* __restrict z, const float* __restrict gate_scale,
                              float* __restrict gates) {
  for (int j = 0; j < n; ++j) gates[j] = timestep::lstm_gate<M>(z[j], gate_scale[j]);
}

// outputs through locals: stores through the cell functions' reference parameters would lose
// the __restrict information and with it the vectorization
TS_INLINE void lstm_state_cols(int n, const float* __restrict i, const float* __restrict f,
                               const float* __restrict g, const float* __restrict o,
                               const float* __restrict c_prev, float* __restrict c,
                               float* __restrict h) {
  for (int j = 0; j < n; ++j) {
    float cj, hj;
    timestep::lstm_cell_state<M>(i[j], f[j], g[j], o[j], c_prev[j], cj, hj);
    c[j] = cj;
    h[j] = hj;
  }
}

// c0: the initial cell state [B, H] of the slice's rows, read at t = 0 (zeros when none is given)
TS_SIMD_CLONES void lstm_cells(const Dims& d, int t, const Steps& xp, const float* c0,
                               const float* gate_scale, float* out, float* cache) {
  const int H = d.H, W = 5 * H;
  for (int b = 0; b < d.B; ++b) {
    const float* z = xp.row(b, t);
    float* row = cache + row_of(d, b, t) * W;  // i f g o c_t
    chunked(4 * H, [&](int j, auto n)
                       TS_INLINE_LAMBDA { lstm_gate_cols(n, z + j, gate_scale + j, row + j); });
  }
  for (int b = 0; b < d.B; ++b) {
    float* row = cache + row_of(d, b, t) * W;
    const float* c_prev = t == 0 ? c0 + static_cast<size_t>(b) * H : row - W + 4 * H;
    float* h = out + row_of(d, b, t) * H;
    chunked(H, [&](int j, auto n) TS_INLINE_LAMBDA {
      lstm_state_cols(n, row + j, row + H + j, row + 2 * H + j, row + 3 * H + j, c_prev + j,
                      row + 4 * H + j, h + j);
    });
  }
}

TS_INLINE void gru_cols(int n, const float* __restrict xz, const float* __restrict xr,
                        const float* __restrict xh, const float* __restrict rz,
                        const float* __restrict rr, const float* __restrict rh,
                        const float* __restrict h_prev, float* __restrict z, float* __restrict r,
                        float* __restrict nn, float* __restrict hh, float* __restrict h) {
  for (int j = 0; j < n; ++j) {
    float zj, rj, nj, hj;
    timestep::gru_cell_forward<M>(xz[j], xr[j], xh[j], rz[j], rr[j], rh[j], h_prev[j], zj, rj, nj,
                                  hj);
    z[j] = zj;
    r[j] = rj;
    nn[j] = nj;
    hh[j] = rh[j];
    h[j] = hj;
  }
}

// rec: h_{t-1}.U + rb of this step, [B, GHp]; h_prev: h_{t-1} (rows ld_prev apart).
TS_SIMD_CLONES void gru_cells(const Dims& d, int t, const Steps& xp, const float* rec,
                              const float* h_prev, int ld_prev, float* out, float* cache) {
  const int H = d.H, W = 4 * H;
  for (int b = 0; b < d.B; ++b) {
    const float* x = xp.row(b, t);
    const float* u = rec + static_cast<size_t>(b) * d.GHp;
    const float* hp = h_prev + static_cast<size_t>(b) * ld_prev;
    float* row = cache + row_of(d, b, t) * W;  // z r n hh
    float* h = out + row_of(d, b, t) * H;
    chunked(H, [&](int j, auto n) TS_INLINE_LAMBDA {
      gru_cols(n, x + j, x + H + j, x + 2 * H + j, u + j, u + H + j, u + 2 * H + j, hp + j, row + j,
               row + H + j, row + 2 * H + j, row + 3 * H + j, h + j);
    });
  }
}

template <int Act>
TS_INLINE void ln_cols(int n, const float* __restrict a, const float* __restrict gamma,
                       const float* __restrict beta, float mean, float rstd, float* __restrict xhat,
                       float* __restrict h) {
  for (int j = 0; j < n; ++j) {
    const float xj = timestep::layer_norm_normalize(a[j], mean, rstd);
    xhat[j] = xj;
    h[j] = timestep::ln_cell_output<M>(Act, xj, gamma[j], beta[j]);
  }
}

template <int Act>
TS_SIMD_CLONES void ln_cells(const Dims& d, int t, const Steps& xp, const float* gamma_beta,
                             float* out, float* cache) {
  const int H = d.H, W = H + 1;
  const float* gamma = gamma_beta;
  const float* beta = gamma_beta + H;
  for (int b = 0; b < d.B; ++b) {
    const float* a = xp.row(b, t);
    float* row = cache + row_of(d, b, t) * W;  // xhat, rstd
    float* h = out + row_of(d, b, t) * H;
    float mean, rstd;
    timestep::layer_norm_stats(a, H, mean, rstd);
    chunked(H, [&](int j, auto n) TS_INLINE_LAMBDA {
      ln_cols<Act>(n, a + j, gamma + j, beta + j, mean, rstd, row + j, h + j);
    });
    row[H] = rstd;
  }
}

// Backward: dn = dh_next from step t+1 (rows Hp apart), dn_out = the next dh_next, set to the
// part of dL/dh_{t-1} that bypasses U (0 except for the GRU); the caller adds dRec_t.U^T.

template <int Act>
TS_INLINE void simple_cols_back(int n, const float* __restrict h, const float* __restrict g,
                                const float* __restrict dn, float* __restrict dn_out,
                                float* __restrict da) {
  for (int j = 0; j < n; ++j) {
    da[j] = (g[j] + dn[j]) * timestep::activation_slope(Act, h[j]);
    dn_out[j] = 0.0f;
  }
}

template <int Act>
TS_SIMD_CLONES void simple_step_back(const Dims& d, int t, const float* out, const float* dout,
                                     const float* dn, float* dn_out, float* dxp) {
  for (int b = 0; b < d.B; ++b) {
    const size_t r = row_of(d, b, t);
    const float* h = out + r * d.H;
    const float* g = dout + r * d.H;
    const float* dnb = dn + static_cast<size_t>(b) * d.Hp;
    float* dob = dn_out + static_cast<size_t>(b) * d.Hp;
    float* da = dxp + r * d.GHp;
    chunked(d.H, [&](int j, auto n) TS_INLINE_LAMBDA {
      simple_cols_back<Act>(n, h + j, g + j, dnb + j, dob + j, da + j);
    });
  }
}

TS_INLINE void lstm_cols_back(int n, const float* __restrict gi, const float* __restrict gf,
                              const float* __restrict gg, const float* __restrict go,
                              const float* __restrict c, const float* __restrict c_prev,
                              const float* __restrict g, const float* __restrict dn,
                              const float* __restrict dc, float* __restrict dn_out,
                              float* __restrict dc_out, float* __restrict dzi,
                              float* __restrict dzf, float* __restrict dzg, float* __restrict dzo) {
  for (int j = 0; j < n; ++j) {
    float di, df, dg, d_o, dcp;
    timestep::lstm_cell_backward<M>(g[j] + dn[j], dc[j], gi[j], gf[j], gg[j], go[j], c[j],
                                    c_prev[j], di, df, dg, d_o, dcp);
    dzi[j] = di;
    dzf[j] = df;
    dzg[j] = dg;
    dzo[j] = d_o;
    dc_out[j] = dcp;
    dn_out[j] = 0.0f;
  }
}

TS_SIMD_CLONES void lstm_step_back(const Dims& d, int t, const float* cache, const float* dout,
                                   const float* c0, const float* dn, const float* dc, float* dn_out,
                                   float* dc_out, float* dxp) {
  const int H = d.H, W = 5 * H;
  for (int b = 0; b < d.B; ++b) {
    const size_t r = row_of(d, b, t);
    const float* row = cache + r * W;
    const float* c_prev = t == 0 ? c0 + static_cast<size_t>(b) * H : row - W + 4 * H;
    const float* g = dout + r * H;
    const float* dnb = dn + static_cast<size_t>(b) * d.Hp;
    const float* dcb = dc + static_cast<size_t>(b) * H;
    float* dob = dn_out + static_cast<size_t>(b) * d.Hp;
    float* dcob = dc_out + static_cast<size_t>(b) * H;
    float* dz = dxp + r * d.GHp;
    chunked(H, [&](int j, auto n) TS_INLINE_LAMBDA {
      lstm_cols_back(n, row + j, row + H + j, row + 2 * H + j, row + 3 * H + j, row + 4 * H + j,
                     c_prev + j, g + j, dnb + j, dcb + j, dob + j, dcob + j, dz + j, dz + H + j,
                     dz + 2 * H + j, dz + 3 * H + j);
    });
  }
}

TS_INLINE void gru_cols_back(int n, const float* __restrict z, const float* __restrict r,
                             const float* __restrict nn, const float* __restrict hh,
                             const float* __restrict h_prev, const float* __restrict g,
                             const float* __restrict dn, float* __restrict dn_out,
                             float* __restrict xz, float* __restrict xr, float* __restrict xh,
                             float* __restrict rz, float* __restrict rr, float* __restrict rh) {
  for (int j = 0; j < n; ++j) {
    float daz, dar, dan, drec_h, direct;
    timestep::gru_cell_backward(g[j] + dn[j], z[j], r[j], nn[j], hh[j], h_prev[j], daz, dar, dan,
                                drec_h, direct);
    xz[j] = daz;
    xr[j] = dar;
    xh[j] = dan;
    rz[j] = daz;
    rr[j] = dar;
    rh[j] = drec_h;
    dn_out[j] = direct;
  }
}

TS_SIMD_CLONES void gru_step_back(const Dims& d, int t, const float* h0, const float* out,
                                  const float* cache, const float* dout, const float* dn,
                                  float* dn_out, float* dxp, float* drec) {
  const int H = d.H, W = 4 * H;
  const State s = previous_state(d, h0, out, t);
  for (int b = 0; b < d.B; ++b) {
    const size_t r = row_of(d, b, t);
    const float* row = cache + r * W;
    const float* hp = s.p + static_cast<size_t>(b) * s.ld;
    const float* g = dout + r * H;
    const float* dnb = dn + static_cast<size_t>(b) * d.Hp;
    float* dob = dn_out + static_cast<size_t>(b) * d.Hp;
    float* x = dxp + r * d.GHp;
    float* u = drec + r * d.GHp;
    chunked(H, [&](int j, auto n) TS_INLINE_LAMBDA {
      gru_cols_back(n, row + j, row + H + j, row + 2 * H + j, row + 3 * H + j, hp + j, g + j,
                    dnb + j, dob + j, x + j, x + H + j, x + 2 * H + j, u + j, u + H + j,
                    u + 2 * H + j);
    });
  }
}

// Writes dy = dL/dy into da (turned into dL/da by layer_norm_backward_row).
template <int Act>
TS_INLINE void ln_cols_dy(int n, const float* __restrict h, const float* __restrict g,
                          const float* __restrict dn, float* __restrict dn_out,
                          float* __restrict da) {
  for (int j = 0; j < n; ++j) {
    da[j] = timestep::ln_cell_dy(Act, g[j] + dn[j], h[j]);
    dn_out[j] = 0.0f;
  }
}

template <int Act>
TS_SIMD_CLONES void ln_step_back(const Dims& d, int t, const float* out, const float* cache,
                                 const float* dout, const float* gamma, float* dgamma, float* dbeta,
                                 const float* dn, float* dn_out, float* dxp) {
  const int H = d.H, W = H + 1;
  for (int b = 0; b < d.B; ++b) {
    const size_t r = row_of(d, b, t);
    const float* row = cache + r * W;
    const float* h = out + r * H;
    const float* g = dout + r * H;
    const float* dnb = dn + static_cast<size_t>(b) * d.Hp;
    float* dob = dn_out + static_cast<size_t>(b) * d.Hp;
    float* da = dxp + r * d.GHp;
    chunked(H, [&](int j, auto n) TS_INLINE_LAMBDA {
      ln_cols_dy<Act>(n, h + j, g + j, dnb + j, dob + j, da + j);
    });
    timestep::layer_norm_backward_row(da, row, gamma, row[H], H, da, dgamma, dbeta);
  }
}

// ---- forward and backward over the sequence -------------------------------------------

// The forward's weights as its GEMMs read them, made once per call for all the batch slices:
// W, U, b (and the GRU's recurrent bias) zero-padded to GHp columns where GH is not a multiple of
// 8, U's panels packed when slices have two or more rows (one row reads U in place), and W's when
// a slice projects its inputs step by step. Per slice, the copying cost as much as a short
// sequence's products.
struct ForwardWeights {
  std::vector<float> wp, up, bp, rbp;
  const float *w, *u, *b, *rb;
  Scratch u_packed, w_packed;
  bool has_u_packed, has_w_packed;
  ForwardWeights(const Dims& d, const float* kernel, const float* recurrent, const float* bias,
                 const float* extra, bool pack_u, bool pack_w)
      : w(padded(kernel, d.F, d.GH, d.GHp, wp)),
        u(padded(recurrent, d.H, d.GH, d.GHp, up)),
        b(padded(bias, 1, d.GH, d.GHp, bp)),
        rb(d.kind == TS_RNN_GRU ? padded(extra, 1, d.GH, d.GHp, rbp) : nullptr),
        u_packed(uninitialized(pack_u ? packed_b_floats(d.GHp, d.H) : 0)),
        w_packed(uninitialized(pack_w ? packed_b_floats(d.GHp, d.F) : 0)),
        has_u_packed(pack_u),
        has_w_packed(pack_w) {
    if (pack_u) pack_b(u, d.GHp, d.GHp, d.H, u_packed.data());
    if (pack_w) pack_b(w, d.GHp, d.GHp, d.F, w_packed.data());
  }
};

// c0: the LSTM's initial cell state [B, H], or null for zeros.
void forward(const Dims& d, const float* x, const float* h0, const float* c0,
             const ForwardWeights& fw, const float* extra, float* out, float* cache) {
  const int H = d.H, GHp = d.GHp;
  const float* w = fw.w;
  const float* u = fw.u;
  const float* bb = fw.b;
  // xp = x.W + b: for every step at once into [B, T, GHp], or step by step into [B, GHp] when
  // the whole would not stay in cache (see Steps)
  const bool by_step = projects_by_step(d) && fw.has_w_packed;
  Scratch xp = uninitialized((by_step ? static_cast<size_t>(d.B) : d.rows) * GHp);
  if (!by_step) {
    broadcast_rows(xp.data(), GHp, bb, d.rows, GHp);  // sets every row
    gemm_accumulate(x, d.F, w, GHp, xp.data(), GHp, static_cast<int>(d.rows), GHp, d.F);
  }
  const Steps steps{xp.data(), GHp, by_step ? 0 : static_cast<size_t>(d.T)};

  // Every step multiplies by the same U, packed once. One batch row keeps gemm_accumulate's row
  // path, which reads U in place.
  const bool pack = d.B >= 2 && fw.has_u_packed;
  auto times_u = [&](const State& s, float* c, int ldc) {
    if (pack)
      gemm_accumulate_packed(s.p, s.ld, fw.u_packed.data(), c, ldc, d.B, GHp, H);
    else
      gemm_accumulate(s.p, s.ld, u, GHp, c, ldc, d.B, GHp, H);
  };

  // c_{-1}: c0, or zeros in its place
  std::vector<float> zeros(d.kind == TS_RNN_LSTM && !c0 ? static_cast<size_t>(d.B) * H : 0, 0.0f);
  const float* c_init = c0 ? c0 : zeros.data();
  std::vector<float> gate_scale(d.kind == TS_RNN_LSTM ? 4 * H : 0, 0.5f);  // 1 on the g block
  if (d.kind == TS_RNN_LSTM)
    std::fill(gate_scale.begin() + 2 * H, gate_scale.begin() + 3 * H, 1.0f);
  std::vector<float> rec(d.kind == TS_RNN_GRU ? static_cast<size_t>(d.B) * GHp : 0);
  const float* rb = fw.rb;
  for (int t = 0; t < d.T; ++t) {
    const State s = previous_state(d, h0, out, t);
    float* xt = steps.step(t);
    const int ld = static_cast<int>(steps.ld());
    if (by_step) {
      broadcast_rows(xt, GHp, bb, d.B, GHp);
      gemm_accumulate_packed(x + static_cast<size_t>(t) * d.F, d.T * d.F, fw.w_packed.data(), xt,
                             GHp, d.B, GHp, d.F);
    }
    switch (d.kind) {
      case TS_RNN_SIMPLE:
        times_u(s, xt, ld);
        switch (d.act) {
          case TS_ACT_TANH: simple_cells<TS_ACT_TANH>(d, t, steps, out); break;
          case TS_ACT_SIGMOID: simple_cells<TS_ACT_SIGMOID>(d, t, steps, out); break;
          case TS_ACT_RELU: simple_cells<TS_ACT_RELU>(d, t, steps, out); break;
          default: simple_cells<TS_ACT_LINEAR>(d, t, steps, out); break;
        }
        break;
      case TS_RNN_LSTM:
        times_u(s, xt, ld);
        lstm_cells(d, t, steps, c_init, gate_scale.data(), out, cache);
        break;
      case TS_RNN_GRU:
        broadcast_rows(rec.data(), GHp, rb, d.B, GHp);
        times_u(s, rec.data(), GHp);
        gru_cells(d, t, steps, rec.data(), s.p, s.ld, out, cache);
        break;
      default:
        times_u(s, xt, ld);
        switch (d.act) {
          case TS_ACT_TANH: ln_cells<TS_ACT_TANH>(d, t, steps, extra, out, cache); break;
          case TS_ACT_SIGMOID: ln_cells<TS_ACT_SIGMOID>(d, t, steps, extra, out, cache); break;
          case TS_ACT_RELU: ln_cells<TS_ACT_RELU>(d, t, steps, extra, out, cache); break;
          default: ln_cells<TS_ACT_LINEAR>(d, t, steps, extra, out, cache); break;
        }
        break;
    }
  }
}

// Dot product with eight independent partial sums, so the loop vectorizes without
// reassociation flags.
inline float dot(const float* a, const float* b, int n) {
  float acc[8] = {};
  int j = 0;
  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; ++l) acc[l] += a[j + l] * b[j + l];
  float s = 0.0f;
  for (; j < n; ++j) s += a[j] * b[j];
  for (int l = 0; l < 8; ++l) s += acc[l];
  return s;
}

// c[m, 0..n) += a[m,k] . b[k, 0..ldb) where b (and so the product) has ldb >= n columns, the
// ones past n being zero padding: into c directly when ldb == n, else through a scratch.
void gemm_into(const float* a, int lda, const float* b, int ldb, float* c, int m, int n, int k,
               std::vector<float>& scratch) {
  if (ldb == n) {
    gemm_accumulate(a, lda, b, ldb, c, n, m, n, k);
    return;
  }
  scratch.assign(static_cast<size_t>(m) * ldb, 0.0f);
  gemm_accumulate(a, lda, b, ldb, scratch.data(), ldb, m, ldb, k);
  add_rows(scratch.data(), ldb, c, n, m, n);
}

// A weight gradient a^T . b ([m, n], a stored [k, m], b [k, n]) summed over one or more row
// ranges. Where the GEMM would copy b's blocks (gemm_copies_b: gate rows of 256, 512, 1024
// floats) and a's rows are narrower (but fill at least one 32-column tile, the width the
// swapped product then runs at), it runs as b^T . a into an [n, m] scratch instead, so that the
// copies are of a's rows: a quarter of the volume for an LSTM's dU. Every element sums the
// same products in the same order either way, so the result has the same bits.
class WeightGrad {
 public:
  WeightGrad(int m, int n, std::vector<float>& scratch)
      : m_(m),
        n_(n),
        swapped_(timestep::cpu::gemm_copies_b(n) && m >= kGemmColumnTile && m < n),
        s_(scratch) {
    s_.assign(static_cast<size_t>(m) * n, 0.0f);
  }

  // Adds a^T . b over k rows (a's rows lda apart, b's ldb apart).
  void add(const float* a, int lda, const float* b, int ldb, int k) {
    if (swapped_)
      gemm_accumulate_at(b, ldb, a, lda, s_.data(), m_, n_, m_, k);
    else
      gemm_accumulate_at(a, lda, b, ldb, s_.data(), n_, m_, n_, k);
  }

  // dst[i, j] += the result's (i, j), for j < cols (dst rows cols floats apart).
  void add_to(float* dst, int cols) const {
    if (!swapped_) {
      add_rows(s_.data(), n_, dst, cols, m_, cols);
      return;
    }
    add_transposed(s_.data(), m_, m_, cols, dst, cols);
  }

 private:
  int m_, n_;
  bool swapped_;
  std::vector<float>& s_;
};

// dU += Hprev^T . dRec_all, with Hprev row (b, t) = h_{t-1}: h0 for t = 0, else out row
// (b, t-1), which is simply the row before (b, t) in out. So after the h0 term, with dRec's
// rows (b, 0) for b >= 1 zeroed (they pair with h0, not with the row before), the rest is one
// product of out's rows 0..B*T-2 with dRec's rows 1..B*T-1, read in place. Destroys those rows
// of drec: the last use of it. Summed at dRec's width GHp.
void recurrent_kernel_grad(const Dims& d, const float* h0, const float* out, float* drec,
                           float* drecurrent, std::vector<float>& scratch) {
  const int H = d.H, GHp = d.GHp, T = d.T;
  const int rows = static_cast<int>(d.rows);
  WeightGrad grad(H, GHp, scratch);
  grad.add(h0, H, drec, T * GHp, d.B);  // rows (b, 0), T*GHp apart
  for (int b = 1; b < d.B; ++b) std::fill_n(drec + row_of(d, b, 0) * GHp, GHp, 0.0f);
  grad.add(out, H, drec + GHp, GHp, rows - 1);
  grad.add_to(drecurrent, d.GH);
}

// The backward's transposed weights, made once per call for all the batch slices (per slice,
// the transposing and packing cost as much as a short sequence's products):
//   U^T [GH, Hp] (zero columns past H) for dh_next = dRec_t . U^T, its panels packed as in
//   forward for slices of two or more rows (one row reads it in place);
//   W^T [GH, Fp] (zero columns past F) for dx = dXp . W^T, where dx is wanted and F >= 16 (for
//   fewer features dx is one dot product per feature against W's contiguous rows).
struct TransposedWeights {
  std::vector<float> u_t;
  Scratch u_t_packed;
  bool has_u_t_packed;
  std::vector<float> w_t;
  int Fp;
  TransposedWeights(const Dims& d, const float* recurrent, const float* kernel, bool pack,
                    bool dx_by_gemm)
      : u_t(static_cast<size_t>(d.GH) * d.Hp, 0.0f),
        u_t_packed(uninitialized(pack ? packed_b_floats(d.Hp, d.GH) : 0)),
        has_u_t_packed(pack),
        Fp(round_up(d.F, kGemmColumnStep)) {
    transpose_into(recurrent, d.GH, d.GH, d.H, u_t.data(), d.Hp);
    if (pack) pack_b(u_t.data(), d.Hp, d.Hp, d.GH, u_t_packed.data());
    if (dx_by_gemm) {
      w_t.assign(static_cast<size_t>(d.GH) * Fp, 0.0f);
      transpose_into(kernel, d.GH, d.GH, d.F, w_t.data(), Fp);
    }
  }
};

// Whether dx = dXp . W^T runs as a GEMM against W^T (else as dot products against W's rows).
inline bool dx_by_gemm(const Dims& d, const float* dx) { return dx && d.F >= 16; }

// The parameter and input gradients after the time loop, from dXp_all and dRec_all
// ([B*T, GHp] each, the same buffer except for the GRU). dU comes last: it zeroes rows of drec.
void finish_backward(const Dims& d, const float* x, const float* h0, const float* kernel,
                     const TransposedWeights& tw, const float* out, const float* dxp, float* drec,
                     float* dx, float* dkernel, float* drecurrent, float* dbias, float* drbias) {
  const int GH = d.GH, GHp = d.GHp, F = d.F;
  const int rows = static_cast<int>(d.rows);
  std::vector<float> scratch;
  if (drbias) add_column_sums(drec, rows, GH, GHp, drbias);
  add_column_sums(dxp, rows, GH, GHp, dbias);
  // dW += x^T . dXp_all
  {
    WeightGrad grad(F, GHp, scratch);
    grad.add(x, F, dxp, GHp, rows);
    grad.add_to(dkernel, GH);
  }
  // dx += dXp_all . W^T: for few features one dot product per (row, feature) against the
  // contiguous rows of W; otherwise a GEMM against W^T, padded to Fp columns.
  if (dx && !dx_by_gemm(d, dx)) {
    for (int r = 0; r < rows; ++r) {
      const float* g = dxp + static_cast<size_t>(r) * GHp;
      float* o = dx + static_cast<size_t>(r) * F;
      for (int f = 0; f < F; ++f) o[f] += dot(g, kernel + static_cast<size_t>(f) * GH, GH);
    }
  } else if (dx) {
    gemm_into(dxp, GHp, tw.w_t.data(), tw.Fp, dx, rows, F, GH, scratch);
  }
  recurrent_kernel_grad(d, h0, out, drec, drecurrent, scratch);
}

// c0 and dc_last (LSTM, [B, H]): the initial cell state and the gradient of the final one, each
// null for zeros; dc0 receives dL/dc0 (null: not needed).
void backward(const Dims& d, const float* x, const float* h0, const float* c0, const float* kernel,
              const TransposedWeights& tw, const float* extra, const float* out, const float* cache,
              const float* dout, const float* dc_last, float* dx, float* dh0, float* dc0,
              float* dkernel, float* drecurrent, float* dbias, float* dextra) {
  const int H = d.H, GH = d.GH, GHp = d.GHp, Hp = d.Hp;
  const size_t all = static_cast<size_t>(d.rows) * GHp;
  // the cells write columns [0, GH) of every row; the padding is zeroed here
  Scratch dxp = uninitialized(all);
  zero_padding(dxp.data(), d.rows, GH, GHp);
  Scratch drec_gru = uninitialized(d.kind == TS_RNN_GRU ? all : 0);
  if (d.kind == TS_RNN_GRU) zero_padding(drec_gru.data(), d.rows, GH, GHp);
  float* drec = d.kind == TS_RNN_GRU ? drec_gru.data() : dxp.data();
  const bool pack = d.B >= 2 && tw.has_u_t_packed;
  // dh_next and dc_next, double-buffered: step t reads one copy and writes the other
  std::vector<float> dh_bufs(2 * static_cast<size_t>(d.B) * Hp, 0.0f);
  std::vector<float> dc_bufs(d.kind == TS_RNN_LSTM ? 2 * static_cast<size_t>(d.B) * H : 0, 0.0f);
  std::vector<float> zeros(d.kind == TS_RNN_LSTM && !c0 ? static_cast<size_t>(d.B) * H : 0, 0.0f);
  const float* c_init = c0 ? c0 : zeros.data();
  float* dn = dh_bufs.data();
  float* dn_out = dn + static_cast<size_t>(d.B) * Hp;
  float* dc = dc_bufs.data();
  float* dc_out = d.kind == TS_RNN_LSTM ? dc + static_cast<size_t>(d.B) * H : nullptr;
  // the last step's dc_next is the gradient that reaches the final cell state from outside
  if (d.kind == TS_RNN_LSTM && dc_last)
    std::memcpy(dc, dc_last, sizeof(float) * static_cast<size_t>(d.B) * H);

  for (int t = d.T - 1; t >= 0; --t) {
    switch (d.kind) {
      case TS_RNN_SIMPLE:
        switch (d.act) {
          case TS_ACT_TANH:
            simple_step_back<TS_ACT_TANH>(d, t, out, dout, dn, dn_out, dxp.data());
            break;
          case TS_ACT_SIGMOID:
            simple_step_back<TS_ACT_SIGMOID>(d, t, out, dout, dn, dn_out, dxp.data());
            break;
          case TS_ACT_RELU:
            simple_step_back<TS_ACT_RELU>(d, t, out, dout, dn, dn_out, dxp.data());
            break;
          default: simple_step_back<TS_ACT_LINEAR>(d, t, out, dout, dn, dn_out, dxp.data()); break;
        }
        break;
      case TS_RNN_LSTM:
        lstm_step_back(d, t, cache, dout, c_init, dn, dc, dn_out, dc_out, dxp.data());
        std::swap(dc, dc_out);
        break;
      case TS_RNN_GRU:
        gru_step_back(d, t, h0, out, cache, dout, dn, dn_out, dxp.data(), drec);
        break;
      default: {
        float* dgamma = dextra;
        float* dbeta = dextra + H;
        switch (d.act) {
          case TS_ACT_TANH:
            ln_step_back<TS_ACT_TANH>(d, t, out, cache, dout, extra, dgamma, dbeta, dn, dn_out,
                                      dxp.data());
            break;
          case TS_ACT_SIGMOID:
            ln_step_back<TS_ACT_SIGMOID>(d, t, out, cache, dout, extra, dgamma, dbeta, dn, dn_out,
                                         dxp.data());
            break;
          case TS_ACT_RELU:
            ln_step_back<TS_ACT_RELU>(d, t, out, cache, dout, extra, dgamma, dbeta, dn, dn_out,
                                      dxp.data());
            break;
          default:
            ln_step_back<TS_ACT_LINEAR>(d, t, out, cache, dout, extra, dgamma, dbeta, dn, dn_out,
                                        dxp.data());
            break;
        }
      }
    }
    if (pack)
      gemm_accumulate_packed(drec + static_cast<size_t>(t) * GHp, d.T * GHp, tw.u_t_packed.data(),
                             dn_out, Hp, d.B, Hp, GH);
    else
      gemm_accumulate(drec + static_cast<size_t>(t) * GHp, d.T * GHp, tw.u_t.data(), Hp, dn_out, Hp,
                      d.B, Hp, GH);
    std::swap(dn, dn_out);
  }
  finish_backward(d, x, h0, kernel, tw, out, dxp.data(), drec, dx, dkernel, drecurrent, dbias,
                  d.kind == TS_RNN_GRU ? dextra : nullptr);
  if (dh0) add_rows(dn, Hp, dh0, H, d.B, H);
  if (dc0 && d.kind == TS_RNN_LSTM)
    add_rows(dc, H, dc0, H, d.B, H);  // dc: dL/dc_{-1} after the loop
}

// ---- batch slices over the worker threads -----------------------------------------------
// Batch rows never interact, so each slice of the batch runs the whole sequence on one thread
// (no synchronisation per step). Backward's weight gradients are sums over the batch: slice 0
// adds into the caller's buffers, the others into zeroed copies that are then added in slice
// order, so the result has the same bits on any number of threads.

constexpr double kMinParallelFlops = 4e5;

// A recurrent kernel above this size no longer stays in L2 between steps: every slice then
// streams all of it from L3 at every step, so such layers take fewer, taller slices.
constexpr double kCachedKernelBytes = 512 * 1024;

// Slices of the batch: from the sizes alone (never the thread count), so results repeat bit for
// bit on any number of threads. Up to 4 slices of at least 4 rows (the GEMM's row tile). When U
// is large, more than 2 slices only once each gets 32 rows: every slice streams U at every step
// (H = 256, batch 64: 4 slices of 16 rows took 204 ms per training step on one thread, 2 took
// 193), while 2 keep both cores of a small machine busy (batch 32 as one slice ran on one core).
int slices_for(const Dims& d) {
  const double flops = 2.0 * d.rows * d.GH * (d.F + d.H);
  if (flops < kMinParallelFlops) return 1;
  const bool large_u = 4.0 * d.H * d.GHp > kCachedKernelBytes;
  const int wanted = large_u ? std::max(2, d.B / 32) : 4;
  return std::max(1, std::min({4, wanted, d.B / 4}));
}

// The most rows the one-thread forward runs as one part (see parallel_forward).
constexpr int kOneThreadRows = 128;

int threads_for(int slices) { return std::max(1, std::min(timestep::cpu::thread_count(), slices)); }

Dims slice_dims(const Dims& d, long long b0, long long b1) {
  Dims s = d;
  s.B = static_cast<int>(b1 - b0);
  s.rows = static_cast<long long>(s.B) * d.T;
  return s;
}

void parallel_forward(const Dims& d, const float* x, const float* h0, const float* c0,
                      const float* kernel, const float* recurrent, const float* bias,
                      const float* extra, float* out, float* cache) {
  const long long cache_row = timestep::rnn_cache_row(d.kind, d.H);
  // The batch runs in parts, one thread each: the slices, except that on one thread it runs in
  // as few parts as keep each to kOneThreadRows rows. The forward's rows never interact and sum
  // in the same order at any row count (the same bits), and each step's product and cells then
  // have more independent work to overlap (LSTM(20) at batch 32: 179 -> 168 us). Beyond that a
  // step's buffers outgrow L2 (LSTM(64) and GRU(64) at batch 512 as one part: 4-8% slower than
  // as four).
  const int parts = threads_for(slices_for(d)) == 1
                        ? std::min(slices_for(d), (d.B + kOneThreadRows - 1) / kOneThreadRows)
                        : slices_for(d);
  bool by_step = false;
  for (int part = 0; part < parts; ++part) {
    long long b0, b1;
    timestep::cpu::slice(d.B, part, parts, b0, b1);
    by_step = by_step || projects_by_step(slice_dims(d, b0, b1));
  }
  const ForwardWeights fw(d, kernel, recurrent, bias, extra, d.B >= 2, by_step);
  timestep::cpu::run_slices(threads_for(parts), parts, [&](int part) {
    long long b0, b1;
    timestep::cpu::slice(d.B, part, parts, b0, b1);
    if (b1 == b0) return;
    const size_t r0 = static_cast<size_t>(b0) * d.T;
    forward(slice_dims(d, b0, b1), x + r0 * d.F, h0 + b0 * d.H, c0 ? c0 + b0 * d.H : nullptr, fw,
            extra, out + r0 * d.H, cache ? cache + r0 * cache_row : nullptr);
  });
}

void parallel_backward(const Dims& d, const float* x, const float* h0, const float* c0,
                       const float* kernel, const float* recurrent, const float* extra,
                       const float* out, const float* cache, const float* dout,
                       const float* dc_last, float* dx, float* dh0, float* dc0, float* dkernel,
                       float* drecurrent, float* dbias, float* dextra) {
  const int slices = slices_for(d);
  const long long cache_row = timestep::rnn_cache_row(d.kind, d.H);
  // Sizes of the four weight gradients, laid out one after the other in each slice's copy.
  const size_t nk = static_cast<size_t>(d.F) * d.GH, nr = static_cast<size_t>(d.H) * d.GH,
               nb = d.GH;
  const size_t ne = d.kind == TS_RNN_GRU         ? static_cast<size_t>(d.GH)
                    : d.kind == TS_RNN_LN_SIMPLE ? 2 * static_cast<size_t>(d.H)
                                                 : 0;
  const size_t per_thread = nk + nr + nb + ne;
  std::vector<float> partial(static_cast<size_t>(slices - 1) * per_thread, 0.0f);
  const TransposedWeights tw(d, recurrent, kernel, d.B >= 2, dx_by_gemm(d, dx));
  timestep::cpu::run_slices(threads_for(slices), slices, [&](int part) {
    long long b0, b1;
    timestep::cpu::slice(d.B, part, slices, b0, b1);
    if (b1 == b0) return;
    float* own = part == 0 ? nullptr : partial.data() + static_cast<size_t>(part - 1) * per_thread;
    const size_t r0 = static_cast<size_t>(b0) * d.T;
    backward(slice_dims(d, b0, b1), x + r0 * d.F, h0 + b0 * d.H, c0 ? c0 + b0 * d.H : nullptr,
             kernel, tw, extra, out + r0 * d.H, cache ? cache + r0 * cache_row : nullptr,
             dout + r0 * d.H, dc_last ? dc_last + b0 * d.H : nullptr, dx ? dx + r0 * d.F : nullptr,
             dh0 ? dh0 + b0 * d.H : nullptr, dc0 ? dc0 + b0 * d.H : nullptr, own ? own : dkernel,
             own ? own + nk : drecurrent, own ? own + nk + nr : dbias,
             own ? (ne ? own + nk + nr + nb : nullptr) : dextra);
  });
  for (int t = 1; t < slices; ++t) {
    const float* p = partial.data() + static_cast<size_t>(t - 1) * per_thread;
    for (size_t i = 0; i < nk; ++i) dkernel[i] += p[i];
    for (size_t i = 0; i < nr; ++i) drecurrent[i] += p[nk + i];
    for (size_t i = 0; i < nb; ++i) dbias[i] += p[nk + nr + i];
    for (size_t i = 0; i < ne; ++i) dextra[i] += p[nk + nr + nb + i];
  }
}

}  // namespace

extern "C" {

long long ts_rnn_cache_floats(int kind, int batch, int steps, int units) {
  const long long row = timestep::rnn_cache_row(kind, units);
  if (row < 0 || batch < 0 || steps < 0 || units < 0) return -1;
  return static_cast<long long>(batch) * steps * row;
}

int ts_cpu_rnn_forward(int kind, int activation, int batch, int steps, int features, int units,
                       const float* x, const float* h0, const float* c0, const float* kernel,
                       const float* recurrent, const float* bias, const float* extra, float* out,
                       float* cache) {
  Dims d{};
  if (int status = check_dims("rnn_forward", kind, activation, batch, steps, features, units,
                              kernel, recurrent, bias, extra, d))
    return status;
  TS_CPU_REQUIRE(kind == TS_RNN_LSTM || !c0, "rnn_forward: c0 is the LSTM's only (kind %d)", kind);
  if (batch == 0) return TS_OK;
  TS_CPU_REQUIRE(x && h0 && out, "rnn_forward: null x, h0 or out");
  TS_CPU_REQUIRE(kind == TS_RNN_SIMPLE || cache, "rnn_forward: null cache");
  try {
    parallel_forward(d, x, h0, c0, kernel, recurrent, bias, extra, out, cache);
  } catch (const std::bad_alloc&) {
    return timestep::fail(timestep::cpu::error_slot(), TS_ERR_OUT_OF_MEMORY,
                          "rnn_forward: out of memory");
  }
  return TS_OK;
}

int ts_cpu_rnn_backward(int kind, int activation, int batch, int steps, int features, int units,
                        const float* x, const float* h0, const float* c0, const float* kernel,
                        const float* recurrent, const float* bias, const float* extra,
                        const float* out, const float* cache, const float* dout,
                        const float* dc_last, float* dx, float* dh0, float* dc0, float* dkernel,
                        float* drecurrent, float* dbias, float* dextra) {
  Dims d{};
  if (int status = check_dims("rnn_backward", kind, activation, batch, steps, features, units,
                              kernel, recurrent, bias, extra, d))
    return status;
  TS_CPU_REQUIRE(dkernel && drecurrent && dbias, "rnn_backward: null dkernel, drecurrent or dbias");
  TS_CPU_REQUIRE(dextra || (kind != TS_RNN_GRU && kind != TS_RNN_LN_SIMPLE),
                 "rnn_backward: null dextra for kind %d", kind);
  TS_CPU_REQUIRE(kind == TS_RNN_LSTM || (!c0 && !dc_last && !dc0),
                 "rnn_backward: c0, dc_last and dc0 are the LSTM's only (kind %d)", kind);
  if (batch == 0) return TS_OK;
  TS_CPU_REQUIRE(x && h0 && out && dout, "rnn_backward: null x, h0, out or dout");
  TS_CPU_REQUIRE(kind == TS_RNN_SIMPLE || cache, "rnn_backward: null cache");
  try {
    parallel_backward(d, x, h0, c0, kernel, recurrent, extra, out, cache, dout, dc_last, dx, dh0,
                      dc0, dkernel, drecurrent, dbias, dextra);
  } catch (const std::bad_alloc&) {
    return timestep::fail(timestep::cpu::error_slot(), TS_ERR_OUT_OF_MEMORY,
                          "rnn_backward: out of memory");
  }
  return TS_OK;
}

}  // extern "C"
