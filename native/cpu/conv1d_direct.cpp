// The direct path of the CPU 1-D convolution (conv1d.h), for layers of at most 32 output
// channels (and 32 input channels when dx is wanted): the chapter's Conv1D and WaveNet.
//
// Why not im2col + GEMM here: with 20 channels the GEMM's 32-wide tile wastes 37% of its
// lanes, the im2col copy and its transpose cost as much as the products, and one thread
// cannot reach the speed the WaveNet needs. Here every product is a register tile of R rows
// by NV vectors of 8 floats (the channel count rounded up to 8, so 20 channels use 24 lanes)
// that reads the input rows in place:
//   forward  z[t, :] = bias + sum_k sum_ci x[t*s + k*d - p, ci] * W[k, ci, :]
//            the taps of one output row are rows of x a fixed distance apart, so a tile of
//            output rows is a tile of "A" rows with row stride s*Cin and tap stride d*Cin;
//   dx       dx[t*s + k*d - p, :] += sum_co dz[t, co] * W[k, :, co], tap by tap (scatter);
//   dW       dW[k, ci, :] += sum_t x[t*s + k*d - p, ci] * dz[t, :], J (k, ci) pairs at a time.
// Input rows outside [0, T) are zeros: a window that reaches past the series is first copied
// into a zero-padded buffer; inside the series x is read where it lies.
// Threads: forward hands out (batch, time-chunk) items, backward up to 8 slices of the batch;
// dW and db partial sums are kept per slice (in double) and added in slice order, so a result
// has the same bits whatever the thread count.
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "add_rows.h"
#include "conv1d.h"
#include "parallel.h"
#include "scratch.h"
#include "simd.h"
#include "timestep/math.h"
#include "timestep/status.h"

namespace timestep::cpu::conv1d {
namespace {

constexpr int kLanes = 8;           // one AVX2 register (on AVX-512 machines, the 32 ymm registers)
constexpr int kMaxVectors = 4;      // 32 channels
constexpr int kForwardChunk = 256;  // output rows of one forward work item
constexpr int kWeightRows = 256;    // rows summed in float before the double accumulator (dW)
constexpr double kMinParallelFlops = 2e5;
constexpr int kBackwardSlices = 8;  // partial sums of dW and db: a few, so adding them stays cheap

// The helpers below are always inlined into the instruction-set clones; GCC's note that a
// 32-byte vector changes the calling convention without AVX does not apply to them.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4), may_alias));
inline v8 load(const float* p) { return *reinterpret_cast<const v8u*>(p); }
inline void store(float* p, const v8& v) { *reinterpret_cast<v8u*>(p) = v; }

inline int vectors_for(int channels) { return (channels + kLanes - 1) / kLanes; }
// Rows per tile, by the build the loader picked: where it is the AVX-512 one, 24 accumulators at
// most (of its 32 vector registers); else 12 (of AVX2's 16: sized for 32, the AVX2 build spilled
// them, and its WaveNet training step took 2.1x the AVX-512 build's time). Each output sums in the
// same order whatever the rows, so both give the same bits.
template <bool Wide>
constexpr int tile_rows(int nv) {
  if constexpr (Wide) return nv == 1 ? 12 : nv == 2 ? 12 : nv == 3 ? 8 : 6;
  return nv == 1 ? 12 : nv == 2 ? 6 : nv == 3 ? 4 : 3;
}

// How a tile writes its rows: all NV*8 lanes (cols == NV*8, into padded scratch rows), or only
// the first `cols` (straight into the caller's rows of `cols` floats), with relu applied first
// when asked (so a linear or relu layer needs no separate activation pass).
struct Store {
  int cols;
  bool relu;
};

inline void store_row(float* c, const v8* acc, int nv, Store out) {
  for (int v = 0; v < nv; ++v) {
    v8 x = acc[v];
    if (out.relu) x = x > 0.0f ? x : 0.0f;
    const int lanes = out.cols - v * kLanes;
    if (lanes >= kLanes) {
      store(c + v * kLanes, x);
    } else {
      for (int l = 0; l < lanes; ++l) c[v * kLanes + l] = x[l];
    }
  }
}

// c[r, :NV*8] = init[r] + sum_{k<taps} sum_{q<depth} a[r*a_row + k*a_tap + q] * w[(k*depth + q),
// :NV*8] for R rows (c rows c_row apart, w rows NV*8 floats), written as `out` says. init rows are
// init_row apart: c itself (init = c, init_row = c_row) to accumulate, or one bias row
// (init_row = 0).
template <int R, int NV>
TS_SIMD_CLONES void tile(const float* a, long a_row, int taps, long a_tap, int depth,
                         const float* w, const float* init, long init_row, float* c, long c_row,
                         Store out) {
  v8 acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = load(init + r * init_row + v * kLanes);
  for (int k = 0; k < taps; ++k) {
    const float* ak = a + k * a_tap;
    const float* wk = w + static_cast<long>(k) * depth * NV * kLanes;
    for (int q = 0; q < depth; ++q) {
      v8 wv[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) wv[v] = load(wk + (q * NV + v) * kLanes);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const float s = ak[r * a_row + q];
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[r][v] += s * wv[v];
      }
    }
  }
  if (out.cols == NV * kLanes && !out.relu) {
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) store(c + r * c_row + v * kLanes, acc[r][v]);
  } else {
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) store_row(c + r * c_row, acc[r], NV, out);
  }
}

