// Dense SGEMM with the semantics of ts_cpu_matmul (no cuBLAS on the build machines).
//
// Each block computes one kTile x kTile tile of C. It walks k in slices of kDepth: the block
// stages op(a)[tile rows, slice] and op(b)[slice, tile cols] in shared memory, then each of
// its 256 threads updates a kMicro x kMicro register block of C from float4 reads of the
// staged slices (16 FMAs per two shared loads). Out-of-range elements are staged as zeros,
// so any m, n, k works without special cases; only the final store is bounds-checked.
// The transposes are template parameters: they choose the index math of the staging loads,
// and which thread loads which element, so global reads stay coalesced in every layout.
#include "common.cuh"
#include "cublas_gemm.cuh"
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

template <bool TRANS_A, bool TRANS_B>
void launch_sgemm(unsigned int blocks, const float* a, const float* b, float* c, int m, int n,
                  int k, int tiles_n, bool accumulate) {
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
  const long long tiles_m = (static_cast<long long>(m) + kTile - 1) / kTile;
  const long long tiles_n = (static_cast<long long>(n) + kTile - 1) / kTile;
  const long long blocks = tiles_m * tiles_n;
  TS_CUDA_REQUIRE(blocks <= 0x7fffffffLL,
                  "matmul: %d x %d output needs more than 2^31 tiles", m, n);
  const unsigned int grid = static_cast<unsigned int>(blocks);
  const int tn = static_cast<int>(tiles_n);
  const bool acc = accumulate != 0;
  if (trans_a && trans_b)
    launch_sgemm<true, true>(grid, a, b, c, m, n, k, tn, acc);
  else if (trans_a)
    launch_sgemm<true, false>(grid, a, b, c, m, n, k, tn, acc);
  else if (trans_b)
    launch_sgemm<false, true>(grid, a, b, c, m, n, k, tn, acc);
  else
    launch_sgemm<false, false>(grid, a, b, c, m, n, k, tn, acc);
  return check_launch("matmul");
}
