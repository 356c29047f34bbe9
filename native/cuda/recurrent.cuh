// Shared pieces of the fused recurrent ops (recurrent_forward.cu, recurrent_backward.cu): the
// argument checks, the per-call arguments the kernels take, the per-unit cell math on top of
// common/timestep/cells.h, and the choice between the three ways of running the time loop
// (TS_RNN_STRATEGY_* in cuda_api.h):
//
//   STEPS  per step a GEMM (h_{t-1}.U, or dRec_t.U^T) and one cell kernel; any size.
//   BLOCK  one persistent launch; block i owns batch rows [i*BB, (i+1)*BB) and ALL units, with U
//          in shared memory; the steps of a block only need __syncthreads. Blocks never wait for
//          each other, so any number of them may run (in waves if need be).
//   GRID   one persistent cooperative launch; block (s, i) owns units [s*UB, (s+1)*UB) of batch
//          rows [i*BB, ...), with its slice of U in shared memory; every step ends with a grid
//          barrier, after which each block reads the full h_{t-1} (or dRec_t) rows it needs from
//          global memory. All blocks must be resident at once: the plan checks occupancy.
//          LN_SIMPLE needs whole rows for its statistics, so there a step has a second grid
//          barrier: the blocks publish their part of the row, then each reduces the full rows.
//
// The cache layout, the h_{t-1} convention and every formula are those of cpu/recurrent.cpp
// (summarised in cpu_api.h), so forward/backward pairs interoperate across the two backends.
#ifndef TIMESTEP_CUDA_RECURRENT_CUH
#define TIMESTEP_CUDA_RECURRENT_CUH

#include <atomic>
#include <cstddef>

#include "common.cuh"
#include "timestep/cells.h"
#include "timestep/cuda_api.h"
#include "timestep/math.h"

namespace timestep::cuda {

// Sizes of one call, after validation.
struct RnnDims {
  int kind, act, B, T, F, H, G, GH;
  long long rows;  // B * T: rows of every [B, T, ...] buffer, ordered (b, t)
};

TS_CUDA_INTERNAL int rnn_check_dims(const char* op, int kind, int act, int batch, int steps,
                                    int features, int units, const float* kernel,
                                    const float* recurrent, const float* bias, const float* extra,
                                    RnnDims& d);

// What the forward kernels read and write. xp = x.W WITHOUT the bias ([B*T, GH]); the cell adds
// bias (and the GRU's recurrent bias) itself.
struct RnnForwardArgs {
  int act, B, T, H, GH;
  const float* xp;
  const float* bias;   // [GH]
  const float* extra;  // GRU: recurrent bias [GH]; LN_SIMPLE: gamma [H] then beta [H]
  const float* U;      // [H, GH]
  const float* h0;     // [B, H]
  const float* c0;     // LSTM: the initial cell state [B, H], or null for zeros
  float* out;          // [B, T, H]
  float* cache;        // [B, T, cache row]
  float* pre;          // LN_SIMPLE under GRID: this step's pre-activations [B, H]; else null
};

// What the backward kernels read and write besides the forward's tensors.
struct RnnBackwardArgs {
  int act, B, T, H, GH;
  const float* extra;
  const float* U;
  const float* h0;
  const float* c0;  // LSTM: as in forward (null: zeros)
  const float* out;
  const float* cache;
  const float* dout;     // [B, T, H]
  const float* dc_last;  // LSTM: the gradient of the final cell state [B, H], or null for zero
  float* dxp;            // [B*T, GH]: dL/d(x.W + b), all steps
  float* drec;           // [B*T, GH]: dL/d(h.U (+ rb)); the same buffer as dxp except for the GRU
  float* dln;            // LN_SIMPLE: dL/dy of every step [B*T, H] (for dgamma, dbeta); else null
  float* dh0;            // may be null
  float* dc0;            // LSTM: dL/dc0 [B, H], accumulated; may be null
};

// Block geometry of a persistent launch: UB units x BB batch rows per block, NS unit slices x
// NB batch slices (grid = NS * NB blocks, block id = batch slice * NS + unit slice).
struct PersistentShape {
  int UB, BB, NS, NB, threads;
  size_t smem_bytes;
};

template <int KIND>
__host__ __device__ constexpr int gates_of() {
  return KIND == TS_RNN_LSTM ? 4 : KIND == TS_RNN_GRU ? 3 : 1;
}

// Threads per persistent block: enough for one work item each, at most 256.
inline int persistent_threads(long long items) {
  long long t = (items + 31) / 32 * 32;
  if (t < 64) t = 64;
  if (t > 256) t = 256;
  return static_cast<int>(t);
}

// The device facts a plan needs (of the current device).
struct DeviceLimits {
  int sms = 0;
  size_t smem_optin = 0;  // largest dynamic shared memory one block may opt into
  bool cooperative = false;
};
TS_CUDA_INTERNAL int device_limits(DeviceLimits& lim);

// Lets `kernel` launch with up to the device's opt-in dynamic shared memory. The limit is a
// per-kernel attribute shared by every thread, so it is raised once per kernel and device to the
// maximum and never lowered: a thread's occupancy probe then cannot shrink it while another
// thread is between its own check and its launch, which a probe that set its own smaller size
// could do. A lock would have to span every probe and launch; the maximum costs nothing, since
// occupancy and the launch follow the bytes each one actually asks for. `raised` holds one bit
// per device, a static of the caller's kernel.
template <typename Kernel>
int raise_smem_limit(Kernel kernel, std::atomic<unsigned long long>& raised, const char* what) {
  int device = 0;
  TS_CUDA_TRY(check(cudaGetDevice(&device), "%s: cudaGetDevice", what));
  const unsigned long long bit = device >= 0 && device < 64 ? 1ULL << device : 0ULL;
  if (bit != 0 && (raised.load(std::memory_order_acquire) & bit) != 0) return TS_OK;
  DeviceLimits lim;
  TS_CUDA_TRY(device_limits(lim));
  TS_CUDA_TRY(check(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                         static_cast<int>(lim.smem_optin)),
                    "%s: allow %zu bytes of shared memory", what, lim.smem_optin));
  raised.fetch_or(bit, std::memory_order_release);
  return TS_OK;
}