// tile() over n rows: full tiles, then one tile of the remaining rows.
template <int NV, bool Wide>
void tiles(int n, const float* a, long a_row, int taps, long a_tap, int depth, const float* w,
           const float* init, long init_row, float* c, long c_row, Store out) {
  constexpr int R = tile_rows<Wide>(NV);
  int r = 0;
  for (; r + R <= n; r += R)
    tile<R, NV>(a + r * a_row, a_row, taps, a_tap, depth, w, init + r * init_row, init_row,
                c + r * c_row, c_row, out);
  const float* ar = a + r * a_row;
  const float* ir = init + r * init_row;
  float* cr = c + r * c_row;
  switch (n - r) {
    // A table of cases written by a macro, kept as written:
    // clang-format off
#define TS_TILE_CASE(rows) \
  case rows: tile<rows, NV>(ar, a_row, taps, a_tap, depth, w, ir, init_row, cr, c_row, out); break;
    TS_TILE_CASE(1) TS_TILE_CASE(2) TS_TILE_CASE(3) TS_TILE_CASE(4) TS_TILE_CASE(5) TS_TILE_CASE(6)
    TS_TILE_CASE(7) TS_TILE_CASE(8) TS_TILE_CASE(9) TS_TILE_CASE(10) TS_TILE_CASE(11)
#undef TS_TILE_CASE
    default: break;
    // clang-format on
  }
}

void run_tiles(int nv, int n, const float* a, long a_row, int taps, long a_tap, int depth,
               const float* w, const float* init, long init_row, float* c, long c_row, Store out) {
  static const bool wide = timestep::cpu::runs_avx512_build();
  auto run = [&](auto nv_const) {
    constexpr int NV = decltype(nv_const)::value;
    if (wide)
      tiles<NV, true>(n, a, a_row, taps, a_tap, depth, w, init, init_row, c, c_row, out);
    else
      tiles<NV, false>(n, a, a_row, taps, a_tap, depth, w, init, init_row, c, c_row, out);
  };
  switch (nv) {
    case 1: run(std::integral_constant<int, 1>{}); break;
    case 2: run(std::integral_constant<int, 2>{}); break;
    case 3: run(std::integral_constant<int, 3>{}); break;
    default: run(std::integral_constant<int, 4>{}); break;
  }
}

