// The fused streaming step on the GPU (stream_step, see cpu_api.h): one block per stream walks
// the whole stack, its threads sharing each layer's columns. Simple on purpose: a point of one
// stream is a few thousand multiply-adds, so a GPU only pays off for large batches of streams,
// where the blocks fill the device. The plan and the weight pointers travel by value in the
// launch; the host arrays (chunk pointers, slots, x, y) are staged in the reusable workspace,
// and so is each block's scratch (the gate pre-activations and the dense vectors).
#include <algorithm>
#include <climits>
#include <mutex>

#include "common.cuh"
#include "timestep/cells.h"
#include "timestep/cuda_api.h"
#include "timestep/math.h"
#include "timestep/stream_plan.h"

namespace timestep::cuda {
namespace {

// The plan, and the rows of one slab chunk, passed by value to the kernel.
struct StreamArgs : StreamStack {
  int chunk_rows;
};

constexpr int kStreamThreads = 128;

int read_plan(const int* plan, float* const* buffers, StreamArgs& a) {
  return read_stream_plan(plan, buffers, a, error_slot());
}

// sum_k x[k] W[k, j], k in order (W rows n floats apart)
__device__ float column_product(const float* x, int k_count, const float* w, int n, int j,
                                float acc) {
  for (int k = 0; k < k_count; ++k) acc += x[k] * w[static_cast<long long>(k) * n + j];
  return acc;
}

__global__ void stream_step_kernel(StreamArgs a, float* const* chunks, const int* slots, int count,
                                   const float* x, float* y, float* scratch) {
  float* gates = scratch + static_cast<long long>(blockIdx.x) * 4 * a.widest;
  float* rec = gates + a.widest;
  float* vec[2] = {gates + 2 * a.widest, gates + 3 * a.widest};
  __shared__ float stats[2];
  for (int i = blockIdx.x; i < count; i += gridDim.x) {
    float* row =
        chunks[slots[i] / a.chunk_rows] + static_cast<long long>(slots[i] % a.chunk_rows) * a.R;
    const float* in = x + static_cast<long long>(i) * a.F;
    for (int l = 0; l < a.L; ++l) {
      const StreamLayer& ly = a.layers[l];
      const int H = ly.units;
      const bool last = l == a.L - 1;
      if (ly.kind == TS_STREAM_CONV) {
        const int C = ly.in, kept = (ly.k - 1) * ly.d;
        float* queue = row + ly.state;
        for (int j = threadIdx.x; j < ly.k * C; j += blockDim.x) {
          const int at = j / C * ly.d;
          gates[j] = at < kept ? queue[at * C + j % C] : in[j % C];
        }
        __syncthreads();
        if (threadIdx.x == 0 && kept > 0) {  // the queue moves on by one step
          for (int j = 0; j < (kept - 1) * C; ++j) queue[j] = queue[j + C];
          for (int j = 0; j < C; ++j) queue[(kept - 1) * C + j] = in[j];
        }
        float* out = last ? y + static_cast<long long>(i) * a.O : vec[l & 1];
        for (int j = threadIdx.x; j < H; j += blockDim.x)
          out[j] =
              activate(ly.act, column_product(gates, ly.k * C, ly.w, H, j, ly.b ? ly.b[j] : 0.0f));
        __syncthreads();
        in = out;
        continue;
      }
      if (ly.kind == TS_STREAM_DENSE) {
        float* out = last ? y + static_cast<long long>(i) * a.O : vec[l & 1];
        for (int j = threadIdx.x; j < H; j += blockDim.x) {
          float v = column_product(in, ly.in, ly.w, H, j, 0.0f);
          if (ly.b) v += ly.b[j];
          out[j] = activate(ly.act, v);
        }
        __syncthreads();
        in = out;
        continue;
      }
      float* h = row + ly.state;
      const int GH = rnn_gates(ly.kind) * H;
      for (int j = threadIdx.x; j < GH; j += blockDim.x) {
        gates[j] = column_product(in, ly.in, ly.w, GH, j, ly.b[j]);
        if (ly.kind == TS_RNN_GRU)
          rec[j] = column_product(h, H, ly.u, GH, j, ly.e[j]);
        else
          gates[j] = column_product(h, H, ly.u, GH, j, gates[j]);
      }
      __syncthreads();  // every h.U has read h before any unit overwrites it
      if (ly.kind == TS_RNN_LN_SIMPLE && threadIdx.x == 0) {
        float mean, rstd;
        layer_norm_stats(gates, H, mean, rstd);
        stats[0] = mean;
        stats[1] = rstd;
      }
      __syncthreads();
      for (int j = threadIdx.x; j < H; j += blockDim.x) {
        switch (ly.kind) {
          case TS_RNN_SIMPLE: h[j] = rnn_activate(ly.act, gates[j]); break;
          case TS_RNN_LSTM: {
            float gi, gf, gg, go, c, hj;
            lstm_cell_forward(gates[j], gates[H + j], gates[2 * H + j], gates[3 * H + j], h[H + j],
                              gi, gf, gg, go, c, hj);
            h[H + j] = c;
            h[j] = hj;
            break;
          }
          case TS_RNN_GRU: {
            float z, r, n, hj;
            gru_cell_forward(gates[j], gates[H + j], gates[2 * H + j], rec[j], rec[H + j],
                             rec[2 * H + j], h[j], z, r, n, hj);
            h[j] = hj;
            break;
          }
          default:
            h[j] = ln_cell_output(ly.act, layer_norm_normalize(gates[j], stats[0], stats[1]),
                                  ly.e[j], ly.e[H + j]);
            break;
        }
        if (last) y[static_cast<long long>(i) * a.O + j] = h[j];
      }
      __syncthreads();
      in = h;
    }
  }
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" int ts_cuda_stream_step(const int* plan, float* const* buffers, int chunks,
                                   int chunk_rows, const int* slots, int count, const float* x,
                                   float* y) {
  StreamArgs a{};
  TS_CUDA_TRY(read_plan(plan, buffers, a));
  TS_CUDA_REQUIRE(chunks >= 0 && chunk_rows >= 1 && count >= 0,
                  "stream_step: bad slab (%d chunks of %d rows) or count %d", chunks, chunk_rows,
                  count);
  if (count == 0) return TS_OK;
  TS_CUDA_REQUIRE(slots && x && y, "stream_step: null slots, x or y");
  a.chunk_rows = chunk_rows;
  const long long rows = static_cast<long long>(chunks) * chunk_rows;
  float* const* slab = buffers + 4 * a.L;
  for (int i = 0; i < count; ++i) {
    TS_CUDA_REQUIRE(slots[i] >= 0 && slots[i] < rows,
                    "stream_step: slot %d (at %d) is outside the slab's %lld rows", slots[i], i,
                    rows);
    TS_CUDA_REQUIRE(slab[slots[i] / chunk_rows], "stream_step: chunk %d is null",
                    slots[i] / chunk_rows);
  }
  const int blocks = static_cast<int>(std::min<long long>(count, kMaxBlocks));
  WorkspacePlan w;
  const size_t chunk_at = w.reserve<float*>(chunks);
  const size_t slot_at = w.reserve<int>(count);
  const size_t x_at = w.reserve<float>(static_cast<size_t>(count) * a.F);
  const size_t y_at = w.reserve<float>(static_cast<size_t>(count) * a.O);
  const size_t scratch_at = w.reserve<float>(static_cast<size_t>(blocks) * 4 * a.widest);
  std::lock_guard<std::mutex> lock(scratch_mutex());
  void* base = nullptr;
  TS_CUDA_TRY(scratch_buffer(kScratchWorkspace, w.bytes(), &base));
  TS_CUDA_TRY(check(
      cudaMemcpy(at<float*>(base, chunk_at), slab, sizeof(float*) * chunks, cudaMemcpyHostToDevice),
      "stream_step: staging %d chunk pointers", chunks));
  TS_CUDA_TRY(
      check(cudaMemcpy(at<int>(base, slot_at), slots, sizeof(int) * count, cudaMemcpyHostToDevice),
            "stream_step: staging %d slots", count));
  TS_CUDA_TRY(check(
      cudaMemcpy(at<float>(base, x_at), x, sizeof(float) * count * a.F, cudaMemcpyHostToDevice),
      "stream_step: staging the inputs"));
  stream_step_kernel<<<blocks, kStreamThreads>>>(
      a, at<float*>(base, chunk_at), at<int>(base, slot_at), count, at<float>(base, x_at),
      at<float>(base, y_at), at<float>(base, scratch_at));
  TS_CUDA_TRY(check_launch("stream_step"));
  return check(
      cudaMemcpy(y, at<float>(base, y_at), sizeof(float) * count * a.O, cudaMemcpyDeviceToHost),
      "stream_step: reading the outputs back");
}
