// Backward (BPTT) of the fused recurrent layers (the twin of ts_cpu_rnn_backward).
//
// The time loop runs backwards in one persistent launch (BLOCK or GRID, see recurrent.cuh) or
// as a cell kernel plus a GEMM per step (STEPS). Per step t it turns dh = dout_t + dh_next into
// the step's rows of dXp_all (dL/d(x.W + b)) and dRec_all (dL/d(h.U + rb): the same buffer as
// dXp_all except for the GRU, whose candidate block differs), and then
//   dh_next = dRec_t . U^T (+ the GRU's direct part z * dh).
// After the loop the parameter and input gradients are whole-sequence products:
//   dU += Hprev^T . dRec_all (Hprev row (b, t) = h_{t-1}),  dW += x^T . dXp_all,
//   dx += dXp_all . W^T,  db += column sums of dXp_all (GRU: drb += those of dRec_all),
//   LN_SIMPLE: dgamma += column sums of dy * xhat, dbeta += those of dy (dy saved per step),
// as GEMMs (the deterministic tiled SGEMM) and deterministic column reductions.
#include <cooperative_groups.h>
#include <cuda_pipeline.h>

#include "column_reduce.cuh"
#include "recurrent.cuh"

namespace cg = cooperative_groups;

namespace timestep::cuda {
namespace {

constexpr int kMaxPersistentThreads = 256;

// Values of one (row, unit) pair a backward step reads, copied in one step ahead:
//   SIMPLE     h_t, dout
//   LSTM       i, f, g, o, c_t, c_{t-1}, dout
//   GRU        z, r, n, hh, h_{t-1}, dout
//   LN_SIMPLE  h_t, dout, xhat   (and per row: rstd)
template <int KIND>
__host__ __device__ constexpr int staged_values() {
  return KIND == TS_RNN_LSTM ? 7 : KIND == TS_RNN_GRU ? 6 : KIND == TS_RNN_LN_SIMPLE ? 3 : 2;
}

int staged_values_of(int kind) {
  switch (kind) {
    case TS_RNN_LSTM: return staged_values<TS_RNN_LSTM>();
    case TS_RNN_GRU: return staged_values<TS_RNN_GRU>();
    case TS_RNN_LN_SIMPLE: return staged_values<TS_RNN_LN_SIMPLE>();
    default: return staged_values<TS_RNN_SIMPLE>();
  }
}

// Row stride of the block's U rows in shared memory: odd, so that threads reading the same
// column of different rows hit different banks.
__host__ __device__ inline int u_stride(int GH) { return GH | 1; }

// ---- persistent kernel -------------------------------------------------------------------
// Shared memory of a block owning UB units of BB batch rows, in floats (items = BB * UB):
//   UsT [UB][GH|1]   rows u0.. of U (dh_next of unit k = dRec_t . U[k, :])
//   drs [BB][GH|1]   dRec_t of its batch rows (all gate columns); odd row stride as for UsT
//   dn, dc, dd [items]  dh_next, (LSTM) dc_next, (GRU) the direct part of dh_next
//   gam [UB], dys [items], st [BB][2]   (LN) gamma, dL/dy, and the two row means
//   vs [2][NV][items]   staged per-pair values of step t and t-1
//   rs [2][BB]          (LN) staged rstd of each row
//   part                the partial sums of the tiled product dRec_t . U^T (recurrent.cuh), if
//   tiled
size_t backward_smem(const RnnDims& d, int UB, int BB) {
  const size_t items = static_cast<size_t>(UB) * BB, nv = staged_values_of(d.kind);
  const int threads =
      persistent_threads(static_cast<long long>(BB) * UB * d.G);  // as rnn_plan sizes it
  const size_t part = tiled_part_floats(BB, UB, d.GH, threads);
  const size_t floats = static_cast<size_t>(UB) * u_stride(d.GH) +
                        static_cast<size_t>(BB) * u_stride(d.GH) + 3 * items + UB + items +
                        2 * static_cast<size_t>(BB) + 2 * nv * items + 2 * static_cast<size_t>(BB) +
                        part;
  return floats * sizeof(float);
}

struct BackwardBlock {
  int UB, BB, items, u0, b0, ucount, bcount;
};

__device__ BackwardBlock backward_block(const RnnBackwardArgs& a, const PersistentShape& s) {
  BackwardBlock k;
  k.UB = s.UB;
  k.BB = s.BB;
  k.items = s.UB * s.BB;
  k.u0 = static_cast<int>(blockIdx.x % s.NS) * s.UB;
  k.b0 = static_cast<int>(blockIdx.x / s.NS) * s.BB;
  k.ucount = min(s.UB, a.H - k.u0);
  k.bcount = min(s.BB, a.B - k.b0);
  return k;
}

// Starts the asynchronous copies of step t's per-pair values into v ([NV][items]) and, for
// LN_SIMPLE, the rows' rstd into rs ([BB]).
template <int KIND>
__device__ void stage_step(const RnnBackwardArgs& a, const BackwardBlock& k, int t, float* v,
                           float* rs) {
  const int H = a.H;
  for (int i = threadIdx.x; i < k.items; i += blockDim.x) {
    const int b = i / k.UB, u = i % k.UB;
    if (b >= k.bcount || u >= k.ucount) continue;
    const int j = k.u0 + u;
    const long long r = static_cast<long long>(k.b0 + b) * a.T + t;
    float* dst = v + i;
    if (KIND == TS_RNN_LSTM) {
      const float* row = a.cache + r * 5 * H + j;
#pragma unroll
      for (int q = 0; q < 5; ++q)
        __pipeline_memcpy_async(dst + q * k.items, row + q * H, sizeof(float));
      if (t > 0)
        __pipeline_memcpy_async(dst + 5 * k.items, row - 5 * H + 4 * H, sizeof(float));
      else if (a.c0)
        __pipeline_memcpy_async(dst + 5 * k.items, a.c0 + static_cast<long long>(k.b0 + b) * H + j,
                                sizeof(float));
      __pipeline_memcpy_async(dst + 6 * k.items, a.dout + r * H + j, sizeof(float));
    } else if (KIND == TS_RNN_GRU) {
      const float* row = a.cache + r * 4 * H + j;
#pragma unroll
      for (int q = 0; q < 4; ++q)
        __pipeline_memcpy_async(dst + q * k.items, row + q * H, sizeof(float));
      const float* h_prev =
          t > 0 ? a.out + (r - 1) * H + j : a.h0 + static_cast<long long>(k.b0 + b) * H + j;
      __pipeline_memcpy_async(dst + 4 * k.items, h_prev, sizeof(float));
      __pipeline_memcpy_async(dst + 5 * k.items, a.dout + r * H + j, sizeof(float));
    } else {
      __pipeline_memcpy_async(dst, a.out + r * H + j, sizeof(float));
      __pipeline_memcpy_async(dst + k.items, a.dout + r * H + j, sizeof(float));
      if (KIND == TS_RNN_LN_SIMPLE)
        __pipeline_memcpy_async(dst + 2 * k.items, a.cache + r * (H + 1) + j, sizeof(float));
    }
  }
  if (KIND == TS_RNN_LN_SIMPLE) {
    for (int b = threadIdx.x; b < k.bcount; b += blockDim.x) {
      const long long r = static_cast<long long>(k.b0 + b) * a.T + t;
      __pipeline_memcpy_async(rs + b, a.cache + r * (H + 1) + H, sizeof(float));
    }
  }
}

template <int KIND, bool GRID>
__global__ void __launch_bounds__(kMaxPersistentThreads)
    rnn_backward_persistent(RnnBackwardArgs a, PersistentShape s) {
  constexpr int NV = staged_values<KIND>();
  float* smem = shared_floats();
  const BackwardBlock k = backward_block(a, s);
  const int H = a.H, T = a.T, GH = a.GH, UB = k.UB, items = k.items, ldu = u_stride(GH);
  const int tid = threadIdx.x, nt = blockDim.x;

  float* UsT = smem;
  float* drs = UsT + UB * ldu;
  float* dn = drs + k.BB * ldu;
  float* dc = dn + items;
  float* dd = dc + items;
  float* gam = dd + items;
  float* dys = gam + UB;
  float* st = dys + items;
  float* vs = st + 2 * k.BB;
  float* rs = vs + 2 * NV * items;
  float* part = rs + 2 * k.BB;
  const bool tiled = tiled_product_fits(k.BB, UB, GH);

  for (int i = tid; i < UB * GH; i += nt) {
    const int u = i / GH, c = i % GH;
    UsT[u * ldu + c] = u < k.ucount ? a.U[static_cast<long long>(k.u0 + u) * GH + c] : 0.0f;
  }
  for (int i = tid; i < items; i += nt) {
    const int b = i / UB, u = i % UB;
    const bool own = b < k.bcount && u < k.ucount;
    dn[i] = 0.0f;
    // the last step's dc_next: the gradient that reaches the final cell state from outside
    dc[i] = KIND == TS_RNN_LSTM && own && a.dc_last
                ? a.dc_last[static_cast<long long>(k.b0 + b) * H + k.u0 + u]
                : 0.0f;
    dd[i] = 0.0f;
  }
  if (KIND == TS_RNN_LN_SIMPLE)
    for (int u = tid; u < UB; u += nt) gam[u] = u < k.ucount ? a.extra[k.u0 + u] : 0.0f;
  stage_step<KIND>(a, k, T - 1, vs + ((T - 1) & 1) * NV * items, rs + ((T - 1) & 1) * k.BB);
  __pipeline_commit();

  for (int t = T - 1; t >= 0; --t) {
    const int cur = t & 1;
    // Step t-1's values stream in during this step. Their buffer was last read in step t+1's
    // cell phase, which ended before that step's barrier below.
    if (t > 0) stage_step<KIND>(a, k, t - 1, vs + (cur ^ 1) * NV * items, rs + (cur ^ 1) * k.BB);
    __pipeline_commit();
    __pipeline_wait_prior(1);
    // Step t's values have landed for everyone; and step t+1's phase 3 (reading drs, writing
    // dn) is over before this step's cell phase writes drs.
    __syncthreads();
    const float* v = vs + cur * NV * items;

    // Phase 1: the cell backward of each owned (row, unit) pair.
    for (int i = tid; i < items; i += nt) {
      const int b = i / UB, u = i % UB;
      if (b >= k.bcount || u >= k.ucount) continue;
      const int j = k.u0 + u;
      const long long r = static_cast<long long>(k.b0 + b) * T + t;
      float* dx_row = a.dxp + r * GH;
      float* ds_row = drs + b * ldu;
      if (KIND == TS_RNN_LSTM) {
        const float c_prev = t > 0 || a.c0 ? v[5 * items + i] : 0.0f;
        float dz[4], dc_prev;
        lstm_cell_backward(v[6 * items + i] + dn[i], dc[i], v[i], v[items + i], v[2 * items + i],
                           v[3 * items + i], v[4 * items + i], c_prev, dz[0], dz[1], dz[2], dz[3],
                           dc_prev);
        dc[i] = dc_prev;
#pragma unroll
        for (int g = 0; g < 4; ++g) {
          dx_row[g * H + j] = dz[g];
          if (!GRID) ds_row[g * H + j] = dz[g];
        }
      } else if (KIND == TS_RNN_GRU) {
        float daz, dar, dan, drec_h, direct;
        gru_cell_backward(v[5 * items + i] + dn[i], v[i], v[items + i], v[2 * items + i],
                          v[3 * items + i], v[4 * items + i], daz, dar, dan, drec_h, direct);
        dx_row[j] = daz;
        dx_row[H + j] = dar;
        dx_row[2 * H + j] = dan;
        float* dr_row = a.drec + r * GH;
        dr_row[j] = daz;
        dr_row[H + j] = dar;
        dr_row[2 * H + j] = drec_h;
        if (!GRID) {
          ds_row[j] = daz;
          ds_row[H + j] = dar;
          ds_row[2 * H + j] = drec_h;
        }
        dd[i] = direct;
      } else if (KIND == TS_RNN_LN_SIMPLE) {
        const float dy = ln_cell_dy(a.act, v[items + i] + dn[i], v[i]);
        dys[i] = dy;
        a.dln[r * H + j] = dy;
      } else {
        const float da = (v[items + i] + dn[i]) * activation_slope(a.act, v[i]);
        dx_row[j] = da;
        if (!GRID) ds_row[j] = da;
      }
    }

    if (KIND == TS_RNN_LN_SIMPLE) {
      // The layer-norm backward of each row, one warp per row. BLOCK holds whole rows in shared
      // memory (UB == H); under GRID the rows' dy went to dln, and after a grid barrier every
      // block reads the full rows (dy from dln, xhat from the cache, gamma from extra).
      if (GRID)
        cg::this_grid().sync();
      else
        __syncthreads();
      const float* xh = v + 2 * items;
      const float inv_n = 1.0f / static_cast<float>(H);
      const int lane = tid % 32;
      for (int b = tid / 32; b < k.bcount; b += nt / 32) {
        const long long r = static_cast<long long>(k.b0 + b) * T + t;
        float sum_dxhat = 0.0f, sum_dxhat_xhat = 0.0f;
        for (int u = lane; u < H; u += 32) {
          const float dxhat =
              GRID ? __ldcg(a.dln + r * H + u) * a.extra[u] : dys[b * UB + u] * gam[u];
          sum_dxhat += dxhat;
          sum_dxhat_xhat += dxhat * (GRID ? a.cache[r * (H + 1) + u] : xh[b * UB + u]);
        }
        const float m1 = warp_sum(sum_dxhat) * inv_n;
        const float m2 = warp_sum(sum_dxhat_xhat) * inv_n;
        if (lane == 0) {
          st[2 * b] = m1;
          st[2 * b + 1] = m2;
        }
      }
      __syncthreads();
      for (int i = tid; i < items; i += nt) {
        const int b = i / UB, u = i % UB;
        if (b >= k.bcount || u >= k.ucount) continue;
        const int j = k.u0 + u;
        const long long r = static_cast<long long>(k.b0 + b) * T + t;
        const float da = layer_norm_input_grad(dys[i], gam[u], xh[i], rs[cur * k.BB + b], st[2 * b],
                                               st[2 * b + 1]);
        a.dxp[r * GH + j] = da;
        if (!GRID) drs[b * ldu + j] = da;
      }
    }

    // Phase 2: dRec_t of the block's rows, complete.
    if (GRID) {
      cg::this_grid().sync();
      for (int i = tid; i < k.BB * GH; i += nt) {
        const int b = i / GH, c = i % GH;
        if (b < k.bcount)
          drs[b * ldu + c] = __ldcg(a.drec + (static_cast<long long>(k.b0 + b) * T + t) * GH + c);
      }
    }
    __syncthreads();

    // Phase 3: dh_next of the owned pairs = dRec_t . U[j, :] (+ the GRU's direct part), tiled
    // as the forward's product when the block has rows to share each load. (The pairs it does not
    // own get values too, from rows and units no owned pair reads.)
    if (tiled)
      block_tiled_product(drs, ldu, UsT, 1, ldu, k.BB, UB, GH, part,
                          KIND == TS_RNN_GRU ? dd : nullptr, dn);
    for (int i = tid; !tiled && i < items; i += nt) {
      const int b = i / UB, u = i % UB;
      if (b >= k.bcount || u >= k.ucount) continue;
      const float* g = drs + b * ldu;
      const float* w = UsT + u * ldu;
      // Four partial sums: a single chain of GH dependent FMAs (1024 at 256 units) would make
      // each step wait ~4 cycles per column.
      float acc0 = 0.0f, acc1 = 0.0f, acc2 = 0.0f, acc3 = 0.0f;
      int c = 0;
      for (; c + 3 < GH; c += 4) {
        acc0 += g[c] * w[c];
        acc1 += g[c + 1] * w[c + 1];
        acc2 += g[c + 2] * w[c + 2];
        acc3 += g[c + 3] * w[c + 3];
      }
      for (; c < GH; ++c) acc0 += g[c] * w[c];
      const float acc = (acc0 + acc1) + (acc2 + acc3);
      dn[i] = KIND == TS_RNN_GRU ? dd[i] + acc : acc;
    }
  }

  // dn (and the LSTM's dc) now hold dL/dh_{-1} (dL/dc_{-1}): the h0 (c0) gradients of the owned
  // pairs.
  for (int i = tid; i < items && (a.dh0 || a.dc0); i += nt) {
    const int b = i / UB, u = i % UB;
    if (b >= k.bcount || u >= k.ucount) continue;
    const long long e = static_cast<long long>(k.b0 + b) * H + k.u0 + u;
    if (a.dh0) a.dh0[e] += dn[i];
    if (KIND == TS_RNN_LSTM && a.dc0) a.dc0[e] += dc[i];
  }
  __pipeline_wait_prior(0);
}

// The device-wide shared-memory limit of each persistent kernel, raised once (recurrent.cuh).
template <int KIND, bool GRID>
int allow_smem() {
  static std::atomic<unsigned long long> raised{0};
  return raise_smem_limit(rnn_backward_persistent<KIND, GRID>, raised, "rnn_backward");
}

template <int KIND, bool GRID>
int backward_occupancy(int threads, size_t smem) {
  int blocks = 0;
  if (allow_smem<KIND, GRID>() != TS_OK ||
      cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, rnn_backward_persistent<KIND, GRID>,
                                                    threads, smem) != cudaSuccess) {
    cudaGetLastError();  // a shape the device refuses is simply not a candidate
    return 0;
  }
  return blocks;
}

// Runs the BLOCK or GRID plan; `refused` is set instead of an error when a GRID launch was refused
// and the caller should run the per-step plan (rnn_cooperative_fallback).
template <int KIND>
int launch_persistent(const RnnBackwardArgs& a, const PersistentShape& s, bool grid,
                      bool& refused) {
  refused = false;
  const dim3 blocks(static_cast<unsigned int>(s.NS) * static_cast<unsigned int>(s.NB));
  if (!grid) {
    auto kernel = rnn_backward_persistent<KIND, false>;
    TS_CUDA_TRY((allow_smem<KIND, false>()));
    kernel<<<blocks, s.threads, s.smem_bytes>>>(a, s);
    return check_launch("rnn_backward (persistent)");
  }
  auto kernel = rnn_backward_persistent<KIND, true>;
  TS_CUDA_TRY((allow_smem<KIND, true>()));
  RnnBackwardArgs args = a;
  PersistentShape shape = s;
  void* params[] = {&args, &shape};
  const cudaError_t err =
      cudaLaunchCooperativeKernel(kernel, blocks, dim3(s.threads), params, s.smem_bytes, 0);
  refused = err != cudaSuccess && rnn_cooperative_fallback(err, "rnn_backward", blocks.x);
  if (refused) return TS_OK;
  return check(err, "rnn_backward (cooperative launch of %u blocks)", blocks.x);
}

// ---- per-step kernels (STEPS) --------------------------------------------------------------
// dn [B, H] holds dh_next from step t+1 on entry and the GRU's direct part (else 0) on exit, onto
// which the caller's GEMM adds dRec_t . U^T; dc [B, H] likewise carries the LSTM's dc_next.
// drec_t [B, GH] is this step's dRec rows, dense, for that GEMM. Each (b, j) is one thread's.
template <int KIND>
__global__ void rnn_step_backward_kernel(RnnBackwardArgs a, int t, float* dn, float* dc,
                                         float* __restrict__ drec_t) {
  const int H = a.H, GH = a.GH;
  const long long n = static_cast<long long>(a.B) * H;
  for (long long e = first_index(); e < n; e += grid_stride()) {
    const int b = static_cast<int>(e / H), j = static_cast<int>(e % H);
    const long long r = static_cast<long long>(b) * a.T + t;
    const float dh = a.dout[r * H + j] + dn[e];
    float* dx_row = a.dxp + r * GH;
    float* dt_row = drec_t + static_cast<long long>(b) * GH;
    float next = 0.0f;
    if (KIND == TS_RNN_LSTM) {
      const float* row = a.cache + r * 5 * H;
      const float c_prev = t > 0 ? a.cache[(r - 1) * 5 * H + 4 * H + j] : a.c0 ? a.c0[e] : 0.0f;
      float dz[4], dc_prev;
      lstm_cell_backward(dh, dc[e], row[j], row[H + j], row[2 * H + j], row[3 * H + j],
                         row[4 * H + j], c_prev, dz[0], dz[1], dz[2], dz[3], dc_prev);
      dc[e] = dc_prev;
#pragma unroll
      for (int g = 0; g < 4; ++g) {
        dx_row[g * H + j] = dz[g];
        dt_row[g * H + j] = dz[g];
      }
    } else if (KIND == TS_RNN_GRU) {
      const float* row = a.cache + r * 4 * H;
      const float h_prev = t > 0 ? a.out[(r - 1) * H + j] : a.h0[e];
      float daz, dar, dan, drec_h;
      gru_cell_backward(dh, row[j], row[H + j], row[2 * H + j], row[3 * H + j], h_prev, daz, dar,
                        dan, drec_h, next);
      dx_row[j] = daz;
      dx_row[H + j] = dar;
      dx_row[2 * H + j] = dan;
      float* dr_row = a.drec + r * GH;
      dr_row[j] = daz;
      dr_row[H + j] = dar;
      dr_row[2 * H + j] = drec_h;
      dt_row[j] = daz;
      dt_row[H + j] = dar;
      dt_row[2 * H + j] = drec_h;
    } else {
      const float da = dh * activation_slope(a.act, a.out[r * H + j]);
      dx_row[j] = da;
      dt_row[j] = da;
    }
    dn[e] = next;
  }
}

// LN_SIMPLE: one warp per batch row. The first pass saves dy in dln, which the same lane reads
// back in the second.
__global__ void ln_step_backward_kernel(RnnBackwardArgs a, int t, float* dn,
                                        float* __restrict__ drec_t) {
  const int H = a.H, lane = threadIdx.x % 32;
  const int warps = blockDim.x / 32;
  const float inv_n = 1.0f / static_cast<float>(H);
  for (long long b = static_cast<long long>(blockIdx.x) * warps + threadIdx.x / 32; b < a.B;
       b += static_cast<long long>(gridDim.x) * warps) {
    const long long r = b * a.T + t;
    const float* row = a.cache + r * (H + 1);
    float sum_dxhat = 0.0f, sum_dxhat_xhat = 0.0f;
    for (int k = lane; k < H; k += 32) {
      const float dy = ln_cell_dy(a.act, a.dout[r * H + k] + dn[b * H + k], a.out[r * H + k]);
      a.dln[r * H + k] = dy;
      const float dxhat = dy * a.extra[k];
      sum_dxhat += dxhat;
      sum_dxhat_xhat += dxhat * row[k];
    }
    const float m1 = warp_sum(sum_dxhat) * inv_n;
    const float m2 = warp_sum(sum_dxhat_xhat) * inv_n;
    const float rstd = row[H];
    for (int k = lane; k < H; k += 32) {
      const float da = layer_norm_input_grad(a.dln[r * H + k], a.extra[k], row[k], rstd, m1, m2);
      a.dxp[r * H + k] = da;
      drec_t[b * H + k] = da;
      dn[b * H + k] = 0.0f;
    }
  }
}

template <int KIND>
int run_steps(const RnnBackwardArgs& a, float* dn, float* dc, float* drec_t) {
  const long long n = static_cast<long long>(a.B) * a.H;
  TS_CUDA_TRY(ts_cuda_fill(dn, n, 0.0f));
  if (KIND == TS_RNN_LSTM && a.dc_last)
    TS_CUDA_TRY(check(cudaMemcpyAsync(dc, a.dc_last, static_cast<size_t>(n) * sizeof(float),
                                      cudaMemcpyDeviceToDevice, 0),
                      "rnn_backward: copy dc_last"));
  else if (KIND == TS_RNN_LSTM)
    TS_CUDA_TRY(ts_cuda_fill(dc, n, 0.0f));
  for (int t = a.T - 1; t >= 0; --t) {
    if (KIND == TS_RNN_LN_SIMPLE)
      ln_step_backward_kernel<<<blocks_for(a.B, kBlock / 32), kBlock>>>(a, t, dn, drec_t);
    else
      rnn_step_backward_kernel<KIND><<<blocks_for(n), kBlock>>>(a, t, dn, dc, drec_t);
    TS_CUDA_TRY(check_launch("rnn_backward (step)"));
    // dn += dRec_t . U^T: U is stored [H, GH], so op(b) = U^T is trans_b of [n=H, k=GH].
    TS_CUDA_TRY(ts_cuda_matmul(drec_t, a.U, dn, a.B, a.H, a.GH, 0, 1, 1));
  }
  if (a.dh0) TS_CUDA_TRY(ts_cuda_accumulate(dn, a.dh0, n));
  if (KIND == TS_RNN_LSTM && a.dc0) TS_CUDA_TRY(ts_cuda_accumulate(dc, a.dc0, n));
  return TS_OK;
}

// ---- after the time loop -------------------------------------------------------------------

// hprev[(b, t), :] = h_{t-1}: h0 at t = 0, else step t-1 of out.
__global__ void previous_states_kernel(const float* __restrict__ h0, const float* __restrict__ out,
                                       float* __restrict__ hprev, long long rows, int T, int H) {
  const long long n = rows * H;
  for (long long e = first_index(); e < n; e += grid_stride()) {
    const long long r = e / H;
    const int k = static_cast<int>(e % H);
    hprev[e] = r % T == 0 ? h0[(r / T) * H + k] : out[(r - 1) * H + k];
  }
}

struct ColumnTerm {
  const float* m;
  int ld;
  __device__ void operator()(long long r, long long c, double* v) const { v[0] = m[r * ld + c]; }
};
struct AddFinish {
  float* out;
  __device__ void operator()(long long c, const double* s) const {
    out[c] += static_cast<float>(s[0]);
  }
};
// LN_SIMPLE: {dy * xhat, dy}, xhat read from the cache rows (H + 1 floats apart).
struct GammaBetaTerm {
  const float* dln;
  const float* cache;
  int H;
  __device__ void operator()(long long r, long long c, double* v) const {
    const float dy = dln[r * H + c];
    v[0] = static_cast<double>(dy) * cache[r * (H + 1) + c];
    v[1] = dy;
  }
};
struct GammaBetaFinish {
  float* dgamma;
  float* dbeta;
  __device__ void operator()(long long c, const double* s) const {
    dgamma[c] += static_cast<float>(s[0]);
    dbeta[c] += static_cast<float>(s[1]);
  }
};

struct Gradients {
  const float* x;
  const float* kernel;
  float* dx;
  float* dkernel;
  float* drecurrent;
  float* dbias;
  float* dextra;
};

int finish(const RnnDims& d, const RnnBackwardArgs& a, const Gradients& g, float* hprev,
           double* partials) {
  const int rows = static_cast<int>(d.rows);
  const long long hn = d.rows * d.H;
  previous_states_kernel<<<blocks_for(hn), kBlock>>>(a.h0, a.out, hprev, d.rows, d.T, d.H);
  TS_CUDA_TRY(check_launch("rnn_backward (previous states)"));
  // dU += Hprev^T . dRec_all: Hprev is stored [rows, H], so op(a) is trans_a of [k=rows, m=H].
  TS_CUDA_TRY(ts_cuda_matmul(hprev, a.drec, g.drecurrent, d.H, d.GH, rows, 1, 0, 1));
  TS_CUDA_TRY(ts_cuda_matmul(g.x, a.dxp, g.dkernel, d.F, d.GH, rows, 1, 0, 1));
  if (g.dx) TS_CUDA_TRY(ts_cuda_matmul(a.dxp, g.kernel, g.dx, rows, d.F, d.GH, 0, 1, 1));
  TS_CUDA_TRY(column_reduce<1>("rnn_backward (dbias)", d.rows, d.GH, ColumnTerm{a.dxp, d.GH},
                               AddFinish{g.dbias}, partials));
  if (d.kind == TS_RNN_GRU)
    TS_CUDA_TRY(column_reduce<1>("rnn_backward (recurrent bias)", d.rows, d.GH,
                                 ColumnTerm{a.drec, d.GH}, AddFinish{g.dextra}, partials));
  if (d.kind == TS_RNN_LN_SIMPLE)
    TS_CUDA_TRY(column_reduce<2>("rnn_backward (gamma, beta)", d.rows, d.H,
                                 GammaBetaTerm{a.dln, a.cache, d.H},
                                 GammaBetaFinish{g.dextra, g.dextra + d.H}, partials));
  return TS_OK;
}

template <int KIND>
int run_backward(const RnnDims& d, const RnnBackwardArgs& base_args, const Gradients& g) {
  PersistentShape shape{};
  int strategy = TS_RNN_STRATEGY_STEPS;
  TS_CUDA_TRY(rnn_plan(d, backward_smem, backward_occupancy<KIND, false>,
                       backward_occupancy<KIND, true>, gates_of<KIND>(), shape, strategy));
  const bool steps = strategy == TS_RNN_STRATEGY_STEPS;
  const size_t all = static_cast<size_t>(d.rows) * d.GH, states = static_cast<size_t>(d.rows) * d.H;
  const size_t batch_h = static_cast<size_t>(d.B) * d.H;
  const size_t reduce1 = reduce_partials(1, d.rows, d.GH),
               reduce2 = reduce_partials(2, d.rows, d.H);

  std::lock_guard<std::mutex> lock(scratch_mutex());
  WorkspacePlan plan;
  const size_t o_dxp = plan.reserve<float>(all);
  const size_t o_drec = plan.reserve<float>(KIND == TS_RNN_GRU ? all : 0);
  const size_t o_dln = plan.reserve<float>(KIND == TS_RNN_LN_SIMPLE ? states : 0);
  const size_t o_hprev = plan.reserve<float>(states);
  const size_t o_partials = plan.reserve<double>(reduce1 > reduce2 ? reduce1 : reduce2);
  // GRID keeps the per-step buffers too (B rows, small beside dxp) for its fallback.
  const bool may_step = strategy != TS_RNN_STRATEGY_BLOCK;
  const size_t o_dn = plan.reserve<float>(may_step ? batch_h : 0);
  const size_t o_dc = plan.reserve<float>(may_step ? batch_h : 0);
  const size_t o_drec_t = plan.reserve<float>(may_step ? static_cast<size_t>(d.B) * d.GH : 0);
  void* base = nullptr;
  TS_CUDA_TRY(scratch_buffer(kScratchWorkspace, plan.bytes(), &base));

  RnnBackwardArgs a = base_args;
  a.dxp = at<float>(base, o_dxp);
  a.drec = KIND == TS_RNN_GRU ? at<float>(base, o_drec) : a.dxp;
  a.dln = KIND == TS_RNN_LN_SIMPLE ? at<float>(base, o_dln) : nullptr;
  rnn_record_strategy(strategy);
  bool refused = false;
  if (!steps) {
    TS_CUDA_TRY(launch_persistent<KIND>(a, shape, strategy == TS_RNN_STRATEGY_GRID, refused));
    if (refused) rnn_record_strategy(TS_RNN_STRATEGY_STEPS);
  }
  if (steps || refused)
    TS_CUDA_TRY(run_steps<KIND>(a, at<float>(base, o_dn), at<float>(base, o_dc),
                                at<float>(base, o_drec_t)));
  return finish(d, a, g, at<float>(base, o_hprev), at<double>(base, o_partials));
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" int ts_cuda_rnn_backward(int kind, int activation, int batch, int steps, int features,
                                    int units, const float* x, const float* h0, const float* c0,
                                    const float* kernel, const float* recurrent, const float* bias,
                                    const float* extra, const float* out, const float* cache,
                                    const float* dout, const float* dc_last, float* dx, float* dh0,
                                    float* dc0, float* dkernel, float* drecurrent, float* dbias,
                                    float* dextra) {
  RnnDims d{};
  TS_CUDA_TRY(rnn_check_dims("rnn_backward", kind, activation, batch, steps, features, units,
                             kernel, recurrent, bias, extra, d));
  TS_CUDA_REQUIRE(dkernel && drecurrent && dbias,
                  "rnn_backward: null dkernel, drecurrent or dbias");
  TS_CUDA_REQUIRE(dextra || (kind != TS_RNN_GRU && kind != TS_RNN_LN_SIMPLE),
                  "rnn_backward: null dextra for kind %d", kind);
  TS_CUDA_REQUIRE(kind == TS_RNN_LSTM || (!c0 && !dc_last && !dc0),
                  "rnn_backward: c0, dc_last and dc0 are the LSTM's only (kind %d)", kind);
  if (batch == 0) return TS_OK;
  TS_CUDA_REQUIRE(x && h0 && out && dout, "rnn_backward: null x, h0, out or dout");
  TS_CUDA_REQUIRE(kind == TS_RNN_SIMPLE || cache, "rnn_backward: null cache");
  const RnnBackwardArgs a{activation, batch, steps, units,   d.GH,    extra,   recurrent, h0,  c0,
                          out,        cache, dout,  dc_last, nullptr, nullptr, nullptr,   dh0, dc0};
  const Gradients g{x, kernel, dx, dkernel, drecurrent, dbias, dextra};
  switch (kind) {
    case TS_RNN_LSTM: return run_backward<TS_RNN_LSTM>(d, a, g);
    case TS_RNN_GRU: return run_backward<TS_RNN_GRU>(d, a, g);
    case TS_RNN_LN_SIMPLE: return run_backward<TS_RNN_LN_SIMPLE>(d, a, g);
    default: return run_backward<TS_RNN_SIMPLE>(d, a, g);
  }
}