// out[j, :NV*8] += sum_{r<n} x[r*x_row + off[j]] * g[r*g_row, :NV*8] for J (k, ci) pairs.
template <int J, int NV>
TS_SIMD_CLONES void weight_tile(const float* x, long x_row, const long* off, const float* g,
                                long g_row, int n, float* out) {
  v8 acc[J][NV];
#pragma GCC unroll 16
  for (int j = 0; j < J; ++j)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[j][v] = load(out + (j * NV + v) * kLanes);
  long o[J];
#pragma GCC unroll 16
  for (int j = 0; j < J; ++j) o[j] = off[j];
  for (int r = 0; r < n; ++r) {
    v8 gv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) gv[v] = load(g + r * g_row + v * kLanes);
    const float* xr = x + r * x_row;
#pragma GCC unroll 16
    for (int j = 0; j < J; ++j) {
      const float s = xr[o[j]];
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[j][v] += s * gv[v];
    }
  }
#pragma GCC unroll 16
  for (int j = 0; j < J; ++j)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) store(out + (j * NV + v) * kLanes, acc[j][v]);
}

// weight_tile() over `pairs` offsets: full groups, then one group of the rest.
template <int NV, bool Wide>
void weight_tiles(int pairs, const float* x, long x_row, const long* off, const float* g,
                  long g_row, int n, float* out) {
  constexpr int J = tile_rows<Wide>(NV);
  int j = 0;
  for (; j + J <= pairs; j += J)
    weight_tile<J, NV>(x, x_row, off + j, g, g_row, n, out + j * NV * kLanes);
  const long* oj = off + j;
  float* outj = out + j * NV * kLanes;
  switch (pairs - j) {
    // A table of cases written by a macro, kept as written:
    // clang-format off
#define TS_WEIGHT_CASE(pairs) \
  case pairs: weight_tile<pairs, NV>(x, x_row, oj, g, g_row, n, outj); break;
    TS_WEIGHT_CASE(1) TS_WEIGHT_CASE(2) TS_WEIGHT_CASE(3) TS_WEIGHT_CASE(4) TS_WEIGHT_CASE(5) TS_WEIGHT_CASE(6)
    TS_WEIGHT_CASE(7) TS_WEIGHT_CASE(8) TS_WEIGHT_CASE(9) TS_WEIGHT_CASE(10) TS_WEIGHT_CASE(11)
#undef TS_WEIGHT_CASE
    default: break;
    // clang-format on
  }
}

void run_weight_tiles(int nv, int pairs, const float* x, long x_row, const long* off,
                      const float* g, long g_row, int n, float* out) {
  static const bool wide = timestep::cpu::runs_avx512_build();
  auto run = [&](auto nv_const) {
    constexpr int NV = decltype(nv_const)::value;
    if (wide)
      weight_tiles<NV, true>(pairs, x, x_row, off, g, g_row, n, out);
    else
      weight_tiles<NV, false>(pairs, x, x_row, off, g, g_row, n, out);
  };
  switch (nv) {
    case 1: run(std::integral_constant<int, 1>{}); break;
    case 2: run(std::integral_constant<int, 2>{}); break;
    case 3: run(std::integral_constant<int, 3>{}); break;
    default: run(std::integral_constant<int, 4>{}); break;
  }
}

// acc[:NV*8] += sum_{r<n} g[r*g_row, :NV*8] (the bias gradient).
template <int NV>
TS_SIMD_CLONES void column_sums(const float* g, long g_row, int n, float* acc) {
  v8 sum[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) sum[v] = load(acc + v * kLanes);
  for (int r = 0; r < n; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) sum[v] += load(g + r * g_row + v * kLanes);
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) store(acc + v * kLanes, sum[v]);
}

void run_column_sums(int nv, const float* g, long g_row, int n, float* acc) {
  switch (nv) {
    case 1: column_sums<1>(g, g_row, n, acc); break;
    case 2: column_sums<2>(g, g_row, n, acc); break;
    case 3: column_sums<3>(g, g_row, n, acc); break;
    default: column_sums<4>(g, g_row, n, acc); break;
  }
}

// The scratch of one work item or slice, in three slots that only grow while it runs. Taken
// from scratch.h, so buffers of 4 MB and more (a backward over a long series) are reused from
// its cache, counted and released with it, rather than held by each worker thread for good.
class Buffers {
 public:
  float* get(int slot, size_t floats) {
    if (sizes_[slot] < floats) {
      slots_[slot] = uninitialized(floats);
      sizes_[slot] = floats;
    }
    return slots_[slot].data();
  }

