// Dense SGEMM with the semantics of ts_cpu_matmul: our own kernels, and cuBLAS (loaded at run
// time by cublas_gemm.cu) as an optional fast path for large products when present.
//
// Two kernels, chosen per product by use_large_tiles() (matmul_tiles.h):
//  - sgemm_kernel: each block computes one 64x64 tile of C. It walks k in slices of 16: the
//    block stages op(a)[tile rows, slice] and op(b)[slice, tile cols] in shared memory, then
//    each of its 256 threads updates a 4x4 register block of C from float4 reads of the
//    staged slices (16 FMAs per two shared loads).
//  - sgemm_large_kernel, for products big enough to fill the GPU with 128x128 tiles: an 8x8
//    register block per thread (64 FMAs per four shared loads) and double-buffered staging of
//    8-deep slices, so each slice's global loads are in flight while the previous one computes.
// Out-of-range elements are staged as zeros, so any m, n, k works without special cases; only
// the final store is bounds-checked. The transposes are template parameters: they choose the
// index math of the staging loads, and which thread loads which element, so global reads stay
// coalesced in every layout.
#include <cstdint>

#include "common.cuh"
#include "cublas_gemm.cuh"
#include "matmul_tiles.h"
#include "timestep/cuda_api.h"

namespace timestep::cuda {
namespace {

constexpr int kTile = 64;
constexpr int kDepth = 16;
constexpr int kMicro = 4;
constexpr int kLanes = kTile / kMicro;             // threads along each tile edge
constexpr int kThreads = kLanes * kLanes;          // 256
constexpr int kLoads = kTile * kDepth / kThreads;  // staged elements per thread per operand
// Row padding: keeps every staged row 16-byte aligned for the float4 reads while spreading
// the column-wise staging stores over more shared-memory banks.
constexpr int kPad = 4;

template <bool TRANS_A, bool TRANS_B>
__global__ void __launch_bounds__(kThreads)
    sgemm_kernel(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ c,
                 int m, int n, int k, int tiles_n, bool accumulate) {
  // as[p][i] = op(a)[row0 + i, p0 + p] and bs[p][j] = op(b)[p0 + p, col0 + j]: both are read
  // along the tile edge in the inner loop, so both are stored slice-major.
  __shared__ __align__(16) float as[kDepth][kTile + kPad];
  __shared__ __align__(16) float bs[kDepth][kTile + kPad];

  const int tid = threadIdx.x;
  const long long row0 = static_cast<long long>(blockIdx.x / tiles_n) * kTile;
  const long long col0 = static_cast<long long>(blockIdx.x % tiles_n) * kTile;
  const int tx = tid % kLanes;  // this thread's C columns: col0 + tx*kMicro + [0, kMicro)
  const int ty = tid / kLanes;  // this thread's C rows:    row0 + ty*kMicro + [0, kMicro)

  float acc[kMicro][kMicro] = {};
  for (int p0 = 0; p0 < k; p0 += kDepth) {
#pragma unroll
    for (int s = 0; s < kLoads; ++s) {
      const int e = tid + s * kThreads;
      // Consecutive threads take consecutive addresses of whichever index is contiguous in
      // memory: p for a [m,k] a, i for a stored-transposed [k,m] a (likewise for b).
      const int i = TRANS_A ? e % kTile : e / kDepth;
      const int p = TRANS_A ? e / kTile : e % kDepth;
      const long long gi = row0 + i;
      const int gp = p0 + p;
      float va = 0.0f;
      if (gi < m && gp < k) va = TRANS_A ? a[static_cast<long long>(gp) * m + gi] : a[gi * k + gp];
      as[p][i] = va;

      const int j = TRANS_B ? e / kDepth : e % kTile;
      const int q = TRANS_B ? e % kDepth : e / kTile;
      const long long gj = col0 + j;
      const int gq = p0 + q;
      float vb = 0.0f;
      if (gj < n && gq < k) vb = TRANS_B ? b[gj * k + gq] : b[static_cast<long long>(gq) * n + gj];
      bs[q][j] = vb;
    }
    __syncthreads();
#pragma unroll
    for (int p = 0; p < kDepth; ++p) {
      const float4 av = *reinterpret_cast<const float4*>(&as[p][ty * kMicro]);
      const float4 bv = *reinterpret_cast<const float4*>(&bs[p][tx * kMicro]);
      const float ar[kMicro] = {av.x, av.y, av.z, av.w};
      const float br[kMicro] = {bv.x, bv.y, bv.z, bv.w};
#pragma unroll
      for (int r = 0; r < kMicro; ++r)
#pragma unroll
        for (int q = 0; q < kMicro; ++q) acc[r][q] += ar[r] * br[q];
    }
    // The next slice overwrites as/bs: everyone must be done reading this one.
    __syncthreads();
  }

#pragma unroll
  for (int r = 0; r < kMicro; ++r) {
    const long long gi = row0 + ty * kMicro + r;
    if (gi >= m) break;
#pragma unroll
    for (int q = 0; q < kMicro; ++q) {
      const long long gj = col0 + tx * kMicro + q;
      if (gj >= n) break;
      float* out = c + gi * n + gj;
      *out = accumulate ? *out + acc[r][q] : acc[r][q];
    }
  }
}

// ---- 128x128 tiles ---------------------------------------------------------------------------
namespace large {

constexpr int kTile = kLargeTile;  // 128
constexpr int kHalf = kTile / 2;
constexpr int kDepth = 8;
constexpr int kMicro = 8;
constexpr int kLanes = kTile / kMicro;             // 16 threads along each tile edge
constexpr int kThreads = kLanes * kLanes;          // 256
constexpr int kLoads = kTile * kDepth / kThreads;  // staged elements per thread per operand
constexpr int kRow = kTile + kPad;                 // row padding as in the 64 kernel
using Slice = float[kDepth][kRow];

static_assert(kTile * kDepth % kThreads == 0, "each thread stages whole elements");
static_assert(kThreads % kTile == 0 && kThreads % kDepth == 0, "staging positions repeat per load");

// Where element s of this thread's share of a slice goes: `edge` along the tile's rows (of a) or
// columns (of b), `depth` along k. Consecutive threads take consecutive addresses of whichever
// index is contiguous in global memory, so the loads are coalesced in every layout.
template <bool K_CONTIGUOUS>
__device__ __forceinline__ void slot(int s, int& edge, int& depth) {
  const int e = static_cast<int>(threadIdx.x) + s * kThreads;
  edge = K_CONTIGUOUS ? e / kDepth : e % kTile;
  depth = K_CONTIGUOUS ? e % kDepth : e / kTile;
}

// Walks one operand's slices, loading this thread's share of x[edge0 + [0, kTile), p0 +
// [0, kDepth)] for x stored [edges, k] (K_CONTIGUOUS) or [k, edges]; zero outside the matrix.
// The address and the bounds advance by one step per slice rather than being recomputed:
// 64-bit index math for every element would take registers the accumulators need.
template <bool K_CONTIGUOUS>
struct SliceLoader {
  // Element s lies kEdgeStride edges or kDepthStride depths past element 0 (see slot()).
  static constexpr int kEdgeStride = K_CONTIGUOUS ? kThreads / kDepth : 0;
  static constexpr int kDepthStride = K_CONTIGUOUS ? 0 : kThreads / kTile;

