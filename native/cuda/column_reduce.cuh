// Deterministic column sums for the sequence ops' parameter gradients and statistics
// (dbias, dgamma/dbeta, dkernel, batch-norm mean/variance): out[c] = f(sum_r term(r, c)).
//
// No atomics, so repeated calls give bitwise identical results. Two passes:
//   1. column_partials_kernel: blocks of 32 columns (threadIdx.x) x 8 row lanes (threadIdx.y);
//      grid.y splits the rows into `chunks` interleaved shares; each thread sums its rows in
//      double, the block folds its 8 lanes in a fixed order and writes one partial per
//      (value, chunk, column);
//   2. column_fold_kernel: one thread per column adds its chunks in order and hands the K sums to
//      the `finish` functor, which writes the outputs (accumulating or not, as the op needs).
// The geometry depends only on (rows, cols), never on the device, so results repeat everywhere.
// A term functor is  __device__ void operator()(long long r, long long c, double* v) const,
// filling v[0..K); a finish functor is  __device__ void operator()(long long c, const double* s).
#ifndef TIMESTEP_CUDA_COLUMN_REDUCE_CUH
#define TIMESTEP_CUDA_COLUMN_REDUCE_CUH

#include "common.cuh"

namespace timestep::cuda {
namespace {

constexpr int kReduceColumns = 32;
constexpr int kReduceLanes = 8;
constexpr long long kMaxReduceChunks = 256;
// Caps the partials at 4M doubles per value (32 MB) however many columns there are.
constexpr long long kMaxReducePartials = 1LL << 22;

// Row shares of pass 1 for a [rows, cols] reduction: at least 1.
inline int reduce_chunks(long long rows, long long cols) {
  long long chunks = (rows + kReduceLanes - 1) / kReduceLanes;
  if (chunks > kMaxReduceChunks) chunks = kMaxReduceChunks;
  const long long cap = kMaxReducePartials / (cols > 0 ? cols : 1);
  if (chunks > cap) chunks = cap;
  return static_cast<int>(chunks < 1 ? 1 : chunks);
}

// Doubles of partials a reduction of K values per column needs.
inline size_t reduce_partials(int K, long long rows, long long cols) {
  return static_cast<size_t>(K) * static_cast<size_t>(reduce_chunks(rows, cols)) *
         static_cast<size_t>(cols);
}

template <int K, class Term>
__global__ void __launch_bounds__(kReduceColumns* kReduceLanes)
    column_partials_kernel(Term term, long long rows, long long cols,
                           double* __restrict__ partials) {
  __shared__ double lanes[K][kReduceLanes][kReduceColumns];
  const int tx = threadIdx.x, ty = threadIdx.y;
  // The group loop's bounds are the same for the whole block, so every thread reaches the
  // barriers.
  for (long long group = static_cast<long long>(blockIdx.x) * kReduceColumns; group < cols;
       group += static_cast<long long>(gridDim.x) * kReduceColumns) {
    const long long c = group + tx;
    double acc[K];
#pragma unroll
    for (int k = 0; k < K; ++k) acc[k] = 0.0;
    if (c < cols) {
      for (long long r = static_cast<long long>(blockIdx.y) * kReduceLanes + ty; r < rows;
           r += static_cast<long long>(gridDim.y) * kReduceLanes) {
        double v[K];
        term(r, c, v);
#pragma unroll
        for (int k = 0; k < K; ++k) acc[k] += v[k];
      }
    }
#pragma unroll
    for (int k = 0; k < K; ++k) lanes[k][ty][tx] = acc[k];
    __syncthreads();
    if (ty == 0 && c < cols) {
#pragma unroll
      for (int k = 0; k < K; ++k) {
        double s = 0.0;
        for (int y = 0; y < kReduceLanes; ++y) s += lanes[k][y][tx];
        partials[(static_cast<long long>(k) * gridDim.y + blockIdx.y) * cols + c] = s;
      }
    }
    __syncthreads();  // lanes is rewritten by the next column group
  }
}

template <int K, class Finish>
__global__ void column_fold_kernel(const double* __restrict__ partials, int chunks, long long cols,
                                   Finish finish) {
  for (long long c = first_index(); c < cols; c += grid_stride()) {
    double s[K];
#pragma unroll
    for (int k = 0; k < K; ++k) {
      double acc = 0.0;
      for (int i = 0; i < chunks; ++i)
        acc += partials[(static_cast<long long>(k) * chunks + i) * cols + c];
      s[k] = acc;
    }
    finish(c, s);
  }
}

// Enqueues both passes. `partials` must hold reduce_partials(K, rows, cols) doubles; it may be
// reused by the next reduction on the same stream. rows may be 0 (sums of nothing are 0).
template <int K, class Term, class Finish>
int column_reduce(const char* what, long long rows, long long cols, Term term, Finish finish,
                  double* partials) {
  if (cols <= 0) return TS_OK;
  const int chunks = reduce_chunks(rows, cols);
  long long groups = (cols + kReduceColumns - 1) / kReduceColumns;
  if (groups > kMaxBlocks) groups = kMaxBlocks;
  const dim3 grid(static_cast<unsigned int>(groups), static_cast<unsigned int>(chunks));
  const dim3 block(kReduceColumns, kReduceLanes);
  column_partials_kernel<K><<<grid, block>>>(term, rows, cols, partials);
  TS_CUDA_TRY(check_launch(what));
  column_fold_kernel<K><<<blocks_for(cols), kBlock>>>(partials, chunks, cols, finish);
  return check_launch(what);
}

}  // namespace
}  // namespace timestep::cuda

#endif