 private:
  Scratch slots_[3];
  size_t sizes_[3] = {};
};

// The rows of x that output rows [t0, t1) of batch element b read, as a pointer to the row
// of padded position t0*s (padded position u is input step u - p), x itself when they all
// lie inside the series, else a zero-padded copy in scratch slot 0.
const float* input_window(const Conv& c, const float* x, int b, int t0, int t1, Buffers& scratch) {
  const long first = static_cast<long>(t0) * c.s - c.p;  // input step of the window's first row
  const long rows = static_cast<long>(t1 - 1 - t0) * c.s + static_cast<long>(c.K - 1) * c.d + 1;
  const float* xb = x + static_cast<size_t>(b) * c.T * c.Cin;
  if (first >= 0 && first + rows <= c.T) return xb + first * c.Cin;
  float* win = scratch.get(0, static_cast<size_t>(rows) * c.Cin);
  const long lo = std::max<long>(first, 0),
             hi = std::min<long>(first + rows, c.T);  // inside: [lo, hi)
  const size_t row_bytes = sizeof(float) * c.Cin;
  if (hi <= lo) {
    std::memset(win, 0, rows * row_bytes);
    return win;
  }
  std::memset(win, 0, (lo - first) * row_bytes);
  std::memcpy(win + (lo - first) * c.Cin, xb + lo * c.Cin, (hi - lo) * row_bytes);
  std::memset(win + (hi - first) * c.Cin, 0, (first + rows - hi) * row_bytes);
  return win;
}

// Output rows [t0, t1) cut where their input windows stop needing zero padding: the rows
// before `first_inside` and from `last_inside` on read padding (a small copied window), the
// rows between read x in place. Calls body(ta, tb) for each non-empty piece, in order.
template <typename Body>
void padding_pieces(const Conv& c, int t0, int t1, Body body) {
  // t*s - p >= 0  and  t*s + (K-1)*d - p <= T-1
  const long reach = static_cast<long>(c.K - 1) * c.d;
  const long first_inside = (c.p + c.s - 1) / c.s;
  const long last_inside =
      c.T - 1 - reach + c.p >= 0 ? (c.T - 1 - reach + c.p) / c.s + 1 : 0;  // exclusive
  const int a = static_cast<int>(std::clamp<long>(first_inside, t0, t1));
  const int b = static_cast<int>(std::clamp<long>(std::max<long>(last_inside, a), a, t1));
  if (a > t0) body(t0, a);
  if (b > a) body(a, b);
  if (t1 > b) body(b, t1);
}

// w [rows, cols] copied into rows of NV*8 floats with zero padding lanes.
void pack_rows(const float* w, int rows, int cols, int nv, float* out) {
  const int width = nv * kLanes;
  for (int r = 0; r < rows; ++r) {
    std::memcpy(out + static_cast<size_t>(r) * width, w + static_cast<size_t>(r) * cols,
                sizeof(float) * cols);
    std::fill(out + static_cast<size_t>(r) * width + cols, out + static_cast<size_t>(r + 1) * width,
              0.0f);
  }
}

int threads_for(const Conv& c, long long items) {
  const double flops = 2.0 * c.rows * c.K * c.Cin * c.Cout;
  if (flops < kMinParallelFlops) return 1;
  return static_cast<int>(std::max<long long>(1, std::min<long long>(thread_count(), items)));
}

}  // namespace

bool direct_fits(const Conv& c, bool with_dx) {
  return c.Cout <= kMaxVectors * kLanes && (!with_dx || c.Cin <= kMaxVectors * kLanes);
}