  const float* next;  // element 0 of the next slice
  int edges_left;     // edges after element 0's edge, itself included
  int depth_left;     // depths from element 0's in the next slice to k

  __device__ __forceinline__ SliceLoader(const float* x, int edges, int k, long long edge0) {
    int i, p;
    slot<K_CONTIGUOUS>(0, i, p);
    edges_left = static_cast<int>(edges - edge0) - i;
    depth_left = k - p;
    next =
        K_CONTIGUOUS ? x + (edge0 + i) * k + p : x + static_cast<long long>(p) * edges + edge0 + i;
  }

  __device__ __forceinline__ void load(int edges, int k, float (&r)[kLoads]) {
    const long long element_stride = K_CONTIGUOUS ? static_cast<long long>(kEdgeStride) * k
                                                  : static_cast<long long>(kDepthStride) * edges;
#pragma unroll
    for (int s = 0; s < kLoads; ++s) {
      r[s] = 0.0f;
      if (edges_left > s * kEdgeStride && depth_left > s * kDepthStride)
        r[s] = next[s * element_stride];
    }
    next += K_CONTIGUOUS ? kDepth : static_cast<long long>(kDepth) * edges;
    depth_left -= kDepth;
  }
};

template <bool K_CONTIGUOUS>
__device__ __forceinline__ void store_slice(Slice& staged, const float (&r)[kLoads]) {
#pragma unroll
  for (int s = 0; s < kLoads; ++s) {
    int i, p;
    slot<K_CONTIGUOUS>(s, i, p);
    staged[p][i] = r[s];
  }
}

// The eight staged values a thread needs along one edge: [4*lane, +4) and [64 + 4*lane, +4).
// Split in two halves so that the float4 reads of neighbouring lanes hit distinct banks.
__device__ __forceinline__ void read_edge(const float* row, int lane, float (&v)[kMicro]) {
  const float4 lo = *reinterpret_cast<const float4*>(row + lane * 4);
  const float4 hi = *reinterpret_cast<const float4*>(row + kHalf + lane * 4);
  v[0] = lo.x, v[1] = lo.y, v[2] = lo.z, v[3] = lo.w;
  v[4] = hi.x, v[5] = hi.y, v[6] = hi.z, v[7] = hi.w;
}

// Offset within the tile of a thread's r-th row (or column) of its register block.
__device__ __forceinline__ int micro_offset(int lane, int r) {
  return (r / 4) * kHalf + lane * 4 + r % 4;
}

// Stores (or adds) four consecutive values of a C row, the first `left` of which lie inside C:
// as one float4 when the row keeps them 16-byte aligned, else one by one.
__device__ __forceinline__ void store_four(float* out, const float* v, int left, bool vector_rows,
                                           bool accumulate) {
  if (vector_rows && left >= 4) {
    float4 o = make_float4(v[0], v[1], v[2], v[3]);
    if (accumulate) {
      const float4 old = *reinterpret_cast<const float4*>(out);
      o = make_float4(old.x + o.x, old.y + o.y, old.z + o.z, old.w + o.w);
    }
    *reinterpret_cast<float4*>(out) = o;
    return;
  }
#pragma unroll
  for (int q = 0; q < 4; ++q)
    if (q < left) out[q] = accumulate ? out[q] + v[q] : v[q];
}

// Two blocks per SM, so one block's barrier waits are covered by the other's FMAs; that caps a
// thread at 128 registers (ptxas: 128, no spills, for all four transposes on sm_90).
template <bool TRANS_A, bool TRANS_B>
__global__ void __launch_bounds__(kThreads, 2)
    sgemm_large_kernel(const float* __restrict__ a, const float* __restrict__ b,
                       float* __restrict__ c, int m, int n, int k, int tiles_n, bool accumulate) {
  // Two buffers per operand, laid out as in sgemm_kernel: while the block computes from one,
  // each thread writes the next slice (already loaded into registers) into the other.
  __shared__ __align__(16) Slice as[2];
  __shared__ __align__(16) Slice bs[2];

  const int tid = threadIdx.x;
  const long long row0 = static_cast<long long>(blockIdx.x / tiles_n) * kTile;
  const long long col0 = static_cast<long long>(blockIdx.x % tiles_n) * kTile;
  const int tx = tid % kLanes;  // this thread's C columns: col0 + micro_offset(tx, [0, kMicro))
  const int ty = tid / kLanes;  // this thread's C rows:    row0 + micro_offset(ty, [0, kMicro))

  SliceLoader<!TRANS_A> load_a(a, m, k, row0);
  SliceLoader<TRANS_B> load_b(b, n, k, col0);
  float next_a[kLoads], next_b[kLoads];
  if (k > 0) {
    load_a.load(m, k, next_a);
    load_b.load(n, k, next_b);
    store_slice<!TRANS_A>(as[0], next_a);
    store_slice<TRANS_B>(bs[0], next_b);
  }
  __syncthreads();

  float acc[kMicro][kMicro] = {};
  int cur = 0;
  for (int p0 = 0; p0 < k; p0 += kDepth) {
    const bool more = k - p0 > kDepth;  // (not p0 + kDepth < k, which could overflow)
    if (more) {                         // issued now, waited for only at the store below
      load_a.load(m, k, next_a);
      load_b.load(n, k, next_b);
    }
    // Unrolled by two, not fully: with all eight steps unrolled, nvcc 13 hoists later steps'
    // shared loads and spills past the 128 registers that two blocks per SM leave a thread.
#pragma unroll 2
    for (int p = 0; p < kDepth; ++p) {
      float ar[kMicro], br[kMicro];
      read_edge(as[cur][p], ty, ar);
      read_edge(bs[cur][p], tx, br);
#pragma unroll
      for (int r = 0; r < kMicro; ++r)
#pragma unroll
        for (int q = 0; q < kMicro; ++q) acc[r][q] += ar[r] * br[q];
    }
    if (!more) break;
    // The other buffer was last read in the previous slice, before the barrier that ended it.
    store_slice<!TRANS_A>(as[cur ^ 1], next_a);
    store_slice<TRANS_B>(bs[cur ^ 1], next_b);
    // One barrier per slice: the next slice is staged, and nobody still reads this one (it
    // is overwritten only after the next barrier).
    __syncthreads();
    cur ^= 1;
  }

  // Offsets from this thread's first C element (row0 + ty*4, col0 + tx*4), which keeps the
  // 64-bit address math to one multiply per row.
  const int rows_left = static_cast<int>(m - row0) - ty * 4;
  const int cols_left = static_cast<int>(n - col0) - tx * 4;
  float* const corner = c + (row0 + ty * 4) * n + col0 + tx * 4;
  const bool vector_rows = n % 4 == 0 && reinterpret_cast<std::uintptr_t>(c) % 16 == 0;
#pragma unroll
  for (int r = 0; r < kMicro; ++r) {
    const int dr = micro_offset(0, r);
    if (dr >= rows_left) continue;
    float* const row = corner + static_cast<long long>(dr) * n;
#pragma unroll
    for (int h = 0; h < kMicro; h += 4) {
      const int dc = micro_offset(0, h);
      store_four(row + dc, &acc[r][h], cols_left - dc, vector_rows, accumulate);
    }
  }
}

}  // namespace large

template <bool TRANS_A, bool TRANS_B>
void launch_sgemm(bool large_tiles, unsigned int blocks, const float* a, const float* b, float* c,
                  int m, int n, int k, int tiles_n, bool accumulate) {
  if (large_tiles)
    large::sgemm_large_kernel<TRANS_A, TRANS_B>
        <<<blocks, large::kThreads>>>(a, b, c, m, n, k, tiles_n, accumulate);
  else
    sgemm_kernel<TRANS_A, TRANS_B><<<blocks, kThreads>>>(a, b, c, m, n, k, tiles_n, accumulate);
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" int ts_cuda_matmul(const float* a, const float* b, float* c, int m, int n, int k,
                              int trans_a, int trans_b, int accumulate) {
  TS_CUDA_REQUIRE(a && b && c, "matmul: null buffer");
  TS_CUDA_REQUIRE(m >= 0 && n >= 0 && k >= 0, "matmul: negative size m=%d n=%d k=%d", m, n, k);
  if (cublas_gemm_should_run(m, n, k))  // the optional fast path (ts_cuda_gemm_set_mode)
    return cublas_gemm(a, b, c, m, n, k, trans_a != 0, trans_b != 0, accumulate != 0);
  if (m == 0 || n == 0 || (k == 0 && accumulate)) return TS_OK;
  // With k == 0 and no accumulate the kernel's slice loop never runs and it stores zeros.
  const bool large_tiles = use_large_tiles(m, n);
  const long long tile = large_tiles ? kLargeTile : kTile;
  const long long tiles_m = (static_cast<long long>(m) + tile - 1) / tile;
  const long long tiles_n = (static_cast<long long>(n) + tile - 1) / tile;
  const long long blocks = tiles_m * tiles_n;
  TS_CUDA_REQUIRE(blocks <= 0x7fffffffLL, "matmul: %d x %d output needs more than 2^31 tiles", m,
                  n);
  const unsigned int grid = static_cast<unsigned int>(blocks);
  const int tn = static_cast<int>(tiles_n);
  const bool acc = accumulate != 0;
  if (trans_a && trans_b)
    launch_sgemm<true, true>(large_tiles, grid, a, b, c, m, n, k, tn, acc);
  else if (trans_a)
    launch_sgemm<true, false>(large_tiles, grid, a, b, c, m, n, k, tn, acc);
  else if (trans_b)
    launch_sgemm<false, true>(large_tiles, grid, a, b, c, m, n, k, tn, acc);
  else
    launch_sgemm<false, false>(large_tiles, grid, a, b, c, m, n, k, tn, acc);
  return check_launch("matmul");
}
