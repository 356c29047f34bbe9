// Forward of the fused recurrent layers (the twin of ts_cpu_rnn_forward): the input projection
// of all steps as one GEMM, then the time loop in one persistent launch (BLOCK or GRID, see
// recurrent.cuh) or, when that cannot run, as a GEMM plus a cell kernel per step (STEPS).
#include <cooperative_groups.h>
#include <cuda_pipeline.h>

#include "recurrent.cuh"

namespace cg = cooperative_groups;

namespace timestep::cuda {
namespace {

constexpr int kMaxPersistentThreads = 256;

// ---- persistent kernel -------------------------------------------------------------------
// Shared memory of a block owning UB units (G*UB gate columns) of BB batch rows, in floats:
//   Us [H][G*UB]      its columns of U (column c = g*UB + u is gate g of unit u0 + u)
//   bs, rbs [G*UB]    bias and (GRU) recurrent bias of those columns
//   gam, bet [UB]     (LN) gamma and beta of its units
//   hs [BB][H|1]      h_{t-1} of its batch rows (all units); the odd row stride puts the rows
//                     that one warp reads at the same k in different banks
//   zs [BB][G*UB]     h_{t-1}.U for its columns
//   xs [2][BB][G*UB]  x.W of step t and t+1 (copied in asynchronously one step ahead)
//   cs [BB][UB]       (LSTM) c_{t-1} of its units
//   st [BB][2]        (LN) mean and rstd of each row
//   part              the partial sums of the tiled product zs = hs . Us (recurrent.cuh), if tiled
__host__ __device__ inline int h_stride(int H) { return H | 1; }

size_t forward_smem(const RnnDims& d, int UB, int BB) {
  const size_t H = d.H, GUB = static_cast<size_t>(d.G) * UB, bb = BB, ub = UB;
  const int threads =
      persistent_threads(static_cast<long long>(BB) * UB * d.G);  // as rnn_plan sizes it
  const size_t part = tiled_part_floats(BB, static_cast<int>(GUB), d.H, threads);
  const size_t floats = H * GUB + 2 * GUB + 2 * ub + bb * h_stride(d.H) + bb * GUB + 2 * bb * GUB +
                        bb * ub + 2 * bb + part;
  return floats * sizeof(float);
}

struct ForwardBlock {
  int UB, BB, GUB, u0, b0, ucount, bcount;
};

template <int KIND>
__device__ ForwardBlock forward_block(const RnnForwardArgs& a, const PersistentShape& s) {
  ForwardBlock f;
  f.UB = s.UB;
  f.BB = s.BB;
  f.GUB = gates_of<KIND>() * s.UB;
  f.u0 = static_cast<int>(blockIdx.x % s.NS) * s.UB;
  f.b0 = static_cast<int>(blockIdx.x / s.NS) * s.BB;
  f.ucount = min(s.UB, a.H - f.u0);
  f.bcount = min(s.BB, a.B - f.b0);
  return f;
}

// Starts the asynchronous copy of x.W for step t (the block's rows and columns) into dst.
__device__ void stage_projection(const RnnForwardArgs& a, const ForwardBlock& f, int t,
                                 float* dst) {
  for (int i = threadIdx.x; i < f.BB * f.GUB; i += blockDim.x) {
    const int b = i / f.GUB, c = i % f.GUB, g = c / f.UB, u = c % f.UB;
    if (b >= f.bcount || u >= f.ucount) continue;
    const long long r = static_cast<long long>(f.b0 + b) * a.T + t;
    __pipeline_memcpy_async(dst + i, a.xp + r * a.GH + g * a.H + f.u0 + u, sizeof(float));
  }
}

template <int KIND, bool GRID>
__global__ void __launch_bounds__(kMaxPersistentThreads)
    rnn_forward_persistent(RnnForwardArgs a, PersistentShape s) {
  float* smem = shared_floats();
  const ForwardBlock f = forward_block<KIND>(a, s);
  const int H = a.H, T = a.T, GH = a.GH, UB = f.UB, GUB = f.GUB, ldh = h_stride(a.H);
  const int tid = threadIdx.x, nt = blockDim.x;

  float* Us = smem;
  float* bs = Us + H * GUB;
  float* rbs = bs + GUB;
  float* gam = rbs + GUB;
  float* bet = gam + UB;
  float* hs = bet + UB;
  float* zs = hs + f.BB * ldh;
  float* xs = zs + f.BB * GUB;
  float* cs = xs + 2 * f.BB * GUB;
  float* st = cs + f.BB * UB;
  float* part = st + 2 * f.BB;
  const bool tiled = tiled_product_fits(f.BB, GUB, H);

  for (int i = tid; i < H * GUB; i += nt) {
    const int k = i / GUB, c = i % GUB, g = c / UB, u = c % UB;
    Us[i] = u < f.ucount ? a.U[static_cast<long long>(k) * GH + g * H + f.u0 + u] : 0.0f;
  }
  for (int c = tid; c < GUB; c += nt) {
    const int g = c / UB, u = c % UB;
    const bool own = u < f.ucount;
    bs[c] = own ? a.bias[g * H + f.u0 + u] : 0.0f;
    rbs[c] = (KIND == TS_RNN_GRU && own) ? a.extra[g * H + f.u0 + u] : 0.0f;
  }
  if (KIND == TS_RNN_LN_SIMPLE) {
    for (int u = tid; u < UB; u += nt) {
      const bool own = u < f.ucount;
      gam[u] = own ? a.extra[f.u0 + u] : 0.0f;
      bet[u] = own ? a.extra[H + f.u0 + u] : 0.0f;
    }
  }
  for (int i = tid; i < f.BB * H; i += nt) {
    const int b = i / H, k = i % H;
    hs[b * ldh + k] = b < f.bcount ? a.h0[static_cast<long long>(f.b0 + b) * H + k] : 0.0f;
  }
  if (KIND == TS_RNN_LSTM)
    for (int i = tid; i < f.BB * UB; i += nt) {  // c_{-1} = c0, or 0
      const int b = i / UB, u = i % UB;
      const bool own = b < f.bcount && u < f.ucount;
      cs[i] = own && a.c0 ? a.c0[static_cast<long long>(f.b0 + b) * H + f.u0 + u] : 0.0f;
    }
  stage_projection(a, f, 0, xs);
  __pipeline_commit();
  __syncthreads();

  for (int t = 0; t < T; ++t) {
    const float* xcur = xs + (t & 1) * f.BB * GUB;
    // Step t+1's projection streams in while this step computes; its buffer was last read in
    // step t-1, before the barrier that ended it.
    if (t + 1 < T) stage_projection(a, f, t + 1, xs + ((t + 1) & 1) * f.BB * GUB);
    __pipeline_commit();

    // zs = h_{t-1}.U for the block's rows and columns: register-tiled when the block has rows to
    // share each U load (recurrent.cuh); else one output per thread, consecutive threads on
    // consecutive columns.
    if (tiled) block_tiled_product(hs, ldh, Us, GUB, 1, f.BB, GUB, H, part, nullptr, zs);
    for (int i = tid; !tiled && i < f.BB * GUB; i += nt) {
      const int b = i / GUB, c = i % GUB;
      if (b >= f.bcount || c % UB >= f.ucount) continue;
      const float* hb = hs + b * ldh;
      // Four partial sums, so the FMAs of one step do not wait on each other (see backward).
      float acc0 = 0.0f, acc1 = 0.0f, acc2 = 0.0f, acc3 = 0.0f;
      int k = 0;
      for (; k + 3 < H; k += 4) {
        acc0 += hb[k] * Us[k * GUB + c];
        acc1 += hb[k + 1] * Us[(k + 1) * GUB + c];
        acc2 += hb[k + 2] * Us[(k + 2) * GUB + c];
        acc3 += hb[k + 3] * Us[(k + 3) * GUB + c];
      }
      for (; k < H; ++k) acc0 += hb[k] * Us[k * GUB + c];
      zs[i] = (acc0 + acc1) + (acc2 + acc3);
    }
    __pipeline_wait_prior(1);  // this thread's copies of step t have landed...
    __syncthreads();           // ...and everyone's, with zs complete

    if (KIND == TS_RNN_LN_SIMPLE) {
      // G == 1: the block's pre-activations in place in zs. BLOCK holds whole rows (UB == H);
      // under GRID every block publishes its part of the rows in `pre` and, after a grid
      // barrier, reads the full rows back for the statistics. One warp per row.
      for (int i = tid; i < f.BB * GUB; i += nt) {
        const int b = i / GUB, u = i % GUB;
        if (b >= f.bcount || u >= f.ucount) continue;
        zs[i] = xcur[i] + bs[u] + zs[i];
        if (GRID) a.pre[static_cast<long long>(f.b0 + b) * H + f.u0 + u] = zs[i];
      }
      if (GRID)
        cg::this_grid().sync();
      else
        __syncthreads();
      const int lane = tid % 32;
      for (int b = tid / 32; b < f.bcount; b += nt / 32) {
        const float* ab = GRID ? a.pre + static_cast<long long>(f.b0 + b) * H : zs + b * GUB;
        float sum = 0.0f;
        for (int k = lane; k < H; k += 32) sum += GRID ? __ldcg(ab + k) : ab[k];
        const float mean = warp_sum(sum) / static_cast<float>(H);
        float sq = 0.0f;
        for (int k = lane; k < H; k += 32) {
          const float dv = (GRID ? __ldcg(ab + k) : ab[k]) - mean;
          sq += dv * dv;
        }
        const float rstd = layer_norm_rstd(warp_sum(sq), H);
        if (lane == 0) {
          st[2 * b] = mean;
          st[2 * b + 1] = rstd;
        }
      }
      __syncthreads();
    }

    // The cells of the block's (row, unit) pairs; each pair belongs to one thread, which alone
    // reads and writes its cs and hs entries.
    for (int i = tid; i < f.BB * UB; i += nt) {
      const int b = i / UB, u = i % UB;
      if (b >= f.bcount || u >= f.ucount) continue;
      const int j = f.u0 + u;
      const long long r = static_cast<long long>(f.b0 + b) * T + t;
      const int zb = b * GUB;
      float h;
      if (KIND == TS_RNN_LSTM) {
        float z[4];
#pragma unroll
        for (int g = 0; g < 4; ++g)
          z[g] = xcur[zb + g * UB + u] + bs[g * UB + u] + zs[zb + g * UB + u];
        float c = cs[i];
        h = lstm_forward_unit(a.cache, r, H, j, z, c);
        cs[i] = c;
      } else if (KIND == TS_RNN_GRU) {
        float xg[3], hg[3];
#pragma unroll
        for (int g = 0; g < 3; ++g) {
          xg[g] = xcur[zb + g * UB + u] + bs[g * UB + u];
          hg[g] = zs[zb + g * UB + u] + rbs[g * UB + u];
        }
        h = gru_forward_unit(a.cache, r, H, j, xg, hg, hs[b * ldh + j]);
      } else if (KIND == TS_RNN_LN_SIMPLE) {
        h = ln_forward_unit(a.cache, r, H, j, a.act, zs[zb + u], st[2 * b], st[2 * b + 1], gam[u],
                            bet[u]);
      } else {
        h = rnn_activate(a.act, xcur[zb + u] + bs[u] + zs[zb + u]);
      }
      a.out[r * H + j] = h;
      if (!GRID) hs[b * ldh + j] = h;
    }

    if (GRID) {
      // Every block has written its units of h_t; read the full rows back (from L2: __ldcg,
      // never a stale L1 line).
      cg::this_grid().sync();
      for (int i = tid; i < f.BB * H; i += nt) {
        const int b = i / H, k = i % H;
        if (b < f.bcount)
          hs[b * ldh + k] = __ldcg(a.out + (static_cast<long long>(f.b0 + b) * T + t) * H + k);
      }
    }
    __syncthreads();
  }
  __pipeline_wait_prior(0);
}

// The device-wide shared-memory limit of each persistent kernel, raised once (recurrent.cuh).
template <int KIND, bool GRID>
int allow_smem() {
  static std::atomic<unsigned long long> raised{0};
  return raise_smem_limit(rnn_forward_persistent<KIND, GRID>, raised, "rnn_forward");
}

template <int KIND, bool GRID>
int forward_occupancy(int threads, size_t smem) {
  int blocks = 0;
  if (allow_smem<KIND, GRID>() != TS_OK ||
      cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, rnn_forward_persistent<KIND, GRID>,
                                                    threads, smem) != cudaSuccess) {
    cudaGetLastError();  // a shape the device refuses is simply not a candidate
    return 0;
  }
  return blocks;
}

// Runs the BLOCK or GRID plan; `refused` is set instead of an error when a GRID launch was refused
// and the caller should run the per-step plan (rnn_cooperative_fallback).
template <int KIND>
int launch_persistent(const RnnForwardArgs& a, const PersistentShape& s, bool grid, bool& refused) {
  refused = false;
  const dim3 blocks(static_cast<unsigned int>(s.NS) * static_cast<unsigned int>(s.NB));
  if (!grid) {
    auto kernel = rnn_forward_persistent<KIND, false>;
    TS_CUDA_TRY((allow_smem<KIND, false>()));
    kernel<<<blocks, s.threads, s.smem_bytes>>>(a, s);
    return check_launch("rnn_forward (persistent)");
  }
  auto kernel = rnn_forward_persistent<KIND, true>;
  TS_CUDA_TRY((allow_smem<KIND, true>()));
  RnnForwardArgs args = a;
  PersistentShape shape = s;
  void* params[] = {&args, &shape};
  const cudaError_t err =
      cudaLaunchCooperativeKernel(kernel, blocks, dim3(s.threads), params, s.smem_bytes, 0);
  refused = err != cudaSuccess && rnn_cooperative_fallback(err, "rnn_forward", blocks.x);
  if (refused) return TS_OK;
  return check(err, "rnn_forward (cooperative launch of %u blocks)", blocks.x);
}

// ---- per-step kernels (STEPS) --------------------------------------------------------------

// The cells of step t from rec = h_{t-1}.U [B, GH]; h_t also goes to hbuf [B, H] (the next
// step's GEMM operand; the GRU reads h_{t-1} from it first, in the same thread).
template <int KIND>
__global__ void rnn_step_forward_kernel(RnnForwardArgs a, int t, const float* __restrict__ rec,
                                        float* hbuf) {
  const int H = a.H, GH = a.GH;
  const long long n = static_cast<long long>(a.B) * H;
  for (long long e = first_index(); e < n; e += grid_stride()) {
    const int b = static_cast<int>(e / H), j = static_cast<int>(e % H);
    const long long r = static_cast<long long>(b) * a.T + t;
    const float* xr = a.xp + r * GH;
    const float* rr = rec + static_cast<long long>(b) * GH;
    float h;
    if (KIND == TS_RNN_LSTM) {
      float z[4];
#pragma unroll
      for (int g = 0; g < 4; ++g) z[g] = xr[g * H + j] + a.bias[g * H + j] + rr[g * H + j];
      float c = t > 0 ? a.cache[(r - 1) * 5 * H + 4 * H + j] : a.c0 ? a.c0[e] : 0.0f;
      h = lstm_forward_unit(a.cache, r, H, j, z, c);
    } else if (KIND == TS_RNN_GRU) {
      float xg[3], hg[3];
#pragma unroll
      for (int g = 0; g < 3; ++g) {
        xg[g] = xr[g * H + j] + a.bias[g * H + j];
        hg[g] = rr[g * H + j] + a.extra[g * H + j];
      }
      h = gru_forward_unit(a.cache, r, H, j, xg, hg, hbuf[e]);
    } else {
      h = rnn_activate(a.act, xr[j] + a.bias[j] + rr[j]);
    }
    a.out[r * H + j] = h;
    hbuf[e] = h;
  }
}

// LN_SIMPLE: one warp per batch row (the statistics need the whole row).
__global__ void ln_step_forward_kernel(RnnForwardArgs a, int t, const float* __restrict__ rec,
                                       float* __restrict__ hbuf) {
  const int H = a.H, lane = threadIdx.x % 32;
  const int warps = blockDim.x / 32;
  for (long long b = static_cast<long long>(blockIdx.x) * warps + threadIdx.x / 32; b < a.B;
       b += static_cast<long long>(gridDim.x) * warps) {
    const long long r = b * a.T + t;
    const float* xr = a.xp + r * H;
    const float* rr = rec + b * H;
    float sum = 0.0f;
    for (int k = lane; k < H; k += 32) sum += xr[k] + a.bias[k] + rr[k];
    const float mean = warp_sum(sum) / static_cast<float>(H);
    float sq = 0.0f;
    for (int k = lane; k < H; k += 32) {
      const float dv = xr[k] + a.bias[k] + rr[k] - mean;
      sq += dv * dv;
    }
    const float rstd = layer_norm_rstd(warp_sum(sq), H);
    for (int k = lane; k < H; k += 32) {
      const float h = ln_forward_unit(a.cache, r, H, k, a.act, xr[k] + a.bias[k] + rr[k], mean,
                                      rstd, a.extra[k], a.extra[H + k]);
      a.out[r * H + k] = h;
      hbuf[b * H + k] = h;
    }
  }
}

template <int KIND>
int run_steps(const RnnForwardArgs& a, float* hbuf, float* rec) {
  const long long n = static_cast<long long>(a.B) * a.H;
  TS_CUDA_TRY(check(cudaMemcpyAsync(hbuf, a.h0, static_cast<size_t>(n) * sizeof(float),
                                    cudaMemcpyDeviceToDevice, 0),
                    "rnn_forward: copy h0"));
  for (int t = 0; t < a.T; ++t) {
    TS_CUDA_TRY(ts_cuda_matmul(hbuf, a.U, rec, a.B, a.GH, a.H, 0, 0, 0));
    if (KIND == TS_RNN_LN_SIMPLE)
      ln_step_forward_kernel<<<blocks_for(a.B, kBlock / 32), kBlock>>>(a, t, rec, hbuf);
    else
      rnn_step_forward_kernel<KIND><<<blocks_for(n), kBlock>>>(a, t, rec, hbuf);
    TS_CUDA_TRY(check_launch("rnn_forward (step)"));
  }
  return TS_OK;
}

template <int KIND>
int run_forward(const RnnDims& d, const RnnForwardArgs& a, const float* x, const float* kernel) {
  PersistentShape shape{};
  int strategy = TS_RNN_STRATEGY_STEPS;
  TS_CUDA_TRY(rnn_plan(d, forward_smem, forward_occupancy<KIND, false>,
                       forward_occupancy<KIND, true>, gates_of<KIND>(), shape, strategy));
  std::lock_guard<std::mutex> lock(scratch_mutex());
  WorkspacePlan plan;
  const size_t o_xp = plan.reserve<float>(static_cast<size_t>(d.rows) * d.GH);
  const bool steps = strategy == TS_RNN_STRATEGY_STEPS;
  // GRID keeps the per-step buffers too (B rows, small beside xp) for its fallback.
  const bool may_step = strategy != TS_RNN_STRATEGY_BLOCK;
  const size_t o_h = plan.reserve<float>(may_step ? static_cast<size_t>(d.B) * d.H : 0);
  const size_t o_rec = plan.reserve<float>(may_step ? static_cast<size_t>(d.B) * d.GH : 0);
  const bool grid_ln = KIND == TS_RNN_LN_SIMPLE && strategy == TS_RNN_STRATEGY_GRID;
  const size_t o_pre = plan.reserve<float>(grid_ln ? static_cast<size_t>(d.B) * d.H : 0);
  void* base = nullptr;
  TS_CUDA_TRY(scratch_buffer(kScratchWorkspace, plan.bytes(), &base));
  RnnForwardArgs args = a;
  float* xp = at<float>(base, o_xp);
  args.xp = xp;
  args.pre = grid_ln ? at<float>(base, o_pre) : nullptr;
  // x.W for every step at once: [B*T, F] . [F, GH]; the cells add the bias.
  TS_CUDA_TRY(ts_cuda_matmul(x, kernel, xp, static_cast<int>(d.rows), d.GH, d.F, 0, 0, 0));
  rnn_record_strategy(strategy);
  if (!steps) {
    bool refused = false;
    TS_CUDA_TRY(launch_persistent<KIND>(args, shape, strategy == TS_RNN_STRATEGY_GRID, refused));
    if (!refused) return TS_OK;
    rnn_record_strategy(TS_RNN_STRATEGY_STEPS);
  }
  return run_steps<KIND>(args, at<float>(base, o_h), at<float>(base, o_rec));
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" int ts_cuda_rnn_forward(int kind, int activation, int batch, int steps, int features,
                                   int units, const float* x, const float* h0, const float* c0,
                                   const float* kernel, const float* recurrent, const float* bias,
                                   const float* extra, float* out, float* cache) {
  RnnDims d{};
  TS_CUDA_TRY(rnn_check_dims("rnn_forward", kind, activation, batch, steps, features, units, kernel,
                             recurrent, bias, extra, d));
  TS_CUDA_REQUIRE(kind == TS_RNN_LSTM || !c0, "rnn_forward: c0 is the LSTM's only (kind %d)", kind);
  if (batch == 0) return TS_OK;
  TS_CUDA_REQUIRE(x && h0 && out, "rnn_forward: null x, h0 or out");
  TS_CUDA_REQUIRE(kind == TS_RNN_SIMPLE || cache, "rnn_forward: null cache");
  const RnnForwardArgs a{activation, batch,     steps, units, d.GH, nullptr, bias,
                         extra,      recurrent, h0,    c0,    out,  cache,   nullptr};
  switch (kind) {
    case TS_RNN_LSTM: return run_forward<TS_RNN_LSTM>(d, a, x, kernel);
    case TS_RNN_GRU: return run_forward<TS_RNN_GRU>(d, a, x, kernel);
    case TS_RNN_LN_SIMPLE: return run_forward<TS_RNN_LN_SIMPLE>(d, a, x, kernel);
    default: return run_forward<TS_RNN_SIMPLE>(d, a, x, kernel);
  }
}