void direct_forward(const Conv& c, const float* x, const float* kernel, const float* bias,
                    float* y) {
  const int nv = vectors_for(c.Cout), width = nv * kLanes;
  std::vector<float> w(static_cast<size_t>(c.KC) * width);
  pack_rows(kernel, c.KC, c.Cout, nv, w.data());
  std::vector<float> b_row(width, 0.0f);
  if (bias) std::copy_n(bias, c.Cout, b_row.begin());

  const long long chunks = (c.Tout + kForwardChunk - 1) / kForwardChunk;
  const long long items = static_cast<long long>(c.B) * chunks;
  run_slices(threads_for(c, items), static_cast<int>(items), [&](int item) {
    {
      const int b = static_cast<int>(item / chunks);
      const int t0 = static_cast<int>(item % chunks) * kForwardChunk;
      const int t1 = std::min(t0 + kForwardChunk, c.Tout), n = t1 - t0;
      float* yb = y + (static_cast<size_t>(b) * c.Tout + t0) * c.Cout;
      // Linear and relu are applied as the tiles store straight into y; tanh and sigmoid go
      // through padded scratch rows and one vectorized pass.
      const bool direct_store = c.act == TS_ACT_LINEAR || c.act == TS_ACT_RELU;
      Buffers scratch;
      float* z = direct_store ? yb : scratch.get(1, static_cast<size_t>(n) * width);
      const long z_row = direct_store ? c.Cout : width;
      const Store out = direct_store ? Store{c.Cout, c.act == TS_ACT_RELU} : Store{width, false};
      padding_pieces(c, t0, t1, [&](int ta, int tb) {
        const float* a = input_window(c, x, b, ta, tb, scratch);
        run_tiles(nv, tb - ta, a, static_cast<long>(c.s) * c.Cin, c.K,
                  static_cast<long>(c.d) * c.Cin, c.Cin, w.data(), b_row.data(), 0,
                  z + static_cast<size_t>(ta - t0) * z_row, z_row, out);
      });
      if (!direct_store) activate_rows(c.act, z, width, yb, n, c.Cout);
    }
  });
}

