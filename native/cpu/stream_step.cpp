// The fused streaming step (stream_step, see cpu_api.h): one new point of many live streams
// through a whole stack of recurrent and dense layers in one call. A point is a few thousand
// multiply-adds, so what this saves is the per-layer calls, allocations and state copies of
// running each layer's whole-sequence op on one step: here each stream's states are read and
// written in place in its slab row, the layers' vectors live in a per-thread scratch that only
// grows, and nothing is allocated once that scratch is large enough.
//
// Each stream is a chain of vector-matrix products a[j] += x[k] * W[k, j] over contiguous rows
// of W (which vectorize), then the same per-unit cell math as ts_cpu_rnn_forward (cells.h with
// FastMath, compiled for the same targets), so the two agree to float rounding: the batch
// kernels sum the products in the GEMM's order, this in k order.
#include <algorithm>
#include <climits>
#include <cstring>
#include <new>
#include <type_traits>
#include <vector>

#include "chunked.h"
#include "errors.h"
#include "fast_math.h"
#include "parallel.h"
#include "simd.h"
#include "timestep/cells.h"
#include "timestep/cpu_api.h"
#include "timestep/math.h"
#include "timestep/stream_plan.h"

namespace {

using M = timestep::cpu::FastMath;
using timestep::cpu::chunked;

using Layer = timestep::StreamLayer;
using Stack = timestep::StreamStack;

// Checks the plan and the weights; the per-stream arrays are checked by the caller.
int read_plan(const int* plan, float* const* buffers, Stack& s) {
  return timestep::read_stream_plan(plan, buffers, s, timestep::cpu::error_slot());
}

// The products are summed in the order of the shared GEMM (matmul.cpp), so that a stream's
// outputs equal a batch-1 predict over its history, or nearly: the batch runs the input
// projection and the dense layers over all steps at once (its tiled path: per element a chain
// of multiply-adds from zero for every kGemmDepth rows of W, then added to the output) and the
// recurrent product one row per step (its row path: for each full group of 16 columns of the
// padded width, two chains over the even and the odd rows, added in that order; the columns
// past the last such group take the tiled path).
constexpr int kGemmDepth = 128;  // matmul.cpp's kDepth
constexpr int kLanes = 16;
// The summation orders: the GEMM's tiled path, its one-row path, and the direct convolution's
// one chain per output from its bias (conv1d_direct.cpp).
constexpr int kTiledOrder = 0;
constexpr int kRowOrder = 1;
constexpr int kChainOrder = 2;  // one AVX-512 register, the row path's column group

// 16 columns as gcc vectors, so that each block's partial sums stay in registers across k
// (summing into memory made every multiply-add wait on the store of the one before): one vector
// of VL = 16 floats where the AVX-512 build runs, else two of 8. gcc lowers a 16-float vector on
// AVX2 through the stack (a streaming LSTM step took 6x as long there). Each element sums in the
// same order either way.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float v8 __attribute__((vector_size(32)));
typedef float v16 __attribute__((vector_size(64)));
template <int VL>
using vec_of = std::conditional_t<VL == 16, v16, v8>;
template <int VL>
TS_INLINE vec_of<VL> load_v(const float* p) {
  vec_of<VL> v;
  __builtin_memcpy(&v, p, sizeof v);  // an unaligned load
  return v;
}
template <int VL>
TS_INLINE void store_v(float* p, const vec_of<VL>& v) {
  __builtin_memcpy(p, &v, sizeof v);
}

// V blocks of 16 columns from column j, all in registers at once, so that their chains of
// multiply-adds (each element's own, in the GEMM's order) overlap instead of waiting on each
// other. Row: the row path's even and odd chains over all of k; else the tiled path's chain
// per kGemmDepth rows.
template <int V, int Order, int VL>
TS_INLINE void blocks16(const float* __restrict x, int k_count, const float* __restrict w, int n,
                        int j, float* __restrict c) {
  using vec = vec_of<VL>;
  constexpr int N = V * (kLanes / VL);  // vectors, VL floats apart from column j
  if (Order == kChainOrder) {
    vec acc[N];
    for (int v = 0; v < N; ++v) acc[v] = load_v<VL>(c + j + VL * v);
    for (int p = 0; p < k_count; ++p) {
      const float* wp = w + static_cast<size_t>(p) * n + j;
      for (int v = 0; v < N; ++v) acc[v] += x[p] * load_v<VL>(wp + VL * v);
    }
    for (int v = 0; v < N; ++v) store_v<VL>(c + j + VL * v, acc[v]);
    return;
  }
  if (Order == kRowOrder) {
    vec even[N], odd[N];
    for (int v = 0; v < N; ++v) even[v] = odd[v] = vec{};
    int p = 0;
    for (; p + 2 <= k_count; p += 2) {
      const float* w0 = w + static_cast<size_t>(p) * n + j;
      const float* w1 = w0 + n;
      for (int v = 0; v < N; ++v) {
        even[v] += x[p] * load_v<VL>(w0 + VL * v);
        odd[v] += x[p + 1] * load_v<VL>(w1 + VL * v);
      }
    }
    if (p < k_count) {
      const float* w0 = w + static_cast<size_t>(p) * n + j;
      for (int v = 0; v < N; ++v) even[v] += x[p] * load_v<VL>(w0 + VL * v);
    }
    for (int v = 0; v < N; ++v)
      store_v<VL>(c + j + VL * v, load_v<VL>(c + j + VL * v) + even[v] + odd[v]);
    return;
  }
  for (int p0 = 0; p0 < k_count; p0 += kGemmDepth) {
    const int p1 = std::min(k_count, p0 + kGemmDepth);
    vec acc[N];
    for (int v = 0; v < N; ++v) acc[v] = vec{};
    for (int p = p0; p < p1; ++p) {
      const float* wp = w + static_cast<size_t>(p) * n + j;
      for (int v = 0; v < N; ++v) acc[v] += x[p] * load_v<VL>(wp + VL * v);
    }
    for (int v = 0; v < N; ++v) store_v<VL>(c + j + VL * v, load_v<VL>(c + j + VL * v) + acc[v]);
  }
}

// Columns [0, full) (a multiple of 16) in groups of up to 8 blocks.
template <int Order, int VL>
TS_INLINE void full_blocks(const float* __restrict x, int k_count, const float* __restrict w, int n,
                           int full, float* __restrict c) {
  for (int j = 0; j < full;) {
    const int groups = std::min(8, (full - j) / kLanes);
    switch (groups) {
      case 8: blocks16<8, Order, VL>(x, k_count, w, n, j, c); break;
      case 7: blocks16<7, Order, VL>(x, k_count, w, n, j, c); break;
      case 6: blocks16<6, Order, VL>(x, k_count, w, n, j, c); break;
      case 5: blocks16<5, Order, VL>(x, k_count, w, n, j, c); break;
      case 4: blocks16<4, Order, VL>(x, k_count, w, n, j, c); break;
      case 3: blocks16<3, Order, VL>(x, k_count, w, n, j, c); break;
      case 2: blocks16<2, Order, VL>(x, k_count, w, n, j, c); break;
      default: blocks16<1, Order, VL>(x, k_count, w, n, j, c); break;
    }
    j += groups * kLanes;
  }
}

// Columns [from, to) of the product, computed as L lanes over columns [start, start + L) (which
// may begin before `from`: lanes left of it are recomputed and dropped, so that a few leftover
// columns still run as one vector instead of scalar chains). Each lane sums in the row or the
// tiled path's order, as blocks16 does.
template <int L, int Order>
TS_INLINE void lanes_of(const float* __restrict x, int k_count, const float* __restrict w, int n,
                        int start, int from, int to, float* __restrict c) {
  typedef float vec __attribute__((vector_size(4 * L)));
  typedef float unaligned __attribute__((vector_size(4 * L), aligned(4), may_alias));
  auto load = [&](int p) {
    return *reinterpret_cast<const unaligned*>(w + static_cast<size_t>(p) * n + start);
  };
  alignas(64) float a[L], b[L];
  if (Order == kChainOrder) {
    for (int j = 0; j < L; ++j) a[j] = c[start + j];
    vec acc = *reinterpret_cast<const vec*>(a);
    for (int p = 0; p < k_count; ++p) acc += x[p] * load(p);
    *reinterpret_cast<vec*>(a) = acc;
    for (int j = from; j < to; ++j) c[j] = a[j - start];
    return;
  }
  if (Order == kRowOrder) {
    vec even = {}, odd = {};
    int p = 0;
    for (; p + 2 <= k_count; p += 2) {
      even += x[p] * load(p);
      odd += x[p + 1] * load(p + 1);
    }
    if (p < k_count) even += x[p] * load(p);
    *reinterpret_cast<vec*>(a) = even;
    *reinterpret_cast<vec*>(b) = odd;
    for (int j = from; j < to; ++j) c[j] = c[j] + a[j - start] + b[j - start];
    return;
  }
  for (int p0 = 0; p0 < k_count; p0 += kGemmDepth) {
    const int p1 = std::min(k_count, p0 + kGemmDepth);
    vec acc = {};
    for (int p = p0; p < p1; ++p) acc += x[p] * load(p);
    *reinterpret_cast<vec*>(a) = acc;
    for (int j = from; j < to; ++j) c[j] += a[j - start];
  }
}

// Columns [from, to), to - from < 16, with 16 or 8 lanes where the row has room, else one lane.
template <int Order, int VL>
TS_INLINE void leftover(const float* __restrict x, int k_count, const float* __restrict w, int n,
                        int from, int to, float* __restrict c) {
  if (from >= to) return;
  if (to >= kLanes && VL == 16) {
    lanes_of<kLanes, Order>(x, k_count, w, n, to - kLanes, from, to, c);
  } else if (to >= kLanes) {  // the 16 columns ending at `to` as two vectors of 8
    const int start = to - kLanes, mid = start + 8;
    if (from < mid) lanes_of<8, Order>(x, k_count, w, n, start, from, mid, c);
    lanes_of<8, Order>(x, k_count, w, n, mid, std::max(from, mid), to, c);
  } else if (to >= 8) {
    int j = from;
    if (to - j > 8) {
      lanes_of<8, Order>(x, k_count, w, n, j, j, j + 8, c);
      j += 8;
    }
    lanes_of<8, Order>(x, k_count, w, n, to - 8, j, to, c);
  } else {
    for (int j = from; j < to; ++j) lanes_of<1, Order>(x, k_count, w, n, j, j, j + 1, c);
  }
}

// c[j] += sum_k x[k] W[k, j] for j < n (W rows n floats apart), as the tiled path sums it.
template <int VL>
TS_INLINE void add_product_tiled(const float* __restrict x, int k_count, const float* __restrict w,
                                 int n, float* __restrict c) {
  const int full = n / kLanes * kLanes;
  full_blocks<kTiledOrder, VL>(x, k_count, w, n, full, c);
  leftover<kTiledOrder, VL>(x, k_count, w, n, full, n, c);
}

// The same product as the row path sums it, for a width the batch pads to a multiple of 8.
template <int VL>
TS_INLINE void add_product_row(const float* __restrict x, int k_count, const float* __restrict w,
                               int n, float* __restrict c) {
  // columns in the row path's groups of 16 (the last one may be padding in the batch)
  const int grouped = std::min(n, timestep::cpu::round_up(n, 8) / kLanes * kLanes);
  const int full = grouped / kLanes * kLanes;
  full_blocks<kRowOrder, VL>(x, k_count, w, n, full, c);
  leftover<kRowOrder, VL>(x, k_count, w, n, full, grouped, c);
  // the columns past the last group: the tiled path's order
  leftover<kTiledOrder, VL>(x, k_count, w, n, grouped, n, c);
}

// c[j] = c[j] + sum_k x[k] W[k, j], one chain per column starting from c (the direct
// convolution's order, with c its bias).
template <int VL>
TS_INLINE void add_product_chain(const float* __restrict x, int k_count, const float* __restrict w,
                                 int n, float* __restrict c) {
  const int full = n / kLanes * kLanes;
  full_blocks<kChainOrder, VL>(x, k_count, w, n, full, c);
  leftover<kChainOrder, VL>(x, k_count, w, n, full, n, c);
}

// The cells and the copies run in whole vectors (chunked.h), so every loop writes a buffer it
// does not read: the new states go to scratch first, then over the old ones.
#define TS_CHUNKS(n, ...) chunked((n), [&](int j, auto m) TS_INLINE_LAMBDA { __VA_ARGS__; })

TS_INLINE void copy_units(int n, const float* __restrict from, float* __restrict to) {
  TS_CHUNKS(n, for (int u = 0; u < m; ++u) to[j + u] = from[j + u]);
}

// h = act(a) over n units: the recurrent cells' activations (FastMath), or with `Layer` the
// dense layer's and the convolution's (math.h's, as ts_cpu_activation computes them)
template <int Act, bool Layer>
TS_INLINE void activate_units(int n, const float* __restrict a, float* __restrict h) {
  TS_CHUNKS(
      n, for (int u = 0; u < m; ++u) h[j + u] =
             Layer ? timestep::activate(Act, a[j + u]) : timestep::rnn_activate<M>(Act, a[j + u]));
}

template <bool Layer = false>
TS_INLINE void activate_cell(int act, int n, const float* __restrict a, float* __restrict h) {
  switch (act) {
    case TS_ACT_TANH: activate_units<TS_ACT_TANH, Layer>(n, a, h); break;
    case TS_ACT_SIGMOID: activate_units<TS_ACT_SIGMOID, Layer>(n, a, h); break;
    case TS_ACT_RELU: activate_units<TS_ACT_RELU, Layer>(n, a, h); break;
    default: activate_units<TS_ACT_LINEAR, Layer>(n, a, h); break;
  }
}

// z: the 4H pre-activations; gates: 4H floats of scratch; c_prev -> c, h
TS_INLINE void lstm_cell(int H, const float* __restrict z, float* __restrict gates,
                         const float* __restrict c_prev, float* __restrict c, float* __restrict h) {
  // every gate through lstm_gate, as the batch kernel runs them: s = 1 for the g block, else 1/2
  TS_CHUNKS(
      4 * H, for (int u = 0; u < m; ++u) {
        const int k = j + u;
        gates[k] = timestep::lstm_gate<M>(z[k], k >= 2 * H && k < 3 * H ? 1.0f : 0.5f);
      });
  const float* __restrict i = gates;
  const float* __restrict f = gates + H;
  const float* __restrict g = gates + 2 * H;
  const float* __restrict o = gates + 3 * H;
  TS_CHUNKS(
      H, for (int u = 0; u < m; ++u) {
        float cj, hj;
        timestep::lstm_cell_state<M>(i[j + u], f[j + u], g[j + u], o[j + u], c_prev[j + u], cj, hj);
        c[j + u] = cj;
        h[j + u] = hj;
      });
}

TS_INLINE void gru_cell(int H, const float* __restrict xp, const float* __restrict rp,
                        const float* __restrict h_prev, float* __restrict h) {
  TS_CHUNKS(
      H, for (int u = 0; u < m; ++u) {
        const int k = j + u;
        float z, r, n, hk;
        timestep::gru_cell_forward<M>(xp[k], xp[H + k], xp[2 * H + k], rp[k], rp[H + k],
                                      rp[2 * H + k], h_prev[k], z, r, n, hk);
        h[k] = hk;
      });
}

template <int Act>
TS_INLINE void ln_units(int n, const float* __restrict a, const float* __restrict gamma,
                        const float* __restrict beta, float mean, float rstd, float* __restrict h) {
  TS_CHUNKS(
      n, for (int u = 0; u < m; ++u) {
        const int k = j + u;
        h[k] = timestep::ln_cell_output<M>(Act, timestep::layer_norm_normalize(a[k], mean, rstd),
                                           gamma[k], beta[k]);
      });
}

TS_INLINE void ln_cell(int act, int H, const float* __restrict a, const float* __restrict gb,
                       float* __restrict h) {
  float mean, rstd;
  timestep::layer_norm_stats(a, H, mean, rstd);
  switch (act) {
    case TS_ACT_TANH: ln_units<TS_ACT_TANH>(H, a, gb, gb + H, mean, rstd, h); break;
    case TS_ACT_SIGMOID: ln_units<TS_ACT_SIGMOID>(H, a, gb, gb + H, mean, rstd, h); break;
    case TS_ACT_RELU: ln_units<TS_ACT_RELU>(H, a, gb, gb + H, mean, rstd, h); break;
    default: ln_units<TS_ACT_LINEAR>(H, a, gb, gb + H, mean, rstd, h); break;
  }
}

// One stream through the stack: x [F] in, y [O] out, states in `row`. Scratch: the
// pre-activations (or a convolution's taps), the GRU's recurrent side (or a dense layer's or a
// convolution's sums), the LSTM's gates, the new states of a recurrent layer (h, then c: at
// most 2H <= widest floats), and two output vectors used in turn by the dense layers and
// convolutions.
constexpr int kScratchVectors = 6;

template <int VL>
TS_SIMD_CLONES void stream_one(const Stack& s, const float* x, float* y, float* row,
                               float* scratch) {
  const float* in = x;
  const size_t w = s.widest;
  float* pre = scratch;
  float* sums = scratch + w;
  float* gates = scratch + 2 * w;
  float* next = scratch + 3 * w;
  float* vec[2] = {scratch + 4 * w, scratch + 5 * w};
  for (int l = 0; l < s.L; ++l) {
    const Layer& ly = s.layers[l];
    const int H = ly.units;
    const bool last = l == s.L - 1;
    if (ly.kind == TS_STREAM_CONV) {
      // the taps: the kept inputs at k*d (oldest first), the new input last; then the queue
      // moves on by one step
      const int C = ly.in;
      const int kept = (ly.k - 1) * ly.d;
      float* queue = row + ly.state;
      for (int k = 0; k < ly.k; ++k) {
        const int at = k * ly.d;
        std::memcpy(pre + static_cast<size_t>(k) * C,
                    at < kept ? queue + static_cast<size_t>(at) * C : in, sizeof(float) * C);
      }
      if (kept > 0) {
        std::memmove(queue, queue + C, sizeof(float) * static_cast<size_t>(kept - 1) * C);
        std::memcpy(queue + static_cast<size_t>(kept - 1) * C, in, sizeof(float) * C);
      }
      float* out = last ? y : vec[l & 1];
      if (ly.b)
        copy_units(H, ly.b, sums);
      else
        std::fill(sums, sums + H, 0.0f);
      add_product_chain<VL>(pre, ly.k * C, ly.w, H, sums);
      activate_cell<true>(ly.act, H, sums, out);
      in = out;
      continue;
    }
    if (ly.kind == TS_STREAM_DENSE) {
      // as the batch path: the product, then the bias, then the activation
      float* out = last ? y : vec[l & 1];
      std::fill(sums, sums + H, 0.0f);
      add_product_tiled<VL>(in, ly.in, ly.w, H, sums);
      if (ly.b) TS_CHUNKS(H, for (int u = 0; u < m; ++u) pre[j + u] = sums[j + u] + ly.b[j + u]);
      activate_cell<true>(ly.act, H, ly.b ? pre : sums, out);
      in = out;
      continue;
    }
    float* h = row + ly.state;
    const int GH = timestep::rnn_gates(ly.kind) * H;
    copy_units(GH, ly.b, pre);
    add_product_tiled<VL>(in, ly.in, ly.w, GH, pre);
    switch (ly.kind) {
      case TS_RNN_SIMPLE:
        add_product_row<VL>(h, H, ly.u, GH, pre);
        activate_cell(ly.act, H, pre, next);
        copy_units(H, next, h);
        break;
      case TS_RNN_LSTM:
        add_product_row<VL>(h, H, ly.u, GH, pre);
        lstm_cell(H, pre, gates, h + H, next + H, next);
        copy_units(2 * H, next, h);
        break;
      case TS_RNN_GRU:
        copy_units(GH, ly.e, sums);
        add_product_row<VL>(h, H, ly.u, GH, sums);
        gru_cell(H, pre, sums, h, next);
        copy_units(H, next, h);
        break;
      default:  // TS_RNN_LN_SIMPLE
        add_product_row<VL>(h, H, ly.u, GH, pre);
        ln_cell(ly.act, H, pre, ly.e, next);
        copy_units(H, next, h);
        break;
    }
    if (last) copy_units(H, h, y);
    in = h;
  }
}

#undef TS_CHUNKS

// The scratch of the streams run on this thread: grows to the largest stack seen, then stays.
thread_local std::vector<float> t_scratch;

// Streams [begin, end) on this thread.
void run_streams(const Stack& s, float* const* chunks, int chunk_rows, const int* slots,
                 long long begin, long long end, const float* x, float* y) {
  static const bool wide = timestep::cpu::runs_avx512_build();
  std::vector<float>& scratch = t_scratch;
  if (scratch.size() < kScratchVectors * static_cast<size_t>(s.widest))
    scratch.resize(kScratchVectors * static_cast<size_t>(s.widest));
  for (long long i = begin; i < end; ++i) {
    float* row = chunks[slots[i] / chunk_rows] + static_cast<size_t>(slots[i] % chunk_rows) * s.R;
    if (wide)
      stream_one<16>(s, x + i * s.F, y + i * s.O, row, scratch.data());
    else
      stream_one<8>(s, x + i * s.F, y + i * s.O, row, scratch.data());
  }
}

// Below this many multiply-adds a batch runs on the calling thread (the pool's hand-off costs
// more than it saves).
constexpr double kMinParallelFlops = 4e5;

}  // namespace

