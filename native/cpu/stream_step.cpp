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
#include <cstring>
#include <new>
#include <vector>

#include "errors.h"
#include "fast_math.h"
#include "parallel.h"
#include "simd.h"
#include "timestep/cells.h"
#include "timestep/cpu_api.h"
#include "timestep/math.h"

namespace {

using M = timestep::cpu::FastMath;

struct Layer {
  int kind, in, units, act, state;
  const float *w, *u, *b, *e;
};

struct Stack {
  int L, F, R, O;
  Layer layers[TS_STREAM_MAX_LAYERS];
  size_t widest;  // floats of the widest layer's gates
};

int states_of(int kind) { return kind == TS_RNN_LSTM ? 2 : kind == TS_STREAM_DENSE ? 0 : 1; }

// Checks the plan and the weights; the per-stream arrays are checked by the caller.
int read_plan(const int* plan, float* const* buffers, Stack& s) {
  TS_CPU_REQUIRE(plan && buffers, "stream_step: null plan or buffers");
  s.L = plan[0];
  s.F = plan[1];
  s.R = plan[2];
  s.O = plan[3];
  TS_CPU_REQUIRE(s.L >= 1 && s.L <= TS_STREAM_MAX_LAYERS, "stream_step: %d layers (1 to %d)", s.L,
                 TS_STREAM_MAX_LAYERS);
  TS_CPU_REQUIRE(s.F >= 1 && s.R >= 0 && s.O >= 1, "stream_step: bad plan F=%d R=%d O=%d", s.F, s.R,
                 s.O);
  int width = s.F;
  size_t widest = 0;
  for (int l = 0; l < s.L; ++l) {
    const int* p = plan + TS_STREAM_HEADER + l * TS_STREAM_LAYER_INTS;
    Layer& y = s.layers[l];
    y = Layer{p[0],
              p[1],
              p[2],
              p[3],
              p[4],
              buffers[4 * l],
              buffers[4 * l + 1],
              buffers[4 * l + 2],
              buffers[4 * l + 3]};
    TS_CPU_REQUIRE(y.kind >= TS_RNN_SIMPLE && y.kind <= TS_STREAM_DENSE,
                   "stream_step: layer %d has unknown kind %d", l, y.kind);
    TS_CPU_REQUIRE(y.act >= TS_ACT_LINEAR && y.act <= TS_ACT_RELU,
                   "stream_step: layer %d has unknown activation %d", l, y.act);
    TS_CPU_REQUIRE(y.in == width && y.units >= 1,
                   "stream_step: layer %d takes %d inputs with %d units, the layer before gives %d",
                   l, y.in, y.units, width);
    TS_CPU_REQUIRE(y.state >= 0 && static_cast<long long>(y.state) +
                                           static_cast<long long>(states_of(y.kind)) * y.units <=
                                       s.R,
                   "stream_step: layer %d's states (from %d) overrun the row of %d floats", l,
                   y.state, s.R);
    TS_CPU_REQUIRE(y.w && (y.kind == TS_STREAM_DENSE || (y.u && y.b)),
                   "stream_step: layer %d has a null kernel, recurrent kernel or bias", l);
    TS_CPU_REQUIRE(y.e || (y.kind != TS_RNN_GRU && y.kind != TS_RNN_LN_SIMPLE),
                   "stream_step: layer %d (kind %d) needs its recurrent bias or gamma and beta", l,
                   y.kind);
    const int gates = y.kind == TS_STREAM_DENSE ? 1 : timestep::rnn_gates(y.kind);
    widest = std::max(widest, static_cast<size_t>(gates) * y.units);
    width = y.units;
  }
  TS_CPU_REQUIRE(width == s.O, "stream_step: the last layer has %d units, the plan says %d outputs",
                 width, s.O);
  s.widest = widest;
  return TS_OK;
}

// The products are summed in the order of the shared GEMM (matmul.cpp), so that a stream's
// outputs equal a batch-1 predict over its history, or nearly: the batch runs the input
// projection and the dense layers over all steps at once (its tiled path: per element a chain
// of multiply-adds from zero for every kGemmDepth rows of W, then added to the output) and the
// recurrent product one row per step (its row path: for each full group of 16 columns of the
// padded width, two chains over the even and the odd rows, added in that order; the columns
// past the last such group take the tiled path).
constexpr int kGemmDepth = 128;  // matmul.cpp's kDepth
constexpr int kRowGroup = 16;    // the row path's column group

// c[j] += sum_k x[k] W[k, j] for j < n (W rows n floats apart), as the tiled path sums it.
TS_INLINE void add_product_tiled(const float* __restrict x, int k_count, const float* __restrict w,
                                 int n, float* __restrict c, float* __restrict acc) {
  for (int p0 = 0; p0 < k_count; p0 += kGemmDepth) {
    const int p1 = std::min(k_count, p0 + kGemmDepth);
    for (int j = 0; j < n; ++j) acc[j] = 0.0f;
    for (int p = p0; p < p1; ++p) {
      const float xp = x[p];
      const float* __restrict wp = w + static_cast<size_t>(p) * n;
      for (int j = 0; j < n; ++j) acc[j] += xp * wp[j];
    }
    for (int j = 0; j < n; ++j) c[j] += acc[j];
  }
}

// The same product as the row path sums it, for a width the batch pads to a multiple of 8.
TS_INLINE void add_product_row(const float* __restrict x, int k_count, const float* __restrict w,
                               int n, float* __restrict c, float* __restrict even,
                               float* __restrict odd) {
  const int grouped = std::min(n, timestep::cpu::round_up(n, 8) / kRowGroup * kRowGroup);
  for (int j = 0; j < grouped; ++j) even[j] = odd[j] = 0.0f;
  int p = 0;
  for (; p + 2 <= k_count; p += 2) {
    const float x0 = x[p], x1 = x[p + 1];
    const float* __restrict w0 = w + static_cast<size_t>(p) * n;
    const float* __restrict w1 = w0 + n;
    for (int j = 0; j < grouped; ++j) {
      even[j] += x0 * w0[j];
      odd[j] += x1 * w1[j];
    }
  }
  if (p < k_count) {
    const float x0 = x[p];
    const float* __restrict w0 = w + static_cast<size_t>(p) * n;
    for (int j = 0; j < grouped; ++j) even[j] += x0 * w0[j];
  }
  for (int j = 0; j < grouped; ++j) c[j] = c[j] + even[j] + odd[j];
  if (grouped < n) {
    // the rest: W's columns from `grouped` on, rows still n floats apart
    for (int q0 = 0; q0 < k_count; q0 += kGemmDepth) {
      const int q1 = std::min(k_count, q0 + kGemmDepth);
      for (int j = grouped; j < n; ++j) even[j] = 0.0f;
      for (int q = q0; q < q1; ++q) {
        const float xq = x[q];
        const float* __restrict wq = w + static_cast<size_t>(q) * n;
        for (int j = grouped; j < n; ++j) even[j] += xq * wq[j];
      }
      for (int j = grouped; j < n; ++j) c[j] += even[j];
    }
  }
}

// One stream through the stack: x [F] in, y [O] out, states in `row`.
TS_SIMD_CLONES void stream_one(const Stack& s, const float* x, float* y, float* row,
                               float* scratch) {
  const float* in = x;
  // the gate pre-activations, the GRU's recurrent side, two dense outputs used in turn, and the
  // products' partial sums
  const size_t w = s.widest;
  float* gates = scratch;
  float* rec = scratch + w;
  float* vec[2] = {scratch + 2 * w, scratch + 3 * w};
  float* even = scratch + 4 * w;
  float* odd = scratch + 5 * w;
  for (int l = 0; l < s.L; ++l) {
    const Layer& ly = s.layers[l];
    const int H = ly.units;
    const bool last = l == s.L - 1;
    if (ly.kind == TS_STREAM_DENSE) {
      // as the batch path: the product, then the bias, then the activation
      float* out = last ? y : vec[l & 1];
      std::fill(out, out + H, 0.0f);
      add_product_tiled(in, ly.in, ly.w, H, out, even);
      if (ly.b)
        for (int j = 0; j < H; ++j) out[j] += ly.b[j];
      for (int j = 0; j < H; ++j) out[j] = timestep::activate(ly.act, out[j]);
      in = out;
      continue;
    }
    float* h = row + ly.state;
    const int GH = timestep::rnn_gates(ly.kind) * H;
    std::memcpy(gates, ly.b, sizeof(float) * GH);
    add_product_tiled(in, ly.in, ly.w, GH, gates, even);
    switch (ly.kind) {
      case TS_RNN_SIMPLE:
        add_product_row(h, H, ly.u, GH, gates, even, odd);
        for (int j = 0; j < H; ++j) h[j] = timestep::rnn_activate<M>(ly.act, gates[j]);
        break;
      case TS_RNN_LSTM: {
        add_product_row(h, H, ly.u, GH, gates, even, odd);
        // the g block is tanh, written as lstm_gate's sigmoid form as the batch kernel does
        for (int j = 0; j < 2 * H; ++j) gates[j] = timestep::lstm_gate<M>(gates[j], 0.0f);
        for (int j = 2 * H; j < 3 * H; ++j) gates[j] = timestep::lstm_gate<M>(gates[j], 1.0f);
        for (int j = 3 * H; j < GH; ++j) gates[j] = timestep::lstm_gate<M>(gates[j], 0.0f);
        float* c = h + H;
        for (int j = 0; j < H; ++j) {
          float cj, hj;
          timestep::lstm_cell_state<M>(gates[j], gates[H + j], gates[2 * H + j], gates[3 * H + j],
                                       c[j], cj, hj);
          c[j] = cj;
          h[j] = hj;
        }
        break;
      }
      case TS_RNN_GRU: {
        std::memcpy(rec, ly.e, sizeof(float) * GH);
        add_product_row(h, H, ly.u, GH, rec, even, odd);
        for (int j = 0; j < H; ++j) {
          float z, r, n, hj;
          timestep::gru_cell_forward<M>(gates[j], gates[H + j], gates[2 * H + j], rec[j],
                                        rec[H + j], rec[2 * H + j], h[j], z, r, n, hj);
          h[j] = hj;
        }
        break;
      }
      default: {  // TS_RNN_LN_SIMPLE
        add_product_row(h, H, ly.u, GH, gates, even, odd);
        float mean, rstd;
        timestep::layer_norm_stats(gates, H, mean, rstd);
        for (int j = 0; j < H; ++j)
          h[j] = timestep::ln_cell_output<M>(
              ly.act, timestep::layer_norm_normalize(gates[j], mean, rstd), ly.e[j], ly.e[H + j]);
        break;
      }
    }
    if (last) std::memcpy(y, h, sizeof(float) * H);
    in = h;
  }
}

// The scratch of the streams run on this thread: grows to the largest stack seen, then stays.
thread_local std::vector<float> t_scratch;

// Streams [begin, end) on this thread.
void run_streams(const Stack& s, float* const* chunks, int chunk_rows, const int* slots,
                 long long begin, long long end, const float* x, float* y) {
  std::vector<float>& scratch = t_scratch;
  if (scratch.size() < 6 * s.widest) scratch.resize(6 * s.widest);
  for (long long i = begin; i < end; ++i) {
    float* row = chunks[slots[i] / chunk_rows] + static_cast<size_t>(slots[i] % chunk_rows) * s.R;
    stream_one(s, x + i * s.F, y + i * s.O, row, scratch.data());
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
      const int gates = ly.kind == TS_STREAM_DENSE ? 1 : timestep::rnn_gates(ly.kind);
      flops += 2.0 * gates * ly.units * (ly.in + (ly.kind == TS_STREAM_DENSE ? 0 : ly.units));
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