void direct_backward(const Conv& c, const float* x, const float* kernel, const float* y,
                     const float* dy, float* dx, float* dkernel, float* dbias) {
  const int nv = vectors_for(c.Cout), width = nv * kLanes;
  const int nv_in = vectors_for(c.Cin), width_in = nv_in * kLanes;
  // W^T per tap, [K][Cout, Cin rounded up to 8], for dx.
  std::vector<float> wt;
  if (dx) {
    wt.assign(static_cast<size_t>(c.K) * c.Cout * width_in, 0.0f);
    for (int k = 0; k < c.K; ++k)
      for (int ci = 0; ci < c.Cin; ++ci)
        for (int co = 0; co < c.Cout; ++co)
          wt[(static_cast<size_t>(k) * c.Cout + co) * width_in + ci] =
              kernel[(static_cast<size_t>(k) * c.Cin + ci) * c.Cout + co];
  }
  // Where the (k, ci) pair of dW reads its input, relative to the output row's window row.
  std::vector<long> off(c.KC);
  for (int k = 0; k < c.K; ++k)
    for (int ci = 0; ci < c.Cin; ++ci)
      off[k * c.Cin + ci] = static_cast<long>(k) * c.d * c.Cin + ci;

  // Batch elements in a fixed number of slices, each with its own partial dW and db, added in
  // slice order: the same bits whatever the thread count.
  const int slices = std::min(c.B, kBackwardSlices);
  const int threads = threads_for(c, slices);
  const size_t dw_size = static_cast<size_t>(c.KC) * c.Cout;
  std::vector<double> dw_partial(slices * dw_size, 0.0),
      db_partial(slices * static_cast<size_t>(c.Cout), 0.0);
  const long in_rows = static_cast<long>(c.Tout - 1) * c.s + static_cast<long>(c.K - 1) * c.d + 1;

  run_slices(threads, slices, [&](int part) {
    long long begin, end;
    slice(c.B, part, slices, begin, end);
    double* dw_acc = dw_partial.data() + part * dw_size;
    double* db_acc = db_partial.data() + static_cast<size_t>(part) * c.Cout;
    // dz rows are Cout floats apart, as dy's, so the slope is one flat loop; the tiles read
    // whole vectors of a row, up to 7 floats past its end (zero slack after the last row),
    // into lanes whose results are dropped.
    const size_t dz_floats = static_cast<size_t>(c.Tout) * c.Cout;
    Buffers scratch;
    float* dz = scratch.get(1, dz_floats + kLanes);
    std::fill(dz + dz_floats, dz + dz_floats + kLanes, 0.0f);
    // dW and db are summed in float over up to kWeightRows rows, then added in double.
    const size_t dw_f_size = static_cast<size_t>(c.KC) * width;
    float* dw_f =
        scratch.get(2, dw_f_size + width + (dx ? static_cast<size_t>(in_rows) * width_in : 0));
    float* db_f = dw_f + dw_f_size;
    float* dx_win = db_f + width;
    std::fill(dw_f, dw_f + dw_f_size + width, 0.0f);
    int rows_in_float = 0;
    auto flush = [&] {
      for (int j = 0; j < c.KC; ++j)
        for (int co = 0; co < c.Cout; ++co)
          dw_acc[static_cast<size_t>(j) * c.Cout + co] += dw_f[static_cast<size_t>(j) * width + co];
      for (int co = 0; co < c.Cout; ++co) db_acc[co] += db_f[co];
      std::fill(dw_f, dw_f + dw_f_size + width, 0.0f);
      rows_in_float = 0;
    };
    for (long long bb = begin; bb < end; ++bb) {
      const int b = static_cast<int>(bb);
      const size_t out0 = static_cast<size_t>(b) * c.Tout * c.Cout;
      slope_rows(c.act, y + out0, dy + out0, dz, static_cast<int>(dz_floats), 1,
                 static_cast<int>(dz_floats));
      padding_pieces(c, 0, c.Tout, [&](int ta, int tb) {
        const float* a = input_window(c, x, b, ta, tb, scratch);
        for (int t0 = ta; t0 < tb; t0 += kWeightRows) {
          const int n = std::min(kWeightRows, tb - t0);
          if (rows_in_float + n > kWeightRows) flush();
          const float* g = dz + static_cast<size_t>(t0) * c.Cout;
          run_weight_tiles(nv, c.KC, a + static_cast<size_t>(t0 - ta) * c.s * c.Cin,
                           static_cast<long>(c.s) * c.Cin, off.data(), g, c.Cout, n, dw_f);
          if (dbias) run_column_sums(nv, g, c.Cout, n, db_f);
          rows_in_float += n;
        }
      });
      if (!dx) continue;
      // dx: scatter every tap into a zeroed window of padded rows, then add the rows that are
      // inside the series.
      std::fill(dx_win, dx_win + static_cast<size_t>(in_rows) * width_in, 0.0f);
      for (int k = 0; k < c.K; ++k) {
        float* rows = dx_win + static_cast<size_t>(k) * c.d * width_in;
        const long row = static_cast<long>(c.s) * width_in;
        run_tiles(nv_in, c.Tout, dz, c.Cout, 1, 0, c.Cout,
                  wt.data() + static_cast<size_t>(k) * c.Cout * width_in, rows, row, rows, row,
                  Store{width_in, false});
      }
      const long lo = std::max<long>(0, c.p),
                 hi = std::min<long>(in_rows, static_cast<long>(c.T) + c.p);
      if (hi > lo)
        add_rows(dx_win + static_cast<size_t>(lo) * width_in, width_in,
                 dx + (static_cast<size_t>(b) * c.T + (lo - c.p)) * c.Cin, c.Cin, hi - lo, c.Cin);
    }
    flush();
  });
  for (int t = 1; t < slices; ++t) {
    for (size_t j = 0; j < dw_size; ++j) dw_partial[j] += dw_partial[t * dw_size + j];
    for (int co = 0; co < c.Cout; ++co)
      db_partial[co] += db_partial[static_cast<size_t>(t) * c.Cout + co];
  }
  for (size_t j = 0; j < dw_size; ++j) dkernel[j] += static_cast<float>(dw_partial[j]);
  if (dbias)
    for (int co = 0; co < c.Cout; ++co) dbias[co] += static_cast<float>(db_partial[co]);
}

}  // namespace timestep::cpu::conv1d