extern "C" int ts_cpu_stream_step(const int* plan, float* const* buffers, int chunks,
                                  int chunk_rows, const int* slots, int count, const float* x,
                                  float* y) {
  Stack s;
  if (int status = read_plan(plan, buffers, s)) return status;
  TS_CPU_REQUIRE(chunks >= 0 && chunk_rows >= 1 && count >= 0,
                 "stream_step: bad slab (%d chunks of %d rows) or count %d", chunks, chunk_rows,
                 count);
  if (count == 0) return TS_OK;
  TS_CPU_REQUIRE(slots && x && y, "stream_step: null slots, x or y");
  const long long rows = static_cast<long long>(chunks) * chunk_rows;
  float* const* slab = buffers + 4 * s.L;
  for (int i = 0; i < count; ++i) {
    TS_CPU_REQUIRE(slots[i] >= 0 && slots[i] < rows,
                   "stream_step: slot %d (at %d) is outside the slab's %lld rows", slots[i], i,
                   rows);
    TS_CPU_REQUIRE(slab[slots[i] / chunk_rows], "stream_step: chunk %d is null",
                   slots[i] / chunk_rows);
  }
  try {
    double flops = 0;
    for (int l = 0; l < s.L; ++l) {
      const Layer& ly = s.layers[l];
      const int gates = timestep::stream_feeds_forward(ly.kind) ? 1 : timestep::rnn_gates(ly.kind);
      flops += 2.0 * gates * ly.units *
               (ly.k * ly.in + (timestep::stream_feeds_forward(ly.kind) ? 0 : ly.units));
    }
    flops *= count;
    // streams never share a row, so slices need no synchronisation and give the same bits
    const int slices = flops < kMinParallelFlops ? 1 : std::min(count / 16 + 1, 8);
    const int threads = std::max(1, std::min(timestep::cpu::thread_count(), slices));
    if (slices == 1) {
      run_streams(s, slab, chunk_rows, slots, 0, count, x, y);
    } else {
      timestep::cpu::run_slices(threads, slices, [&](int part) {
        long long b0, b1;
        timestep::cpu::slice(count, part, slices, b0, b1);
        run_streams(s, slab, chunk_rows, slots, b0, b1, x, y);
      });
    }
  } catch (const std::bad_alloc&) {
    return timestep::fail(timestep::cpu::error_slot(), TS_ERR_OUT_OF_MEMORY,
                          "stream_step: out of memory");
  }
  return TS_OK;
}