// The strategy forced by ts_cuda_rnn_set_strategy (TS_RNN_STRATEGY_*), and the report of the one
// a call used.
TS_CUDA_INTERNAL int rnn_forced_strategy();
TS_CUDA_INTERNAL void rnn_record_strategy(int strategy);

// After the device refused a GRID plan's cooperative launch with `err`: in auto mode, when the
// error only concerns that launch (too many blocks, resources, support), clears it, says once
// on stderr that the per-step plan runs instead, and returns true; the caller then runs STEPS.
// False with a forced strategy (the caller reports the error) or any other error.
TS_CUDA_INTERNAL bool rnn_cooperative_fallback(cudaError_t err, const char* op,
                                               unsigned int blocks);

// Shared-memory bytes of a persistent forward or backward block: the callers pass the
// layout's size function so the plan search below stays in one place.
using SmemBytes = size_t (*)(const RnnDims& d, int UB, int BB);
// Blocks of `threads` with `smem` bytes each that one SM can hold for the kernel in question.
using Occupancy = int (*)(int threads, size_t smem);

// Chooses BLOCK or GRID (or STEPS when neither fits) under the forced strategy.
// `items_per_row`: work items a block has per batch row and unit (sizes its thread count).
TS_CUDA_INTERNAL int rnn_plan(const RnnDims& d, SmemBytes smem, Occupancy block_occupancy,
                              Occupancy grid_occupancy, int items_per_unit, PersistentShape& shape,
                              int& strategy);

// ---- register-tiled block product ----------------------------------------------------------
// out[r][c] = sum over k < K of A[r][k] * B(k, c), for a block's R rows and C columns: the
// recurrent product of one step (h_{t-1}.U forward, dRec_t.U^T backward), both operands in
// shared memory. One output per thread costs two shared loads per FMA, and shared-memory
// bandwidth, not the FMA units, then sets the step time (at 256 units, batch 64: ~4 us a step).
// Here each thread keeps a 4 x 2 tile in registers (6 loads per 8 FMAs); when the tiles are
// fewer than the threads, the k range is split over groups of threads whose partial sums meet
// in `part` and are added in group order, so results repeat bit for bit.
constexpr int kTileRows = 4;
constexpr int kTileCols = 2;
constexpr long long kTiledMinMacs = 16384;  // below this a step is latency-bound either way

struct TiledProduct {
  int tiles_c, tiles, groups, kc;
};

__host__ __device__ inline bool tiled_product_fits(int R, int C, int K) {
  return R % kTileRows == 0 && C % kTileCols == 0 &&
         static_cast<long long>(R) * C * K >= kTiledMinMacs;
}

__host__ __device__ inline TiledProduct tiled_product(int R, int C, int K, int threads) {
  TiledProduct p;
  p.tiles_c = C / kTileCols;
  p.tiles = R / kTileRows * p.tiles_c;
  int groups = threads / p.tiles;
  if (groups > K / 16) groups = K / 16;  // at least 16 k per group
  p.groups = groups < 1 ? 1 : groups;
  p.kc = (K + p.groups - 1) / p.groups;
  return p;
}

// Floats of `part` a tiled product needs (0 when the product is not tiled).
__host__ __device__ inline size_t tiled_part_floats(int R, int C, int K, int threads) {
  if (!tiled_product_fits(R, C, K)) return 0;
  return static_cast<size_t>(tiled_product(R, C, K, threads).groups) * R * C;
}

// The product above for the whole block (every thread calls it; it ends with the block in step
// after a __syncthreads). A(r, k) = A[r * lda + k]; B(k, c) = B[k * bk + c * bc]; out[r * C + c]
// = the sum (+ add[r * C + c] when add is not null).
__device__ inline void block_tiled_product(const float* A, int lda, const float* B, int bk, int bc,
                                           int R, int C, int K, float* part, const float* add,
                                           float* out) {
  const TiledProduct p = tiled_product(R, C, K, blockDim.x);
  for (int w = threadIdx.x; w < p.tiles * p.groups; w += blockDim.x) {
    const int tile = w % p.tiles, g = w / p.tiles;
    const int r0 = tile / p.tiles_c * kTileRows, c0 = tile % p.tiles_c * kTileCols;
    const int k1 = min(K, (g + 1) * p.kc);
    float acc[kTileRows][kTileCols] = {};
    for (int k = g * p.kc; k < k1; ++k) {
      float bv[kTileCols];
#pragma unroll
      for (int q = 0; q < kTileCols; ++q) bv[q] = B[k * bk + (c0 + q) * bc];
#pragma unroll
      for (int r = 0; r < kTileRows; ++r) {
        const float av = A[(r0 + r) * lda + k];
#pragma unroll
        for (int q = 0; q < kTileCols; ++q) acc[r][q] += av * bv[q];
      }
    }
    float* dst = part + (static_cast<long long>(g) * p.tiles + tile) * (kTileRows * kTileCols);
#pragma unroll
    for (int r = 0; r < kTileRows; ++r)
#pragma unroll
      for (int q = 0; q < kTileCols; ++q) dst[r * kTileCols + q] = acc[r][q];
  }
  __syncthreads();
  for (int i = threadIdx.x; i < R * C; i += blockDim.x) {
    const int r = i / C, c = i % C;
    const int tile = r / kTileRows * p.tiles_c + c / kTileCols;
    const int slot = r % kTileRows * kTileCols + c % kTileCols;
    float sum = 0.0f;
    for (int g = 0; g < p.groups; ++g)
      sum += part[(static_cast<long long>(g) * p.tiles + tile) * (kTileRows * kTileCols) + slot];
    out[i] = add ? add[i] + sum : sum;
  }
}

// The block's dynamic shared memory as floats. A function rather than an `extern __shared__`
// array in each kernel, so the CPU emulation of the kernels (native/tests/emulation) can
// supply a per-block buffer of its own.
#ifdef __CUDACC__
__device__ __forceinline__ float* shared_floats() {
  extern __shared__ __align__(16) float ts_shared_floats[];
  return ts_shared_floats;
}
#endif

// ---- per-unit cell math (cells.h), shared by the persistent and per-step kernels ----------

// LSTM forward of unit j at row r: gate pre-activations z[4], c_prev -> cache row, c, h.
__device__ __forceinline__ float lstm_forward_unit(float* cache, long long r, int H, int j,
                                                   const float z[4], float& c_state) {
  float i, f, g, o, c, h;
  lstm_cell_forward(z[0], z[1], z[2], z[3], c_state, i, f, g, o, c, h);
  float* row = cache + r * 5 * H;
  row[j] = i;
  row[H + j] = f;
  row[2 * H + j] = g;
  row[3 * H + j] = o;
  row[4 * H + j] = c;
  c_state = c;
  return h;
}

// GRU forward of unit j at row r: input side xs[3] (x.W + b), recurrent side hs[3] (h.U + rb).
__device__ __forceinline__ float gru_forward_unit(float* cache, long long r, int H, int j,
                                                  const float xs[3], const float hs[3],
                                                  float h_prev) {
  float z, rr, n, h;
  gru_cell_forward(xs[0], xs[1], xs[2], hs[0], hs[1], hs[2], h_prev, z, rr, n, h);
  float* row = cache + r * 4 * H;
  row[j] = z;
  row[H + j] = rr;
  row[2 * H + j] = n;
  row[3 * H + j] = hs[2];
  return h;
}

// LN_SIMPLE forward of unit j at row r given the row's statistics.
__device__ __forceinline__ float ln_forward_unit(float* cache, long long r, int H, int j, int act,
                                                 float a, float mean, float rstd, float gamma,
                                                 float beta) {
  const float xh = layer_norm_normalize(a, mean, rstd);
  float* row = cache + r * (H + 1);
  row[j] = xh;
  if (j == 0) row[H] = rstd;
  return ln_cell_output(act, xh, gamma, beta);
}

}  // namespace timestep::cuda

#endif
